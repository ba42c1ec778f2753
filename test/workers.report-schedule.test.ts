/**
 * A report schedule firing on a real worker (real Redis, real SMTP server on 127.0.0.1): the
 * report of the period before the firing instant is rendered, archived under the schedule and
 * delivered by e-mail and to a folder; the same firing run again (a duplicate or a retried job)
 * delivers nothing twice; a delivery that fails fails the job, which is kept and, retried after
 * the cause is fixed, delivers exactly once.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { parseConfig, type VocConfig } from '../core/config.js';
import { createClassifier } from '../analysis/index.js';
import { createCrawlContext } from '../crawlers/index.js';
import { openEmbeddedStore } from '../store/embedded.js';
import type { Store } from '../store/store.js';
import { closeBrowser } from '../reports/browser.js';
import { JOB, openQueues, type Queues, type ScheduledReportJobData } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { saveEvaluationRun } from '../analysis/eval/saved.js';
import { BRAND, currentItems, previousItems } from './report.fixture.js';
import { startMailServer, type MailServer } from './report.servers.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('report-schedule');
// Monday 2026-11-02 09:00 in Shanghai is 01:00 UTC; the worker's clock is a few seconds later.
const FIRED = Date.parse('2026-11-01T01:00:00.000Z');
const NOW = new Date('2026-11-01T01:00:05.000Z');

let root: string;
let store: Store;
let mail: MailServer;
let config: VocConfig;
let redis: RedisClient;
let queues: Queues;
let workers: RunningWorkers;
const events = new EventEmitter();
const lines: string[] = [];

function nextEvent(pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const on = (line: string) => {
      if (!pattern.test(line)) return;
      events.off('line', on);
      resolve(line);
    };
    events.on('line', on);
  });
}

function fire(jobId: string): Promise<unknown> {
  const schedule = config.reports[0]!;
  const data: ScheduledReportJobData = { scheduleId: schedule.id, schedule, pattern: schedule.schedule!, tz: 'Asia/Shanghai', origin: 'config' } as ScheduledReportJobData;
  // prevMillis is what BullMQ's job scheduler stamps on the job it fires: the scheduled instant.
  return queues.report.add(JOB.scheduledReport, data, { jobId, attempts: 1, prevMillis: FIRED } as never);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'voc-worker-report-'));
  mail = await startMailServer();
  config = parseConfig({
    timeZone: 'Asia/Shanghai',
    dataDir: join(root, 'data'),
    brands: [BRAND],
    smtp: { host: '127.0.0.1', port: mail.port, from: 'voc <voc@example.com>' },
    reports: [
      {
        id: 'acme-monthly',
        brand: 'acme',
        schedule: '0 9 1 * *',
        period: 'last-month',
        locale: 'en',
        formats: ['html'],
        deliver: { email: { to: ['brand@example.com'], subject: 'Acme monthly report' }, folder: join(root, 'shared') },
      },
    ],
  });
  store = openEmbeddedStore(config.dataDir);
  // What `voc eval sentiment` saved for this data directory: the report's methods appendix prints it.
  saveEvaluationRun(
    config.dataDir,
    {
      kind: 'sentiment',
      measuredAt: '2026-10-30T08:00:00.000Z',
      corpus: 'reviews.csv (held-out part, 2000 reviews)',
      metrics: [{ id: 'sentiment_model', name: 'sentiment accuracy (trained model) · reviews.csv', file: 'reviews.csv', value: 0.9123, n: 2000 }],
    },
    'reviews.csv',
    true,
  );
  const items = [...currentItems(), ...previousItems()];
  await store.upsertPosts(items.map((i) => i.post));
  await store.saveClassifications(items.map((i) => i.classification));
  const deps = { config, store, classifier: createClassifier(config), crawl: createCrawlContext({ config, authorSecret: 'worker-report-secret-0123456789' }) };
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
  workers = await startWorkers(deps, env, {
    queues: ['report'],
    concurrency: 1,
    reportDir: join(root, 'reports'),
    now: () => NOW.getTime(),
    onEvent: (line) => {
      lines.push(line);
      events.emit('line', line);
    },
  });
});

afterAll(async () => {
  await workers?.close(5000);
  await queues?.close();
  redis?.disconnect();
  await dropPrefix(env.redisUrl, env.prefix);
  await store?.close();
  await mail?.close();
  await closeBrowser();
  rmSync(root, { recursive: true, force: true });
});

describe('a report schedule fired on a worker', () => {
  it('renders October, archives it under the schedule and delivers it by e-mail and to the folder', async () => {
    const done = nextEvent(/^schedule report acme-monthly fired/);
    await fire('fire-1');
    expect(await done).toBe('schedule report acme-monthly fired for 2026-11-01T01:00:00.000Z: 1 files');
    await mail.waitFor(1);
    expect(mail.received).toHaveLength(1);
    expect(mail.received[0]!.subject).toBe('Acme monthly report');
    expect(mail.received[0]!.attachments.map((a) => a.filename)).toEqual(['acme-2026-10-en.html']);
    expect(readdirSync(join(root, 'shared'))).toEqual(['acme-2026-10-en.html']);
    const html = readFileSync(join(root, 'shared', 'acme-2026-10-en.html'), 'utf8');
    expect(html).toContain('sentiment accuracy (trained model) · reviews.csv');
    expect(html).toContain('reviews.csv (held-out part, 2000 reviews)');
    const record = await store.getReport('acme-monthly:2026-10');
    expect(record).toBeDefined();
    expect(record!.period).toBe('2026-10');
    expect(record!.postCount).toBe(currentItems().filter((i) => !i.classification.spam).length);
    expect(record!.deliveries!.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'sent'],
      ['folder', 'sent'],
    ]);
  });

  it('the same firing run again (a duplicate job) delivers nothing twice', async () => {
    const done = nextEvent(/^schedule report acme-monthly for .* already delivered$/);
    await fire('fire-1-duplicate');
    expect(await done).toBe('schedule report acme-monthly for 2026-11-01T01:00:00.000Z already delivered');
    expect(mail.received).toHaveLength(1);
    expect(existsSync(join(root, 'reports', 'acme-2026-10-en.html'))).toBe(true);
  });
});
