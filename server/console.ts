/**
 * The analyst console on a Fastify instance: cookie parsing, login rate limit, OpenAPI at
 * /api/docs, authentication, the JSON API under /api, and the built web UI at /.
 *
 * Errors the caller can act on (InputError, schema validation) answer 400 with one line in
 * `{ error }`; anything else answers 500 with no internals, and is logged.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyError, FastifyInstance } from 'fastify';
import { Cluster } from 'ioredis';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { VocError } from '../core/errors.js';
import type { StageDeps } from '../workers/deps.js';
import type { Queues } from '../workers/queues.js';
import type { RedisClient } from '../workers/redis.js';
import { RunTracker } from '../workers/run-tracker.js';
import { registerAuthentication, sendError } from './auth.js';
import { localizeInputMessage, say } from './messages.js';
import { RunManager } from './run-manager.js';
import { metaRoutes } from './routes/meta.js';
import { postRoutes } from './routes/posts.js';
import { explainRoutes } from './routes/explain.js';
import { reportRoutes } from './routes/reports.js';
import { runRoutes } from './routes/runs.js';
import { scheduleRoutes } from './routes/schedules.js';
import { sessionRoutes } from './routes/session.js';
import { targetRoutes } from './routes/targets.js';
import { userRoutes } from './routes/users.js';

export interface ConsoleDeps {
  /** Store, config, classifier and crawl context (cli/app.ts `openApp`). */
  app: StageDeps;
  /** Where reports rendered from the console are written. */
  reportsDir: string;
  /** Folder of the built web UI (web/dist); the API works without it. */
  webDir?: string;
  /** Login attempts per address per window (default 10 per minute). */
  loginLimit?: { max: number; windowMs: number };
}

export interface ConsoleQueues {
  queues: Queues;
  prefix: string;
}

/**
 * With REDIS_URL the login and preview counters live in Redis, so every `voc serve` replica behind
 * a load balancer counts against one limit (per process, N replicas would allow N times the
 * guesses). Its own connection: BullMQ's waits for Redis forever (maxRetriesPerRequest null), but
 * a login must fail fast, and closed, when Redis is away rather than hang or skip the limit.
 */
function rateLimitInRedis(app: FastifyInstance, queued: ConsoleQueues): { redis: RedisClient; nameSpace: string; skipOnError: false } {
  const shared = queued.queues.connection;
  // A Cluster client keeps the shared connection (its per-node options are the cluster's own).
  const redis: RedisClient = shared instanceof Cluster ? shared : shared.duplicate({ maxRetriesPerRequest: 1 });
  if (redis !== shared) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  return { redis, nameSpace: `${queued.prefix}:ratelimit:`, skipOnError: false };
}

/** Registers the console on `app`; returns the run manager (closed with the app). */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps, queued?: ConsoleQueues): Promise<RunManager> {
  const { store, config } = deps.app;
  const runs = new RunManager(deps.app, queued ? { queues: queued.queues, tracker: new RunTracker(queued.queues.connection, queued.prefix) } : undefined);
  app.addHook('onClose', async () => runs.close());

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const m = say(req);
    if (err instanceof VocError) return sendError(reply, 400, localizeInputMessage(req, err));
    // Schema validation names the field and, for an enum, the allowed values: what to send instead.
    if (err.validation) return sendError(reply, 400, m.validation(err));
    if (err.statusCode === 429) return sendError(reply, 429, m.tooMany);
    if (err.statusCode && err.statusCode < 500) return sendError(reply, err.statusCode, err.message);
    req.log.error(err);
    return sendError(reply, 500, m.internal);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false, ...(queued ? rateLimitInRedis(app, queued) : {}) });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'voc analyst console API', version: '0.1.0', description: 'Targets, runs, posts, reports and schedules. Authenticate with `Authorization: Bearer <token>` (`voc tokens create`) or the session cookie of POST /api/login (then send `x-csrf-token` on writes).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'voc_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  registerAuthentication(app, store);

  await app.register(sessionRoutes, { store, ...(deps.loginLimit ? { loginLimit: deps.loginLimit } : {}) });
  await app.register(metaRoutes, { config, runMode: runs.mode, schedules: Boolean(queued) });
  await app.register(targetRoutes, { deps: deps.app });
  await app.register(runRoutes, { store, runs });
  await app.register(postRoutes, { store, config });
  await app.register(explainRoutes, { config, classifier: deps.app.classifier });
  await app.register(reportRoutes, { deps: deps.app, reportsDir: deps.reportsDir });
  await app.register(scheduleRoutes, { store, config, ...(queued ? { queues: queued.queues } : {}) });
  await app.register(userRoutes, { store });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    // The UI frames its own report pages; nobody else may frame anything of ours.
    reply.header('x-frame-options', 'SAMEORIGIN');
    return payload;
  });

  if (deps.webDir && existsSync(join(deps.webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: deps.webDir,
      prefix: '/',
      index: 'index.html',
      decorateReply: false,
      setHeaders: (reply) =>
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
        ),
    });
  }
  return runs;
}
