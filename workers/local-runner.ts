/**
 * The zero-setup path: with no REDIS_URL, a crawl runs in this process. Targets are crawled with
 * bounded concurrency (config.crawler.concurrency), each page is stored as soon as it is fetched
 * and its new or edited posts are classified right away, so an interrupted run keeps everything
 * it already fetched and a re-run only adds what is missing.
 */
import type { Run, Target } from '../core/types.js';
import { emptyRunStats } from '../core/types.js';
import { mapWithConcurrency } from '../core/concurrency.js';
import { newRunId } from '../core/ids.js';
import { errorText } from '../core/errors.js';
import { crawlTarget, pageErrorText, storeCallbacks, type CrawlSummary, type TargetStats } from '../crawlers/index.js';
import type { StageDeps } from './deps.js';
import { addUpsert, classifyPosts } from './stages.js';
import { runOutcome, type TargetFigures } from './run-outcome.js';

export interface CrawlProgress {
  targetId: string;
  url: string;
  posts: number;
  run: Run;
}

export interface LocalCrawlOptions {
  maxPages?: number;
  /** ISO instant: posts published before it are dropped (`voc crawl --since`). */
  since?: string;
  onProgress?: (p: CrawlProgress) => void;
  /** A target's crawl stats after each of its pages (live progress). */
  onTargetProgress?: (targetId: string, stats: TargetStats) => void;
  /** A target's crawl summary once it is done (summary table). */
  onTargetDone?: (summary: CrawlSummary) => void;
  /** Ignore the targets' stored ETag / Last-Modified this run (`voc crawl --refetch`). */
  refetch?: boolean;
  signal?: AbortSignal;
}

export async function runLocalCrawl(deps: StageDeps, targets: Target[], opts: LocalCrawlOptions = {}): Promise<Run> {
  const run: Run = {
    id: newRunId(),
    kind: 'pipeline',
    targetIds: targets.map((t) => t.id),
    status: 'running',
    startedAt: new Date().toISOString(),
    stats: emptyRunStats(),
    errors: [],
    errorsZh: [],
  };
  await deps.store.saveRun(run);
  // Build the classifier (seconds of dictionary loading, blocking the event loop) before the
  // first fetch, not in the middle of the crawl where the stall would let keep-alive sockets go
  // stale under in-flight requests.
  void deps.classifier.lexiconVersion;
  try {
    const figures: TargetFigures[] = [];
    await mapWithConcurrency(targets, deps.config.crawler.concurrency, async (target) => {
      const summary = await crawlTarget(deps.crawl, target, {
        // Incremental and crash-safe: known posts, watermark, ETag / Last-Modified, pending pages.
        ...storeCallbacks(deps.store, target.id, { brand: target.brand }),
        ...(opts.maxPages !== undefined ? { maxPages: opts.maxPages } : {}),
        ...(opts.since !== undefined ? { since: opts.since } : {}),
        ...(opts.refetch ? { refetch: true } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onTargetProgress ? { onProgress: (stats: TargetStats) => opts.onTargetProgress!(target.id, stats) } : {}),
        onPage: async (page) => {
          const result = await deps.store.upsertPosts(page.posts);
          run.stats.pagesFetched += 1;
          addUpsert(run.stats, result);
          run.stats.postsClassified += await classifyPosts(deps.store, deps.classifier, result.changedIds);
          opts.onProgress?.({ targetId: target.id, url: page.url, posts: page.posts.length, run });
          return result; // the crawl's stats count new / updated / unchanged posts from it
        },
      });
      figures.push({ targetId: target.id, stats: summary.stats });
      opts.onTargetDone?.(summary);
      for (const e of summary.errors) {
        run.stats.errors += 1;
        run.errors.push(`${target.id}: ${pageErrorText(e, 'en')}`);
        run.errorsZh!.push(`${target.id}：${pageErrorText(e, 'zh-CN')}`);
      }
    });
    // The run's status is its targets' outcomes (run-outcome.ts), in the order they were named.
    const order = new Map(targets.map((t, i) => [t.id, i]));
    const outcome = runOutcome(figures.sort((a, b) => order.get(a.targetId)! - order.get(b.targetId)!));
    run.failedTargets = outcome.failedTargets;
    run.status = opts.signal?.aborted ? 'cancelled' : outcome.status;
  } catch (err) {
    run.status = 'failed';
    run.errors.push((err as Error).message);
    run.errorsZh!.push(errorText(err as Error, 'zh-CN'));
    throw err;
  } finally {
    run.finishedAt = new Date().toISOString();
    await deps.store.saveRun(run);
  }
  return run;
}
