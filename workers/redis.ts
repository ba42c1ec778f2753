/**
 * Redis connections for the queue path. BullMQ workers block on Redis, so their connections must
 * retry forever (`maxRetriesPerRequest: null`); a Redis restart is then survived by reconnecting.
 */
import { Redis } from 'ioredis';
import { InputError } from '../core/errors.js';

export interface QueueEnv {
  redisUrl: string;
  /** Key prefix of every queue and run key; tests use their own so they never touch real queues. */
  prefix: string;
}

/** Reads REDIS_URL / VOC_QUEUE_PREFIX; undefined when REDIS_URL is unset (in-process mode). */
export function queueEnvFromProcess(env: NodeJS.ProcessEnv = process.env): QueueEnv | undefined {
  const redisUrl = env.REDIS_URL?.trim();
  if (!redisUrl) return undefined;
  if (!/^rediss?:\/\//.test(redisUrl)) throw new InputError(`REDIS_URL: expected redis://host:port or rediss://..., got "${redisUrl}"`);
  return { redisUrl, prefix: env.VOC_QUEUE_PREFIX?.trim() || 'voc' };
}

export function createRedis(env: QueueEnv): Redis {
  return new Redis(env.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
