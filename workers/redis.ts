/**
 * Redis connections for the queue path. BullMQ workers block on Redis, so their connections must
 * retry forever (`maxRetriesPerRequest: null`); a Redis restart is then survived by reconnecting,
 * and commands issued while Redis is away wait in ioredis' offline queue instead of failing.
 *
 * One environment variable says where Redis is, in one of three shapes (see docs/workers.md):
 *
 *   redis://[:password@]host:6379[/db]                 one server (rediss:// for TLS)
 *   redis+sentinel://[:password@]s1:26379,s2:26379/mymaster[/db]   Redis Sentinel
 *   redis+cluster://[:password@]n1:7000,n2:7001         Redis Cluster
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { InputError, VocError } from '../core/errors.js';

/** A connection to standalone/Sentinel Redis or to a Cluster; both speak the same commands. */
export type RedisClient = Redis | Cluster;

export type RedisMode = 'standalone' | 'sentinel' | 'cluster';

export interface QueueEnv {
  redisUrl: string;
  /**
   * Key prefix of every queue and run key; tests use their own so they never touch real queues.
   * On a Cluster it is a hash tag (`{voc}`) so that every key of voc lands in one slot, which
   * BullMQ's and voc's multi-key Lua scripts require.
   */
  prefix: string;
}

interface HostPort {
  host: string;
  port: number;
}

/** What a REDIS_URL says, parsed once. */
export interface RedisTarget {
  mode: RedisMode;
  nodes: HostPort[];
  password?: string;
  username?: string;
  db?: number;
  tls: boolean;
  /** Sentinel master name. */
  masterName?: string;
}

/** Reads REDIS_URL / VOC_QUEUE_PREFIX; undefined when REDIS_URL is unset (in-process mode). */
export function queueEnvFromProcess(env: NodeJS.ProcessEnv = process.env): QueueEnv | undefined {
  const redisUrl = env.REDIS_URL?.trim();
  if (!redisUrl) return undefined;
  const target = parseRedisUrl(redisUrl);
  let prefix = env.VOC_QUEUE_PREFIX?.trim() || 'voc';
  if (/[\s]/.test(prefix)) throw new InputError(`VOC_QUEUE_PREFIX: no spaces allowed, got "${prefix}"`);
  if (target.mode === 'cluster' && !/\{[^}]+\}/.test(prefix)) prefix = `{${prefix}}`;
  return { redisUrl, prefix };
}

/** Parses the three REDIS_URL shapes; a malformed one is an InputError naming REDIS_URL. */
export function parseRedisUrl(redisUrl: string): RedisTarget {
  const bad = (why: string) =>
    new InputError(
      `REDIS_URL: ${why}; expected redis://host:6379, rediss://..., redis+sentinel://s1:26379,s2:26379/mymaster or redis+cluster://n1:7000,n2:7001 (got "${maskPassword(redisUrl)}")`,
    );
  const m = /^(rediss?|redis\+sentinel|redis\+cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?$/.exec(redisUrl);
  if (!m) throw bad('not a Redis URL');
  const [, scheme, auth, hostList, path = ''] = m;
  const nodes = hostList!.split(',').map((hp) => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hp.trim());
    if (!hm) throw bad(`cannot read host "${hp}"`);
    const port = hm[2] ? Number(hm[2]) : scheme === 'redis+sentinel' ? 26379 : 6379;
    if (!(port > 0 && port < 65536)) throw bad(`bad port in "${hp}"`);
    return { host: hm[1]!.replace(/^\[|\]$/g, ''), port };
  });
  let username: string | undefined;
  let password: string | undefined;
  if (auth) {
    const i = auth.indexOf(':');
    username = decodeURIComponent(i < 0 ? '' : auth.slice(0, i)) || undefined;
    password = decodeURIComponent(i < 0 ? auth : auth.slice(i + 1)) || undefined;
  }
  const segments = path.split('/').filter(Boolean);
  const readDb = (s: string | undefined) => {
    if (s === undefined) return undefined;
    if (!/^\d+$/.test(s)) throw bad(`database "${s}" is not a number`);
    return Number(s);
  };
  const base = { nodes, tls: scheme === 'rediss', ...(password ? { password } : {}), ...(username ? { username } : {}) };
  if (scheme === 'redis+sentinel') {
    const masterName = segments[0];
    if (!masterName) throw bad('the Sentinel master name is missing (…/mymaster)');
    const db = readDb(segments[1]);
    return { mode: 'sentinel', ...base, masterName, ...(db !== undefined ? { db } : {}) };
  }
  if (scheme === 'redis+cluster') {
    if (segments.length) throw bad('a Cluster has no database number');
    return { mode: 'cluster', ...base };
  }
  if (nodes.length !== 1) throw bad('one host expected (use redis+sentinel:// or redis+cluster:// for several)');
  const db = readDb(segments[0]);
  return { mode: 'standalone', ...base, ...(db !== undefined ? { db } : {}) };
}

/**
 * A new connection. `maxRetriesPerRequest: null` is what BullMQ requires of worker connections
 * and what lets every other voc command ride out a Redis restart.
 */
export function createRedis(env: QueueEnv, extra: Partial<RedisOptions> = {}): RedisClient {
  const t = parseRedisUrl(env.redisUrl);
  const common: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(t.password ? { password: t.password } : {}),
    ...(t.username ? { username: t.username } : {}),
    ...(t.tls ? { tls: {} } : {}),
    ...extra,
  };
  const client: RedisClient =
    t.mode === 'cluster'
      ? new Cluster(t.nodes, { redisOptions: common, enableReadyCheck: true })
      : t.mode === 'sentinel'
        ? new Redis({ ...common, sentinels: t.nodes, name: t.masterName!, ...(t.db !== undefined ? { db: t.db } : {}) })
        : new Redis({ ...common, host: t.nodes[0]!.host, port: t.nodes[0]!.port, ...(t.db !== undefined ? { db: t.db } : {}) });
  // While Redis is away every reconnect attempt emits 'error'; the commands themselves wait (or
  // fail) and say so where it matters, so the raw events are not printed as "unhandled".
  client.on('error', () => undefined);
  return client;
}

/**
 * A connection for a short command (`voc status`, `voc jobs ...`): unlike a worker's, it gives up
 * when Redis cannot be reached, so the command ends with one line instead of hanging.
 */
export async function connectForCommand(env: QueueEnv, timeoutMs = 5000): Promise<RedisClient> {
  const client = createRedis(env, {
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: (times: number) => (times > 3 ? null : 250),
  });
  try {
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    throw new VocError(
      `cannot reach Redis at ${maskPassword(env.redisUrl)} (${(err as Error).message.split('\n')[0]}); check REDIS_URL and that Redis is running`,
    );
  }
}

/** Closes a connection without waiting for a server that may be gone. */
export function closeRedis(client: RedisClient): void {
  client.disconnect();
}

/** The URL with its password replaced by `***`, for messages. */
export function maskPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@').replace(/\/\/([^:@/]+)@/, '//***@');
}
