/**
 * The live record of a queued run, shared by every worker through Redis. Every write is atomic
 * (Lua) and idempotent, because any job may run twice (retry, stalled-job recovery):
 *
 *  - claims   child job id -> the job that queued it. A page's next link is queued only by the
 *             first job to claim it (a second claimer means a pagination loop), yet the same job
 *             re-run after a crash may queue its own children again (BullMQ ignores the duplicate).
 *  - jobs     job id -> that job's stats. Re-recording a job replaces its contribution to the run
 *             totals instead of adding to them, so the totals stay exact across re-runs.
 *  - errors   job id -> one line, for jobs that failed for good. A job that later succeeds (after
 *             `voc jobs retry`) clears its line. A page job's line also has a detail record
 *             (target, cause, URL) for the per-target summary.
 *  - totals   run totals, and per-target figures under `t:<target>:` keys (target-totals.ts).
 *  - meta     status, times, queued/done counts; `finish` flips it once and publishes on a
 *             channel, which is how a waiting producer learns that the run is over. A cancel
 *             request (the console) sets `cancelRequested`: page jobs then fetch nothing more,
 *             and `finish` closes the run as cancelled.
 *
 * When the run is over is decided by BullMQ (the run's `finish` job waits for all its children);
 * the tracker only records it.
 */
import type { Redis } from 'ioredis';
import type { Run, RunStats } from '../core/types.js';
import { emptyRunStats } from '../core/types.js';
import type { RedisClient } from './redis.js';
import type { DriftAlarm } from '../crawlers/stats.js';
import { readTargetTotals, type QueuedTargetSummary, type TargetErrorRecord } from './target-totals.js';
import { runOutcome } from './run-outcome.js';

/** What a child counts as in the run's progress. */
export type JobKind = 'page' | 'batch' | 'report';

// KEYS: claims, meta. ARGV: claimer, kind, ids... Returns the ids this claimer holds.
const CLAIM = `
local held = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HSETNX', KEYS[1], id, ARGV[1]) == 1 then
    redis.call('HINCRBY', KEYS[2], 'queued:' .. ARGV[2], 1)
    table.insert(held, id)
  elseif redis.call('HGET', KEYS[1], id) == ARGV[1] then
    table.insert(held, id)
  end
end
redis.call('EXPIRE', KEYS[1], 1209600)
return held`;

// KEYS: jobs, totals, meta, errors. ARGV: jobId, kind, stats JSON, ttl.
const RECORD = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  for k, v in pairs(cjson.decode(old)) do redis.call('HINCRBY', KEYS[2], k, -v) end
else
  redis.call('HINCRBY', KEYS[3], 'done:' .. ARGV[2], 1)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
for k, v in pairs(cjson.decode(ARGV[3])) do redis.call('HINCRBY', KEYS[2], k, v) end
redis.call('HDEL', KEYS[4], ARGV[1])
for i = 1, 2 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
return old and 1 or 0`;

// KEYS: errors, errors_zh, errdetail. ARGV: jobId, line, onlyIfAbsent ('1' or '0'), line in Chinese
// and detail JSON ('' for none), ttl. Returns 1 when the line was written. One script, so a reader
// never sees a line beside the Chinese or the detail of the line it replaced.
const RECORD_ERROR = `
if ARGV[3] == '1' then
  if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
for i = 2, 3 do
  if ARGV[i + 2] == '' then redis.call('HDEL', KEYS[i], ARGV[1]) else redis.call('HSET', KEYS[i], ARGV[1], ARGV[i + 2]) end
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[6]) end
return 1`;

// KEYS: meta. ARGV: status, finishedAt, channel, failed targets (JSON). Returns 1 when this call
// finished the run. The status and the targets that made it are written together.
const FINISH = `
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'finishedAt', ARGV[2], 'failedTargets', ARGV[4])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1`;

// KEYS: meta. ARGV: requestedAt. 1 flagged now, 0 flagged before, -1 over already, -2 unknown run.
const CANCEL = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -2 end
if status ~= 'running' then return -1 end
return redis.call('HSETNX', KEYS[1], 'cancelRequested', ARGV[1])`;

const RUN_TTL_S = 14 * 86400;
const MAX_ERROR_LINES = 200;

/** A run as the tracker sees it, with how far it got. */
export interface RunProgress {
  run: Run;
  pagesQueued: number;
  pagesDone: number;
  batchesQueued: number;
  batchesDone: number;
  reportsDone: number;
  /** Per-target figures of the pages crawled so far, in the run's target order. */
  targets: QueuedTargetSummary[];
  /** Error lines of jobs that name no target (a classification batch, a child that stalled for good). */
  otherErrors: number;
}

export class RunTracker {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(runId: string, part: string): string {
    return `${this.prefix}:run:${runId}:${part}`;
  }

