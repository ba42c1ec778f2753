/**
 * Metrics of the whole fleet, not of one process: every worker adds its job outcomes, durations
 * and crawl counts to one Redis hash, and the `/metrics` endpoint of `voc serve` (prom-client)
 * reads that hash and the queues when Prometheus scrapes. So one scrape target covers any number
 * of workers on any number of machines, and a restarted worker does not reset a counter.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues, QueueName } from './queues.js';
import { QUEUE_NAMES } from './queues.js';
import type { RedisClient } from './redis.js';

/** Upper bounds (seconds) of the job duration histogram. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export type JobOutcome = 'completed' | 'failed' | 'delayed' | 'handed_back';

export interface CrawlCounts {
  pages: number;
  postsNew: number;
  postsUpdated: number;
  postsUnchanged: number;
}

/** The worker side: adds to the shared counters (fire and forget; metrics never fail a job). */
export interface MetricsRecorder {
  job(queue: QueueName, outcome: JobOutcome, seconds: number): void;
  crawl(counts: CrawlCounts): void;
  paceDelay(): void;
}

function metricsKey(prefix: string): string {
  return `${prefix}:metrics`;
}

export function createMetricsRecorder(redis: RedisClient, prefix: string): MetricsRecorder {
  const key = metricsKey(prefix);
  const send = (fields: Array<[string, number]>, floats: Array<[string, number]> = []) => {
    const m = redis.multi();
    for (const [f, v] of fields) if (v) m.hincrby(key, f, v);
    for (const [f, v] of floats) m.hincrbyfloat(key, f, v);
    m.exec().catch(() => undefined);
  };
  return {
    job(queue, outcome, seconds) {
      const fields: Array<[string, number]> = [[`jobs|${queue}|${outcome}`, 1]];
      // Durations of finished attempts only: a delayed or handed-back attempt did not do the work.
      if (outcome === 'completed' || outcome === 'failed') {
        const le = DURATION_BUCKETS.find((b) => seconds <= b);
        fields.push([`dur_bucket|${queue}|${le ?? '+Inf'}`, 1], [`dur_count|${queue}`, 1]);
        send(fields, [[`dur_sum|${queue}`, seconds]]);
      } else send(fields);
    },
    crawl(c) {
      send([
        ['crawl_pages', c.pages],
        ['crawl_posts|new', c.postsNew],
        ['crawl_posts|updated', c.postsUpdated],
        ['crawl_posts|unchanged', c.postsUnchanged],
      ]);
    },
    paceDelay() {
      send([['pace_delays', 1]]);
    },
  };
}

/** The job-duration histogram whose buckets come from the shared hash at scrape time. */
class SharedDurationHistogram extends Histogram<'queue'> {
  private readonly helpText = 'Duration of finished job attempts (completed or failed), all workers';

  constructor(
    registry: Registry,
    private readonly read: () => Promise<Record<string, string>>,
  ) {
    super({
      name: 'voc_job_duration_seconds',
      help: 'Duration of finished job attempts (completed or failed), all workers',
      labelNames: ['queue'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  override async get() {
    const h = await this.read();
    const values: Array<{ value: number; labels: Record<string, string | number>; metricName: string }> = [];
    for (const queue of QUEUE_NAMES) {
      let cumulative = 0;
      for (const b of DURATION_BUCKETS) {
        cumulative += Number(h[`dur_bucket|${queue}|${b}`] ?? 0);
        values.push({ value: cumulative, labels: { le: b, queue }, metricName: 'voc_job_duration_seconds_bucket' });
      }
      cumulative += Number(h[`dur_bucket|${queue}|+Inf`] ?? 0);
      values.push({ value: cumulative, labels: { le: '+Inf', queue }, metricName: 'voc_job_duration_seconds_bucket' });
      values.push({ value: Number(h[`dur_sum|${queue}`] ?? 0), labels: { queue }, metricName: 'voc_job_duration_seconds_sum' });
      values.push({ value: Number(h[`dur_count|${queue}`] ?? 0), labels: { queue }, metricName: 'voc_job_duration_seconds_count' });
    }
    return { name: 'voc_job_duration_seconds', help: this.helpText, type: 'histogram' as never, values, aggregator: 'sum' as const, collect: () => undefined };
  }

  /** The registry prefers this (untyped) method of prom-client histograms when rendering text. */
  async getForPromString() {
    return this.get();
  }
}

/** Job states reported per queue. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/**
 * The registry `/metrics` serves: queue depths and worker counts (read from BullMQ), job outcomes
 * and durations and crawl counters (read from the shared hash), plus this process' own defaults.
 */
export function createMetricsRegistry(queues: Queues | undefined, opts: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'voc_process_' });
  if (!queues) return registry;
  const read = () => queues.connection.hgetall(metricsKey(queues.prefix));

  new Gauge({
    name: 'voc_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const name of QUEUE_NAMES) {
        const counts = await queues.byName(name).getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'voc_queue_workers',
    help: 'Worker connections per queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const name of QUEUE_NAMES) this.set({ queue: name }, await queues.byName(name).getWorkersCount());
    },
  });
  new Counter({
    name: 'voc_jobs_total',
    help: 'Job attempts by queue and outcome (completed, failed, delayed for politeness, handed back at shutdown)',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
    async collect() {
      const h = await read();
      this.reset();
      for (const [field, v] of Object.entries(h)) {
        const m = /^jobs\|([^|]+)\|([^|]+)$/.exec(field);
        if (m) this.inc({ queue: m[1]!, outcome: m[2]! }, Number(v));
      }
    },
  });
  new SharedDurationHistogram(registry, read);
  new Counter({
    name: 'voc_crawl_pages_total',
    help: 'Listing pages fetched and stored by workers',
    registers: [registry],
    async collect() {
      const h = await read();
      this.reset();
      this.inc(Number(h.crawl_pages ?? 0));
    },
  });
  new Counter({
    name: 'voc_crawl_posts_total',
    help: 'Posts seen by crawl jobs, by what the store did with them',
    labelNames: ['result'],
    registers: [registry],
    async collect() {
      const h = await read();
      this.reset();
      for (const result of ['new', 'updated', 'unchanged']) this.inc({ result }, Number(h[`crawl_posts|${result}`] ?? 0));
    },
  });
  new Counter({
    name: 'voc_pace_delays_total',
    help: 'Crawl jobs moved to delayed to respect a host delay or request budget',
    registers: [registry],
    async collect() {
      const h = await read();
      this.reset();
      this.inc(Number(h.pace_delays ?? 0));
    },
  });
  return registry;
}
