/**
 * `voc worker`: runs the processors of the chosen queues in this process. Any number of worker
 * processes on any number of machines may share one Redis (and MongoDB, or one embedded data
 * directory on one machine). A worker that dies mid-job loses nothing: BullMQ's stalled-job check
 * hands the job to another worker, and every processor is idempotent.
 */
import { Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StageDeps } from './deps.js';
import { openQueues, type QueueName } from './queues.js';
import { RunTracker } from './run-tracker.js';
import { classifyProcessor, crawlProcessor, reportProcessor, type ProcessorContext } from './processors.js';
import type { QueueEnv } from './redis.js';
import { createRedis } from './redis.js';

export interface WorkerOptions {
  queues: QueueName[];
  concurrency: number;
  /** Called with one line per finished or failed job (the CLI prints them). */
  onEvent?: (line: string) => void;
}

export interface RunningWorkers {
  /** Stops taking jobs and waits for the active ones (bounded by `timeoutMs`, then hands them back). */
  close(timeoutMs?: number): Promise<void>;
}

export async function startWorkers(deps: StageDeps, env: QueueEnv, opts: WorkerOptions): Promise<RunningWorkers> {
  const connection: Redis = createRedis(env);
  const queues = openQueues(connection, env.prefix);
  const ctx: ProcessorContext = { deps, queues, tracker: new RunTracker(connection, env.prefix) };
  const processors = { crawl: crawlProcessor(ctx), classify: classifyProcessor(ctx), report: reportProcessor(ctx) };
  const workers = opts.queues.map((name) => {
    // Each Worker gets its own blocking connection; BullMQ duplicates the one passed in.
    const w = new Worker(name, processors[name] as Processor, {
      connection: createRedis(env),
      prefix: env.prefix,
      concurrency: name === 'crawl' ? opts.concurrency : Math.max(1, Math.ceil(opts.concurrency / 2)),
      // Rendering a PDF can take long; the lock is renewed while the job runs.
      lockDuration: name === 'report' ? 120_000 : 30_000,
      stalledInterval: 5_000,
      maxStalledCount: 2,
    });
    w.on('completed', (job) => opts.onEvent?.(`${name} ${job.id} done`));
    w.on('failed', (job, err) => opts.onEvent?.(`${name} ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`));
    w.on('error', (err) => opts.onEvent?.(`${name} worker error: ${err.message}`));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    async close(timeoutMs = 30_000) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // Past the bound, force-close: the unfinished jobs' locks expire and another worker takes them.
      if ((await Promise.race([graceful, timeout])) === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
      if (timer) clearTimeout(timer);
      await queues.close();
      connection.disconnect();
    },
  };
}
