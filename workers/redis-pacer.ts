/**
 * Politeness shared by every worker on every machine: the `HostPacer` of crawlers/pacer.ts with
 * its state in Redis, so ten workers on five machines together keep one host's limits: the token
 * bucket (spacing `intervalMs` = the largest of the target delay, robots.txt Crawl-delay and
 * 60000 / requests per minute, with `burst`), the cap of requests in flight, and a server's
 * "hold off until" (Retry-After, an exhausted rate-limit window).
 *
 * One Lua script per request, on Redis' clock (so machines with skewed clocks agree). The bucket
 * is kept as GCRA, i.e. as a "theoretical arrival time" `tat`:
 *
 *   slot = max(now, holdUntil, tat - (burst - 1) * interval)   earliest start of this request
 *   tat  = max(tat, slot) + interval
 *
 * The slot is reserved for the asking job. When it is close (<= `maxInlineWaitMs`) the request
 * just waits for it; otherwise `acquire` throws `PaceDelayError` and the crawl processor moves the
 * job to BullMQ's delayed set until then, freeing the worker slot instead of sleeping in it. When
 * the job returns it finds its reservation and goes, so N jobs for one host are spread over N
 * slots in one pass instead of all waking at once to fight over each slot.
 *
 * Requests in flight are leases in a sorted set scored by expiry: a worker killed mid-request
 * cannot hold a host's slot for longer than `leaseTtlMs`.
 */
import { randomBytes } from 'node:crypto';
import type { HostLease, HostPacer, HostPolicy } from '../crawlers/pacer.js';
import type { RedisClient } from './redis.js';

/** The request may not start before `untilMs` (local clock): delay the job, do not sleep. */
export class PaceDelayError extends Error {
  constructor(
    readonly host: string,
    readonly untilMs: number,
  ) {
    super(`politeness: next request to ${host} allowed at ${new Date(untilMs).toISOString()}`);
    this.name = 'PaceDelayError';
  }
}

// KEYS: host state, reservation, in-flight leases.
// ARGV: interval, tolerance, maxConcurrency, maxInline, leaseId, leaseTtl, busyRetry, strict.
// Returns {0, waitMs}: go after waitMs (<= maxInline), lease taken; {1, waitMs}: delay the job.
//
// Reserved slots order and spread the requests; the hard guarantee comes from `last`, the planned
// start of the latest request: with strict spacing (burst 1) nothing starts before last + interval,
// so a job that comes back late from the delayed set pushes the next ones back instead of
// squeezing the gap after it.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local maxConc = tonumber(ARGV[3])
local maxInline = tonumber(ARGV[4])
local leaseTtl = tonumber(ARGV[6])
local busyRetry = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local full = maxConc > 0 and redis.call('ZCARD', KEYS[3]) >= maxConc
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold') or '0')
local floor = 0
if ARGV[8] == '1' then floor = tonumber(redis.call('HGET', KEYS[1], 'last') or '0') + interval end
local reserved = redis.call('GET', KEYS[2])
local slot
if reserved then
  slot = math.max(tonumber(reserved), floor, hold)
  if slot - now > maxInline then return {1, slot - now} end
  if full then return {1, busyRetry} end
  redis.call('DEL', KEYS[2])
else
  if full then return {1, busyRetry} end
  local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
  slot = math.max(now, hold, tat - tolerance, floor)
  local base = math.max(tat, slot)
  -- The first request after a pause starts a fresh bucket holding one token: no burst.
  if hold > 0 and slot == hold then base = slot + tolerance end
  redis.call('HSET', KEYS[1], 'tat', base + interval)
  if slot - now > maxInline then
    redis.call('PEXPIRE', KEYS[1], slot - now + interval + tolerance + 3600000)
    redis.call('SET', KEYS[2], slot, 'PX', slot - now + 3600000)
    return {1, slot - now}
  end
