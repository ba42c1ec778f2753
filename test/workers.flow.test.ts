/**
 * A queued crawl as one BullMQ flow, with workers in this process (real Redis, loopback forum,
 * embedded store, HTML report): pages, then classification, then the report; a pagination loop
 * queued once; a dead page recorded as a run error without holding the run; a second run of the
 * same pages storing nothing twice; an unchanged start page costing one conditional request and no
 * write; per-target figures for the summary table.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { parseConfig, resolveTarget, type VocConfig } from '../core/config.js';
import type { ReportSpec, Target } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import { openApp, type App } from '../cli/app.js';
import { finishJobId, reportJobId } from '../workers/job-ids.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { RunTracker } from '../workers/run-tracker.js';
import type { QueuedTargetSummary } from '../workers/target-totals.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { startPagedSite, PAGED_SELECTORS, type PagedSite } from './fixtures/workers/paged-site.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('flow');
let site: PagedSite;
let config: VocConfig;
let app: App;
let workers: RunningWorkers;
let redis: RedisClient;
let queues: Queues;
const outDir = mkdtempSync(join(tmpdir(), 'voc-flow-out-'));

beforeAll(async () => {
  process.env.VOC_AUTHOR_SECRET = 'flow-test-secret-0123456789abcdef';
  site = await startPagedSite({
    targets: ['rep', 'loop', 'dead', 'fresh', 'tagged', 'drift'],
    etags: ['tagged'],
    pages: 5,
    postsPerPage: 4,
    // `loop`: page 5 links back to page 2; `rep` has 3 pages; `dead` has a page 3 that is gone.
    next: (target, page) => (target === 'loop' ? (page === 5 ? 2 : page + 1) : page < (target === 'rep' || target === 'tagged' ? 3 : 5) ? page + 1 : null),
    missing: ['/t/dead/3'],
  });
  config = parseConfig({
    timeZone: 'Asia/Shanghai',
    locale: 'en',
    dataDir: mkdtempSync(join(tmpdir(), 'voc-flow-')),
    crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0 },
    brands: [{ id: 'acme', name: 'Acme' }],
  });
  app = await openApp(config);
  workers = await startWorkers(app, env, { queues: ['crawl', 'classify', 'report'], concurrency: 2 });
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
});

afterAll(async () => {
  await workers?.close(5000);
  await queues?.close();
  redis?.disconnect();
  await app?.close();
  await site?.close();
  await dropPrefix(env.redisUrl, env.prefix);
});

function target(id: string): Target {
  return resolveTarget({ id, brand: 'acme', source: 'forum', url: site.startUrl(id), selectors: PAGED_SELECTORS, maxPages: 50, allowPrivate: true }, config, id);
}

describe('a queued crawl is one flow', () => {
  let firstRunId = '';

  it('crawls the pages, then classifies the new posts, then renders the report', async () => {
    const period = resolvePeriod('Asia/Shanghai', '2026-10');
    const spec: ReportSpec = { brand: 'acme', period: period.label, from: period.from, to: period.to, timeZone: 'Asia/Shanghai', locale: 'en', formats: ['html'] };
    const run = await runQueuedCrawl(app.store, env, [target('rep')], { report: { specs: [spec], outDir } });
    firstRunId = run.id;
    expect(run.kind).toBe('pipeline');
    expect(run.status).toBe('succeeded');
    expect(run.stats).toEqual({ pagesFetched: 3, postsNew: 12, postsUpdated: 0, postsUnchanged: 0, postsClassified: 12, errors: 0 });
    expect(existsSync(join(outDir, 'acme-2026-10-en.html'))).toBe(true);
    expect((await app.store.listReports('acme')).map((r) => r.period)).toEqual(['2026-10']);
    expect(await app.store.getRun(run.id)).toEqual(run);

    const progress = (await new RunTracker(redis, env.prefix).read(run.id))!;
    expect(progress).toMatchObject({ pagesQueued: 3, pagesDone: 3, batchesQueued: 3, batchesDone: 3, reportsDone: 1 });
    // The order of the flow: every page and batch finished before `finish` ran, `finish` before the report.
    const pages = (await queues.crawl.getCompleted()) as Job[];
    const batches = ((await queues.classify.getCompleted()) as Job[]).filter((j) => j.name === 'classify');
    const finish = (await queues.classify.getJob(finishJobId(run.id)))!;
    const report = (await queues.report.getJob(reportJobId(run.id)))!;
    expect(pages.filter((j) => (j.data as { runId: string }).runId === run.id)).toHaveLength(3);
    for (const child of [...pages, ...batches]) expect(child.finishedOn!).toBeLessThanOrEqual(finish.processedOn!);
    expect(finish.finishedOn!).toBeLessThanOrEqual(report.processedOn!);
  });

  it('a second run stops at the first page of posts stored before it, stores nothing twice and has nothing to classify', async () => {
    const run = await runQueuedCrawl(app.store, env, [target('rep')]);
    expect(run.id).not.toBe(firstRunId);
    expect(run.stats).toEqual({ pagesFetched: 1, postsNew: 0, postsUpdated: 0, postsUnchanged: 4, postsClassified: 0, errors: 0 });
    expect(await app.store.countPosts({ targetId: 'rep' })).toBe(12);
    const progress = (await new RunTracker(redis, env.prefix).read(run.id))!;
    expect(progress.batchesQueued).toBe(0);
    expect(progress.targets).toMatchObject([{ targetId: 'rep', stoppedBecause: 'known', stats: { pages: 1, postsNew: 0, postsUnchanged: 4, postsExtracted: 4, statuses: { '200': 1 } } }]);
  });

  it('an unchanged start page costs one conditional request and no write (ETag, 304)', async () => {
    let targets: QueuedTargetSummary[] = [];
    const first = await runQueuedCrawl(app.store, env, [target('tagged')], { onTargets: (t) => (targets = t) });
    expect(first.stats).toEqual({ pagesFetched: 3, postsNew: 12, postsUpdated: 0, postsUnchanged: 0, postsClassified: 12, errors: 0 });
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ targetId: 'tagged', stoppedBecause: 'no_next', stats: { pages: 3, notModified: 0, postsNew: 12, postsExtracted: 12, statuses: { '200': 3 }, errors: [] } });
    const state = (await app.store.getCrawlState('tagged'))!;
    expect(state.etags).toEqual({ [site.startUrl('tagged')]: { etag: '"tagged-1-v1"' } });

    const since = Date.now();
    const second = await runQueuedCrawl(app.store, env, [target('tagged')], { onTargets: (t) => (targets = t) });
    expect(second.status).toBe('succeeded');
    expect(second.stats).toEqual({ pagesFetched: 0, postsNew: 0, postsUpdated: 0, postsUnchanged: 0, postsClassified: 0, errors: 0 });
    expect(targets[0]).toMatchObject({ targetId: 'tagged', stoppedBecause: 'not_modified', stats: { pages: 0, notModified: 1, postsNew: 0, statuses: { '304': 1 } } });
    expect(site.requests.filter((r) => r.at >= since && r.path.startsWith('/t/tagged/')).map((r) => [r.path, r.status])).toEqual([['/t/tagged/1', 304]]);
    // Nothing written: the crawl state is the one the first run left, time included.
    expect(await app.store.getCrawlState('tagged')).toEqual(state);
    expect(await app.store.countPosts({ targetId: 'tagged' })).toBe(12);
  });

  it('--since: older posts are not stored, and a page of only older posts ends the crawl', async () => {
    // Shanghai 2026-10-05 00:00. Page p, post k is dated October 1 + ((p + k) % 28), 10:xx.
    const since = '2026-10-04T16:00:00.000Z';
    const run = await runQueuedCrawl(app.store, env, [target('fresh')], { since });
    expect(run.stats).toEqual({ pagesFetched: 5, postsNew: 2 + 3 + 4 + 4 + 4, postsUpdated: 0, postsUnchanged: 0, postsClassified: 17, errors: 0 });
    const stored = await app.store.queryPosts({ targetId: 'fresh' });
    expect(stored).toHaveLength(17);
    expect(stored.every((p) => p.publishedAt >= since)).toBe(true);
    const later = await runQueuedCrawl(app.store, env, [target('fresh')], { since: '2026-11-01T00:00:00.000Z' });
    expect(later.stats).toEqual({ pagesFetched: 1, postsNew: 0, postsUpdated: 0, postsUnchanged: 0, postsClassified: 0, errors: 0 });
  });

  it('moves the watermark to the newest dated post, and raises the drift alarm when the start page yields nothing after earlier crawls did', async () => {
    const first = await runQueuedCrawl(app.store, env, [target('drift')], { maxPages: 2 });
    expect(first.stats.postsNew).toBe(8);
    // Pages 1 and 2 date their posts October 3-6 and 4-7 (Shanghai), minutes (page * 4 + k) % 60.
    const state = (await app.store.getCrawlState('drift'))!;
    expect(state.watermark).toBe('2026-10-07T02:12:00.000Z');
    expect(JSON.parse((state as { crawler?: string }).crawler!)).toMatchObject({ watermarkId: 'drift-2-4', yields: [4] });

    site.empty('drift');
    let targets: QueuedTargetSummary[] = [];
    const second = await runQueuedCrawl(app.store, env, [target('drift')], { onTargets: (t) => (targets = t) });
    // As in-process: a start page the selectors find nothing on is the target's error, and the
    // target, with no post read and no 304, fails the run.
    expect(second.stats).toMatchObject({ pagesFetched: 1, postsNew: 0, errors: 1 });
    expect([second.status, second.failedTargets]).toEqual(['failed', ['drift']]);
    expect(targets[0]).toMatchObject({ stoppedBecause: 'empty_page', stats: { pages: 1, postsExtracted: 0 } });
    expect(targets[0]!.stats.errors.map((g) => [g.cause, g.count, g.urls])).toEqual([['extraction', 1, [`${site.url}/t/drift/1`]]]);
    expect(targets[0]!.stats.drift).toMatchObject({ previousYields: [4], message: expect.stringMatching(/^target drift yielded no post this time after 4 on its last crawls; .*the page is saved in /) });
    expect(existsSync(targets[0]!.stats.drift!.snapshot!)).toBe(true);
  });

  it('queues a page once per run even when a next link points back into the crawl', async () => {
    const since = Date.now();
    const run = await runQueuedCrawl(app.store, env, [target('loop')]);
    expect(run.stats).toEqual({ pagesFetched: 5, postsNew: 20, postsUpdated: 0, postsUnchanged: 0, postsClassified: 20, errors: 0 });
    expect(site.requests.filter((r) => r.at >= since && r.path === '/t/loop/2')).toHaveLength(1);
    expect((await new RunTracker(redis, env.prefix).read(run.id))!.pagesQueued).toBe(5);
  });

  it('records a page that cannot be fetched as a run error, without retrying it or holding the run', async () => {
    const run = await runQueuedCrawl(app.store, env, [target('dead')]);
    expect(run.status).toBe('succeeded');
    expect(run.stats).toEqual({ pagesFetched: 2, postsNew: 8, postsUpdated: 0, postsUnchanged: 0, postsClassified: 8, errors: 1 });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^dead: ${site.url.replace(/[.]/g, '\\.')}/t/dead/3: .*404`));
    // The same line in Chinese, for `voc runs show` and the console in Chinese.
    expect(run.errorsZh).toEqual([`dead: ${site.url}/t/dead/3：${site.url}/t/dead/3 返回 HTTP 404 Not Found`]);
    // Per target: the two pages fetched, and the page that failed grouped by cause.
    const progress = (await new RunTracker(redis, env.prefix).read(run.id))!;
    expect(progress.targets).toMatchObject([{ targetId: 'dead', stoppedBecause: 'error', stats: { pages: 2, postsNew: 8, statuses: { '200': 2 } } }]);
    expect(progress.targets[0]!.stats.errors).toEqual([
      { cause: 'http_404', count: 1, message: expect.stringMatching(/404/), zh: `${site.url}/t/dead/3 返回 HTTP 404 Not Found`, urls: [`${site.url}/t/dead/3`] },
    ]);
    const failed = (await queues.crawl.getFailed()) as Job[];
    expect(failed.map((j) => [j.attemptsMade, (j.data as { url: string }).url])).toEqual([[1, `${site.url}/t/dead/3`]]);
  });
});

describe('the run tracker\'s error lines', () => {
  it('keep each line\'s Chinese and detail beside it, and drop them when a later line of the job has none', async () => {
    const tracker = new RunTracker(redis, env.prefix);
    const runId = 'tracker-errors';
    await tracker.start({ id: runId, kind: 'crawl', targetIds: ['t'], startedAt: '2026-10-01T00:00:00.000Z' });
    const detail = { targetId: 't', url: 'https://a/1', cause: 'http_404', message: 'HTTP 404 Not Found from https://a/1', zh: 'https://a/1 返回 HTTP 404 Not Found' };
    await tracker.recordError(runId, 'job-1', 't: https://a/1: HTTP 404', false, detail, 't：https://a/1 返回 HTTP 404');
    await tracker.recordError(runId, 'job-2', 'b: timeout', false, undefined, 'b：超时');
    let progress = (await tracker.read(runId))!;
    expect([progress.run.errors, progress.run.errorsZh]).toEqual([
      ['b: timeout', 't: https://a/1: HTTP 404'],
      ['b：超时', 't：https://a/1 返回 HTTP 404'],
    ]);
    expect(progress.targets[0]!.stats.errors).toEqual([{ cause: 'http_404', count: 1, message: detail.message, zh: detail.zh, urls: ['https://a/1'] }]);
    // onlyIfAbsent keeps the line there; a replacing line without Chinese or detail drops the old ones.
    await tracker.recordError(runId, 'job-2', 'b: other', true, undefined, 'b：其他');
    await tracker.recordError(runId, 'job-1', 't: gave up', false);
    progress = (await tracker.read(runId))!;
    expect([progress.run.errors, progress.run.errorsZh]).toEqual([
      ['b: timeout', 't: gave up'],
      ['b：超时', 't: gave up'],
    ]);
    expect(progress.targets[0]!.stats.errors).toEqual([]);
  });
});
