/**
 * POST /api/login, POST /api/logout, GET /api/me. Login is rate-limited per client address (and
 * costs one scrypt hash), so passwords cannot be guessed at speed.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { checkLogin, createSession, sha256 } from '../accounts.js';
import { allow, ALL_ROLES, SESSION_COOKIE, sendError } from '../auth.js';
import { say } from '../messages.js';

export interface SessionRouteOptions {
  store: Store;
  /** Failed and successful logins allowed per address per window (default 10 per minute). */
  loginLimit?: { max: number; windowMs: number };
}

export async function sessionRoutes(app: FastifyInstance, opts: SessionRouteOptions): Promise<void> {
  const { store } = opts;
  const limit = opts.loginLimit ?? { max: 10, windowMs: 60_000 };

  app.post(
    '/api/login',
    {
      config: { rateLimit: { max: limit.max, timeWindow: limit.windowMs } },
      schema: {
        tags: ['session'],
        summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token',
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 } },
        },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const user = await checkLogin(store, username, password);
      if (!user) return sendError(reply, 401, say(req).wrongLogin);
      const { record, secret } = await createSession(store, user.username);
      await store.removeExpiredSessions(new Date().toISOString());
      reply.setCookie(SESSION_COOKIE, secret, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        expires: new Date(record.expiresAt),
      });
      return { username: user.username, role: user.role, csrfToken: record.csrfToken };
    },
  );

  app.post(
    '/api/logout',
    { onRequest: allow(...ALL_ROLES), schema: { tags: ['session'], summary: 'Log out (ends the cookie session)' } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await store.removeSession(sha256(cookie));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get('/api/me', { onRequest: allow(...ALL_ROLES), schema: { tags: ['session'], summary: 'Who is signed in (and the CSRF token of a cookie session)' } }, async (req) => {
    const p = req.principal!;
    return { username: p.username, role: p.role, ...(p.session ? { csrfToken: p.session.csrfToken } : {}) };
  });
}
