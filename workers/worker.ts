/**
 * `voc worker`: runs the processors of the chosen queues in this process. Any number of worker
 * processes on any number of machines may share one Redis (and MongoDB, or one embedded data
 * directory on one machine).
 *
 * Losing nothing when a process dies:
 *  - SIGKILL, power loss: the job's lock (`lockDurationMs`) is no longer renewed; another worker's
 *    stalled-job check (every `stalledIntervalMs`) puts it back in the queue, and because every
 *    processor is idempotent the second run writes nothing twice.
 *  - SIGTERM / SIGINT: `close(timeoutMs)` stops taking jobs and lets the active ones finish; at
 *    the bound it aborts them, and each aborted job hands itself back to the queue (`moveToWait`)
 *    for another worker, so shutdown is bounded and still loses nothing.
 */
import { resolve } from 'node:path';
import { Worker, type Job, type Processor } from 'bullmq';
import type { StageDeps } from './deps.js';
import { createMetricsRecorder, type MetricsRecorder } from './metrics.js';
import { processorsFor, type ProcessorContext } from './processors.js';
import { openQueues, type QueueName } from './queues.js';
import { createRedisPacer } from './redis-pacer.js';
import { closeRedis, createRedis, type QueueEnv } from './redis.js';
import { RunTracker } from './run-tracker.js';

export interface WorkerOptions {
  queues: QueueName[];
  /** Jobs in flight per queue in this process. */
  concurrency: number;
  /** How long a job's lock lasts without renewal: the recovery time after a SIGKILL (default 30 s). */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (default: the lock duration). */
  stalledIntervalMs?: number;
  /** Folder of scheduled reports (default ./reports). */
  reportDir?: string;
  /** Called with one line per job event (the CLI prints them with VOC_LOG_JOBS=1). */
  onEvent?: (line: string) => void;
  /** Clock for missed-run handling (tests). */
  now?: () => number;
}

export interface RunningWorkers {
  /**
   * Stops taking jobs and waits up to `timeoutMs` for the active ones; then aborts the rest,
   * which hand themselves back to the queue. Resolves when everything is closed.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Starts one BullMQ Worker per queue; resolves once all are connected and ready. */
export async function startWorkers(deps: StageDeps, env: QueueEnv, opts: WorkerOptions): Promise<RunningWorkers> {
  // Build the classifier now (seconds, blocking the event loop), not inside the first job, where
  // the stall would hold every other job of this process and their locks.
  void deps.classifier.lexiconVersion;
  const connection = createRedis(env);
  const queues = openQueues(connection, env.prefix);
  const metrics: MetricsRecorder = createMetricsRecorder(connection, env.prefix);
  const ctx: ProcessorContext = {
    deps,
    queues,
    tracker: new RunTracker(connection, env.prefix),
    redis: connection,
    prefix: env.prefix,
    // Politeness shared with every other worker (the crawl context's own pacer is per process).
    pacer: createRedisPacer(connection, { prefix: env.prefix }),
    metrics,
    reportDir: resolve(opts.reportDir ?? 'reports'),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  };
  const processors = processorsFor(ctx);
  const lockDuration = opts.lockDurationMs ?? 30_000;
  const blocking = opts.queues.map(() => createRedis(env));
  const workers = opts.queues.map((name, i) => {
    const processor = processors[name];
    // Three declared parameters: BullMQ passes the abort signal only to such processors.
    const timed: Processor = async (job: Job, token?: string, signal?: AbortSignal) => {
      const started = performance.now();
      try {
        const result = await processor(job as Job<never>, token, signal);
        metrics.job(name, 'completed', (performance.now() - started) / 1000);
        return result;
      } catch (err) {
        const e = err as Error;
        const outcome = e.name === 'DelayedError' ? 'delayed' : e.name === 'WaitingError' ? 'handed_back' : 'failed';
        metrics.job(name, outcome, (performance.now() - started) / 1000);
        throw err;
      }
    };
    const w = new Worker(name, timed, {
      connection: blocking[i]!,
      prefix: env.prefix,
      // Crawl jobs wait on the network: all the concurrency. Classification is CPU-bound, but two
      // jobs at once let one compute while the other's Redis round trip is in flight.
      concurrency: name === 'crawl' ? opts.concurrency : name === 'classify' ? Math.max(2, Math.ceil(opts.concurrency / 2)) : Math.max(1, Math.ceil(opts.concurrency / 2)),
      // A report renders a PDF: a longer lock so a slow render is not mistaken for a dead worker.
      lockDuration: name === 'report' ? Math.max(lockDuration, 120_000) : lockDuration,
      stalledInterval: opts.stalledIntervalMs ?? lockDuration,
      maxStalledCount: 2,
    });
    w.on('completed', (job) => opts.onEvent?.(`${name} ${job.id} done`));
    w.on('failed', (job, err) => opts.onEvent?.(`${name} ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message.split('\n')[0]}`));
    w.on('error', (err) => opts.onEvent?.(`${name} worker error: ${err.message.split('\n')[0]}`));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  let closing: Promise<void> | undefined;
  return {
    close(timeoutMs = 30_000) {
      closing ??= (async () => {
        const graceful = Promise.all(workers.map((w) => w.close()));
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<'timeout'>((done) => {
          timer = setTimeout(() => done('timeout'), timeoutMs);
        });
        if ((await Promise.race([graceful, bound])) === 'timeout') {
          // Abort what is still running: each aborted job hands itself back (moveToWait).
          for (const w of workers) w.cancelAllJobs('shutdown');
          const handedBack = new Promise<'timeout'>((done) => {
            timer = setTimeout(() => done('timeout'), 5_000);
          });
          // A processor deaf to the signal (a CPU-bound batch) must not hold the exit: force-close;
          // its lock expires and the stalled check of another worker takes the job.
          if ((await Promise.race([graceful, handedBack])) === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
        }
        if (timer) clearTimeout(timer);
        await queues.close();
        closeRedis(connection);
        for (const b of blocking) closeRedis(b);
      })();
      return closing;
    },
  };
}
