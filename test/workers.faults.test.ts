/**
 * Fault tests with real components: `voc worker` processes (real Redis, a loopback forum whose
 * content is known, the embedded store) and what goes wrong in production. In every case every
 * page is processed, every post stored exactly once, and the run's figures are exact:
 *
 *  - SIGKILL of one of two workers in the middle of a 200-page crawl (stalled-job recovery);
 *  - Redis stopped and restarted mid-crawl (a redis-server of the test's own, with persistence);
 *  - the store failing for 10 seconds (another process holds SQLite's write lock): jobs fail, are
 *    retried with backoff and succeed;
 *  - SIGTERM with a page in flight: the worker exits within its bound and hands the job back;
 *  - politeness across two worker processes: one host's delay is kept by both together, and
 *    waiting jobs are moved to BullMQ's delayed set instead of sleeping in a worker slot.
 *
 * The tests of this file run one after the other (each spawns processes; in parallel they would
 * mostly measure each other).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { loadConfig, parseConfig, resolveTarget, type VocConfig } from '../core/config.js';
import type { Target } from '../core/types.js';
import { openApp, type App } from '../cli/app.js';
import { EmbeddedStore, EMBEDDED_DB_FILE, openEmbeddedStore } from '../store/embedded.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import type { QueueEnv } from '../workers/redis.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { assertBuilt, ROOT } from './helpers/cli.js';
import { startPagedSite, PAGED_SELECTORS, type PagedSite } from './fixtures/workers/paged-site.js';
import { startWorker, type VocProcess } from './fixtures/workers/processes.js';
import { dropPrefix, freePort, PrivateRedis, testQueueEnv } from './fixtures/workers/redis.js';

const SECRET = 'faults-test-secret-0123456789abcdef';
/** A safety net only: alone, each test takes 15-40 s; a loaded 2-core machine can double that. */
const TIMEOUT = 120_000;
const running: VocProcess[] = [];

beforeAll(() => {
  assertBuilt();
  process.env.VOC_AUTHOR_SECRET = SECRET;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

/** A config of the forum's targets, with a data directory of its own. */
function writeConfig(site: PagedSite, label: string, targets: string[], pages: number, delayMs = 0): { configFile: string; dataDir: string; config: VocConfig } {
  const dir = mkdtempSync(join(tmpdir(), `voc-${label}-`));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'voc.config.yaml');
  writeFileSync(
    configFile,
    stringify({
      timeZone: 'Asia/Shanghai',
      dataDir,
      crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: delayMs },
      brands: [{ id: 'acme', name: 'Acme' }],
      targets: targets.map((t) => ({ id: t, brand: 'acme', source: 'forum', url: site.startUrl(t), selectors: PAGED_SELECTORS, maxPages: pages, allowPrivate: true })),
    }),
  );
  return { configFile, dataDir, config: loadConfig(configFile).config };
}

function targetsOf(config: VocConfig): Target[] {
  return config.targets.map((t, i) => resolveTarget(t, config, `targets.${i}`));
}

/** The producer in this process (`voc crawl` does the same): enqueue the run and wait for it. */
async function crawlHere(config: VocConfig, env: QueueEnv) {
  const store = openEmbeddedStore(config.dataDir);
  try {
    return await runQueuedCrawl(store, env, targetsOf(config));
  } finally {
    await store.close();
  }
}

/** Every post of the site stored exactly once, and classified. */
async function expectEveryPostOnce(site: PagedSite, dataDir: string): Promise<void> {
  const store = openEmbeddedStore(dataDir);
  try {
    const posts = await store.queryPosts({});
    const expected = site.allExternalIds();
    expect(posts).toHaveLength(expected.length);
    expect(new Set(posts.map((p) => p.id)).size).toBe(expected.length);
    expect(posts.map((p) => p.externalId).sort()).toEqual(expected);
    expect(await store.getClassifications(posts.map((p) => p.id))).toHaveLength(expected.length);
  } finally {
    await store.close();
  }
}

