/**
 * The queue commands (`voc schedule`, `voc jobs`, `voc status`, `voc runs show`) against real
 * Redis and a real store, in zh-CN and English, including their one-line errors. They run on a
 * commander program built like cli/main.ts's, in this process, so the output can be read back.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig } from '../core/config.js';
import { errorText, InputError, VocError } from '../core/errors.js';
import type { Locale, Run } from '../core/types.js';
import { emptyRunStats } from '../core/types.js';
import { openApp, type App } from '../cli/app.js';
import { registerQueueCommands } from '../cli/queue-commands.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { RunTracker } from '../workers/run-tracker.js';
import { targetFields } from '../workers/target-totals.js';
import { describeInstant, nextFireTimes } from '../workers/schedules.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('cli');
const dir = mkdtempSync(join(tmpdir(), 'voc-qcli-'));
const configFile = join(dir, 'voc.config.yaml');
let redis: RedisClient;
let queues: Queues;

beforeAll(() => {
  process.env.VOC_AUTHOR_SECRET = 'cli-test-secret-0123456789abcdef';
  writeFileSync(
    configFile,
    stringify({
      timeZone: 'Asia/Shanghai',
      dataDir: join(dir, 'data'),
      brands: [{ id: 'acme', name: 'Acme' }],
      targets: [{ id: 'acme-forum', brand: 'acme', url: 'http://127.0.0.1:9/forum', allowPrivate: true, selectors: { item: '.post', text: '.text' } }],
      reports: [{ id: 'monthly', brand: 'acme', schedule: '0 9 1 * *', period: 'last-month', formats: ['html'] }],
    }),
  );
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
});

afterAll(async () => {
  await queues.close();
  redis.disconnect();
  await dropPrefix(env.redisUrl, env.prefix);
});

/** Runs `voc <args>` on a fresh program; returns the printed lines, or the error it ended with. */
async function voc(args: string[], opts: { lang?: Locale; redis?: boolean } = {}): Promise<{ out: string[]; error?: VocError }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerQueueCommands(program, {
    readConfig: () => loadConfig(configFile).config,
    openApp,
    locale: () => opts.lang ?? 'en',
  });
  const out: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out.push(parts.map(String).join(' '));
  });
  const saved = { url: process.env.REDIS_URL, prefix: process.env.VOC_QUEUE_PREFIX };
  if (opts.redis === false) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = env.redisUrl;
  process.env.VOC_QUEUE_PREFIX = env.prefix;
  try {
    await program.parseAsync(['node', 'voc', ...args]);
    return { out };
  } catch (err) {
    if (err instanceof VocError) return { out, error: err };
    throw err;
  } finally {
    spy.mockRestore();
    if (saved.url === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved.url;
    if (saved.prefix === undefined) delete process.env.VOC_QUEUE_PREFIX;
    else process.env.VOC_QUEUE_PREFIX = saved.prefix;
  }
}

