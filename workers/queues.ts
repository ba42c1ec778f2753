/**
 * The three queues, their job shapes and retry policies, and the FlowProducer that links an ad-hoc
 * crawl's steps. Job ids are derived from what the job is about (see job-ids.ts), so the same page
 * is never queued twice within a run and re-adding a job is a no-op.
 *
 *   crawl     `page` (one listing page) and `scheduled-crawl` (a schedule firing: starts a run)
 *   classify  `classify` (a batch of post ids) and `finish` (closes a run once its children are done)
 *   report    `report` (render a run's reports) and `scheduled-report` (a report schedule firing)
 */
import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { ReportScheduleConfig } from '../core/report-config.js';
import type { ReportSpec, Target } from '../core/types.js';
import type { RedisClient } from './redis.js';

export const QUEUE_NAMES = ['crawl', 'classify', 'report'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Job names; a queue's processor dispatches on them. */
export const JOB = {
  page: 'page',
  scheduledCrawl: 'scheduled-crawl',
  classify: 'classify',
  finish: 'finish',
  report: 'report',
  scheduledReport: 'scheduled-report',
} as const;

/** One listing page of one target, within a run. */
export interface CrawlJobData {
  runId: string;
  target: Target;
  url: string;
  pageNo: number;
  maxPages: number;
  /** ISO instant: posts published before it are dropped, and a page of only such posts ends the chain (`voc crawl --since`). */
  since?: string;
  /**
   * The target's watermark as the previous page of this chain left it: a page with no newer post
   * needs no read of the crawl state (set from the start page on).
   */
  watermark?: string;
  /** Send no stored validators for the target's own URL (`voc crawl --refetch`). */
  refetch?: boolean;
}

/** What a crawl schedule fires: the target is read from the store when it fires. */
export interface ScheduledCrawlJobData {
  scheduleId: string;
  targetId: string;
  pattern: string;
  tz: string;
  origin: ScheduleOrigin;
}

export interface ClassifyJobData {
  runId: string;
  postIds: string[];
}

/** Closes a run; `last` is false when a report step follows and closes it instead. */
export interface FinishJobData {
  runId: string;
  last: boolean;
}

/** The report step of an ad-hoc crawl flow: one spec per brand, rendered after classification. */
export interface ReportJobData {
  runId?: string;
  specs: ReportSpec[];
  outDir: string;
}

export interface ScheduledReportJobData {
  scheduleId: string;
  schedule: ReportScheduleConfig;
  pattern: string;
  tz: string;
  origin: ScheduleOrigin;
}

/** `config`: owned by `voc scheduler` (follows the config file); `cli`: made by `voc schedule add`; `console`: made in the analyst console. */
export type ScheduleOrigin = 'config' | 'cli' | 'console';

export type CrawlQueueData = CrawlJobData | ScheduledCrawlJobData;
export type ClassifyQueueData = ClassifyJobData | FinishJobData;
export type ReportQueueData = ReportJobData | ScheduledReportJobData;

/**
 * Retries with exponential backoff (2 s, 4 s, 8 s, ... for crawl and classify): a store or site down for a
 * minute is ridden out. Completed jobs are kept a day (so re-adding an id within a run is a
 * no-op); failed ones a week (reports a month) for `voc jobs failed` and `voc jobs retry`.
 */
export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  crawl: { attempts: 6, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 86400 }, removeOnFail: { age: 7 * 86400 } },
  classify: { attempts: 6, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 86400 }, removeOnFail: { age: 7 * 86400 } },
  report: { attempts: 4, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 30 * 86400 } },
};

/**
 * Options of a step inside a run's flow: a child that fails for good is recorded as a run error
 * and no longer holds its parent, so one dead page cannot keep a run open forever.
 */
export function childJobOptions(queue: QueueName, jobId: string, parent?: { id: string; queue: string }): JobsOptions {
  return { ...DEFAULT_JOB_OPTIONS[queue], jobId, ignoreDependencyOnFailure: true, ...(parent ? { parent } : {}) };
}

export interface Queues {
  readonly prefix: string;
  readonly connection: RedisClient;
  crawl: Queue<CrawlQueueData>;
  classify: Queue<ClassifyQueueData>;
  report: Queue<ReportQueueData>;
  flow: FlowProducer;
  byName(name: QueueName): Queue;
  close(): Promise<void>;
}

/**
 * Opens the queues (and the flow producer) on one shared, non-blocking connection. Connection
 * errors (Redis restarting) go to `onError`, not to an unhandled 'error' event: the calls that
 * need Redis fail or wait on their own.
 */
export function openQueues(connection: RedisClient, prefix: string, onError: (err: Error) => void = () => undefined): Queues {
  const make = <T>(name: QueueName) => {
    const q = new Queue<T>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[name] });
    q.on('error', onError);
    return q;
  };
  const crawl = make<CrawlQueueData>('crawl');
  const classify = make<ClassifyQueueData>('classify');
  const report = make<ReportQueueData>('report');
  const flow = new FlowProducer({ connection, prefix });
  flow.on('error', onError);
  const all = { crawl, classify, report } as Record<QueueName, Queue>;
  return {
    prefix,
    connection,
    crawl,
    classify,
    report,
    flow,
    byName: (name) => all[name],
    async close() {
      await Promise.all([crawl.close(), classify.close(), report.close(), flow.close()]);
    },
  };
}

/** Checks a `--queue`/`--queues` value; the error names the flag and the valid names. */
export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
