/**
 * The HTTP server of `voc serve`, as a composable Fastify app: `/health`, `/metrics` (Prometheus,
 * prom-client), Bull Board at `/admin/queues`, and with `deps.console` the analyst console: the
 * JSON API under /api (OpenAPI at /api/docs), users and roles, and the web UI at / (server/console.ts).
 *
 * @example
 * const app = await buildServer({ store, queues }, { logger: false });
 * await app.listen({ port: 8080, host: '0.0.0.0' });
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Store } from '../store/store.js';
import { createMetricsRegistry } from '../workers/metrics.js';
import { QUEUE_NAMES, type Queues } from '../workers/queues.js';
import { sendError } from './auth.js';
import { registerConsole, type ConsoleDeps } from './console.js';
import { say } from './messages.js';

export interface ServerDeps {
  /** The store, for the health check (and for the API routes issue 7 adds). */
  store?: Store;
  /** The queues (REDIS_URL set): enables Bull Board, queue metrics and the Redis health check. */
  queues?: Queues;
  /** Redis key prefix of the queues (default `voc`), for following queued runs. */
  queuePrefix?: string;
  /**
   * The analyst console (issue 7): API, auth, web UI. When given, every /api and /admin request
   * needs a signed-in user, and Bull Board needs the admin role.
   */
  console?: ConsoleDeps;
}

export interface ServerOptions {
  /** Fastify's logger (pino); default off. */
  logger?: boolean;
  /** Where Bull Board is mounted (default `/admin/queues`). */
  adminPath?: string;
  /** Include the serving process' own CPU/memory metrics (default true). */
  processMetrics?: boolean;
  /** Longest wait for Redis in `/health`, ms (default 1000). */
  healthTimeoutMs?: number;
  /**
   * Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers, so the session cookie
   * gets the Secure flag and the login rate limit counts client addresses, not the proxy's.
   */
  trustProxy?: boolean;
}

async function within<T>(ms: number, p: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the Fastify instance (not listening yet). */
export async function buildServer(deps: ServerDeps, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false });
  const registry = createMetricsRegistry(deps.queues, { defaultMetrics: opts.processMetrics !== false });

  app.get('/health', async (_req, reply) => {
    const checks: Record<string, string> = {};
    if (deps.store) checks.store = deps.store.kind;
    if (deps.queues) {
      const ping = await within(opts.healthTimeoutMs ?? 1000, deps.queues.connection.ping().catch(() => 'down'));
      checks.redis = ping === 'PONG' ? 'up' : 'down';
    } else checks.redis = 'not configured';
    const ok = checks.redis !== 'down';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...checks });
  });

  app.get('/metrics', async (_req, reply) => {
    try {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    } catch (err) {
      // Redis away during a scrape: say so plainly; Prometheus marks the scrape as failed.
      return reply.code(503).type('text/plain').send(`metrics unavailable: ${(err as Error).message.split('\n')[0]}\n`);
    }
  });

  if (deps.console) {
    await registerConsole(app, deps.console, deps.queues ? { queues: deps.queues, prefix: deps.queuePrefix ?? 'voc' } : undefined);
    const adminPath = opts.adminPath ?? '/admin/queues';
    app.addHook('onRequest', async (req, reply) => {
      if (req.url !== adminPath && !req.url.startsWith(`${adminPath}/`) && !req.url.startsWith(`${adminPath}?`)) return;
      if (!req.principal) return sendError(reply, 401, say(req).boardNotSignedIn);
      if (req.principal.role !== 'admin') return sendError(reply, 403, say(req).boardForbidden(req.principal.role));
    });
  }

  if (deps.queues) {
    const basePath = opts.adminPath ?? '/admin/queues';
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(basePath);
    createBullBoard({
      queues: QUEUE_NAMES.map((name) => new BullMQAdapter(deps.queues!.byName(name))),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'voc queues' } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
  }
  return app;
}
