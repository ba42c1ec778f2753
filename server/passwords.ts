/**
 * Password hashing with scrypt (node:crypto): memory-hard, so a stolen users table is slow to
 * brute-force on GPUs, and no native dependency. The stored form carries its parameters
 * (`scrypt$N$r$p$salt$hash`), so they can be raised later without breaking old hashes.
 */
import type { Bilingual } from '../core/errors.js';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** N = 2^15, r = 8, p = 1: 32 MiB and roughly 0.1 s per hash, so guessing costs memory as well as time. */
const DEFAULTS = { N: 1 << 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, { ...opts, maxmem: 256 * opts.N! * opts.r! }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), { N, r, p });
  return timingSafeEqual(key, expected);
}

/** A password policy short enough to state in one line. */
export function passwordProblem(password: string): Bilingual | undefined {
  if (password.length < 10) return { en: 'password: at least 10 characters', zh: 'password：至少 10 个字符' };
  if (password.length > 1024) return { en: 'password: at most 1024 characters', zh: 'password：最多 1024 个字符' };
  return undefined;
}
