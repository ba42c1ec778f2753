/**
 * The same crawl of the demo forum, once in-process on the embedded store and once through BullMQ
 * with two `voc worker` processes (real Redis, own key prefix): same posts, same report figures.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { assertBuilt, runVoc, startVoc, stopChild } from './helpers/cli.js';
import { startDemoSite, type DemoSite } from '../demo/site.js';
import { loadDemoPosts, DEMO_BRANDS } from '../demo/corpus/index.js';
import { demoConfig, DEMO_PERIOD } from '../demo/run-demo.js';
import { openApp } from '../cli/app.js';
import { resolveTarget } from '../core/config.js';
import { runLocalCrawl } from '../workers/local-runner.js';
import { openEmbeddedStore } from '../store/embedded.js';
import type { ReportFigures } from '../reports/aggregate.js';
import { generateReport } from '../reports/generate.js';
import { reportLabels } from '../workers/labels.js';
import { resolvePeriod } from '../core/time.js';
import type { Post, ReportSpec } from '../core/types.js';

const REDIS_URL = process.env.VOC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `voc-test-${randomBytes(4).toString('hex')}`;
const SECRET = 'test-author-secret-0123456789abcdef';

let site: DemoSite;
let workers: ChildProcess[] = [];

beforeAll(async () => {
  assertBuilt();
  site = await startDemoSite(loadDemoPosts(), {
    gbkPage: { brand: 'youpinhui', page: 2 },
    brandNames: Object.fromEntries(DEMO_BRANDS.map((b) => [b.id, b.name])),
  });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopChild(w)));
  await site?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function postKey(p: Post) {
  return { id: p.id, url: p.url, text: p.text, contentHash: p.contentHash, publishedAt: p.publishedAt, authorHash: p.authorHash, engagement: p.engagement, brand: p.brand };
}

/** Figures minus what legitimately differs between two runs (report time, file locations). */
function comparable(f: ReportFigures) {
  return JSON.parse(JSON.stringify(f, (k, v) => (k === 'generatedAt' ? undefined : v))) as unknown;
}

describe('BullMQ with two worker processes equals the embedded in-process run', () => {
  it('stores exactly the same posts and computes exactly the same report figures', async () => {
    process.env.VOC_AUTHOR_SECRET = SECRET;
    const period = resolvePeriod('Asia/Shanghai', DEMO_PERIOD);

    // 1. In-process, embedded store A.
    const dirA = mkdtempSync(join(tmpdir(), 'voc-inproc-'));
    const configA = demoConfig(site.url, dirA, 'en');
    const app = await openApp(configA);
    const targets = configA.targets.map((t, i) => resolveTarget(t, configA, `targets.${i}`));
    const runA = await runLocalCrawl(app, targets);
    expect(runA.status).toBe('succeeded');
    const figuresA: Record<string, ReportFigures> = {};
    for (const b of configA.brands) {
      const spec: ReportSpec = { brand: b.id, period: period.label, from: period.from, to: period.to, timeZone: 'Asia/Shanghai', locale: 'en', formats: ['html'] };
      figuresA[b.id] = (
        await generateReport({ store: app.store, config: configA, labels: reportLabels(configA), lexiconVersion: app.classifier.lexiconVersion }, spec, join(dirA, 'out'))
      ).figures;
    }
    const postsA = (await app.store.queryPosts({})).map(postKey);
    await app.close();

    // 2. Two worker processes sharing store B and a Redis key prefix of this test.
    const dirB = mkdtempSync(join(tmpdir(), 'voc-queued-'));
    const configFile = join(dirB, 'voc.config.yaml');
    writeFileSync(configFile, stringify(demoConfig(site.url, join(dirB, 'data'), 'en')));
    const env = { REDIS_URL, VOC_QUEUE_PREFIX: PREFIX, VOC_AUTHOR_SECRET: SECRET };
    const started = await Promise.all(
      [1, 2].map(() => startVoc(['--config', configFile, '--lang', 'en', 'worker', '--concurrency', '2'], /^worker started/, { ...env, VOC_LOG_JOBS: '1' })),
    );
    workers = started.map((s) => s.child);

    const crawl = await runVoc(['--config', configFile, 'crawl', '--json'], { env });
    expect(crawl.stderr).toBe('');
    expect(crawl.code).toBe(0);
    const runB = JSON.parse(crawl.stdout.trim()) as { status: string; stats: Record<string, number> };
    expect(runB.status).toBe('succeeded');
    expect(runB.stats.pagesFetched).toBe(runA.stats.pagesFetched);
    expect(runB.stats.postsNew).toBe(runA.stats.postsNew);
    expect(runB.stats.postsClassified).toBe(runA.stats.postsClassified);
    expect(runB.stats.errors).toBe(0);
    // Every page job was done by one of the two workers, exactly once in total.
    const pageJobsDone = started.flatMap((s) => s.lines).filter((l) => /^crawl \S+ done$/.test(l));
    expect(pageJobsDone).toHaveLength(runA.stats.pagesFetched);

    const storeB = openEmbeddedStore(join(dirB, 'data'));
    const postsB = (await storeB.queryPosts({})).map(postKey);
    await storeB.close();
    expect(postsB).toEqual(postsA);

    for (const b of configA.brands) {
      const r = await runVoc(['--config', configFile, 'report', '--brand', b.id, '--period', DEMO_PERIOD, '--format', 'html', '--out', join(dirB, 'out'), '--json'], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const { figures } = JSON.parse(r.stdout) as { figures: ReportFigures };
      expect(comparable(figures)).toEqual(comparable(figuresA[b.id]!));
    }
  }, 180_000);
});
