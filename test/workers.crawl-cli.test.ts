/**
 * `voc crawl` with REDIS_URL end to end: the real binary (dist/, run as the other CLI tests run
 * it) enqueues on a real Redis under a key prefix of this file, a worker (what `voc worker` runs,
 * started in this process so its job events can be awaited) crawls a loopback forum whose pages
 * and posts are known, and the figures the command prints are exact:
 *
 *  - the summary table row of a queued crawl (pages, new posts, HTTP statuses, stop reason), the
 *    posts in the store afterwards;
 *  - `--json`: one object with each target's summary and the total; a second run is incremental
 *    (a 304 on the ETag target, stored posts on the other) and costs one request per target;
 *  - `--detach` returns a run id at once; `voc runs show ID` follows it: "running" while a page is
 *    held in flight, the final table once the run's `finish` job is done, and from the store
 *    without Redis.
 *
 * Then, without processes, how a target with no stop reason reads while its run is active.
 *
 * Nothing waits on time: a held page, the worker's job events and the run's `finish` job are the
 * signals, each with a bound that fails with a message saying what did not happen.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../core/config.js';
import { emptyTargetStats } from '../crawlers/stats.js';
import { openApp, type App } from '../cli/app.js';
import { crawlJobId, finishJobId } from '../workers/job-ids.js';
import { readTargetTotals } from '../workers/target-totals.js';
import { crawlReportJson, renderSummaryTable, summaryOfQueuedTarget } from '../cli/crawl-output.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { assertBuilt, runVoc, type CliResult } from './helpers/cli.js';
import { startPagedSite, PAGED_SELECTORS, type PagedSite } from './fixtures/workers/paged-site.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const SECRET = 'crawl-cli-test-secret-0123456789abcdef';
const env = testQueueEnv('crawl-cli');
/** A bound, not a pace: each wait below ends on an event long before this on a healthy machine. */
const WAIT_MS = 60_000;
/** Several runs of the real binary: generous on a busy 2-core machine. */
const TIMEOUT = 180_000;

const dir = mkdtempSync(join(tmpdir(), 'voc-crawl-queued-'));
const configFile = join(dir, 'voc.config.yaml');
let site: PagedSite;
let app: App;
let workers: RunningWorkers;

/** Every line the worker reported (`crawl <job id> done`, ...), and an emitter of each new one. */
const events: string[] = [];
const emitter = new EventEmitter();

beforeAll(async () => {
  assertBuilt();
  process.env.VOC_AUTHOR_SECRET = SECRET;
  // Three targets of 3 pages x 4 posts: `shop` answers 304 to its own ETag, `board` has no
  // validators (a re-crawl stops at stored posts), `slow` is the detached run's.
  site = await startPagedSite({ targets: ['shop', 'board', 'slow'], etags: ['shop'], pages: 3, postsPerPage: 4 });
  writeFileSync(
    configFile,
    stringify({
      timeZone: 'Asia/Shanghai',
      dataDir: join(dir, 'data'),
      crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0 },
      brands: [{ id: 'acme', name: 'Acme' }],
      targets: ['shop', 'board', 'slow'].map((id) => ({ id, brand: 'acme', source: 'forum', url: site.startUrl(id), selectors: PAGED_SELECTORS, allowPrivate: true })),
    }),
  );
  app = await openApp(loadConfig(configFile).config);
  workers = await startWorkers(app, env, {
    queues: ['crawl', 'classify', 'report'],
    concurrency: 2,
    onEvent: (line) => {
      events.push(line);
      emitter.emit('line', line);
    },
  });
});

afterAll(async () => {
  await workers?.close(5000);
  await app?.close();
  await site?.close();
  await dropPrefix(env.redisUrl, env.prefix);
  rmSync(dir, { recursive: true, force: true });
});

/** `voc --lang en <args>` with the queue of this file (or without REDIS_URL: `redis: false`). */
function voc(args: string[], opts: { redis?: boolean } = {}): Promise<CliResult> {
  const queue = opts.redis === false ? { REDIS_URL: '' } : { REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix };
  return runVoc(['--config', configFile, '--lang', 'en', ...args], { env: { ...queue, VOC_AUTHOR_SECRET: SECRET } });
}

