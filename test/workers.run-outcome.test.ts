/**
 * The queued flow ends a run with the same status as an in-process crawl of the same targets
 * (workers/run-outcome.ts): a target that failed (errors, no post read, no 304) fails the run and
 * is named in `failedTargets`, in Redis, in the store and for `voc runs show`; an unchanged
 * target (304) does not; `refetch` sends no validators. Workers in this process, real Redis under
 * its own prefix, a static forum on 127.0.0.1, the embedded store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, resolveTarget, type VocConfig } from '../core/config.js';
import type { Run, Target } from '../core/types.js';
import { openApp, type App } from '../cli/app.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { RunTracker } from '../workers/run-tracker.js';
import type { QueuedTargetSummary } from '../workers/target-totals.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import type { TestServer } from './crawler.server.js';
import { LAST_MODIFIED, startOutcomeSite } from './crawler.outcome-site.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('outcome');
let site: TestServer;
let config: VocConfig;
let app: App;
let workers: RunningWorkers;
let redis: RedisClient;

beforeAll(async () => {
  process.env.VOC_AUTHOR_SECRET = 'outcome-queue-secret-0123456789abcdef';
  site = await startOutcomeSite();
  config = parseConfig({
    timeZone: 'Asia/Shanghai',
    dataDir: mkdtempSync(join(tmpdir(), 'voc-outcome-q-')),
    crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0 },
    brands: [{ id: 'acme', name: 'Acme' }],
  });
  app = await openApp(config);
  workers = await startWorkers(app, env, { queues: ['crawl', 'classify', 'report'], concurrency: 2 });
  redis = createRedis(env);
});
afterAll(async () => {
  await workers?.close(5000);
  redis?.disconnect();
  await app?.close();
  await site?.close();
  await dropPrefix(env.redisUrl, env.prefix);
});

function target(id: string, path: string, selectors: Record<string, string>): Target {
  return resolveTarget({ id, brand: 'acme', source: id, url: `${site.origin}${path}`, selectors: selectors as { item: string; text: string }, allowPrivate: true }, config, id);
}
const GOOD = { item: 'article.post', text: '.content', id: '@data-id' };
const healthy = () => target('healthy', '/forum/list.html', GOOD);
const gone = () => target('t404', '/forum/gone.html', { item: 'a.b', text: '.c' });
const wrong = () => target('wrong', '/forum/other.html', { item: 'article.postx', text: '.content' });
const pdf = () => target('pdf', '/forum/file.pdf', { item: 'a.b', text: '.c' });

async function crawl(targets: Target[], opts: { refetch?: boolean } = {}): Promise<{ run: Run; targets: Array<[string, string | null | undefined]> }> {
  let summaries: QueuedTargetSummary[] = [];
  const run = await runQueuedCrawl(app.store, env, targets, { ...opts, onTargets: (t) => (summaries = t) });
  return { run, targets: summaries.map((t) => [t.targetId, t.stoppedBecause]) };
}

describe('a queued run is what its targets did', () => {
  it('an unchanged target succeeds; with a 404 target the run fails, naming only that target', async () => {
    const first = await crawl([healthy()]);
    expect([first.run.status, first.run.failedTargets, first.run.stats.postsNew]).toEqual(['succeeded', [], 3]);
    const unchanged = await crawl([healthy()]);
    expect([unchanged.run.status, unchanged.run.failedTargets, unchanged.targets]).toEqual(['succeeded', [], [['healthy', 'not_modified']]]);

    const from = site.requests.length;
    const mixed = await crawl([healthy(), gone()]);
    expect([mixed.run.status, mixed.run.failedTargets, mixed.targets]).toEqual([
      'failed',
      ['t404'],
      [
        ['healthy', 'not_modified'],
        ['t404', 'error'],
      ],
    ]);
    expect(site.requests.slice(from).filter((r) => r.path === '/forum/list.html').map((r) => r.headers['if-modified-since'])).toEqual([LAST_MODIFIED]);
    // The same run from Redis (voc runs show) and from the store (after the queue forgets it).
    expect((await new RunTracker(redis, env.prefix).read(mixed.run.id))!.run).toMatchObject({ status: 'failed', failedTargets: ['t404'] });
    expect(await app.store.getRun(mixed.run.id)).toMatchObject({ status: 'failed', failedTargets: ['t404'] });
  });

  it('all four together fail the run, naming the 404, the selectors that find nothing and the PDF', async () => {
    const all = await crawl([healthy(), gone(), wrong(), pdf()]);
    expect([all.run.status, all.run.failedTargets, all.targets]).toEqual([
      'failed',
      ['t404', 'wrong', 'pdf'],
      [
        ['healthy', 'not_modified'],
        ['t404', 'error'],
        ['wrong', 'empty_page'],
        ['pdf', 'error'],
      ],
    ]);
    expect(all.run.stats.errors).toBe(3);
    expect(all.run.errors).toContain(
      `pdf: ${site.origin}/forum/file.pdf: the page is application/pdf (HTTP 200), not an HTML page, so the selectors of target pdf cannot read it; use the URL of the site's listing page (a forum board, a review list)`,
    );
  });

  it('refetch sends no validators, and the page is read whole', async () => {
    const from = site.requests.length;
    const again = await crawl([healthy()], { refetch: true });
    expect([again.run.status, again.run.stats.pagesFetched, again.targets]).toEqual(['succeeded', 1, [['healthy', 'known']]]);
    expect(site.requests.slice(from).filter((r) => r.path === '/forum/list.html').map((r) => r.headers['if-modified-since'] ?? null)).toEqual([null]);
  });
});