end
local wait = slot - now
if wait < 0 then wait = 0 end
redis.call('HSET', KEYS[1], 'last', now + wait)
redis.call('PEXPIRE', KEYS[1], wait + interval + tolerance + 3600000)
redis.call('ZADD', KEYS[3], now + wait + leaseTtl, ARGV[5])
redis.call('PEXPIRE', KEYS[3], wait + leaseTtl)
return {0, wait}`;

// KEYS: host state. ARGV: untilMs. A pause never shortens.
const HOLD_OFF = `
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold') or '0')
local untilMs = tonumber(ARGV[1])
if untilMs <= hold then return 0 end
redis.call('HSET', KEYS[1], 'hold', untilMs)
redis.call('PEXPIRE', KEYS[1], 3600000 + math.max(0, untilMs - tonumber(redis.call('TIME')[1]) * 1000))
return 1`;

export interface RedisPacerOptions {
  /** Key prefix (the queue prefix): pacing state is `<prefix>:pace:<host>`. */
  prefix: string;
  /** Waits up to this long are slept through; longer ones throw PaceDelayError (default 250 ms). */
  maxInlineWaitMs?: number;
  /** How long a lease counts as in flight if its worker never releases it (default 2 min). */
  leaseTtlMs?: number;
}

export interface RedisPacer extends HostPacer {
  /**
   * The pacer of one job: its reservations are kept under `token` (the job id), so the job finds
   * its slot again when it returns from the delayed set.
   */
  forJob(token: string): HostPacer;
}

/** Creates the Redis-backed pacer; `acquire` on the pacer itself uses a one-off token. */
export function createRedisPacer(redis: RedisClient, opts: RedisPacerOptions): RedisPacer {
  const maxInline = opts.maxInlineWaitMs ?? 250;
  const leaseTtl = opts.leaseTtlMs ?? 120_000;
  const key = (host: string) => `${opts.prefix}:pace:${host.toLowerCase()}`;

  const acquire = async (token: string, host: string, policy: HostPolicy, signal?: AbortSignal): Promise<HostLease> => {
    if (signal?.aborted) throw signal.reason;
    const interval = Math.max(0, Math.round(policy.intervalMs));
    const tolerance = interval * (Math.max(1, policy.burst) - 1);
    const leaseId = `${token}:${randomBytes(4).toString('hex')}`;
    const inflight = `${key(host)}:inflight`;
    // With every slot busy we cannot know when one frees up: look again after a short while.
    const busyRetry = Math.max(100, Math.min(interval, 1000));
    const started = Date.now();
    const [delayed, waitMs] = (await redis.eval(
      ACQUIRE,
      3,
      key(host),
      `${key(host)}:r:${token}`,
      inflight,
      String(interval),
      String(tolerance),
      String(Math.max(0, policy.maxConcurrency)),
      String(maxInline),
      leaseId,
      String(leaseTtl),
      String(busyRetry),
      policy.burst <= 1 ? '1' : '0',
    )) as [number, number];
    if (delayed === 1) throw new PaceDelayError(host.toLowerCase(), Date.now() + waitMs);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    let released = false;
    return {
      waitedMs: Date.now() - started,
      release() {
        if (released) return;
        released = true;
        // Fire and forget: a lost release only keeps the lease until it expires.
        redis.zrem(inflight, leaseId).catch(() => undefined);
      },
    };
  };

  const holdOff = (host: string, untilMs: number) => {
    // Fire and forget (the interface is synchronous); a lost hold-off costs one more 429 at worst.
    redis.eval(HOLD_OFF, 1, key(host), String(Math.round(untilMs))).catch(() => undefined);
  };

  return {
    acquire: (host, policy, signal) => acquire(`once-${randomBytes(6).toString('hex')}`, host, policy, signal),
    holdOff: (host, untilMs) => holdOff(host, untilMs),
    forJob: (token) => ({
      acquire: (host, policy, signal) => acquire(token, host, policy, signal),
      holdOff: (host, untilMs) => holdOff(host, untilMs),
    }),
  };
}