/** `voc <args>` that must succeed quietly; its stdout lines. */
async function vocOk(args: string[], opts: { redis?: boolean } = {}): Promise<string[]> {
  const r = await voc(args, opts);
  expect(r.stderr, `voc ${args.join(' ')}`).toBe('');
  expect(r.code, `voc ${args.join(' ')}`).toBe(0);
  return r.stdout.trimEnd().split('\n');
}

/** Resolves with the first worker line (reported already, or to come) matching `pattern`. */
function workerEvent(pattern: RegExp, what: string): Promise<string> {
  const seen = events.find((l) => pattern.test(l));
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off('line', onLine);
      reject(new Error(`no worker event ${pattern} within ${WAIT_MS / 1000} s (${what}); last events: ${events.slice(-5).join(' | ')}`));
    }, WAIT_MS);
    const onLine = (line: string) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      emitter.off('line', onLine);
      resolve(line);
    };
    emitter.on('line', onLine);
  });
}

/** A promise that fails with `what` when it is not settled within the bound. */
function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${WAIT_MS / 1000} s`)), WAIT_MS)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** The cells of a summary-table line (columns are separated by two spaces or more). */
const cells = (line: string) => line.trim().split(/\s{2,}/);
/** The polite-wait cell: no delay is configured, but the pacer's few ms are not fixed. */
const WAIT = expect.stringMatching(/^\d+\.\d s$/);
const HEADER = ['target', 'pages', 'new', 'updated', 'duplicate', 'near-dup', 'HTTP statuses', 'retries', 'polite wait', 'errors', 'stopped'];
/** Requests for a target's pages from `index` on, with the status each was answered. */
const pageRequests = (target: string, index: number) => site.requests.slice(index).filter((r) => r.path.startsWith(`/t/${target}/`)).map((r) => [r.path, r.status]);

interface TargetJson {
  targetId: string;
  pages: number;
  posts: number;
  errors: unknown[];
  stoppedBecause: string | null;
  running?: boolean;
  outcome?: string;
  stats: Record<string, unknown>;
}

/** A target's stats as a queued run reports them: every counter, zero unless given. */
function stats(startedAt: string, figures: Record<string, unknown>): Record<string, unknown> {
  return {
    ...emptyTargetStats(startedAt),
    // The shared pacer's bookkeeping can take a few ms even with no delay configured.
    politenessWaitMs: expect.any(Number),
    ...figures,
  };
}

describe('voc crawl with REDIS_URL', () => {
  it('prints the summary table of the queued run, and the posts are in the store', async () => {
    const from = site.requests.length;
    const lines = await vocOk(['crawl', 'shop']);
    expect(lines).toHaveLength(5);
    expect(cells(lines[0]!)).toEqual(HEADER);
    expect(lines[1]).toMatch(/^[─ ]+$/);
    expect(cells(lines[2]!)).toEqual(['shop', '3', '12', '0', '0', '0', '200×3', '0', WAIT, '0', 'no next page']);
    expect(lines[3]).toBe('Classified 12 posts');
    expect(lines[4]).toMatch(/^Run \S+ \(crawl\): succeeded$/);
    expect(pageRequests('shop', from)).toEqual([
      ['/t/shop/1', 200],
      ['/t/shop/2', 200],
      ['/t/shop/3', 200],
    ]);
    const stored = (await app.store.queryPosts({ targetId: 'shop' })).map((p) => p.externalId).sort();
    expect(stored).toEqual(site.allExternalIds().filter((id) => id.startsWith('shop-')));
  }, TIMEOUT);

  it('--json: each target and the total, exact; the second run of a target is incremental', async () => {
    const from = site.requests.length;
    const [line, ...rest] = await vocOk(['crawl', 'shop', 'board', '--json']);
    expect(rest).toEqual([]); // one JSON object, nothing else
    const out = JSON.parse(line!) as { id: string; status: string; startedAt: string; stats: Record<string, number>; targets: TargetJson[]; total: Record<string, unknown> };
    expect(out.status).toBe('succeeded');
    expect(out.stats).toEqual({ pagesFetched: 3, postsNew: 12, postsUpdated: 0, postsUnchanged: 0, postsClassified: 12, errors: 0 });
    const bytes = (out.targets[1]?.stats.bytes as number) ?? 0;
    expect(bytes).toBeGreaterThan(0);
    expect(out.targets).toEqual([
      // Crawled before: its start page answers 304 to the stored ETag, and the chain ends there.
      { targetId: 'shop', pages: 0, posts: 0, errors: [], stoppedBecause: 'not_modified', outcome: 'unchanged', stats: stats(out.startedAt, { notModified: 1, statuses: { '304': 1 } }) },
      { targetId: 'board', pages: 3, posts: 12, errors: [], stoppedBecause: 'no_next', outcome: 'ok', stats: stats(out.startedAt, { pages: 3, postsExtracted: 12, postsNew: 12, statuses: { '200': 3 }, bytes }) },
    ]);
    expect(out.total).toMatchObject({ pages: 3, notModified: 1, postsExtracted: 12, postsNew: 12, postsUnchanged: 0, statuses: { '200': 3, '304': 1 }, retries: 0, errors: [] });
    expect(pageRequests('shop', from)).toEqual([['/t/shop/1', 304]]);
    expect(pageRequests('board', from)).toEqual([
      ['/t/board/1', 200],
      ['/t/board/2', 200],
      ['/t/board/3', 200],
    ]);

    // No validators on `board`: the next run reads its first page, finds only stored posts, stops.
    const again = site.requests.length;
    const table = await vocOk(['crawl', 'board']);
    expect(cells(table[2]!)).toEqual(['board', '1', '0', '0', '4', '0', '200×1', '0', WAIT, '0', 'reached stored posts']);
    expect(table.slice(3, 4)).toEqual(['Classified 0 posts']);
    expect(pageRequests('board', again)).toEqual([['/t/board/1', 200]]);
    expect(await app.store.countPosts({ targetId: 'board' })).toBe(12);
    expect(await app.store.countPosts({ targetId: 'shop' })).toBe(12);
  }, TIMEOUT);

  it('--detach returns a run id; `voc runs show` shows it running, then finished, then from the store', async () => {
    // Page 2 is held in flight, so the run is surely going when it is shown.
    const held = site.hold('slow', 2);
    try {
      const detached = await vocOk(['crawl', 'slow', '--detach']);
      expect(detached).toHaveLength(3);
      expect(detached[0]).toMatch(/^Crawl finished: \d pages, \d new, 0 updated, 0 unchanged posts, 0 errors$/);
      const runId = /^Run (\S+) \(crawl\): running$/.exec(detached[2]!)?.[1];
      expect(runId, detached[2]).toBeDefined();

      // Page 1's job is done (its figures recorded) and page 2 is being fetched.
      await bounded(held.arrived, 'the request for page 2 of slow');
      await workerEvent(new RegExp(`^crawl ${crawlJobId(runId!, 'slow', site.startUrl('slow'))} done$`), 'page 1 of slow');
      const live = await vocOk(['runs', 'show', runId!]);
      expect(live[0]).toBe(`Run ${runId} (crawl): running`);
      expect(live[1]).toMatch(/^ {2}pages 1\/2 · classification batches [01]\/1$/);
      expect(live[2]).toBe('  Crawl finished: 1 pages, 4 new, 0 updated, 0 unchanged posts, 0 errors');
      // The start time in the config's time zone (Asia/Shanghai by default), to the minute.
      expect(live[4]).toMatch(/^ {2}started \d{4}-\d{2}-\d{2} \d{2}:\d{2} · finished -$/);
      expect(cells(live[5]!)).toEqual(HEADER);
      expect(cells(live[7]!)).toEqual(['slow', '1', '4', '0', '0', '0', '200×1', '0', WAIT, '0', 'running']);
      expect(live).toHaveLength(8);
      const liveJson = JSON.parse((await vocOk(['runs', 'show', runId!, '--json']))[0]!) as { run: { status: string }; progress: { targets: TargetJson[] } };
      expect(liveJson.run.status).toBe('running');
      expect(liveJson.progress.targets).toEqual([
        { targetId: 'slow', stoppedBecause: null, running: true, stats: expect.objectContaining({ pages: 1, postsNew: 4, statuses: { '200': 1 } }) },
      ]);

      const finished = workerEvent(new RegExp(`^classify ${finishJobId(runId!)} done$`), 'the finish job of the detached run');
      held.release();
      await finished;
      const over = await vocOk(['runs', 'show', runId!]);
      expect(over[0]).toBe(`Run ${runId} (crawl): succeeded`);
      expect(over[1]).toBe('  pages 3/3 · classification batches 3/3');
      expect(over[2]).toBe('  Crawl finished: 3 pages, 12 new, 0 updated, 0 unchanged posts, 0 errors');
      expect(over[3]).toBe('  Classified 12 posts');
      expect(cells(over[7]!)).toEqual(['slow', '3', '12', '0', '0', '0', '200×3', '0', WAIT, '0', 'no next page']);
      const overJson = JSON.parse((await vocOk(['runs', 'show', runId!, '--json']))[0]!) as { progress: { targets: TargetJson[] } };
      expect(overJson.progress.targets[0]).toMatchObject({ targetId: 'slow', stoppedBecause: 'no_next', stats: { pages: 3 } });
      expect(overJson.progress.targets[0]).not.toHaveProperty('running');

      // The finish job saved the run: without Redis, the store has it.
      const fromStore = JSON.parse((await vocOk(['runs', 'show', runId!, '--json'], { redis: false }))[0]!) as { run: { id: string; status: string; stats: Record<string, number> }; progress: null };
      expect(fromStore.progress).toBeNull();
      expect(fromStore.run).toMatchObject({ id: runId, status: 'succeeded', stats: { pagesFetched: 3, postsNew: 12, postsClassified: 12, errors: 0 } });
      expect(await app.store.countPosts({ targetId: 'slow' })).toBe(12);
    } finally {
      held.release();
    }
  }, TIMEOUT);
});

describe('a queued target that has not stopped yet', () => {
  const startedAt = '2026-12-05T00:00:00.000Z';
  // Two pages of `forum` recorded, no stop reason; `feed` ended on a 304; a page of `dead` failed for good.
  const totals = { 't:forum:pages': '2', 't:forum:postsNew': '8', 't:forum:status:200': '2', 't:feed:notModified': '1', 't:feed:status:304': '1', 't:feed:stop:not_modified': '1' };
  const errors = [{ targetId: 'dead', cause: 'http_404', url: 'http://x/t/dead/1', message: 'HTTP 404' }];

  it('is running while the run is active, and "no next page" once it is over; stopped targets keep their reason', () => {
    const live = readTargetTotals(['forum', 'feed', 'dead'], totals, errors, startedAt, 'running');
    expect(live.map((t) => [t.targetId, t.stoppedBecause, t.running])).toEqual([
      ['forum', null, true],
      ['feed', 'not_modified', undefined],
      ['dead', 'error', undefined],
    ]);
    const over = readTargetTotals(['forum', 'feed', 'dead'], totals, errors, startedAt);
    expect(over.map((t) => [t.targetId, t.stoppedBecause, 'running' in t])).toEqual([
      ['forum', undefined, false],
      ['feed', 'not_modified', false],
      ['dead', 'error', false],
    ]);
    expect(summaryOfQueuedTarget(over[0]!).stoppedBecause).toBe('no_next');
    // A cancelled run: what had not stopped was stopped by the cancel.
    const cancelled = readTargetTotals(['forum', 'feed', 'dead'], totals, errors, startedAt, 'cancelled');
    expect(cancelled.map((t) => [t.targetId, t.stoppedBecause])).toEqual([
      ['forum', 'aborted'],
      ['feed', 'not_modified'],
      ['dead', 'error'],
    ]);
  });

  it('shows "running" / "进行中" in the table and `stoppedBecause: null, running: true` in --json', () => {
    const rows = readTargetTotals(['forum', 'feed'], totals, [], startedAt, 'running').map((t) => ({ targetId: t.targetId, summary: summaryOfQueuedTarget(t) }));
    const en = renderSummaryTable(rows, 'en').split('\n');
    expect(cells(en[2]!)).toEqual(['forum', '2', '8', '0', '0', '0', '200×2', '0', '0.0 s', '0', 'running']);
    expect(cells(en[3]!)).toEqual(['feed', '0', '0', '0', '0', '0', '304×1', '0', '0.0 s', '0', 'not modified (304)']);
    expect(cells(en[5]!)).toEqual(['total', '2', '8', '0', '0', '0', '200×2 304×1', '0', '0.0 s', '0']);
    const zh = renderSummaryTable(rows, 'zh-CN').split('\n');
    expect(cells(zh[2]!).at(-1)).toBe('进行中');
    expect(cells(zh[3]!).at(-1)).toBe('未变化 (304)');
    const json = JSON.parse(JSON.stringify(crawlReportJson(rows))) as { targets: TargetJson[] };
    expect(json.targets.map((t) => [t.targetId, t.stoppedBecause, t.running])).toEqual([
      ['forum', null, true],
      ['feed', 'not_modified', undefined],
    ]);
  });
});