/** Every listing page of `target` requested since `since` (at least once). */
function expectEveryPageRequested(site: PagedSite, target: string, pages: number, since: number): void {
  const paths = new Set(site.requests.filter((r) => r.at >= since).map((r) => r.path));
  for (let n = 1; n <= pages; n++) expect(paths.has(`/t/${target}/${n}`), `page ${n}`).toBe(true);
}

function activeOn(site: PagedSite, target: string, page: number): RegExp {
  const url = `${site.url}/t/${target}/${page}`.replace(/[.]/g, '\\.');
  return new RegExp(`^crawl \\S+ active ${url}$`);
}

describe('crashes and outages during a 200-page crawl', () => {
  const PAGES = 200;
  const PER_PAGE = 5;
  let site: PagedSite;
  beforeAll(async () => {
    site = await startPagedSite({ targets: ['forum'], pages: PAGES, postsPerPage: PER_PAGE });
  });
  afterAll(async () => {
    await site.close();
  });
  const exact = { pagesFetched: PAGES, postsNew: PAGES * PER_PAGE, postsUpdated: 0, postsUnchanged: 0, postsClassified: PAGES * PER_PAGE, errors: 0 };

  describe('a worker killed with SIGKILL', () => {
    const env = testQueueEnv('kill9');
    afterAll(() => dropPrefix(env.redisUrl, env.prefix));

    it('has its page picked up by the other worker: all 200 pages processed, every post stored once', async () => {
      const { configFile, dataDir, config } = writeConfig(site, 'kill9', ['forum'], PAGES);
      const vars = { REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix, VOC_AUTHOR_SECRET: SECRET };
      const since = Date.now();
      const held = site.hold('forum', 60);
      // A short lock so that the killed worker's job is recovered within seconds.
      const workers = await Promise.all([1, 2].map(() => startWorker(configFile, vars, ['--concurrency', '2', '--lock-duration', '2000'])));
      running.push(...workers);
      // The producer runs here (`voc crawl` with workers is covered by workers.queue.test.ts).
      const crawl = crawlHere(config, env);

      await held.arrived;
      const on60 = activeOn(site, 'forum', 60);
      const victim = await Promise.race(workers.map((w) => w.waitFor(on60).then(() => w)));
      const survivor = workers.find((w) => w !== victim)!;
      await victim.stop('SIGKILL');
      held.release();

      const run = await crawl;
      expect(run.status).toBe('succeeded');
      expect(run.stats).toEqual(exact);
      expect(run.errors).toEqual([]);
      // Page 60 was asked for twice: by the worker that died holding it, then by the survivor.
      expect(site.requests.filter((r) => r.at >= since && r.path === '/t/forum/60')).toHaveLength(2);
      expect(survivor.lines.some((l) => on60.test(l))).toBe(true);
      expectEveryPageRequested(site, 'forum', PAGES, since);
      await expectEveryPostOnce(site, dataDir);
    }, TIMEOUT);
  });

  describe('Redis stopped and restarted', () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
    });
    afterAll(async () => {
      await redis?.stop('SIGKILL');
    });

    it('workers and the waiting producer reconnect, and the run completes with nothing lost', async () => {
      const { configFile, dataDir, config } = writeConfig(site, 'redis-restart', ['forum'], PAGES);
      const env: QueueEnv = { redisUrl: redis.url, prefix: 'voc' };
      const vars = { REDIS_URL: redis.url, VOC_QUEUE_PREFIX: 'voc', VOC_AUTHOR_SECRET: SECRET };
      const since = Date.now();
      const held = site.hold('forum', 80);
      const workers = await Promise.all([1, 2].map(() => startWorker(configFile, vars, ['--concurrency', '2'])));
      running.push(...workers);
      const crawl = crawlHere(config, env);

      await held.arrived;
      await redis.stop();
      await redis.start(); // same port, same append-only file: the queues come back as they were
      held.release();

      const run = await crawl;
      expect(run.status).toBe('succeeded');
      expect(run.stats).toEqual(exact);
      expectEveryPageRequested(site, 'forum', PAGES, since);
      await expectEveryPostOnce(site, dataDir);
      for (const w of workers) expect(w.child.exitCode).toBe(null); // both lived through it
    }, TIMEOUT);
  });
});

