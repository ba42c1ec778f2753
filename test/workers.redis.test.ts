/**
 * REDIS_URL in its three shapes (one server, Sentinel, Cluster), and a real connection through a
 * Redis Sentinel the test starts; errors are one line naming REDIS_URL, without the password.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError, VocError } from '../core/errors.js';
import { connectForCommand, createRedis, parseRedisUrl, queueEnvFromProcess } from '../workers/redis.js';
import { openQueues } from '../workers/queues.js';
import { freePort, PrivateRedis } from './fixtures/workers/redis.js';

describe('REDIS_URL', () => {
  it('reads one server, Sentinel and Cluster URLs', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({ mode: 'standalone', nodes: [{ host: '127.0.0.1', port: 6380 }], tls: false, db: 2 });
    expect(parseRedisUrl('rediss://:s3cret@cache.example:6390')).toEqual({ mode: 'standalone', nodes: [{ host: 'cache.example', port: 6390 }], tls: true, password: 's3cret' });
    expect(parseRedisUrl('redis+sentinel://:pw@s1:26379,s2,s3:26380/mymaster/1')).toEqual({
      mode: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: 's3', port: 26380 },
      ],
      tls: false,
      password: 'pw',
      masterName: 'mymaster',
      db: 1,
    });
    expect(parseRedisUrl('redis+cluster://n1:7000,n2:7001')).toEqual({ mode: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }], tls: false });
  });

  it('gives the Cluster prefix a hash tag so every voc key lands in one slot', () => {
    expect(queueEnvFromProcess({ REDIS_URL: 'redis+cluster://n1:7000', VOC_QUEUE_PREFIX: 'voc' })).toEqual({ redisUrl: 'redis+cluster://n1:7000', prefix: '{voc}' });
    expect(queueEnvFromProcess({ REDIS_URL: 'redis+cluster://n1:7000', VOC_QUEUE_PREFIX: '{acme}' })!.prefix).toBe('{acme}');
    expect(queueEnvFromProcess({ REDIS_URL: 'redis://h:6379' })).toEqual({ redisUrl: 'redis://h:6379', prefix: 'voc' });
    expect(queueEnvFromProcess({})).toBeUndefined();
  });

  it('rejects malformed URLs with one line that names REDIS_URL and hides the password', () => {
    const bad = ['http://h:6379', 'redis://h:99999', 'redis+sentinel://s1:26379', 'redis://a:1,b:2', 'redis://h:6379/x', 'redis+cluster://n1:7000/0'];
    for (const url of bad) expect(() => parseRedisUrl(url), url).toThrow(InputError);
    expect(() => parseRedisUrl('redis+sentinel://:hunter2@s1:26379')).toThrow(
      'REDIS_URL: the Sentinel master name is missing (…/mymaster); expected redis://host:6379, rediss://..., redis+sentinel://s1:26379,s2:26379/mymaster or redis+cluster://n1:7000,n2:7001 (got "redis+sentinel://:***@s1:26379")',
    );
  });

  it('a short command fails in one line when Redis cannot be reached', async () => {
    const port = await freePort();
    const err = await connectForCommand({ redisUrl: `redis://:topsecret@127.0.0.1:${port}`, prefix: 'voc' }, 500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VocError);
    expect((err as VocError).message).toMatch(new RegExp(`^cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(.+\\); check REDIS_URL and that Redis is running$`));
    expect((err as VocError).message).not.toContain('topsecret');
  });
});

describe('through Redis Sentinel', () => {
  let master: PrivateRedis;
  let sentinel: ChildProcess | undefined;

  afterAll(async () => {
    if (sentinel && sentinel.exitCode === null) {
      const exited = new Promise((resolve) => sentinel!.once('exit', resolve));
      sentinel.kill('SIGTERM');
      await exited;
    }
    await master?.stop();
  });

  it('finds the master through the sentinel and runs the queues on it', async () => {
    master = new PrivateRedis(await freePort());
    await master.start();
    const sentinelPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'voc-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${master.port} 1\n`);
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: sentinel!.stdout! }).on('line', (line) => {
        if (/\+monitor master mymaster/.test(line)) resolve();
      });
      sentinel!.once('exit', (code) => reject(new Error(`sentinel exited with ${code}`)));
    });

    const env = { redisUrl: `redis+sentinel://127.0.0.1:${sentinelPort}/mymaster`, prefix: 'voc' };
    const client = createRedis(env);
    const queues = openQueues(client, env.prefix);
    try {
      await queues.classify.add('classify', { runId: 'r', postIds: ['a'] }, { jobId: 'through-sentinel' });
      expect(await queues.classify.getJobCounts('waiting')).toEqual({ waiting: 1 });
      // The job really is on the master the sentinel pointed to.
      const direct = createRedis({ redisUrl: master.url, prefix: 'voc' });
      expect(await direct.exists('voc:classify:through-sentinel')).toBe(1);
      direct.disconnect();
    } finally {
      await queues.close();
      client.disconnect();
    }
  });
});
