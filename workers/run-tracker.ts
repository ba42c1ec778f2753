/**
 * Tracks a queued run across any number of workers with atomic Redis operations (Lua), so the
 * producer knows when every page and classification of the run is done.
 *
 * A run owns two sets of job ids: `pending` and `done`. Before a job enqueues children it
 * registers them: an id enters `pending` only if it is in neither set, so (a) a pagination loop
 * cannot enqueue a page twice, and (b) a job re-run after a crash does not resurrect children that
 * already finished. A finishing job moves its id from `pending` to `done`; the run is complete
 * when `pending` is empty, announced on a pub/sub channel. Both operations are idempotent.
 */
import type { Redis } from 'ioredis';
import type { Run, RunStats } from '../core/types.js';
import { emptyRunStats } from '../core/types.js';

// KEYS: pending, done. ARGV: ids. Returns the ids newly registered.
const REGISTER = `
local added = {}
for i = 1, #ARGV do
  local id = ARGV[i]
  if redis.call('SISMEMBER', KEYS[2], id) == 0 and redis.call('SADD', KEYS[1], id) == 1 then
    table.insert(added, id)
  end
end
return added`;

// KEYS: pending, done, meta. ARGV: id, channel, finishedAt. Returns the number still pending.
const COMPLETE = `
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
local left = redis.call('SCARD', KEYS[1])
if left == 0 and redis.call('HGET', KEYS[3], 'status') == 'running' then
  redis.call('HSET', KEYS[3], 'status', 'finished', 'finishedAt', ARGV[3])
  redis.call('PUBLISH', ARGV[2], 'done')
end
return left`;

const RUN_TTL_S = 14 * 86400;

export class RunTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(runId: string, part: string): string {
    return `${this.prefix}:run:${runId}:${part}`;
  }

  channel(runId: string): string {
    return this.key(runId, 'events');
  }

  /** Creates the run's meta hash (status running). */
  async start(run: Pick<Run, 'id' | 'kind' | 'targetIds' | 'startedAt'>): Promise<void> {
    const meta = this.key(run.id, 'meta');
    await this.redis
      .multi()
      .hset(meta, { kind: run.kind, targetIds: JSON.stringify(run.targetIds), startedAt: run.startedAt, status: 'running' })
      .expire(meta, RUN_TTL_S)
      .exec();
  }

  /** Registers job ids as pending; returns only the ids that were new to this run. */
  async register(runId: string, jobIds: string[]): Promise<string[]> {
    if (jobIds.length === 0) return [];
    const pending = this.key(runId, 'pending');
    const done = this.key(runId, 'done');
    const added = (await this.redis.eval(REGISTER, 2, pending, done, ...jobIds)) as string[];
    await this.redis.multi().expire(pending, RUN_TTL_S).expire(done, RUN_TTL_S).exec();
    return added;
  }

  /** Marks a job finished (successfully or for good); returns how many are still pending. */
  async complete(runId: string, jobId: string): Promise<number> {
    return Number(
      await this.redis.eval(
        COMPLETE,
        3,
        this.key(runId, 'pending'),
        this.key(runId, 'done'),
        this.key(runId, 'meta'),
        jobId,
        this.channel(runId),
        new Date().toISOString(),
      ),
    );
  }

  async addStats(runId: string, delta: Partial<RunStats>): Promise<void> {
    const stats = this.key(runId, 'stats');
    const m = this.redis.multi();
    for (const [k, v] of Object.entries(delta)) if (v) m.hincrby(stats, k, v);
    await m.expire(stats, RUN_TTL_S).exec();
  }

  async addError(runId: string, line: string): Promise<void> {
    const errors = this.key(runId, 'errors');
    await this.redis.multi().rpush(errors, line).ltrim(errors, -200, -1).expire(errors, RUN_TTL_S).hincrby(this.key(runId, 'stats'), 'errors', 1).exec();
  }

  async pendingCount(runId: string): Promise<number> {
    return this.redis.scard(this.key(runId, 'pending'));
  }

  /** The run as stored in Redis, or undefined when unknown (or expired). */
  async read(runId: string): Promise<Run | undefined> {
    const [meta, stats, errors] = await Promise.all([
      this.redis.hgetall(this.key(runId, 'meta')),
      this.redis.hgetall(this.key(runId, 'stats')),
      this.redis.lrange(this.key(runId, 'errors'), 0, -1),
    ]);
    if (!meta.status) return undefined;
    const s = emptyRunStats();
    for (const k of Object.keys(s) as Array<keyof RunStats>) s[k] = Number(stats[k] ?? 0);
    return {
      id: runId,
      kind: (meta.kind as Run['kind']) ?? 'crawl',
      targetIds: JSON.parse(meta.targetIds ?? '[]') as string[],
      status: meta.status === 'finished' ? (s.errors > 0 && s.pagesFetched === 0 ? 'failed' : 'succeeded') : 'running',
      startedAt: meta.startedAt ?? '',
      ...(meta.finishedAt ? { finishedAt: meta.finishedAt } : {}),
      stats: s,
      errors,
    };
  }

  /**
   * Resolves when the run has nothing pending. `subscriber` must be a dedicated connection (a
   * subscribed ioredis client cannot run other commands). Subscribes first, then checks, so a
   * completion between the two cannot be missed.
   */
  async waitForCompletion(subscriber: Redis, runId: string, onTick?: () => void, tickMs = 1000): Promise<void> {
    const channel = this.channel(runId);
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (err?: Error) => {
        if (timer) clearInterval(timer);
        subscriber.removeListener('message', onMessage);
        void subscriber.unsubscribe(channel).catch(() => undefined);
        if (err) reject(err);
        else resolve();
      };
      const check = () =>
        this.pendingCount(runId).then(
          (n) => {
            if (n === 0) finish();
          },
          (err: Error) => finish(err),
        );
      const onMessage = (ch: string) => {
        if (ch === channel) finish();
      };
      subscriber.on('message', onMessage);
      subscriber.subscribe(channel).then(() => {
        void check();
        // The ticker only refreshes progress output; completion itself arrives by pub/sub.
        timer = setInterval(() => onTick?.(), tickMs);
      }, (err: Error) => finish(err));
    });
  }
}
