/**
 * Operator views of the queues, shared by the CLI (`voc status`, `voc jobs ...`) and the server:
 * depths per state, connected workers, failed jobs, and retrying them.
 */
import type { Job } from 'bullmq';
import { InputError } from '../core/errors.js';
import { QUEUE_STATES } from './metrics.js';
import { QUEUE_NAMES, type QueueName, type Queues } from './queues.js';

export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueStatus {
  queue: QueueName;
  counts: Record<QueueState, number>;
  /** Worker connections on this queue (one per `voc worker` process serving it). */
  workers: number;
  /** Schedulers installed on this queue. */
  schedules: number;
}

/** Depths, workers and schedules of each queue. */
export async function queueStatus(queues: Queues): Promise<QueueStatus[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const q = queues.byName(name);
      const [raw, workers, schedules] = await Promise.all([q.getJobCounts(...QUEUE_STATES), q.getWorkersCount(), q.getJobSchedulersCount()]);
      const counts = Object.fromEntries(QUEUE_STATES.map((s) => [s, raw[s] ?? 0])) as Record<QueueState, number>;
      return { queue: name, counts, workers, schedules };
    }),
  );
}

export interface FailedJob {
  queue: QueueName;
  id: string;
  name: string;
  /** Attempts made before it was given up. */
  attempts: number;
  reason: string;
  /** The same in Chinese, when its raiser wrote one. */
  reasonZh?: string;
  /** When it failed for good (ISO), when known. */
  failedAt?: string;
  /** The run it belongs to, when it is part of one. */
  runId?: string;
}

function toFailed(queue: QueueName, job: Job): FailedJob {
  const { runId, failedReasonZh } = (job.data as { runId?: unknown; failedReasonZh?: unknown } | undefined) ?? {};
  return {
    queue,
    id: job.id!,
    name: job.name,
    attempts: job.attemptsMade,
    reason: (job.failedReason ?? '').split('\n')[0]!,
    ...(typeof failedReasonZh === 'string' ? { reasonZh: failedReasonZh } : {}),
    ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
    ...(typeof runId === 'string' ? { runId } : {}),
  };
}

/** Failed jobs (kept a week; reports a month), newest first, of one queue or all. */
export async function listFailedJobs(queues: Queues, queue?: QueueName, limit = 100): Promise<FailedJob[]> {
  const names = queue ? [queue] : [...QUEUE_NAMES];
  const out: FailedJob[] = [];
  for (const name of names) {
    const jobs = await queues.byName(name).getFailed(0, limit - 1);
    for (const j of jobs) if (j) out.push(toFailed(name, j as Job));
  }
  return out.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '')).slice(0, limit);
}

/**
 * Puts one failed job back in its queue (attempts start again). `id` may be `queue/id` when the
 * same id exists in several queues. Throws InputError for an unknown or not-failed job.
 */
export async function retryFailedJob(queues: Queues, id: string, queue?: QueueName): Promise<{ queue: QueueName; id: string }> {
  let wanted = id;
  let names: QueueName[] = queue ? [queue] : [...QUEUE_NAMES];
  const slash = id.indexOf('/');
  if (slash > 0 && (QUEUE_NAMES as readonly string[]).includes(id.slice(0, slash))) {
    names = [id.slice(0, slash) as QueueName];
    wanted = id.slice(slash + 1);
  }
  for (const name of names) {
    const job = await queues.byName(name).getJob(wanted);
    if (!job) continue;
    const state = await job.getState();
    if (state !== 'failed')
      throw new InputError({
        en: `job ${name}/${wanted} is ${state}, not failed; only failed jobs can be retried`,
        zh: `任务 ${name}/${wanted} 的状态是 ${state}，不是 failed；只有失败的任务才能重试`,
      });
    await (job as Job).retry('failed');
    return { queue: name, id: wanted };
  }
  throw new InputError({
    en: `no job "${id}" in ${names.join(', ')}; \`voc jobs failed\` lists the failed jobs and their ids`,
    zh: `队列 ${names.join('、')} 中没有任务“${id}”；\`voc jobs failed\` 会列出失败的任务及其 ID`,
  });
}

/** Puts every failed job (of one queue or all) back; returns how many per queue. */
export async function retryAllFailed(queues: Queues, queue?: QueueName): Promise<Record<QueueName, number>> {
  const out = { crawl: 0, classify: 0, report: 0 } as Record<QueueName, number>;
  for (const name of queue ? [queue] : [...QUEUE_NAMES]) {
    const q = queues.byName(name);
    out[name] = await q.getFailedCount();
    if (out[name] > 0) await q.retryJobs({ state: 'failed', count: 1000 });
  }
  return out;
}