  /** Pub/sub channel on which `finish` announces the run's status. */
  channel(runId: string): string {
    return this.key(runId, 'events');
  }

  /** Creates the run (status running); returns false when it already existed (a re-run producer). */
  async start(run: Pick<Run, 'id' | 'kind' | 'targetIds' | 'startedAt'>): Promise<boolean> {
    const meta = this.key(run.id, 'meta');
    const created = await this.redis.hsetnx(meta, 'status', 'running');
    if (created === 1) {
      await this.redis.hset(meta, { kind: run.kind, targetIds: JSON.stringify(run.targetIds), startedAt: run.startedAt });
    }
    await this.redis.expire(meta, RUN_TTL_S);
    return created === 1;
  }

  /**
   * Claims child job ids for `claimer`; returns those it holds (new, or claimed by it before).
   * An id claimed by another job is left out: that page is already queued in this run.
   */
  async claim(runId: string, claimer: string, kind: JobKind, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return (await this.redis.eval(CLAIM, 2, this.key(runId, 'claims'), this.key(runId, 'meta'), claimer, kind, ...ids)) as string[];
  }

  /**
   * Asks a running run to stop: its page jobs fetch nothing more from now on, and its `finish`
   * closes it as cancelled. 'finished' when it is over already, 'not-found' when unknown.
   */
  async requestCancel(runId: string): Promise<'cancelling' | 'finished' | 'not-found'> {
    const r = Number(await this.redis.eval(CANCEL, 1, this.key(runId, 'meta'), new Date().toISOString()));
    return r === -2 ? 'not-found' : r === -1 ? 'finished' : 'cancelling';
  }

