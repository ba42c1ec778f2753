/**
 * The HTTP server of `voc serve`, as a composable Fastify app: `/health`, `/metrics` (Prometheus,
 * prom-client) and Bull Board at `/admin/queues`. Issue 7 adds the JSON API, auth and the web UI
 * to the instance `buildServer` returns (register routes or plugins on it before `listen`).
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

export interface ServerDeps {
  /** The store, for the health check (and for the API routes issue 7 adds). */
  store?: Store;
  /** The queues (REDIS_URL set): enables Bull Board, queue metrics and the Redis health check. */
  queues?: Queues;
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
  const app = Fastify({ logger: opts.logger ?? false });
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

  if (deps.queues) {
    const basePath = opts.adminPath ?? '/admin/queues';
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(basePath);
    createBullBoard({
      queues: QUEUE_NAMES.map((name) => new BullMQAdapter(deps.queues!.byName(name))),
      // @bull-board/fastify 9.10.1 brings its own @bull-board/api 9.10.1 next to our 9.10.2: the
      // adapter is the same at run time, only the two copies' private members differ in type.
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'voc queues' } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
  }
  return app;
}
