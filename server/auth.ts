/**
 * Who is asking, and may they: every /api and /admin request is authenticated by a bearer token
 * (`Authorization: Bearer voc_...`, for scripts) or the session cookie (the web UI). Routes then
 * declare the roles they allow with `allow(...)`. A cookie-authenticated request that changes
 * anything must echo the session's CSRF token in `x-csrf-token`: a cross-site form or fetch can
 * send the cookie (were SameSite to fail) but cannot read the token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role, SessionRecord, Store } from '../store/store.js';
import { sessionFor, userForToken } from './accounts.js';
import { say } from './messages.js';

export const SESSION_COOKIE = 'voc_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Principal {
  username: string;
  role: Role;
  via: 'token' | 'session';
  session?: SessionRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads the credentials of every request (they are checked by `allow`, per route). */
export function registerAuthentication(app: FastifyInstance, store: Store): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const user = m ? await userForToken(store, m[1]!) : undefined;
      if (user) req.principal = { username: user.username, role: user.role, via: 'token' };
      return; // a wrong token is not silently replaced by a cookie
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const found = await sessionFor(store, cookie);
      if (found) req.principal = { username: found.user.username, role: found.user.role, via: 'session', session: found.session };
    }
  });
}

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

/** 401 without credentials, 403 for a role not in `roles` or a cookie request without its CSRF token. */
export function allow(...roles: Role[]): onRequestAsyncHookHandler {
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const who = req.principal;
    const m = say(req);
    if (!who) return sendError(reply, 401, m.notSignedIn);
    if (!roles.includes(who.role)) return sendError(reply, 403, m.forbidden(who.role, `${req.method} ${req.routeOptions.url ?? req.url}`, roles));
    if (who.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, who.session!.csrfToken))
        return sendError(reply, 403, m.csrf(CSRF_HEADER));
    }
  };
}

export const ALL_ROLES: Role[] = ['admin', 'analyst', 'viewer'];
export const ANALYSTS: Role[] = ['admin', 'analyst'];
