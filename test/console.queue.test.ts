/**
 * The console with REDIS_URL: real Redis (own key prefix) and real BullMQ workers in this process.
 * Bull Board is for admins only; schedules are added, listed and removed through the API; an
 * ad-hoc crawl runs as a queued flow and its progress still streams to the end; a queued run is
 * cancelled (the page being fetched is kept, no further page is fetched, waiting pages are removed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../core/config.js';
import type { Run } from '../core/types.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { api, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_SELECTORS, startForum, type Forum } from './console.site.js';
import { readRunEvents } from './console.sse.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';
import { crawlJobId } from '../workers/job-ids.js';
import { RunTracker } from '../workers/run-tracker.js';

const env = testQueueEnv('console');
let redis: RedisClient;
let queues: Queues;
let fx: ConsoleFixture;
let forum: Forum;
let workers: RunningWorkers;

beforeAll(async () => {
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
  forum = await startForum();
  fx = await startConsole({ queues, queuePrefix: env.prefix });
  await fx.app.store.saveTarget(resolveTarget({ id: 'forum', brand: 'acme', url: forum.url, source: 'acme-forum', selectors: FORUM_SELECTORS }, fx.config));
  workers = await startWorkers(fx.app, env, { queues: ['crawl', 'classify', 'report'], concurrency: 2 });
});

afterAll(async () => {
  await workers?.close(5_000);
  await fx?.close();
  await queues?.close();
  redis?.disconnect();
  await forum?.close();
  await dropPrefix(env.redisUrl, env.prefix);
});

describe('Bull Board', () => {
  it('is for admins only', async () => {
    const status = async (token?: string) => {
      const res = await api(fx.base, token, 'GET', '/admin/queues');
      await res.arrayBuffer();
      return res.status;
    };
    expect([await status(), await status(fx.tokens.viewer), await status(fx.tokens.analyst), await status(fx.tokens.admin)]).toEqual([401, 403, 403, 200]);
    const page = await api(fx.base, fx.tokens.admin, 'GET', '/admin/queues');
    expect(await page.text()).toContain('voc queues');
    expect((await api(fx.base, fx.tokens.analyst, 'GET', '/admin/queues/api/queues')).status).toBe(403);
  });
});

describe('schedules', () => {
  it('adds, lists and removes crawl and report schedules', async () => {
    const crawl = await api(fx.base, fx.tokens.analyst, 'POST', '/api/schedules', { kind: 'crawl', id: 'forum', cron: '0 9 * * 1', tz: 'Asia/Shanghai' });
    expect(crawl.status).toBe(201);
    const { schedule } = (await crawl.json()) as { schedule: { kind: string; id: string; pattern: string; tz: string; subject: string; nextAt: string } };
    expect(schedule).toMatchObject({ kind: 'crawl', id: 'forum', pattern: '0 9 * * 1', tz: 'Asia/Shanghai', subject: 'forum', origin: 'console' });
    // Mondays 09:00 in Shanghai is Monday 01:00 UTC, within the coming week.
    const next = new Date(schedule.nextAt);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 1, 0]);
    expect(next.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86400_000);

    const report = await api(fx.base, fx.tokens.admin, 'POST', '/api/schedules', { kind: 'report', id: 'monthly', cron: '0 8 1 * *', brand: 'acme', period: 'last-month', formats: ['pdf'] });
    expect(report.status).toBe(201);
    const list = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/schedules')).json()) as { schedules: Array<{ kind: string; id: string; subject: string; tz: string }> };
    expect(list.schedules.map((s) => [s.kind, s.id, s.subject, s.tz])).toEqual([
      ['crawl', 'forum', 'forum', 'Asia/Shanghai'],
      ['report', 'monthly', 'acme/last-month', 'Asia/Shanghai'],
    ]);

    const bad = await api(fx.base, fx.tokens.analyst, 'POST', '/api/schedules', { kind: 'crawl', id: 'forum', cron: 'every monday' });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'cron/tz: "every monday" is not a cron pattern; expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1" for Mondays 09:00']);
    const unknown = await api(fx.base, fx.tokens.analyst, 'POST', '/api/schedules', { kind: 'crawl', id: 'nope', cron: '0 9 * * 1' });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'id: unknown target "nope"' }]);
    const viewer = await api(fx.base, fx.tokens.viewer, 'GET', '/api/schedules');
    expect(viewer.status).toBe(403);

    expect((await api(fx.base, fx.tokens.analyst, 'DELETE', '/api/schedules/crawl/forum')).status).toBe(204);
    expect((await api(fx.base, fx.tokens.analyst, 'DELETE', '/api/schedules/crawl/forum')).status).toBe(404);
    expect((await api(fx.base, fx.tokens.analyst, 'DELETE', '/api/schedules/report/monthly')).status).toBe(204);
    const empty = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/schedules')).json()) as { schedules: unknown[] };
    expect(empty.schedules).toEqual([]);
  });
});

describe('queued runs', () => {
  it('runs an ad-hoc crawl through the workers and streams its progress to the end', async () => {
    const start = await api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['forum'] });
    expect(start.status).toBe(202);
    const { run } = (await start.json()) as { run: Run };
    expect(run.kind).toBe('crawl');
    const events = await readRunEvents(await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${run.id}/events`));
    const last = events.at(-1)!;
    expect(last.type).toBe('done');
    expect(last.run.status).toBe('succeeded');
    expect(last.run.stats).toMatchObject({ pagesFetched: 2, postsNew: 6, postsClassified: 6, errors: 0 });
    expect(last.progress).toMatchObject({ pagesQueued: 2, pagesDone: 2 });
    const list = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/runs')).json()) as { mode: string };
    expect(list.mode).toBe('queued');
    const posts = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts?breakpoint=any')).json()) as { total: number };
    expect(posts.total).toBe(2);
    const cancel = await api(fx.base, fx.tokens.analyst, 'POST', `/api/runs/${run.id}/cancel`);
    expect([cancel.status, await cancel.json()]).toEqual([409, { error: `run "${run.id}" has finished already` }]);
  });
});

describe('cancelling a queued run', () => {
  let slow: Forum;
  beforeAll(async () => {
    slow = await startForum({ holdPage1: true });
    await fx.app.store.saveTarget(resolveTarget({ id: 'slow', brand: 'acme', url: slow.url, source: 'slow-forum', selectors: FORUM_SELECTORS }, fx.config));
  });
  afterAll(async () => {
    slow.releasePage1();
    await slow?.close();
  });

  it('keeps the page being fetched and queues no further page', async () => {
    const { run } = (await (await api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['slow'] })).json()) as { run: Run };
    // A worker is fetching page 1 (the site holds the answer): cancel now, then let the page go.
    await slow.page1Requested;
    const cancel = await api(fx.base, fx.tokens.analyst, 'POST', `/api/runs/${run.id}/cancel`);
    expect([cancel.status, await cancel.json()]).toEqual([202, { status: 'cancelling' }]);
    slow.releasePage1();
    const last = (await readRunEvents(await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${run.id}/events`))).at(-1)!;
    expect([last.type, last.run.status]).toEqual(['done', 'cancelled']);
    // Page 1's three posts are stored and classified; page 2 was never asked for.
    expect(last.run.stats).toMatchObject({ pagesFetched: 1, postsNew: 3, postsClassified: 3, errors: 0 });
    expect(last.progress).toMatchObject({ pagesQueued: 1, pagesDone: 1 });
    expect(slow.pagesServed).toEqual([1]);
    expect((await fx.app.store.getRun(run.id))?.status).toBe('cancelled');
    const again = await api(fx.base, fx.tokens.analyst, 'POST', `/api/runs/${run.id}/cancel`);
    expect([again.status, await again.json()]).toEqual([409, { error: `run "${run.id}" has finished already` }]);
  });

  it('removes its waiting page jobs, so the run ends without them', async () => {
    // No worker takes crawl jobs while the queue is paused: the run's first page stays waiting.
    await queues.crawl.pause();
    try {
      const { run } = (await (await api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['slow'] })).json()) as { run: Run };
      const pageJob = crawlJobId(run.id, 'slow', slow.url);
      expect(await queues.crawl.getJobState(pageJob)).toBe('waiting');
      const cancel = await api(fx.base, fx.tokens.analyst, 'POST', `/api/runs/${run.id}/cancel`);
      expect(cancel.status).toBe(202);
      expect(await queues.crawl.getJob(pageJob)).toBeUndefined();
      const last = (await readRunEvents(await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${run.id}/events`))).at(-1)!;
      expect([last.type, last.run.status]).toEqual(['done', 'cancelled']);
      expect(last.run.stats).toMatchObject({ pagesFetched: 0, postsNew: 0, errors: 0 });
      expect(slow.pagesServed).toEqual([1]); // nothing more fetched than by the first test
      expect((await fx.app.store.getRun(run.id))?.status).toBe('cancelled');
    } finally {
      await queues.crawl.resume();
    }
  });

  it('skips a page job that a worker takes after the cancel (one that could not be removed)', async () => {
    await queues.crawl.pause();
    let runId = '';
    try {
      const { run } = (await (await api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['slow'] })).json()) as { run: Run };
      runId = run.id;
      // Only the tracker's flag, as when the job was locked by a worker at the moment of the cancel.
      expect(await new RunTracker(redis, env.prefix).requestCancel(run.id)).toBe('cancelling');
      expect(await queues.crawl.getJobState(crawlJobId(run.id, 'slow', slow.url))).toBe('waiting');
    } finally {
      await queues.crawl.resume();
    }
    const last = (await readRunEvents(await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${runId}/events`))).at(-1)!;
    expect([last.type, last.run.status]).toEqual(['done', 'cancelled']);
    expect(last.run.stats).toMatchObject({ pagesFetched: 0, postsNew: 0, errors: 0 });
    expect(last.progress).toMatchObject({ pagesQueued: 1, pagesDone: 1 });
    expect(slow.pagesServed).toEqual([1]);
  });
});
