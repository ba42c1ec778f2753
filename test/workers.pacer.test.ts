/**
 * The Redis pacer on real Redis, with two connections standing for two worker machines: one
 * host's spacing, burst, in-flight cap and hold-off are kept across both, a wait longer than the
 * inline threshold becomes a PaceDelayError (the job is delayed, not slept), and a delayed job
 * finds its reserved slot when it returns.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { HostPolicy } from '../crawlers/pacer.js';
import { createRedisPacer, PaceDelayError, type RedisPacer } from '../workers/redis-pacer.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('pacer');
let connA: RedisClient;
let connB: RedisClient;
let machineA: RedisPacer;
let machineB: RedisPacer;

beforeAll(() => {
  connA = createRedis(env);
  connB = createRedis(env);
  machineA = createRedisPacer(connA, { prefix: env.prefix });
  machineB = createRedisPacer(connB, { prefix: env.prefix });
});

afterAll(async () => {
  connA.disconnect();
  connB.disconnect();
  await dropPrefix(env.redisUrl, env.prefix);
});

const policy = (p: Partial<HostPolicy>): HostPolicy => ({ intervalMs: 0, burst: 1, maxConcurrency: 8, ...p });

async function delayOf(p: Promise<unknown>): Promise<PaceDelayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PaceDelayError) return err;
    throw err;
  }
  throw new Error('expected a PaceDelayError, the request was allowed');
}

describe('Redis pacer shared by two machines', () => {
  it('spaces requests to one host across machines and reserves one slot per job', async () => {
    const p = policy({ intervalMs: 1000 });
    const first = await machineA.forJob('j1').acquire('spaced.example', p);
    expect(first.waitedMs).toBeLessThan(100);
    first.release();

    const t = Date.now();
    const second = await delayOf(machineB.forJob('j2').acquire('spaced.example', p));
    expect(second.host).toBe('spaced.example');
    expect(second.untilMs - t).toBeGreaterThan(850);
    expect(second.untilMs - t).toBeLessThanOrEqual(1050);

    // A third job gets the slot after: jobs are spread over slots, not woken together.
    const third = await delayOf(machineA.forJob('j3').acquire('SPACED.example', p));
    expect(third.untilMs - second.untilMs).toBeGreaterThan(950);
    expect(third.untilMs - second.untilMs).toBeLessThan(1050);

    // j2 asking again before its slot keeps its reservation instead of taking a new one.
    const again = await delayOf(machineB.forJob('j2').acquire('spaced.example', p));
    expect(Math.abs(again.untilMs - second.untilMs)).toBeLessThan(50);
    expect(await connA.exists(`${env.prefix}:pace:spaced.example:r:j2`)).toBe(1);

    // Back at its slot (as a delayed job is), j2 goes, and its reservation is used up.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, second.untilMs - Date.now())));
    const lease = await machineB.forJob('j2').acquire('spaced.example', p);
    lease.release();
    expect(await connA.exists(`${env.prefix}:pace:spaced.example:r:j2`)).toBe(0);
  });

  it('sleeps through a short wait instead of delaying the job', async () => {
    const p = policy({ intervalMs: 200 });
    (await machineA.forJob('s1').acquire('short.example', p)).release();
    const lease = await machineB.forJob('s2').acquire('short.example', p);
    lease.release();
    expect(lease.waitedMs).toBeGreaterThanOrEqual(150);
    expect(lease.waitedMs).toBeLessThan(300);
  });

  it('lets a burst through back to back, then holds to the rate', async () => {
    const p = policy({ intervalMs: 400, burst: 3 });
    for (const [i, m] of [machineA, machineB, machineA].entries()) {
      const lease = await m.forJob(`b${i}`).acquire('burst.example', p);
      expect(lease.waitedMs).toBeLessThan(100);
      lease.release();
    }
    const t = Date.now();
    const fourth = await delayOf(machineB.forJob('b3').acquire('burst.example', p));
    expect(fourth.untilMs - t).toBeGreaterThan(300);
    expect(fourth.untilMs - t).toBeLessThanOrEqual(450);
  });

  it('caps requests in flight to a host across machines', async () => {
    const p = policy({ maxConcurrency: 1 });
    const held = await machineA.forJob('c1').acquire('busy.example', p);
    const busy = await delayOf(machineB.forJob('c2').acquire('busy.example', p));
    expect(busy.untilMs).toBeGreaterThan(Date.now());
    held.release();
    // The release is fire-and-forget on A's connection; a command on A is ordered after it.
    await connA.ping();
    (await machineB.forJob('c2').acquire('busy.example', p)).release();
  });

  it('a lease of a worker that died expires instead of blocking the host', async () => {
    const shortLeases = createRedisPacer(connA, { prefix: env.prefix, leaseTtlMs: 300 });
    const p = policy({ maxConcurrency: 1 });
    const t0 = Date.now();
    await shortLeases.forJob('dead').acquire('dead.example', p); // never released
    // The next job is delayed and comes back (as a delayed job does) until the lease has expired.
    let delays = 0;
    for (;;) {
      try {
        (await machineB.forJob('next').acquire('dead.example', p)).release();
        break;
      } catch (err) {
        if (!(err instanceof PaceDelayError) || ++delays > 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, err.untilMs - Date.now())));
      }
    }
    expect(delays).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('holds a host off until the time its server asked for', async () => {
    const p = policy({ intervalMs: 0 });
    const until = Date.now() + 5000;
    machineA.holdOff('pause.example', until);
    const held = await delayOf(machineA.forJob('h1').acquire('pause.example', p));
    expect(Math.abs(held.untilMs - until)).toBeLessThan(100);
    // A shorter pause asked later does not shorten it.
    machineB.holdOff('pause.example', Date.now() + 1000);
    const still = await delayOf(machineB.forJob('h2').acquire('pause.example', p));
    expect(still.untilMs).toBeGreaterThan(until - 100);
  });
});