describe('the store failing for 10 seconds', () => {
  const env = testQueueEnv('storefail');
  let site: PagedSite;
  let app: App | undefined;
  let store: EmbeddedStore | undefined;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    site = await startPagedSite({ targets: ['forum'], pages: 60, postsPerPage: 5 });
  });
  afterAll(async () => {
    await workers?.close(5000);
    await store?.close();
    await app?.close();
    await site.close();
    await dropPrefix(env.redisUrl, env.prefix);
  });

  it('makes jobs fail; they retry with backoff and succeed, and no post is lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voc-storefail-'));
    const config = parseConfig({
      timeZone: 'Asia/Shanghai',
      dataDir,
      crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0 },
      brands: [{ id: 'acme', name: 'Acme' }],
      targets: [{ id: 'forum', brand: 'acme', source: 'forum', url: site.startUrl('forum'), selectors: PAGED_SELECTORS, maxPages: 60, allowPrivate: true }],
    });
    app = await openApp(config); // creates and migrates the store
    // The workers' store: the same SQLite file, waiting at most 500 ms for the lock, so that a
    // locked database makes writes fail (SQLITE_BUSY) instead of queueing for the default 30 s.
    const file = join(dataDir, EMBEDDED_DB_FILE);
    const db = new Database(file, { timeout: 500 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    store = new EmbeddedStore(db, file);
    const failures: string[] = [];
    workers = await startWorkers({ ...app, store }, env, {
      queues: ['crawl', 'classify', 'report'],
      concurrency: 2,
      onEvent: (line) => {
        if (/ failed \(attempt/.test(line)) failures.push(line);
      },
    });

    const held = site.hold('forum', 30);
    const run = runQueuedCrawl(app.store, env, targetsOf(config));
    await held.arrived;
    // Another process takes SQLite's write lock and keeps it 10 s.
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN EXCLUSIVE'); console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); console.log('released'); }, 10000);`,
        file,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lockerLines = createInterface({ input: locker.stdout! });
    await new Promise<void>((resolve) => lockerLines.on('line', (l) => l === 'locked' && resolve()));
    const released = new Promise<number>((resolve) => lockerLines.on('line', (l) => l === 'released' && resolve(Date.now())));
    held.release();

    const result = await run;
    const releasedAt = await released;
    expect(result.status).toBe('succeeded');
    expect(result.stats).toEqual({ pagesFetched: 60, postsNew: 300, postsUpdated: 0, postsUnchanged: 0, postsClassified: 300, errors: 0 });
    // The writes really failed while the lock was held, and the run only ended after it was released.
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((l) => /the data store .*voc\.sqlite stayed locked by another process for 0\.5 s, so nothing of this write was saved/.test(l))).toBe(true);
    expect(Date.parse(result.finishedAt!)).toBeGreaterThan(releasedAt);
    await expectEveryPostOnce(site, dataDir);
  }, TIMEOUT);
});

