/**
 * `npm run bench:queue -- --json [--posts 100000] [--batch 500] [--rounds 2]`
 *
 * Classification throughput of 100k demo-like posts (the demo corpus' texts, each made unique),
 * three ways, each on its own copy of the same embedded store:
 *
 *   in_process  this process: batches of `--batch` post ids -> classifyPosts (the stage itself)
 *   bullmq_1    the same batches as `classify` jobs of one flow, done by one `voc worker` process
 *   bullmq_2    ... by two `voc worker` processes
 *
 * and prints one JSON object: posts_per_s of each, and `ratio` = bullmq_1 / in_process (queue
 * overhead; it must stay >= 0.85). Start-up is not timed, for any of the three: worker processes
 * load the lexicons, and every process first classifies a warm-up set of other posts (4000 per
 * process, in jobs of 250 so that every worker process gets its share), because the first few thousand classifications
 * of a fresh process run several times slower while V8 compiles the hot paths. The clock then
 * starts when the first measured job is enqueued and stops when the flow's `finish` job has closed
 * the run. Each contender runs `--rounds` times on a fresh copy of the store, in a rotating order,
 * and its best round counts: on a shared machine the slowest rounds measure the neighbours.
 *
 * Each result also has the CPU seconds the work took (the worker processes and this one, from
 * /proc on Linux) and `posts_per_cpu_s`; `cpu_ratio` compares those. On a loaded machine the wall
 * clock mostly says how much CPU each process was given; the CPU figures say what the work costs. Needs REDIS_URL (default redis://127.0.0.1:6379); uses
 * its own key prefix and deletes it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FlowJob } from 'bullmq';
import { stringify } from 'yaml';
import { parseConfig, type VocConfig } from '../core/config.js';
import type { Post } from '../core/types.js';
import { createClassifier } from '../analysis/index.js';
import { DEMO_BRANDS, loadDemoPosts } from '../demo/corpus/index.js';
import { EMBEDDED_DB_FILE, openEmbeddedStore } from '../store/embedded.js';
import { classifyJobId, finishJobId } from '../workers/job-ids.js';
import { childJobOptions, DEFAULT_JOB_OPTIONS, JOB, openQueues } from '../workers/queues.js';
import { closeRedis, createRedis, type QueueEnv } from '../workers/redis.js';
import { RunTracker } from '../workers/run-tracker.js';
import { classifyPosts } from '../workers/stages.js';
import { benchOptions, count, flag } from './options.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VOC_BIN = join(ROOT, 'bin', 'voc.js');

const OPTIONS = {
  json: flag('print one JSON object instead of the text report'),
  posts: count(100_000, 'posts to classify through the queues'),
  batch: count(500, 'posts per classify job'),
  rounds: count(2, 'runs of each mode, the best kept'),
};

/** Texts of the demo corpus (brand, text); the hand-written sources when the jsonl is not generated. */
function demoTexts(): Array<{ brand: string; text: string }> {
  try {
    return loadDemoPosts().map((p) => ({ brand: p.brand, text: p.text }));
  } catch {
    const out: Array<{ brand: string; text: string }> = [];
    const dir = join(ROOT, 'demo', 'corpus');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.posts'))) {
      const brand = f.replace(/\.posts$/, '');
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n'))
        if (line.trim().length > 15 && !/^[#=]/.test(line.trim())) out.push({ brand, text: line.trim() });
    }
    if (out.length === 0) throw new Error('no demo texts found (demo/data/posts.jsonl or demo/corpus/*.posts)');
    return out;
  }
}

/** Warm-up per process (source `warm` posts), classified before any clock starts. */
const WARM_UP_POSTS = 4000;
const WARM_UP_JOBS = 16;
/** Warm-up posts in the store: enough for the largest number of worker processes. */
const MAX_WORKERS = 2;

/** `n` demo-like posts: corpus texts in turn, each with a distinct suffix so every post is unique. */
function makePosts(n: number, source = 'bench'): Post[] {
  const texts = demoTexts();
  const brands = new Set(DEMO_BRANDS.map((b) => b.id));
  const start = Date.parse('2026-10-01T00:00:00Z');
  const posts: Post[] = [];
  for (let i = 0; i < n; i++) {
    const src = texts[i % texts.length]!;
    const text = `${src.text}（${source} #${i}）`;
    const externalId = String(i);
    posts.push({
      id: `${source}:${externalId}`,
      source,
      externalId,
      url: `https://bench.example/p/${i}`,
      text,
      lang: 'zh',
      publishedAt: new Date(start + (i % 30) * 86_400_000 + i).toISOString(),
      collectedAt: '2026-11-01T00:00:00.000Z',
      engagement: {},
      contentHash: createHash('sha256').update(text).digest('hex'),
      targetId: 'bench',
      brand: brands.has(src.brand) ? src.brand : DEMO_BRANDS[0]!.id,
    });
  }
  return posts;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Starts `voc worker --queues classify`; resolves when it says it started. */
function startWorker(configFile: string, env: QueueEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [VOC_BIN, '--config', configFile, '--lang', 'en', 'worker', '--queues', 'classify', '--concurrency', '2'], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: env.redisUrl, VOC_QUEUE_PREFIX: env.prefix, VOC_AUTHOR_SECRET: 'bench-secret-0123456789abcdef' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('worker started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`voc worker exited with ${code} before it was ready`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Result {
  posts_per_s: number;
  seconds: number;
  posts: number;
  /** CPU seconds spent by the processes doing the work (Linux /proc; absent elsewhere). */
  cpu_s?: number;
  /** Posts per CPU second: what the work costs, whatever share of the CPU the machine gave it. */
  posts_per_cpu_s?: number;
}

/** CPU seconds (user + system) of a child process so far, from /proc; undefined off Linux. */
function childCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function result(posts: number, seconds: number, cpu: number | undefined): Result {
  return {
    posts_per_s: Math.round(posts / seconds),
    seconds: round(seconds),
    posts,
    ...(cpu !== undefined ? { cpu_s: round(cpu), posts_per_cpu_s: Math.round(posts / cpu) } : {}),
  };
}

/** Unclassified ids of the measured set and of the warm-up set. */
async function idSets(store: ReturnType<typeof openEmbeddedStore>, lexiconVersion: string): Promise<{ ids: string[]; warm: string[] }> {
  const all = await store.listUnclassified(lexiconVersion);
  return { ids: all.filter((id) => id.startsWith('bench:')), warm: all.filter((id) => id.startsWith('warm:')) };
}

async function inProcess(config: VocConfig, dataDir: string, batch: number): Promise<Result> {
  const store = openEmbeddedStore(dataDir);
  const classifier = createClassifier(config);
  try {
    const { ids, warm } = await idSets(store, classifier.lexiconVersion);
    for (const chunk of chunks(warm.slice(0, WARM_UP_POSTS), WARM_UP_POSTS / WARM_UP_JOBS)) await classifyPosts(store, classifier, chunk);
    const t = performance.now();
    const cpu0 = ownCpuSeconds();
    let n = 0;
    for (const chunk of chunks(ids, batch)) n += await classifyPosts(store, classifier, chunk);
    const seconds = (performance.now() - t) / 1000;
    return result(n, seconds, ownCpuSeconds() - cpu0);
  } finally {
    await store.close();
  }
}

async function throughBullmq(config: VocConfig, dataDir: string, batch: number, workers: number, redisUrl: string): Promise<Result> {
  const env: QueueEnv = { redisUrl, prefix: `voc-bench-${randomBytes(4).toString('hex')}` };
  const configFile = join(dataDir, 'voc.config.yaml');
  writeFileSync(configFile, stringify({ ...config, dataDir }));
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(configFile, env)));
  const redis = createRedis(env);
  const subscriber = createRedis(env);
  const queues = openQueues(redis, env.prefix);
  const tracker = new RunTracker(redis, env.prefix);
  const store = openEmbeddedStore(dataDir);
  /** One flow of classification batches; resolves with the run once `finish` has closed it. */
  const classifyAll = async (postIds: string[], size: number) => {
    const runId = `bench-${randomBytes(3).toString('hex')}`;
    await tracker.start({ id: runId, kind: 'classify', targetIds: [], startedAt: new Date().toISOString() });
    const children: FlowJob[] = chunks(postIds, size).map((batchIds, i) => ({
      name: JOB.classify,
      queueName: 'classify',
      data: { runId, postIds: batchIds },
      opts: childJobOptions('classify', classifyJobId(`${runId}-b${i}`)),
    }));
    await queues.flow.add({ name: JOB.finish, queueName: 'classify', data: { runId, last: true }, opts: { ...DEFAULT_JOB_OPTIONS.classify, jobId: finishJobId(runId) }, children });
    return tracker.waitForCompletion(subscriber, runId, undefined, 200);
  };
  try {
    const { ids, warm } = await idSets(store, createClassifier(config).lexiconVersion);
    await classifyAll(warm.slice(0, WARM_UP_POSTS * workers), WARM_UP_POSTS / WARM_UP_JOBS);
    // CPU of the worker processes plus this one (the producer); Redis' own is left out.
    const cpuNow = () => {
      const parts = children.map((c) => childCpuSeconds(c.pid));
      return parts.every((x) => x !== undefined) ? parts.reduce((a, b) => a! + b!, 0)! + ownCpuSeconds() : undefined;
    };
    const t = performance.now();
    const cpu0 = cpuNow();
    const run = await classifyAll(ids, batch);
    const seconds = (performance.now() - t) / 1000;
    const cpu1 = cpuNow();
    const n = run.stats.postsClassified;
    if (n !== ids.length) throw new Error(`bullmq_${workers}: classified ${n} of ${ids.length} posts`);
    return result(n, seconds, cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined);
  } finally {
    await Promise.all(children.map(stop));
    await store.close();
    await queues.close();
    await dropPrefix(redis, env.prefix);
    closeRedis(redis);
    closeRedis(subscriber);
  }
}

async function dropPrefix(redis: ReturnType<typeof createRedis>, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = (await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)) as [string, string[]];
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function main(): Promise<void> {
  const args = benchOptions('queue.js', OPTIONS);
  const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  const log = (msg: string) => {
    if (!args.json) console.log(msg);
    else process.stderr.write(`${msg}\n`);
  };
  const root = mkdtempSync(join(tmpdir(), 'voc-bench-queue-'));
  try {
    const config = parseConfig({ locale: 'en', dataDir: join(root, 'unused'), brands: DEMO_BRANDS });
    log(`building ${args.posts} posts...`);
    const seed = openEmbeddedStore(join(root, 'seed'));
    for (const part of chunks([...makePosts(WARM_UP_POSTS * MAX_WORKERS, 'warm'), ...makePosts(args.posts)], 5000)) await seed.upsertPosts(part);
    await seed.close(); // checkpoints the WAL: the .sqlite file alone is the store
    const contenders = {
      in_process: (dir: string) => inProcess(config, dir, args.batch),
      bullmq_1: (dir: string) => throughBullmq(config, dir, args.batch, 1, redisUrl),
      bullmq_2: (dir: string) => throughBullmq(config, dir, args.batch, 2, redisUrl),
    };
    type Name = keyof typeof contenders;
    const names = Object.keys(contenders) as Name[];
    const rounds: Record<Name, Result[]> = { in_process: [], bullmq_1: [], bullmq_2: [] };
    let copyNo = 0;
    for (let r = 0; r < args.rounds; r++) {
      // Rotate the order so no contender always runs first (cold disk cache) or last.
      for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
        const dir = join(root, `copy-${copyNo++}`);
        mkdirSync(dir, { recursive: true });
        copyFileSync(join(root, 'seed', EMBEDDED_DB_FILE), join(dir, EMBEDDED_DB_FILE));
        log(`round ${r + 1}: ${name}...`);
        const result = await contenders[name](dir);
        rounds[name].push(result);
        log(`  ${result.posts_per_s} posts/s`);
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (existsSync(join(root, 'seed', `${EMBEDDED_DB_FILE}-wal`))) throw new Error('seed store left a WAL behind');
    const best = (name: Name) => rounds[name].reduce((a, b) => (b.posts_per_s > a.posts_per_s ? b : a));
    const in_process = best('in_process');
    const bullmq_1 = best('bullmq_1');
    const bullmq_2 = best('bullmq_2');
    const result = {
      in_process,
      bullmq_1,
      bullmq_2,
      ratio: round(bullmq_1.posts_per_s / in_process.posts_per_s),
      ...(bullmq_1.posts_per_cpu_s && in_process.posts_per_cpu_s ? { cpu_ratio: round(bullmq_1.posts_per_cpu_s / in_process.posts_per_cpu_s) } : {}),
      scale_2_over_1: round(bullmq_2.posts_per_s / bullmq_1.posts_per_s),
      posts: args.posts,
      batch: args.batch,
      rounds: Object.fromEntries(names.map((n) => [n, rounds[n].map((x) => x.posts_per_s)])),
      cpus: cpus().length,
      load_average_1m: round(loadavg()[0]!),
    };
    if (args.json) console.log(JSON.stringify(result));
    else console.log(JSON.stringify(result, null, 2));
    if (result.ratio < 0.85) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`bench:queue: ${err.message}`);
  process.exitCode = 2;
});
