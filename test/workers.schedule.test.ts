/**
 * Schedules: cron instants in Asia/Shanghai and across America/New_York's DST changes (BullMQ's
 * own cron handling), job schedulers in real Redis under an injected clock (a missed run fires
 * once, not once per missed instant), idempotent delivery, and two schedulers started at once.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { openApp, type App } from '../cli/app.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type QueueEnv, type RedisClient } from '../workers/redis.js';
import {
  configSchedules,
  dueInstant,
  listSchedules,
  nextFireTimes,
  reportPeriodFor,
  syncSchedules,
  upsertSchedule,
  validateSchedule,
  type ScheduleDef,
} from '../workers/schedules.js';
import { startScheduler } from '../workers/scheduler.js';
import { startWorkers, type RunningWorkers } from '../workers/worker.js';
import { assertBuilt, ROOT } from './helpers/cli.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('cron instants (BullMQ getNextMillis)', () => {
  it('Monday 09:00 in Asia/Shanghai fires at 01:00 UTC', () => {
    expect(nextFireTimes('0 9 * * 1', 'Asia/Shanghai', at('2026-02-25T00:00:00Z'), 2).map(iso)).toEqual([
      '2026-03-02T01:00:00.000Z',
      '2026-03-09T01:00:00.000Z',
    ]);
  });

  it('Monday 09:00 in America/New_York moves from 14:00 to 13:00 UTC at the spring change and back in the autumn', () => {
    expect(nextFireTimes('0 9 * * 1', 'America/New_York', at('2026-02-25T00:00:00Z'), 3).map(iso)).toEqual([
      '2026-03-02T14:00:00.000Z', // EST, UTC-5
      '2026-03-09T13:00:00.000Z', // EDT from 2026-03-08, UTC-4
      '2026-03-16T13:00:00.000Z',
    ]);
    expect(nextFireTimes('0 9 * * 1', 'America/New_York', at('2026-10-20T00:00:00Z'), 2).map(iso)).toEqual([
      '2026-10-26T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z', // EST again from 2026-11-01
    ]);
  });

  it('a wall time that does not exist, or exists twice, on a change day still fires exactly once that day', () => {
    // 02:30 does not exist on 2026-03-08 in New York: it fires at 03:30 EDT (07:30Z), once.
    expect(nextFireTimes('30 2 * * *', 'America/New_York', at('2026-03-06T00:00:00Z'), 4).map(iso)).toEqual([
      '2026-03-06T07:30:00.000Z',
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
    // 01:30 happens twice on 2026-11-01: it fires at the first (EDT, 05:30Z) only.
    expect(nextFireTimes('30 1 * * *', 'America/New_York', at('2026-10-30T00:00:00Z'), 4).map(iso)).toEqual([
      '2026-10-30T05:30:00.000Z',
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('rejects a bad pattern or zone with a one-line InputError naming the field', () => {
    expect(() => validateSchedule('every monday', 'Asia/Shanghai', 'reports.0.schedule')).toThrow(InputError);
    expect(() => validateSchedule('every monday', 'Asia/Shanghai', 'reports.0.schedule')).toThrow(/^reports\.0\.schedule: "every monday" is not a cron pattern/);
    expect(() => validateSchedule('0 9 * * 1', 'Mars/Base', '--tz')).toThrow(/^--tz: time zone "Mars\/Base" is not an IANA zone/);
    expect(() => validateSchedule('61 9 * * 1', 'UTC', '--cron')).toThrow(InputError);
  });

  it('a run that fired late stands for the latest instant that was due', () => {
    const pattern = '0 9 * * 1';
    const tz = 'America/New_York';
    expect(iso(dueInstant(pattern, tz, at('2026-03-09T13:00:00Z'), at('2026-03-24T12:00:00Z')))).toBe('2026-03-23T13:00:00.000Z');
    // On time (a few seconds late): its own instant.
    expect(iso(dueInstant(pattern, tz, at('2026-03-09T13:00:00Z'), at('2026-03-09T13:00:05Z')))).toBe('2026-03-09T13:00:00.000Z');
  });

  it('a scheduled report covers the last full week or month before it fired, in its zone', () => {
    const week = reportPeriodFor('last-week', new Date('2026-03-09T13:00:00Z'), 'America/New_York');
    expect(week).toMatchObject({ label: '2026-03-02..2026-03-08', from: '2026-03-02T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' });
    // Sunday 2026-03-08 23:30 in Shanghai is still that week: the week before is 02-23..03-01.
    expect(reportPeriodFor('last-week', new Date('2026-03-08T15:30:00Z'), 'Asia/Shanghai').label).toBe('2026-02-23..2026-03-01');
    const month = reportPeriodFor('last-month', new Date('2026-03-01T01:00:00Z'), 'Asia/Shanghai');
    expect(month).toMatchObject({ label: '2026-02', from: '2026-01-31T16:00:00.000Z', to: '2026-02-28T16:00:00.000Z' });
  });
});

describe('job schedulers in Redis, with an injected clock', () => {
  let env: QueueEnv;
  let redis: RedisClient;
  let queues: Queues;
  let app: App | undefined;
  let workers: RunningWorkers | undefined;
  let config: VocConfig;
  const outDir = mkdtempSync(join(tmpdir(), 'voc-sched-out-'));
  const lines: string[] = [];
  const events = new EventEmitter();
  /** Resolves on the next job event line matching `re` (the worker's own report of it). */
  const nextLine = (re: RegExp) =>
    new Promise<string>((resolve) => {
      const on = (line: string) => {
        if (re.test(line)) {
          events.off('line', on);
          resolve(line);
        }
      };
      events.on('line', on);
    });

  beforeAll(async () => {
    env = testQueueEnv('sched');
    redis = createRedis(env);
    queues = openQueues(redis, env.prefix);
    process.env.VOC_AUTHOR_SECRET = 'schedule-test-secret-0123456789';
    config = parseConfig({
      timeZone: 'America/New_York',
      locale: 'en',
      dataDir: mkdtempSync(join(tmpdir(), 'voc-sched-data-')),
      brands: [{ id: 'acme', name: 'Acme' }],
      reports: [{ id: 'weekly', brand: 'acme', schedule: '0 9 * * 1', period: 'last-week', formats: ['html'] }],
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    vi.useRealTimers();
    await workers?.close(5000);
    await app?.close();
    await queues.close();
    redis.disconnect();
    await dropPrefix(env.redisUrl, env.prefix);
  });

  it('installs the Monday 09:00 New York report with its pending job at 13:00 UTC after the spring change', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-03T00:00:00Z'));
    const { scheduler, first } = await startScheduler(env, () => configSchedules(config));
    await scheduler.close();
    expect(first).toEqual({ added: ['report/weekly'], updated: [], unchanged: [], removed: [] });
    const s = await queues.report.getJobScheduler('weekly');
    expect(iso(s!.next!)).toBe('2026-03-09T13:00:00.000Z');
    const delayed = await queues.report.getDelayed();
    expect(delayed.map((j) => j.id)).toEqual([`repeat:weekly:${at('2026-03-09T13:00:00Z')}`]);
  });

  it('a scheduler restarted with the same config leaves the pending job alone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-05T00:00:00Z'));
    const result = await syncSchedules(queues, configSchedules(config));
    expect(result).toEqual({ added: [], updated: [], unchanged: ['report/weekly'], removed: [] });
    expect((await queues.report.getDelayed()).map((j) => j.id)).toEqual([`repeat:weekly:${at('2026-03-09T13:00:00Z')}`]);
  });

  it('missed three Mondays while everything was down: runs once on start, for the latest week, then waits for the next Monday', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-24T12:00:00Z')); // Tuesday: the 9th, 16th and 23rd were missed
    app = await openApp(config);
    const fired = nextLine(/^report \S+ done$/);
    workers = await startWorkers(app, env, {
      queues: ['report'],
      concurrency: 1,
      reportDir: outDir,
      onEvent: (line) => {
        lines.push(line);
        events.emit('line', line);
      },
    });
    await fired;
    const completed = await queues.report.getCompleted();
    expect(completed).toHaveLength(1);
    expect(completed[0]!.returnvalue).toMatchObject({ firedAt: '2026-03-23T13:00:00.000Z' });
    expect(readdirSync(outDir)).toEqual(['acme-2026-03-16..2026-03-22-en.html']);
    // One next job, at the first Monday after "now"; nothing else waiting to fire.
    const counts = await queues.report.getJobCounts('waiting', 'active', 'delayed', 'failed');
    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 0 });
    expect((await queues.report.getDelayed()).map((j) => j.id)).toEqual([`repeat:weekly:${at('2026-03-30T13:00:00Z')}`]);
    expect(lines.filter((l) => /^schedule report weekly fired/.test(l))).toHaveLength(1);
  });

  it('re-running a fired report job delivers nothing again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-24T12:05:00Z'));
    const [job] = await queues.report.getCompleted();
    const again = nextLine(/^report \S+ done$/);
    await job!.retry('completed');
    await again;
    expect(lines.filter((l) => /already delivered/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^schedule report weekly fired/.test(l))).toHaveLength(1);
    expect(readdirSync(outDir)).toEqual(['acme-2026-03-16..2026-03-22-en.html']);
  });

  it('sync removes config schedules no longer declared, never the ones added by hand', async () => {
    const local = { ...env, prefix: `${env.prefix}-sync` };
    const conn = createRedis(local);
    const q = openQueues(conn, local.prefix);
    try {
      const a: ScheduleDef = { kind: 'crawl', id: 'a', pattern: '0 6 * * *', tz: 'Asia/Shanghai', origin: 'config', targetId: 'a' };
      const b: ScheduleDef = { kind: 'crawl', id: 'b', pattern: '0 7 * * *', tz: 'Asia/Shanghai', origin: 'config', targetId: 'b' };
      const c: ScheduleDef = { kind: 'crawl', id: 'c', pattern: '0 8 * * *', tz: 'Asia/Shanghai', origin: 'cli', targetId: 'c' };
      await upsertSchedule(q, c);
      expect(await syncSchedules(q, [a, b])).toEqual({ added: ['crawl/a', 'crawl/b'], updated: [], unchanged: [], removed: [] });
      expect(await syncSchedules(q, [{ ...a, pattern: '30 6 * * *' }])).toEqual({ added: [], updated: ['crawl/a'], unchanged: [], removed: ['crawl/b'] });
      expect((await listSchedules(q)).map((s) => `${s.id} ${s.pattern} ${s.origin}`)).toEqual(['a 30 6 * * * config', 'c 0 8 * * * cli']);
    } finally {
      await q.close();
      conn.disconnect();
      await dropPrefix(local.redisUrl, local.prefix);
    }
  });
});

