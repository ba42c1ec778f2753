/**
 * The producer side of a queued crawl (`voc crawl` with REDIS_URL, and every crawl schedule when it
 * fires). A run is one BullMQ flow:
 *
 *   report (optional: one job rendering each brand's report)
 *     └─ finish (classify queue: closes the run, saves it to the store)
 *          ├─ page 1 of each target ─┐ each page job adds its next page and a classification
 *          ├─ page 2 ...             │ batch of its new posts as further children of `finish`,
 *          └─ classify batch ...   ──┘ so `finish` runs only when all of them are done
 *
 * A child that fails for good is recorded as a run error and stops holding its parent, so the run
 * still ends (status failed only when no page at all could be fetched).
 */
import type { FlowJob } from 'bullmq';
import type { ReportSpec, Run, Target } from '../core/types.js';
import { newRunId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import { childJobOptions, DEFAULT_JOB_OPTIONS, JOB, openQueues, type CrawlJobData, type FinishJobData, type Queues, type ReportJobData } from './queues.js';
import { RunTracker, type RunProgress } from './run-tracker.js';
import { crawlJobId, finishJobId, reportJobId } from './job-ids.js';
import type { QueueEnv } from './redis.js';
import { closeRedis, createRedis } from './redis.js';
import type { QueuedTargetSummary } from './target-totals.js';

export interface EnqueueRunOptions {
  /** A given id makes enqueueing idempotent (scheduled runs); default a new time-sorted id. */
  runId?: string;
  /** Page cap per target for this run (the target's own maxPages still applies). */
  maxPages?: number;
  /** ISO instant: only posts published since then (`voc crawl --since`). */
  since?: string;
  /** Ignore the targets' stored validators this run (`voc crawl --refetch`): no 304, start pages fetched whole. */
  refetch?: boolean;
  /** Render these reports once every page is crawled and every new post classified. */
  report?: { specs: ReportSpec[]; outDir: string };
}

/**
 * Starts a run of `targets` as a flow; returns its id. Safe to call twice with the same `runId`:
 * the second call finds the run's `finish` job and adds nothing.
 */
export async function enqueueCrawlRun(queues: Queues, tracker: RunTracker, targets: Target[], opts: EnqueueRunOptions = {}): Promise<string> {
  const runId = opts.runId ?? newRunId();
  const finishId = finishJobId(runId);
  await tracker.start({ id: runId, kind: opts.report ? 'pipeline' : 'crawl', targetIds: targets.map((t) => t.id), startedAt: new Date().toISOString() });
  if (await queues.classify.getJob(finishId)) return runId;

  const pages: FlowJob[] = [];
  for (const target of targets) {
    const maxPages = Math.min(target.maxPages, opts.maxPages ?? Infinity);
    const id = crawlJobId(runId, target.id, target.url);
    // The producer claims the first pages under the finish id, like a page job claims its next page.
    if ((await tracker.claim(runId, finishId, 'page', [id])).length === 0) continue;
    const data: CrawlJobData = { runId, target, url: target.url, pageNo: 1, maxPages, ...(opts.since ? { since: opts.since } : {}), ...(opts.refetch ? { refetch: true } : {}) };
    pages.push({ name: JOB.page, queueName: 'crawl', data, opts: childJobOptions('crawl', id) });
  }
  const finish: FlowJob = {
    name: JOB.finish,
    queueName: 'classify',
    data: { runId, last: !opts.report } satisfies FinishJobData,
    opts: opts.report ? childJobOptions('classify', finishId) : { ...DEFAULT_JOB_OPTIONS.classify, jobId: finishId },
    children: pages,
  };
  const root: FlowJob = opts.report
    ? {
        name: JOB.report,
        queueName: 'report',
        data: { runId, specs: opts.report.specs, outDir: opts.report.outDir } satisfies ReportJobData,
        opts: { ...DEFAULT_JOB_OPTIONS.report, jobId: reportJobId(runId) },
        children: [finish],
      }
    : finish;
  await queues.flow.add(root);
  return runId;
}

export interface QueuedCrawlOptions extends EnqueueRunOptions {
  /** Called about once a second with the run as it stands. */
  onProgress?: (run: Run, progress: RunProgress) => void;
  /** Return right after enqueueing, without waiting. */
  detach?: boolean;
  /** Called once at the end with each target's figures (the summary table of `voc crawl`). */
  onTargets?: (targets: QueuedTargetSummary[]) => void;
}

/**
 * Enqueues a run and (unless `detach`) waits until workers have crawled every page, classified
 * every new post and rendered the reports asked for. The finished run is also in the store.
 */
export async function runQueuedCrawl(store: Store, env: QueueEnv, targets: Target[], opts: QueuedCrawlOptions = {}): Promise<Run> {
  const redis = createRedis(env);
  const subscriber = createRedis(env);
  const queues = openQueues(redis, env.prefix);
  const tracker = new RunTracker(redis, env.prefix);
  try {
    const runId = await enqueueCrawlRun(queues, tracker, targets, opts);
    if (opts.detach) return (await tracker.read(runId))!.run;
    const run = await tracker.waitForCompletion(subscriber, runId, (p) => opts.onProgress?.(p.run, p));
    if (opts.onTargets) {
      const final = await tracker.read(runId);
      if (final) opts.onTargets(final.targets);
    }
    // The finish job saved it already; saving again is idempotent and covers a finish re-run.
    await store.saveRun(run);
    return run;
  } finally {
    await queues.close();
    closeRedis(redis);
    closeRedis(subscriber);
  }
}