describe('SIGTERM with a page in flight', () => {
  const env = testQueueEnv('sigterm');
  let site: PagedSite;
  beforeAll(async () => {
    site = await startPagedSite({ targets: ['forum'], pages: 20, postsPerPage: 5 });
  });
  afterAll(async () => {
    await site.close();
    await dropPrefix(env.redisUrl, env.prefix);
  });

  it('exits within its bound, hands the job back, and the other worker finishes the run', async () => {
    const { configFile, config } = writeConfig(site, 'sigterm', ['forum'], 20);
    const vars = { REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix, VOC_AUTHOR_SECRET: SECRET };
    const held = site.hold('forum', 10);
    const workers = await Promise.all([1, 2].map(() => startWorker(configFile, vars, ['--concurrency', '1', '--shutdown-timeout', '2'])));
    running.push(...workers);
    const crawl = crawlHere(config, env);
    await held.arrived;
    const on10 = activeOn(site, 'forum', 10);
    const stopping = await Promise.race(workers.map((w) => w.waitFor(on10).then(() => w)));
    const other = workers.find((w) => w !== stopping)!;

    const t = Date.now();
    expect(await stopping.stop('SIGTERM')).toBe(0);
    const took = Date.now() - t;
    expect(took).toBeGreaterThanOrEqual(2000); // the job had its 2 s
    expect(took).toBeLessThan(10_000); // and then the worker stopped, not waiting for the page forever
    expect(stopping.lines).toContain('Stopping worker: waiting for in-flight jobs…');
    expect(stopping.lines.filter((l) => /^crawl \S+ handed back$/.test(l))).toHaveLength(1);
    expect(stopping.lines.at(-1)).toBe('worker stopped');
    held.release();

    const run = await crawl;
    expect(run.stats).toEqual({ pagesFetched: 20, postsNew: 100, postsUpdated: 0, postsUnchanged: 0, postsClassified: 100, errors: 0 });
    await other.waitFor(on10); // the handed-back page was taken by the other worker
  }, TIMEOUT);
});

describe('politeness across two worker processes', () => {
  const env = testQueueEnv('polite');
  let site: PagedSite;
  beforeAll(async () => {
    site = await startPagedSite({ targets: ['a', 'b', 'c', 'd'], pages: 5, postsPerPage: 3 });
  });
  afterAll(async () => {
    await site.close();
    await dropPrefix(env.redisUrl, env.prefix);
  });

  it("keeps one host's delay across all workers, delaying jobs instead of sleeping in their slots", async () => {
    const DELAY = 250;
    const { configFile, config } = writeConfig(site, 'polite', ['a', 'b', 'c', 'd'], 5, DELAY);
    const vars = { REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix, VOC_AUTHOR_SECRET: SECRET };
    const workers = await Promise.all([1, 2].map(() => startWorker(configFile, vars, ['--concurrency', '4'])));
    running.push(...workers);
    const since = Date.now();
    const run = await crawlHere(config, env);
    expect(run.stats).toEqual({ pagesFetched: 20, postsNew: 60, postsUpdated: 0, postsUnchanged: 0, postsClassified: 60, errors: 0 });

    const pages = site.requests.filter((r) => r.at >= since && r.path.startsWith('/t/')).map((r) => r.at).sort((x, y) => x - y);
    expect(pages).toHaveLength(20);
    const gaps = pages.slice(1).map((at, i) => at - pages[i]!);
    // Starts are spaced on Redis' clock; arrival is stamped here, when this (busy) process gets to
    // the request: some jitter per gap, but none over the whole crawl, and no two requests close
    // together (two workers pacing on their own would send them at the same instant).
    // A stall of this process can bunch two arrivals into one tick, so allow two short gaps; two
    // workers pacing on their own would give about ten (every other request at once).
    expect(gaps.filter((g) => g < DELAY / 2).length).toBeLessThanOrEqual(2);
    expect([...gaps].sort((x, y) => x - y)[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(DELAY - 10);
    expect(pages.at(-1)! - pages[0]!).toBeGreaterThanOrEqual(19 * DELAY - 40);
    // Both workers fetched, and jobs waited in the delayed set rather than in a slot.
    for (const w of workers) expect(w.lines.some((l) => /^crawl \S+ active /.test(l))).toBe(true);
    expect(workers.flatMap((w) => w.lines).filter((l) => /^crawl \S+ delayed \d+ms$/.test(l)).length).toBeGreaterThan(0);
  }, TIMEOUT);
});