describe('two schedulers started at once', () => {
  const env = testQueueEnv('twosched');
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await dropPrefix(env.redisUrl, env.prefix);
  });

  function startProcess(defs: ScheduleDef[]): Promise<{ child: ChildProcess; synced: Promise<string> }> {
    const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/workers/scheduler-process.mjs'), JSON.stringify(defs)], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    let onSynced: (line: string) => void;
    const synced = new Promise<string>((resolve) => (onSynced = resolve));
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line === 'ready') resolve({ child, synced });
        if (line.startsWith('synced ')) onSynced(line);
      });
      child.once('exit', (code) => reject(new Error(`scheduler process exited with ${code}`)));
    });
  }

  it('install one job per schedule, and each instant fires once', async () => {
    assertBuilt();
    const defs: ScheduleDef[] = [
      { kind: 'report', id: 'daily', pattern: '0 9 * * *', tz: 'Asia/Shanghai', origin: 'config', schedule: { id: 'daily', brand: 'acme', period: 'last-week', formats: ['html'], deliver: {} } },
    ];
    const a = await startProcess(defs);
    const b = await startProcess(defs);
    // Both are connected and waiting: release them together.
    a.child.stdin!.write('go\n');
    b.child.stdin!.write('go\n');
    const results = (await Promise.all([a.synced, b.synced])).map((l) => JSON.parse(l.slice(7)) as { added: string[]; updated: string[]; unchanged: string[] });
    // Each saw the schedule as new or as just installed by the other; either way one scheduler, one job.
    for (const r of results) expect([...r.added, ...r.updated, ...r.unchanged]).toEqual(['report/daily']);

    const redis = createRedis(env);
    const queues = openQueues(redis, env.prefix);
    try {
      expect(await queues.report.getJobSchedulersCount()).toBe(1);
      const delayed = await queues.report.getDelayed();
      expect(delayed).toHaveLength(1);
      const next = (await queues.report.getJobScheduler('daily'))!.next!;
      expect(delayed[0]!.id).toBe(`repeat:daily:${next}`);
      expect(next).toBe(nextFireTimes('0 9 * * *', 'Asia/Shanghai', Date.now(), 1)[0]);

      // The instant comes (injected clock) while both schedulers are still up: one run, one next job.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(next + 60_000));
      const config = parseConfig({ locale: 'en', dataDir: mkdtempSync(join(tmpdir(), 'voc-twosched-')), brands: [{ id: 'acme', name: 'Acme' }] });
      const app = await openApp(config);
      let done!: () => void;
      const fired = new Promise<void>((resolve) => (done = resolve));
      const workers = await startWorkers(app, env, {
        queues: ['report'],
        concurrency: 2,
        reportDir: mkdtempSync(join(tmpdir(), 'voc-twosched-out-')),
        onEvent: (line) => {
          if (/^report \S+ done$/.test(line)) done();
        },
      });
      await fired;
      await workers.close(5000);
      await app.close();
      expect(await queues.report.getCompletedCount()).toBe(1);
      expect(await queues.report.getJobCounts('waiting', 'active', 'delayed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 0 });
      expect((await queues.report.getDelayed())[0]!.id).toBe(`repeat:daily:${nextFireTimes('0 9 * * *', 'Asia/Shanghai', next + 60_000, 1)[0]}`);
    } finally {
      vi.useRealTimers();
      await queues.close();
      redis.disconnect();
    }
  });
});