describe('voc schedule', () => {
  it('adds a crawl schedule and says when it fires next, in English and in Chinese', async () => {
    const next = describeInstant(nextFireTimes('0 6 * * *', 'Asia/Shanghai', Date.now(), 1)[0]!, 'Asia/Shanghai');
    const en = await voc(['schedule', 'add', 'crawl', 'acme-forum', '--cron', '0 6 * * *']);
    expect(en.error).toBeUndefined();
    expect(en.out).toEqual([`Schedule crawl/acme-forum set: 0 6 * * * (Asia/Shanghai), next at ${next}`]);
    const zh = await voc(['schedule', 'add', 'crawl', 'acme-forum', '--cron', '0 6 * * *'], { lang: 'zh-CN' });
    expect(zh.out).toEqual([`已设置定时任务 crawl/acme-forum：0 6 * * *（Asia/Shanghai），下次触发 ${next}`]);
  });

  it('adds report schedules: one declared in the config, one given on the command line', async () => {
    const monthly = await voc(['schedule', 'add', 'report', 'monthly']);
    expect(monthly.out[0]).toMatch(/^Schedule report\/monthly set: 0 9 1 \* \* \(Asia\/Shanghai\), next at (\d{4}-\d{2}-01) 09:00 Asia\/Shanghai \(\1 01:00Z\)$/);
    const weekly = await voc(['schedule', 'add', 'report', 'weekly', '--brand', 'acme', '--cron', '0 9 * * 1', '--tz', 'America/New_York', '--period', 'last-week', '--format', 'html']);
    expect(weekly.error).toBeUndefined();
    expect(weekly.out[0]).toMatch(/^Schedule report\/weekly set: 0 9 \* \* 1 \(America\/New_York\), next at \d{4}-\d{2}-\d{2} 09:00 America\/New_York \(\d{4}-\d{2}-\d{2} 1[34]:00Z\)$/);
  });

  it('lists schedules as JSON lines and as a table', async () => {
    const json = await voc(['schedule', 'list', '--json']);
    const list = json.out.map((l) => JSON.parse(l) as { kind: string; id: string; pattern: string; tz: string; origin: string; subject: string; nextAt: string });
    expect(list.map((s) => [s.kind, s.id, s.pattern, s.tz, s.origin, s.subject])).toEqual([
      ['crawl', 'acme-forum', '0 6 * * *', 'Asia/Shanghai', 'cli', 'acme-forum'],
      ['report', 'monthly', '0 9 1 * *', 'Asia/Shanghai', 'cli', 'acme/last-month'],
      ['report', 'weekly', '0 9 * * 1', 'America/New_York', 'cli', 'acme/last-week'],
    ]);
    for (const s of list) expect(Date.parse(s.nextAt)).toBeGreaterThan(Date.now());
    const zh = await voc(['schedule', 'list'], { lang: 'zh-CN' });
    expect(zh.out[0]!.split('\n')[0]).toMatch(/^类型\s+ID\s+cron\s+时区\s+下次触发\s+来源\s+对象$/);
    expect(zh.out[0]!.split('\n')).toHaveLength(4);
  });

  it('removes a schedule; removing it again is a one-line error', async () => {
    expect((await voc(['schedule', 'remove', 'crawl', 'acme-forum'])).out).toEqual(['Schedule crawl/acme-forum removed']);
    const again = await voc(['schedule', 'remove', 'crawl', 'acme-forum']);
    expect(again.error).toBeInstanceOf(InputError);
    expect(again.error!.message).toBe('No schedule crawl/acme-forum (voc schedule list shows them all)');
    expect(await queues.crawl.getJobSchedulersCount()).toBe(0);
  });

  it('refuses bad input with one line naming what is wrong, and installs nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['schedule', 'add', 'crawl', 'nope', '--cron', '0 6 * * *'], /^unknown target "nope"; known targets: acme-forum$/],
      [['schedule', 'add', 'crawl', 'acme-forum', '--cron', 'at six'], /^--cron\/--tz: "at six" is not a cron pattern; expected 5 fields/],
      [['schedule', 'add', 'crawl', 'acme-forum', '--cron', '0 6 * * *', '--tz', 'Beijing'], /^--cron\/--tz: time zone "Beijing" is not an IANA zone/],
      [['schedule', 'add', 'report', 'adhoc', '--cron', '0 6 * * *'], /^--brand: required for report "adhoc"/],
      [['schedule', 'add', 'report', 'adhoc', '--brand', 'ghost', '--cron', '0 6 * * *'], /^unknown brand "ghost"/],
      [['schedule', 'add', 'report', 'monthly', '--period', 'fortnight'], /^--period: expected last-week or last-month, got "fortnight"$/],
      [['schedule', 'add', 'daily', 'x'], /^schedule kind: expected crawl or report, got "daily"$/],
      [['jobs', 'failed', '--queue', 'emails'], /^--queue: unknown queue "emails"; expected one of crawl, classify, report$/],
      [['jobs', 'retry'], /^give a job id \(see `voc jobs failed`\) or --all$/],
    ];
    for (const [args, message] of cases) {
      const r = await voc(args);
      expect(r.error, args.join(' ')).toBeInstanceOf(InputError);
      expect(r.error!.message).toMatch(message);
      expect(r.error!.exitCode).toBe(2);
    }
    expect(await queues.crawl.getJobSchedulersCount()).toBe(0);
    // The report schedule's own schema checks, in both languages.
    const badId = await voc(['schedule', 'add', 'report', 'Bad ID', '--brand', 'acme', '--cron', '0 6 * * *']);
    expect(badId.error!.message).toBe('report Bad ID: id: expected an id of lower-case letters, digits, _ or -');
    expect(errorText(badId.error!, 'zh-CN')).toBe('报告 Bad ID：id：应为由小写字母、数字、_ 或 - 组成的 ID');
    const noRedis = await voc(['status'], { redis: false });
    expect(noRedis.error!.message).toBe('REDIS_URL is not set: `voc status` works on the BullMQ queues; set REDIS_URL=redis://host:6379');
  });
});

