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
import { errorText, InputError, VocError, type Bilingual } from '../core/errors.js';

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
  if (/[\s]/.test(prefix))
    throw new InputError({ en: `VOC_QUEUE_PREFIX: no spaces allowed, got "${prefix}"`, zh: `VOC_QUEUE_PREFIX：不能含空格，实际为“${prefix}”` });
  if (target.mode === 'cluster' && !/\{[^}]+\}/.test(prefix)) prefix = `{${prefix}}`;
  return { redisUrl, prefix };
}

/** Parses the three REDIS_URL shapes; a malformed one is an InputError naming REDIS_URL. */
export function parseRedisUrl(redisUrl: string): RedisTarget {
  const bad = (why: Bilingual) =>
    new InputError({
      en: `REDIS_URL: ${why.en}; expected redis://host:6379, rediss://..., redis+sentinel://s1:26379,s2:26379/mymaster or redis+cluster://n1:7000,n2:7001 (got "${maskPassword(redisUrl)}")`,
      zh: `REDIS_URL：${why.zh}；应为 redis://host:6379、rediss://...、redis+sentinel://s1:26379,s2:26379/mymaster 或 redis+cluster://n1:7000,n2:7001（实际为“${maskPassword(redisUrl)}”）`,
    });
  const m = /^(rediss?|redis\+sentinel|redis\+cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?$/.exec(redisUrl);
  if (!m) throw bad({ en: 'not a Redis URL', zh: '不是 Redis URL' });
  const [, scheme, auth, hostList, path = ''] = m;
  const nodes = hostList!.split(',').map((hp) => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hp.trim());
    if (!hm) throw bad({ en: `cannot read host "${hp}"`, zh: `无法读取主机“${hp}”` });
    const port = hm[2] ? Number(hm[2]) : scheme === 'redis+sentinel' ? 26379 : 6379;
    if (!(port > 0 && port < 65536)) throw bad({ en: `bad port in "${hp}"`, zh: `“${hp}”中的端口无效` });
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
    if (!/^\d+$/.test(s)) throw bad({ en: `database "${s}" is not a number`, zh: `数据库“${s}”不是数字` });
    return Number(s);
  };
  const base = { nodes, tls: scheme === 'rediss', ...(password ? { password } : {}), ...(username ? { username } : {}) };
  if (scheme === 'redis+sentinel') {
    const masterName = segments[0];
    if (!masterName) throw bad({ en: 'the Sentinel master name is missing (…/mymaster)', zh: '缺少 Sentinel 主节点名称（…/mymaster）' });
    const db = readDb(segments[1]);
    return { mode: 'sentinel', ...base, masterName, ...(db !== undefined ? { db } : {}) };
  }
  if (scheme === 'redis+cluster') {
    if (segments.length) throw bad({ en: 'a Cluster has no database number', zh: 'Cluster 不使用数据库编号' });
    return { mode: 'cluster', ...base };
  }
  if (nodes.length !== 1)
    throw bad({
      en: 'one host expected (use redis+sentinel:// or redis+cluster:// for several)',
      zh: '只能有一个主机（多个主机请用 redis+sentinel:// 或 redis+cluster://）',
    });
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
    throw new VocError({
      en: `cannot reach Redis at ${maskPassword(env.redisUrl)} (${(err as Error).message.split('\n')[0]}); check REDIS_URL and that Redis is running`,
      zh: `无法连接 ${maskPassword(env.redisUrl)} 上的 Redis（${errorText(err as Error, 'zh-CN').split('\n')[0]}）；请检查 REDIS_URL，并确认 Redis 正在运行`,
    });
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
