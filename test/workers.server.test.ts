/**
 * `buildServer` on a real port: /health, /metrics (fleet-wide figures read from Redis: queue
 * depths, job outcomes and durations, crawl counters) and Bull Board at /admin/queues.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server/app.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { createMetricsRecorder } from '../workers/metrics.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { dropPrefix, freePort, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('server');
let redis: RedisClient;
let queues: Queues;
let store: EmbeddedStore;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
  store = openEmbeddedStore(mkdtempSync(join(tmpdir(), 'voc-server-')));
  // Three crawl jobs waiting and one classify job delayed; no worker runs in this test.
  for (const n of [1, 2, 3]) await queues.crawl.add('page', { runId: 'r', url: `http://x/${n}` } as never, { jobId: `r-p-${n}` });
  await queues.classify.add('classify', { runId: 'r', postIds: ['a'] }, { jobId: 'r-c-1', delay: 3_600_000 });
  // What workers on other machines recorded.
  const rec = createMetricsRecorder(redis, env.prefix);
  rec.job('crawl', 'completed', 0.02);
  rec.job('crawl', 'completed', 0.02);
  rec.job('crawl', 'failed', 0.3);
  rec.job('crawl', 'delayed', 0.001);
  rec.job('report', 'completed', 42);
  rec.crawl({ pages: 2, postsNew: 5, postsUpdated: 1, postsUnchanged: 3 });
  rec.paceDelay();
  await redis.ping(); // the recorder's writes went first on this connection

  app = await buildServer({ store, queues }, { processMetrics: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  base = address;
});

afterAll(async () => {
  await app?.close();
  await queues.close();
  redis.disconnect();
  await store.close();
  await dropPrefix(env.redisUrl, env.prefix);
});

describe('voc serve', () => {
  it('/health reports the store and Redis', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'embedded', redis: 'up' });
  });

  it('/metrics exposes queue depths, job outcomes and durations, and crawl counters of all workers', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = (await res.text()).split('\n');
    const expected = [
      'voc_queue_jobs{queue="crawl",state="waiting"} 3',
      'voc_queue_jobs{queue="crawl",state="active"} 0',
      'voc_queue_jobs{queue="classify",state="delayed"} 1',
      'voc_queue_jobs{queue="report",state="failed"} 0',
      'voc_queue_workers{queue="crawl"} 0',
      'voc_jobs_total{queue="crawl",outcome="completed"} 2',
      'voc_jobs_total{queue="crawl",outcome="failed"} 1',
      'voc_jobs_total{queue="crawl",outcome="delayed"} 1',
      'voc_jobs_total{queue="report",outcome="completed"} 1',
      'voc_job_duration_seconds_bucket{le="0.01",queue="crawl"} 0',
      'voc_job_duration_seconds_bucket{le="0.025",queue="crawl"} 2',
      'voc_job_duration_seconds_bucket{le="0.25",queue="crawl"} 2',
      'voc_job_duration_seconds_bucket{le="0.5",queue="crawl"} 3',
      'voc_job_duration_seconds_bucket{le="+Inf",queue="crawl"} 3',
      'voc_job_duration_seconds_sum{queue="crawl"} 0.34',
      'voc_job_duration_seconds_count{queue="crawl"} 3',
      'voc_job_duration_seconds_bucket{le="30",queue="report"} 0',
      'voc_job_duration_seconds_bucket{le="60",queue="report"} 1',
      'voc_crawl_pages_total 2',
      'voc_crawl_posts_total{result="new"} 5',
      'voc_crawl_posts_total{result="updated"} 1',
      'voc_crawl_posts_total{result="unchanged"} 3',
      'voc_pace_delays_total 1',
    ];
    for (const line of expected) expect(lines).toContain(line);
    expect(lines).toContain('# TYPE voc_job_duration_seconds histogram');
    expect(lines).toContain('# TYPE voc_jobs_total counter');
  });

  it('mounts Bull Board at /admin/queues with the three queues', async () => {
    const page = await fetch(`${base}/admin/queues`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('voc queues');
    const api = await fetch(`${base}/admin/queues/api/queues?activeQueue=crawl&status=waiting&page=1`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['classify', 'crawl', 'report']);
    expect(body.queues.find((q) => q.name === 'crawl')!.counts.waiting).toBe(3);
  });

  it('without Redis: health says so, no board', async () => {
    const plain = await buildServer({ store }, { processMetrics: false });
    const address = await plain.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await (await fetch(`${address}/health`)).json()).toEqual({ status: 'ok', store: 'embedded', redis: 'not configured' });
      expect((await fetch(`${address}/admin/queues`)).status).toBe(404);
      expect((await fetch(`${address}/metrics`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('with Redis unreachable: /health answers 503 within its bound', async () => {
    const gone = { redisUrl: `redis://127.0.0.1:${await freePort()}`, prefix: env.prefix };
    const conn = createRedis(gone);
    conn.on('error', () => undefined);
    const q = openQueues(conn, gone.prefix);
    const srv = await buildServer({ store, queues: q }, { processMetrics: false, healthTimeoutMs: 300 });
    const address = await srv.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${address}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'degraded', store: 'embedded', redis: 'down' });
    } finally {
      await srv.close();
      conn.disconnect();
    }
  });
});
