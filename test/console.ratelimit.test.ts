/**
 * The login rate limit with REDIS_URL: two console servers (two `voc serve` replicas) on one real
 * Redis (own key prefix) count against one limit, so a guesser gains nothing by spreading
 * attempts over replicas. Without Redis each process counts alone (test/console.api.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { api, PASSWORDS, startConsole, type ConsoleFixture } from './console.fixture.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';

const env = testQueueEnv('console-limit');
let redis: RedisClient;
let queues: Queues;
let one: ConsoleFixture;
let two: ConsoleFixture;

beforeAll(async () => {
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
  const limit = { max: 4, windowMs: 60_000 };
  one = await startConsole({ queues, queuePrefix: env.prefix, loginLimit: limit });
  two = await startConsole({ queues, queuePrefix: env.prefix, loginLimit: limit });
});

afterAll(async () => {
  await one?.close();
  await two?.close();
  await queues?.close();
  redis?.disconnect();
  await dropPrefix(env.redisUrl, env.prefix);
});

const login = async (fx: ConsoleFixture, password: string) => {
  const res = await api(fx.base, undefined, 'POST', '/api/login', { username: 'analyst', password }, { 'accept-language': 'en' });
  return { status: res.status, body: (await res.json()) as { error?: string; role?: string } };
};

describe('login rate limit in Redis', () => {
  it('is shared by two server instances', async () => {
    // Attempts alternate between the replicas; each alone has seen only two of the four.
    const statuses = [];
    for (const fx of [one, two, one, two]) statuses.push((await login(fx, 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    // The fifth attempt is refused by either replica, even with the right password.
    const fifth = await login(one, PASSWORDS.analyst);
    const sixth = await login(two, PASSWORDS.analyst);
    expect([fifth.status, sixth.status]).toEqual([429, 429]);
    expect(sixth.body).toEqual({ error: 'too many attempts: wait a minute and try again' });
    // The counter is one key under the queue prefix, expiring with the window.
    const keys = await redis.keys(`${env.prefix}:ratelimit:*`);
    expect(keys).toEqual([`${env.prefix}:ratelimit:POST/api/login-127.0.0.1`]);
    expect(await redis.get(keys[0]!)).toBe('6');
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
