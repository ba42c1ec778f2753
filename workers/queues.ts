/**
 * The three queues and their job shapes. Job ids are derived from what the job is about (run +
 * canonical request key), so the same page is never queued twice within a run.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReportSpec, Target } from '../core/types.js';

export const QUEUE_NAMES = ['crawl', 'classify', 'report'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface CrawlJobData {
  runId: string;
  target: Target;
  url: string;
  pageNo: number;
  maxPages: number;
}

export interface ClassifyJobData {
  runId: string;
  postIds: string[];
}

export interface ReportJobData {
  runId: string;
  spec: ReportSpec;
  outDir: string;
}

/** Retries with exponential backoff; completed jobs are kept a day so re-adding an id is a no-op. */
export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  crawl: { attempts: 4, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 86400 }, removeOnFail: { age: 7 * 86400 } },
  classify: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 86400 }, removeOnFail: { age: 7 * 86400 } },
  report: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 30 * 86400 } },
};

export interface Queues {
  crawl: Queue<CrawlJobData>;
  classify: Queue<ClassifyJobData>;
  report: Queue<ReportJobData>;
  close(): Promise<void>;
}

export function openQueues(connection: Redis, prefix: string): Queues {
  const make = <T>(name: QueueName) =>
    new Queue<T>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[name] });
  const crawl = make<CrawlJobData>('crawl');
  const classify = make<ClassifyJobData>('classify');
  const report = make<ReportJobData>('report');
  return {
    crawl,
    classify,
    report,
    async close() {
      await Promise.all([crawl.close(), classify.close(), report.close()]);
    },
  };
}