  /** Has anyone asked this run to stop? */
  async isCancelRequested(runId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(runId, 'meta'), 'cancelRequested')) === 1;
  }

  /** Records (or re-records) what one job did; returns true when it replaced an earlier record. */
  async recordJob(runId: string, jobId: string, kind: JobKind, stats: Partial<RunStats> & Record<string, number>): Promise<boolean> {
    const clean: Record<string, number> = {};
    for (const [k, v] of Object.entries(stats)) if (v) clean[k] = v;
    const replaced = await this.redis.eval(
      RECORD,
      4,
      this.key(runId, 'jobs'),
      this.key(runId, 'totals'),
      this.key(runId, 'meta'),
      this.key(runId, 'errors'),
      jobId,
      kind,
      // cjson.decode of "{}" gives an empty table; of "[]" too, so an empty record is fine.
      JSON.stringify(clean),
      String(RUN_TTL_S),
    );
    return Number(replaced) === 1;
  }

  /**
   * Records the one-line cause of a job that failed for good (replaces that job's earlier line),
   * and the line in Chinese when there is one (`voc runs show` and the console in Chinese).
   */
  async recordError(runId: string, jobId: string, line: string, onlyIfAbsent = false, detail?: TargetErrorRecord, lineZh?: string): Promise<void> {
    // A line replaced by one without Chinese or detail must not keep those of the line before it.
    await this.redis.eval(
      RECORD_ERROR,
      3,
      this.key(runId, 'errors'),
      this.key(runId, 'errors_zh'),
      this.key(runId, 'errdetail'),
      jobId,
      line,
      onlyIfAbsent ? '1' : '0',
      lineZh ?? '',
      detail ? JSON.stringify(detail) : '',
      String(RUN_TTL_S),
    );
  }

  /** Records a target's drift alarm (its start page yielded nothing after earlier crawls did). */
  async recordDrift(runId: string, targetId: string, drift: DriftAlarm): Promise<void> {
    const key = this.key(runId, 'drift');
    await this.redis.hset(key, targetId, JSON.stringify(drift));
    await this.redis.expire(key, RUN_TTL_S);
  }

  /**
   * Marks the run over, once, with `status` or else the status its targets' outcomes give
   * (run-outcome.ts: failed when a target failed or an error names no target); announces it.
   * Returns the run as finished (also when another call finished it first).
   */
  async finish(runId: string, status?: Exclude<Run['status'], 'queued' | 'running'>): Promise<Run> {
    const current = await this.read(runId);
    if (!current) throw new Error(`run ${runId} is unknown to the queue (expired or never started)`);
    const run = current.run;
    if (run.status !== 'running') return run;
    const outcome = runOutcome(current.targets, current.otherErrors);
    const final = status ?? ((await this.isCancelRequested(runId)) ? 'cancelled' : outcome.status);
    const finishedAt = new Date().toISOString();
    await this.redis.eval(FINISH, 1, this.key(runId, 'meta'), final, finishedAt, this.channel(runId), JSON.stringify(outcome.failedTargets));
    return (await this.read(runId))!.run;
  }

  /** The run and its progress as recorded in Redis, or undefined when unknown (or expired). */
  async read(runId: string): Promise<RunProgress | undefined> {
    const [meta, totals, errorsByJob, zhByJob, details, drifts] = await Promise.all([
      this.redis.hgetall(this.key(runId, 'meta')),
      this.redis.hgetall(this.key(runId, 'totals')),
      this.redis.hgetall(this.key(runId, 'errors')),
      this.redis.hgetall(this.key(runId, 'errors_zh')),
      this.redis.hgetall(this.key(runId, 'errdetail')),
      this.redis.hgetall(this.key(runId, 'drift')),
    ]);
    // English order decides; each Chinese line stays beside its English one (a job replaced by a
    // later failure without Chinese falls back to its English line).
    const lines = Object.entries(errorsByJob)
      .map(([jobId, en]) => ({ en, zh: zhByJob[jobId] ?? en }))
      .sort((a, b) => (a.en < b.en ? -1 : a.en > b.en ? 1 : 0))
      .slice(0, MAX_ERROR_LINES);
    const errors = Object.values(errorsByJob);
    // Details of jobs whose line is gone (they succeeded on a later retry) no longer count.
    const targetErrors: TargetErrorRecord[] = [];
    for (const [jobId, json] of Object.entries(details)) {
      if (!(jobId in errorsByJob)) continue;
      try {
        targetErrors.push(JSON.parse(json) as TargetErrorRecord);
      } catch {
        // a corrupt detail only costs the per-target error group; the run's line is still listed
      }
    }
    if (!meta.status) return undefined;
    const stats = emptyRunStats();
    for (const k of Object.keys(stats) as Array<keyof RunStats>) stats[k] = Number(totals[k] ?? 0);
    stats.errors = errors.length;
    const status = meta.status === 'running' ? 'running' : (meta.status as Run['status']);
    const run: Run = {
      id: runId,
      kind: (meta.kind as Run['kind']) ?? 'crawl',
      targetIds: JSON.parse(meta.targetIds ?? '[]') as string[],
      status,
      startedAt: meta.startedAt ?? '',
      ...(meta.finishedAt ? { finishedAt: meta.finishedAt } : {}),
      stats,
      errors: lines.map((l) => l.en),
      errorsZh: lines.map((l) => l.zh),
      ...(meta.failedTargets ? { failedTargets: parseIds(meta.failedTargets) } : {}),
    };
    const n = (f: string) => Number(meta[f] ?? 0);
    const targets = readTargetTotals(run.targetIds, totals, targetErrors, run.startedAt, status === 'running' ? 'running' : status === 'cancelled' ? 'cancelled' : 'over');
    for (const t of targets) {
      if (!drifts[t.targetId]) continue;
      try {
        t.stats.drift = JSON.parse(drifts[t.targetId]!) as DriftAlarm;
      } catch {
        // a corrupt record only costs the alarm's line in the summary
      }
    }
    return {
      run,
      pagesQueued: n('queued:page'),
      pagesDone: n('done:page'),
      batchesQueued: n('queued:batch'),
      batchesDone: n('done:batch'),
      reportsDone: n('done:report'),
      targets,
      otherErrors: Object.keys(errorsByJob).filter((jobId) => !(jobId in details)).length,
    };
  }

  /**
   * Resolves with the run once it is over. `subscriber` must be a dedicated connection (a
   * subscribed client cannot run other commands). It subscribes first and then checks, so a finish
   * between the two is not missed; and it checks again on every tick and after every reconnect,
   * because a message published while the connection was down is lost.
   */
  async waitForCompletion(subscriber: RedisClient, runId: string, onTick?: (p: RunProgress) => void, tickMs = 1000): Promise<Run> {
    const channel = this.channel(runId);
    const sub = subscriber as Redis;
    return new Promise<Run>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (err?: Error, run?: Run) => {
        if (settled) return;
        settled = true;
        if (timer) clearInterval(timer);
        sub.removeListener('message', onMessage);
        sub.removeListener('ready', check);
        void sub.unsubscribe(channel).catch(() => undefined);
        if (err) reject(err);
        else resolve(run!);
      };
      const check = () => {
        this.read(runId).then(
          (p) => {
            if (!p) finish(new Error(`run ${runId} is unknown to the queue (expired?)`));
            else if (p.run.status !== 'running') finish(undefined, p.run);
            else onTick?.(p);
          },
          () => undefined, // Redis away: the next tick or the reconnect checks again
        );
      };
      const onMessage = (ch: string) => {
        if (ch === channel) check();
      };
      sub.on('message', onMessage);
      sub.on('ready', check);
      sub.subscribe(channel).then(
        () => {
          check();
          timer = setInterval(check, tickMs);
        },
        (err: Error) => finish(err),
      );
    });
  }
}

/** The failed targets as recorded by `finish` (a corrupt record reads as none). */
function parseIds(json: string): string[] {
  try {
    const ids = JSON.parse(json) as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
