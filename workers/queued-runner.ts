/**
 * The producer side of a queued crawl (`voc crawl` with REDIS_URL): registers and enqueues the
 * first page of each target, then waits until workers have crawled every page and classified
 * every new post. The run record is copied into the store when it finishes.
 */
import type { Run, Target } from '../core/types.js';
import { newRunId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import { openQueues } from './queues.js';
import { RunTracker } from './run-tracker.js';
import { crawlJobId } from './processors.js';
import type { QueueEnv } from './redis.js';
import { createRedis } from './redis.js';

export interface QueuedCrawlOptions {
  maxPages?: number;
  /** Called about once a second with the run as it stands. */
  onProgress?: (run: Run) => void;
  /** Return right after enqueueing, without waiting. */
  detach?: boolean;
}

export async function runQueuedCrawl(store: Store, env: QueueEnv, targets: Target[], opts: QueuedCrawlOptions = {}): Promise<Run> {
  const redis = createRedis(env);
  const subscriber = createRedis(env);
  const queues = openQueues(redis, env.prefix);
  const tracker = new RunTracker(redis, env.prefix);
  const runId = newRunId();
  try {
    await tracker.start({ id: runId, kind: 'crawl', targetIds: targets.map((t) => t.id), startedAt: new Date().toISOString() });
    for (const target of targets) {
      const maxPages = Math.min(target.maxPages, opts.maxPages ?? Infinity);
      const id = crawlJobId(runId, target.id, target.url);
      if ((await tracker.register(runId, [id])).length > 0)
        await queues.crawl.add('page', { runId, target, url: target.url, pageNo: 1, maxPages }, { jobId: id });
    }
    if (!opts.detach) {
      await tracker.waitForCompletion(subscriber, runId, () => {
        void tracker.read(runId).then((r) => r && opts.onProgress?.(r));
      });
    }
    const run = (await tracker.read(runId))!;
    await store.saveRun(run);
    return run;
  } finally {
    await queues.close();
    redis.disconnect();
    subscriber.disconnect();
  }
}
