/**
 * BullMQ processors: thin bindings from a job to a pure stage. Each one is idempotent, so a job
 * retried after a failure or recovered after a worker died writes nothing twice.
 */
import type { Job } from 'bullmq';
import { shortHash } from '../core/ids.js';
import { crawlPage } from '../crawlers/index.js';
import { generateReport } from '../reports/generate.js';
import type { StageDeps } from './deps.js';
import type { ClassifyJobData, CrawlJobData, Queues, ReportJobData } from './queues.js';
import type { RunTracker } from './run-tracker.js';
import { classifyPosts, storePage } from './stages.js';
import { reportLabels } from './labels.js';

export interface ProcessorContext {
  deps: StageDeps;
  queues: Queues;
  tracker: RunTracker;
}

/** Job id of a listing page within a run: the same URL of the same target is one job. */
export function crawlJobId(runId: string, targetId: string, url: string): string {
  return `${runId}-p-${shortHash(`${targetId} ${url}`)}`;
}

export function classifyJobId(runId: string, pageJobId: string): string {
  return `${pageJobId.replace(`${runId}-p-`, `${runId}-c-`)}`;
}

/** Is this the last attempt BullMQ will make for the job? */
function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Wraps a processor so the run tracker hears about the job exactly when it is finished for good:
 * on success, or on the final failed attempt (recorded as a run error).
 */
function tracked<T extends { runId: string }, R>(
  ctx: ProcessorContext,
  label: string,
  fn: (job: Job<T>) => Promise<R>,
): (job: Job<T>) => Promise<R> {
  return async (job) => {
    try {
      const result = await fn(job);
      await ctx.tracker.complete(job.data.runId, job.id!);
      return result;
    } catch (err) {
      if (isFinalAttempt(job)) {
        await ctx.tracker.addError(job.data.runId, `${label}: ${(err as Error).message}`);
        await ctx.tracker.complete(job.data.runId, job.id!);
      }
      throw err;
    }
  };
}

export function crawlProcessor(ctx: ProcessorContext) {
  return tracked<CrawlJobData, { posts: number }>(ctx, 'crawl', async (job) => {
    const { runId, target, url, pageNo, maxPages } = job.data;
    const page = await crawlPage(ctx.deps.crawl, target, url);
    const result = await storePage(ctx.deps.store, page.posts);
    await ctx.tracker.addStats(runId, {
      pagesFetched: 1,
      postsNew: result.inserted,
      postsUpdated: result.updated,
      postsUnchanged: result.unchanged,
    });
    // Children are registered before this job completes, so the run never looks finished early.
    const toClassify = await postsNeedingClassification(ctx.deps, page.posts.map((p) => p.id), result.changedIds);
    if (toClassify.length > 0) {
      const id = classifyJobId(runId, job.id!);
      if ((await ctx.tracker.register(runId, [id])).length > 0)
        await ctx.queues.classify.add('classify', { runId, postIds: toClassify }, { jobId: id });
    }
    if (page.nextUrl && page.posts.length > 0 && pageNo < maxPages) {
      const id = crawlJobId(runId, target.id, page.nextUrl);
      // Register returns nothing for a URL this run already queued: that is a pagination loop.
      if ((await ctx.tracker.register(runId, [id])).length > 0)
        await ctx.queues.crawl.add('page', { runId, target, url: page.nextUrl, pageNo: pageNo + 1, maxPages }, { jobId: id });
    }
    return { posts: page.posts.length };
  });
}

/**
 * New or edited posts, plus any post of the page with no classification at the current lexicon
 * version: a page job re-run after a crash between storing and enqueueing still gets its posts
 * classified, because the store (not the job) says what is missing.
 */
async function postsNeedingClassification(deps: StageDeps, pageIds: string[], changedIds: string[]): Promise<string[]> {
  const need = new Set(changedIds);
  const existing = await deps.store.getClassifications(pageIds);
  const current = new Set(existing.filter((c) => c.lexiconVersion === deps.classifier.lexiconVersion).map((c) => c.postId));
  for (const id of pageIds) if (!current.has(id)) need.add(id);
  return pageIds.filter((id) => need.has(id));
}

export function classifyProcessor(ctx: ProcessorContext) {
  return tracked<ClassifyJobData, { classified: number }>(ctx, 'classify', async (job) => {
    const n = await classifyPosts(ctx.deps.store, ctx.deps.classifier, job.data.postIds);
    await ctx.tracker.addStats(job.data.runId, { postsClassified: n });
    return { classified: n };
  });
}

export function reportProcessor(ctx: ProcessorContext) {
  return tracked<ReportJobData, { files: string[] }>(ctx, 'report', async (job) => {
    const { files } = await generateReport(
      {
        store: ctx.deps.store,
        config: ctx.deps.config,
        labels: reportLabels(ctx.deps.config),
        lexiconVersion: ctx.deps.classifier.lexiconVersion,
      },
      job.data.spec,
      job.data.outDir,
    );
    return { files };
  });
}