describe('voc jobs and voc status', () => {
  let app: App;
  let workers: RunningWorkers;
  const events = new EventEmitter();
  const nextFailure = () => new Promise<string>((resolve) => events.once('failed', resolve));

  beforeAll(async () => {
    app = await openApp(loadConfig(configFile).config);
    workers = await startWorkers(app, env, {
      queues: ['report'],
      concurrency: 1,
      reportDir: join(dir, 'reports'),
      onEvent: (line) => {
        if (/^report \S+ failed/.test(line)) events.emit('failed', line);
      },
    });
  });

  afterAll(async () => {
    await workers.close(5000);
    await app.close();
  });

  it('a failed job is kept and listed with its reason', async () => {
    const failed = nextFailure();
    const spec = { brand: 'ghost', period: '2026-10', from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z', timeZone: 'Asia/Shanghai', locale: 'en' as const, formats: ['html' as const] };
    await queues.report.add('report', { specs: [spec], outDir: join(dir, 'reports') }, { jobId: 'bad-report' });
    expect(await failed).toMatch(/^report bad-report failed \(attempt 1\): unknown brand "ghost"/);

    const json = await voc(['jobs', 'failed', '--json']);
    expect(json.out.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ queue: 'report', id: 'bad-report', name: 'report', attempts: 1, reason: expect.stringMatching(/^unknown brand "ghost"/), reasonZh: expect.stringMatching(/^未知品牌“ghost”/) }),
    ]);
    const zh = await voc(['jobs', 'failed', '--queue', 'report'], { lang: 'zh-CN' });
    const [header, row] = zh.out[0]!.split('\n');
    expect(header).toMatch(/^队列\s+任务 ID\s+名称\s+尝试次数\s+失败时间\s+原因$/);
    // The reason in Chinese too (BullMQ keeps the English one; the Chinese rides in the job's data).
    expect(row).toMatch(/^report\s+bad-report\s+report\s+1\s+\d{4}-\d{2}-\d{2}T[\d:.]+Z\s+未知品牌“ghost”/);
    const en = await voc(['jobs', 'failed', '--queue', 'report'], { lang: 'en' });
    expect(en.out[0]!.split('\n')[1]).toMatch(/\s+unknown brand "ghost"/);
    expect((await voc(['jobs', 'failed', '--queue', 'crawl'])).out).toEqual(['No failed jobs']);
  });

  it('retries one failed job by id, then all of them', async () => {
    let failed = nextFailure();
    expect((await voc(['jobs', 'retry', 'bad-report'])).out).toEqual(['Re-queued report/bad-report']);
    await failed; // it ran again (and failed again: the brand is still unknown)
    failed = nextFailure();
    expect((await voc(['jobs', 'retry', '--all'])).out).toEqual(['Re-queued 1 failed jobs (crawl 0, classify 0, report 1)']);
    await failed;
    const unknown = await voc(['jobs', 'retry', 'report/nope']);
    expect(unknown.error!.message).toBe('no job "report/nope" in report; `voc jobs failed` lists the failed jobs and their ids');
  });

  it('status shows depths and the worker serving each queue', async () => {
    await queues.crawl.add('page', { runId: 'x' } as never, { jobId: 'waiting-1', delay: 3_600_000 });
    const json = await voc(['status', '--json']);
    const status = JSON.parse(json.out[0]!) as Array<{ queue: string; counts: Record<string, number>; workers: number }>;
    expect(status.map((s) => [s.queue, s.counts.delayed, s.counts.failed, s.workers])).toEqual([
      ['crawl', 1, 0, 0],
      ['classify', 0, 0, 0],
      ['report', 2, 1, 1], // delayed: the next runs of the two report schedules added above
    ]);
    const text = await voc(['status']);
    const lines = text.out[0]!.split('\n');
    expect(lines[0]).toMatch(/^queue\s+waiting\s+active\s+delayed\s+waiting-children\s+failed\s+completed\s+workers\s+schedules$/);
    expect(lines[3]).toMatch(/^report\s+0\s+0\s+2\s+0\s+1\s+0\s+1\s+2$/);
  });
});

