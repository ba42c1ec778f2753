/**
 * Users, API tokens and sessions of the analyst console, on top of the Store. Secrets (token and
 * session values) are random 32-byte strings; only their sha256 is stored, so a copy of the
 * database does not let anyone in. Shared by `voc users` / `voc tokens` and the HTTP API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { ROLES, type ApiTokenRecord, type Role, type SessionRecord, type Store, type UserRecord } from '../store/store.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Sessions last 12 hours (an analyst's working day); the user logs in again after that. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** Token secrets start with this, so leaked ones are easy to spot in logs and code. */
export const TOKEN_PREFIX = 'voc_';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function parseRole(value: unknown, field = 'role'): Role {
  if (typeof value !== 'string' || !(ROLES as readonly string[]).includes(value))
    throw new InputError({
      en: `${field}: expected one of ${ROLES.join(', ')}, got "${String(value)}"`,
      zh: `${field}：应为以下之一：${ROLES.join('、')}，实际为“${String(value)}”`,
    });
  return value as Role;
}

export function checkUsername(value: unknown, field = 'username'): string {
  if (typeof value !== 'string' || !USERNAME_PATTERN.test(value))
    throw new InputError({
      en: `${field}: expected 1-64 lower-case letters, digits, '.', '_' or '-' starting with a letter or digit, got "${String(value)}"`,
      zh: `${field}：应为 1-64 个小写字母、数字、'.'、'_' 或 '-'，并以字母或数字开头，实际为“${String(value)}”`,
    });
  return value;
}

/** A user without the password hash, for listings. */
export type PublicUser = Omit<UserRecord, 'passwordHash'>;
export function publicUser(u: UserRecord): PublicUser {
  return { username: u.username, role: u.role, createdAt: u.createdAt };
}

export async function addUser(store: Store, input: { username: unknown; role: unknown; password: unknown }, opts: { replace?: boolean } = {}): Promise<PublicUser> {
  const username = checkUsername(input.username);
  const role = parseRole(input.role);
  if (typeof input.password !== 'string') throw new InputError({ en: 'password: expected a string', zh: 'password：应为字符串' });
  const problem = passwordProblem(input.password);
  if (problem) throw new InputError(problem);
  const existing = await store.getUser(username);
  if (existing && !opts.replace) {
    throw new InputError({
      en: `user "${username}" exists already; remove it first or pass --replace`,
      zh: `用户“${username}”已存在；请先删除，或加上 --replace`,
    });
  }
  const user: UserRecord = { username, role, passwordHash: await hashPassword(input.password), createdAt: existing?.createdAt ?? new Date().toISOString() };
  await store.saveUser(user);
  return publicUser(user);
}

/** The user when the password is right; undefined otherwise (unknown user included, in about the same time). */
export async function checkLogin(store: Store, username: string, password: string): Promise<UserRecord | undefined> {
  const user = USERNAME_PATTERN.test(username) ? await store.getUser(username) : undefined;
  // An unknown user still costs one hash, so timing does not tell which names exist.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  return ok && user ? user : undefined;
}
let dummyHash: Promise<string> | undefined;

export interface CreatedToken {
  record: ApiTokenRecord;
  /** The secret, shown once. */
  secret: string;
}

export async function createToken(store: Store, username: string, name: string, opts: { days?: number } = {}): Promise<CreatedToken> {
  const user = await store.getUser(checkUsername(username, 'user'));
  if (!user) {
    throw new InputError({
      en: `unknown user "${username}"; \`voc users list\` shows the users`,
      zh: `用户“${username}”不存在；\`voc users list\` 可列出所有用户`,
    });
  }
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = new Date();
  const record: ApiTokenRecord = {
    id: randomBytes(6).toString('hex'),
    username: user.username,
    name: name.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200),
    tokenHash: sha256(secret),
    createdAt: now.toISOString(),
    ...(opts.days ? { expiresAt: new Date(now.getTime() + opts.days * 86400_000).toISOString() } : {}),
  };
  await store.saveApiToken(record);
  return { record, secret };
}

/** The user behind a bearer token, when the token is known, not expired and its user still exists. */
export async function userForToken(store: Store, secret: string, now = new Date()): Promise<UserRecord | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const token = await store.getApiTokenByHash(sha256(secret));
  if (!token || (token.expiresAt && token.expiresAt <= now.toISOString())) return undefined;
  return store.getUser(token.username);
}

export interface CreatedSession {
  record: SessionRecord;
  /** The cookie value. */
  secret: string;
}

export async function createSession(store: Store, username: string, now = new Date()): Promise<CreatedSession> {
  const secret = randomBytes(32).toString('base64url');
  const record: SessionRecord = {
    idHash: sha256(secret),
    username,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  };
  await store.saveSession(record);
  return { record, secret };
}

/** The session and its user when the cookie value is known and not expired. */
export async function sessionFor(store: Store, secret: string, now = new Date()): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
  const session = await store.getSession(sha256(secret));
  if (!session || session.expiresAt <= now.toISOString()) return undefined;
  const user = await store.getUser(session.username);
  return user ? { session, user } : undefined;
}