describe('voc runs show', () => {
  it('shows a queued run live from Redis, and a run only the store knows', async () => {
    const tracker = new RunTracker(redis, env.prefix);
    const runId = '20261101T010000-abcdef';
    await tracker.start({ id: runId, kind: 'crawl', targetIds: ['acme-forum'], startedAt: '2026-11-01T01:00:00.000Z' });
    await tracker.claim(runId, `${runId}-finish`, 'page', ['p1']);
    await tracker.claim(runId, 'p1', 'page', ['p2']);
    await tracker.claim(runId, 'p1', 'batch', ['p1-c']);
    await tracker.recordJob(runId, 'p1', 'page', {
      pagesFetched: 1,
      postsNew: 20,
      ...targetFields('acme-forum', { pages: 1, postsExtracted: 20, postsNew: 20, statuses: { '200': 1 }, politenessWaitMs: 1500 }),
    });
    const live = await voc(['runs', 'show', runId]);
    expect(live.out.slice(0, 5)).toEqual([
      `Run ${runId} (crawl): running`,
      '  pages 1/2 · classification batches 0/1',
      '  Crawl finished: 1 pages, 20 new, 0 updated, 0 unchanged posts, 0 errors',
      '  Classified 0 posts',
      '  started 2026-11-01 09:00 · finished -', // in the config's time zone, as every printed date
    ]);
    // Then the per-target table of `voc crawl` (the chain is still going: no stop reason yet).
    const table = live.out[5]!.split('\n');
    expect(table).toHaveLength(3);
    expect(table[2]!.split(/\s{2,}/)).toEqual(['acme-forum', '1', '20', '0', '0', '0', '200×1', '0', '1.5 s', '0', 'running']);
    const zh = await voc(['runs', 'show', runId], { lang: 'zh-CN' });
    expect(zh.out[0]).toBe(`运行 ${runId}（crawl）：进行中`);
    expect(zh.out[5]!.split('\n')[2]!.split(/\s{2,}/)).toEqual(['acme-forum', '1', '20', '0', '0', '0', '200×1', '0', '1.5 s', '0', '进行中']);
    const liveJson = JSON.parse((await voc(['runs', 'show', runId, '--json'])).out[0]!) as { progress: { targets: Array<Record<string, unknown>> } };
    expect(liveJson.progress.targets).toEqual([expect.objectContaining({ targetId: 'acme-forum', stoppedBecause: null, running: true })]);

    // Over (its last page had no next link, so no job recorded a reason): "no next page", no running flag.
    await tracker.finish(runId);
    const over = await voc(['runs', 'show', runId]);
    expect(over.out[0]).toBe(`Run ${runId} (crawl): succeeded`);
    expect(over.out[5]!.split('\n')[2]!.split(/\s{2,}/)).toEqual(['acme-forum', '1', '20', '0', '0', '0', '200×1', '0', '1.5 s', '0', 'no next page']);
    const overJson = JSON.parse((await voc(['runs', 'show', runId, '--json'])).out[0]!) as { progress: { targets: Array<Record<string, unknown>> } };
    expect(overJson.progress.targets[0]).not.toHaveProperty('running');
    expect(overJson.progress.targets[0]).not.toHaveProperty('stoppedBecause');

    const app = await openApp(loadConfig(configFile).config);
    const stored: Run = { id: '20261001T000000-000001', kind: 'crawl', targetIds: ['acme-forum'], status: 'succeeded', startedAt: '2026-10-01T00:00:00.000Z', finishedAt: '2026-10-01T00:01:00.000Z', stats: { ...emptyRunStats(), pagesFetched: 3, postsNew: 60, postsClassified: 60 }, errors: [] };
    await app.store.saveRun(stored);
    await app.close();
    const fromStore = await voc(['runs', 'show', stored.id, '--json'], { redis: false });
    expect(JSON.parse(fromStore.out[0]!)).toEqual({ run: stored, progress: null });
    const unknown = await voc(['runs', 'show', 'nope']);
    expect(unknown.error!.message).toBe('unknown run "nope"; `voc runs list` shows recent runs');
  });
});
