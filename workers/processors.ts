/**
 * BullMQ processors: thin bindings from a job to a pure stage (stages.ts, crawlers/, reports/).
 * Each is idempotent, so a job retried after a failure, recovered after its worker died, or
 * re-run with `voc jobs retry` writes nothing twice:
 *
 *  - posts are upserted by (source, externalId); classifications replace by post id;
 *  - children are queued under ids derived from the request (duplicates are no-ops) and claimed
 *    in the run tracker (a page claimed by another job is a pagination loop, not queued);
 *  - run stats are recorded per job id, replacing an earlier record of the same job;
 *  - a scheduled report's delivery is marked done per (schedule, instant) and never repeated.
 *
 * Processors take `(job, token, signal)`: BullMQ passes the abort signal only to processors that
 * declare three parameters. On shutdown the signal fires and the job is handed back to the queue.
 */
import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { firstLineZh, inBoth, VocError, type ErrorText } from '../core/errors.js';
import type { Post } from '../core/types.js';
import { crawlPage, errorCause, FetchError, isTransientError, pageErrorText } from '../crawlers/index.js';
import { progressFor, withPageProgress } from '../crawlers/crawl-state.js';
import type { StopReason } from '../crawlers/crawl-target.js';
import type { UpsertResult } from '../store/store.js';
import type { StageDeps } from './deps.js';
import { classifyJobId, crawlJobId, finishJobId, scheduledRunId } from './job-ids.js';
import type { MetricsRecorder } from './metrics.js';
import { enqueueCrawlRun } from './queued-runner.js';
import {
  childJobOptions,
  JOB,
  type ClassifyJobData,
  type ClassifyQueueData,
  type CrawlJobData,
  type CrawlQueueData,
  type FinishJobData,
  type QueueName,
  type Queues,
  type ReportJobData,
  type ReportQueueData,
  type ScheduledCrawlJobData,
  type ScheduledReportJobData,
} from './queues.js';
import { PaceDelayError, type RedisPacer } from './redis-pacer.js';
import type { RedisClient } from './redis.js';
import { renderReport, renderScheduledReport } from './report-step.js';
import type { RunTracker } from './run-tracker.js';
import { dueInstant } from './schedules.js';
import { classifyPosts, storePage } from './stages.js';
import { targetFields } from './target-totals.js';

export interface ProcessorContext {
  deps: StageDeps;
  queues: Queues;
  tracker: RunTracker;
  /** Connection for the delivery ledger (the queues' shared connection is fine). */
  redis: RedisClient;
  prefix: string;
  /** Shared politeness; without it the crawl context's own (per-process) pacer is used. */
  pacer?: RedisPacer;
  metrics?: MetricsRecorder;
  /** Where scheduled reports are written (absolute). */
  reportDir: string;
  /** Clock of "now" for missed-run handling (tests inject one). */
  now?: () => number;
  /** One line per notable job event (active page, pace delay, hand-back). */
  onEvent?: (line: string) => void;
}

export type VocProcessor<T> = (job: Job<T>, token: string | undefined, signal: AbortSignal | undefined) => Promise<unknown>;

/** Thrown inside a processor when shutdown aborted it: the job has been handed back already. */
function handBack(): never {
  throw new WaitingError('handed back at shutdown');
}

/** Is this the last attempt BullMQ will make for the job? */
function isFinalAttempt(job: Job, err: unknown): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Errors no retry can cure fail the job at once: bad input or a refused URL (exit code 2), and a
 * fetch that failed for a reason other than a transient one (404, too large...). Transient
 * failures were already retried by the crawler; if they persisted, BullMQ tries again later.
 */
function asUnrecoverable(err: unknown): unknown {
  if (err instanceof VocError && err.exitCode === 2) return new UnrecoverableError(err.message);
  if (err instanceof FetchError && !isTransientError(err)) return new UnrecoverableError(err.message);
  return err;
}

function isControlFlow(err: unknown): boolean {
  return err instanceof DelayedError || err instanceof WaitingError;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/**
 * Runs `fn`; on shutdown hands the job back; records a run error when the job failed for good.
 * Everything else (retry, backoff) is BullMQ's.
 */
async function guarded<T, R>(
  ctx: ProcessorContext,
  job: Job<T>,
  token: string | undefined,
  signal: AbortSignal | undefined,
  describe: ErrorText,
  fn: () => Promise<R>,
  closesRun = false,
  page?: { targetId: string; url: string },
): Promise<R> {
  try {
    return await fn();
  } catch (raw) {
    if (isControlFlow(raw)) throw raw;
    if (signal?.aborted) {
      await job.moveToWait(token);
      ctx.onEvent?.(`${job.queueName} ${job.id} handed back`);
      handBack();
    }
    const err = asUnrecoverable(raw);
    const final = isFinalAttempt(job, err);
    // The Chinese message is the raw error's: BullMQ's UnrecoverableError keeps only the English.
    const zh = firstLineZh(raw);
    if (final) await rememberReasonZh(job, zh);
    const runId = (job.data as { runId?: unknown }).runId;
    if (typeof runId === 'string' && final) {
      const detail = page ? { ...page, cause: errorCause(raw), message: firstLine(err), ...(zh !== undefined ? { zh } : {}) } : undefined;
      const what = inBoth(describe);
      await ctx.tracker.recordError(runId, job.id!, `${what.en}: ${firstLine(err)}`, false, detail, zh !== undefined ? `${what.zh}：${zh}` : undefined);
      // The step that closes the run gave up: close it anyway, so that nobody waits for it forever.
      if (closesRun) {
        const run = await ctx.tracker.finish(runId, 'failed').catch(() => undefined);
        if (run) await ctx.deps.store.saveRun(run).catch(() => undefined); // may be what failed
      }
    }
    throw err;
  }
}

/**
 * BullMQ keeps one failure reason, the English message; the Chinese one rides in the job's data
 * (`failedReasonZh`) for `voc jobs failed` in Chinese. A failure without Chinese clears an older one.
 */
async function rememberReasonZh(job: Job, zh: string | undefined): Promise<void> {
  const { failedReasonZh: old, ...rest } = job.data as Record<string, unknown>;
  if (old === zh) return;
  // Best effort: the job fails all the same if Redis will not take the note.
  await job.updateData(zh === undefined ? rest : { ...rest, failedReasonZh: zh }).catch(() => undefined);
}

/** The crawl queue: listing pages, and crawl schedules firing. */
export function crawlQueueProcessor(ctx: ProcessorContext): VocProcessor<CrawlQueueData> {
  return async (job, token, signal) => {
    if (job.name === JOB.scheduledCrawl) return scheduledCrawl(ctx, job as Job<ScheduledCrawlJobData>);
    return crawlPageJob(ctx, job as Job<CrawlJobData>, token, signal);
  };
}

async function crawlPageJob(ctx: ProcessorContext, job: Job<CrawlJobData>, token: string | undefined, signal: AbortSignal | undefined) {
  const { runId, target, url, pageNo, maxPages, since, refetch } = job.data;
  return guarded(ctx, job, token, signal, `${target.id}: ${url}`, async () => {
    // A cancelled run fetches nothing more; the job still counts as done, so `finish` can close it.
    if (await ctx.tracker.isCancelRequested(runId)) {
      await ctx.tracker.recordJob(runId, job.id!, 'page', targetFields(target.id, {}, 'aborted'));
      ctx.onEvent?.(`crawl ${job.id} skipped: run ${runId} was cancelled`);
      return { posts: 0, next: null, skipped: 'cancelled' };
    }
    ctx.onEvent?.(`crawl ${job.id} active ${url}`);
    const crawlCtx = ctx.pacer ? { ...ctx.deps.crawl, pacer: ctx.pacer.forJob(job.id!) } : ctx.deps.crawl;
    // The target's own URL is asked with the stored validators (ETag / Last-Modified) and watermark.
    const isStart = pageNo === 1 && url === target.url;
    const state = isStart ? await ctx.deps.store.getCrawlState(target.id) : undefined;
    let page;
    try {
      page = await crawlPage(crawlCtx, target, url, { ...(signal ? { signal } : {}), ...(state ? { state } : {}), ...(refetch ? { refetch: true } : {}) });
    } catch (err) {
      if (err instanceof PaceDelayError) {
        // Wait in Redis' delayed set, not in this worker slot; the job keeps its reserved slot.
        await job.moveToDelayed(err.untilMs, token);
        ctx.metrics?.paceDelay();
        ctx.onEvent?.(`crawl ${job.id} delayed ${Math.max(0, err.untilMs - Date.now())}ms`);
        throw new DelayedError();
      }
      throw err;
    }
    if (page.notModified) {
      // Unchanged since the last crawl: one conditional request, nothing written.
      await ctx.tracker.recordJob(runId, job.id!, 'page', targetFields(target.id, page.stats, 'not_modified'));
      ctx.metrics?.crawl({ pages: 0, postsNew: 0, postsUpdated: 0, postsUnchanged: 0 });
      ctx.onEvent?.(`crawl ${job.id} not modified`);
      return { posts: 0, next: null, notModified: true };
    }
    // `--since`: older posts are not stored; a page of only older posts ends the chain below.
    const posts = since !== undefined ? page.posts.filter((p) => p.publishedAt >= since) : page.posts;
    const result = await storePage(ctx.deps.store, posts);
    const counts = await countsOfThisJob(ctx, job, posts, result);

    const parent = { id: finishJobId(runId), queue: ctx.queues.classify.qualifiedName };
    // Children first, record last: until this job completes, `finish` cannot run, so the run
    // never looks done before its last page has queued what follows it.
    const toClassify = await postsNeedingClassification(ctx.deps, posts.map((p) => p.id), result.changedIds);
    if (toClassify.length > 0) {
      const id = classifyJobId(job.id!);
      if ((await ctx.tracker.claim(runId, job.id!, 'batch', [id])).length > 0)
        await ctx.queues.classify.add(JOB.classify, { runId, postIds: toClassify } satisfies ClassifyJobData, childJobOptions('classify', id, parent));
    }
    // The watermark travels with the chain, so later pages read the crawl state only when they
    // hold a stored post newer than it. (A post dropped by --since is not stored: it moves nothing.)
    const known = isStart ? progressFor(state, target).watermark : job.data.watermark;
    const kept = page.newest && (since === undefined || page.newest.at >= since) ? page.newest : undefined;
    const newer = kept && (!known || kept.at > known) ? kept : undefined;
    const watermark = newer?.at ?? known;
    let next: string | null = null;
    // Incremental: a page whose posts were all stored before this run (none new, none edited)
    // ends the chain, as in-process. A job re-run after its worker died counts the posts its
    // first attempt stored as its own (countsOfThisJob), so it goes on to the next page.
    const onlyKnown = posts.length > 0 && counts.inserted === 0 && counts.updated === 0;
    const onlyOlder = posts.length === 0 && page.posts.length > 0;
    // A page that is no HTML at all (a PDF, JSON, an empty body) ends the chain on an error, as in-process.
    const unreadable = page.failure !== undefined && page.failure.cause !== 'extraction';
    let stop: StopReason | undefined =
      unreadable ? 'error' : page.posts.length === 0 ? 'empty_page' : onlyOlder ? 'since' : onlyKnown ? 'known' : !page.nextUrl ? 'no_next' : pageNo >= maxPages ? 'page_cap' : undefined;
    // Cancelled while this page was being fetched: keep what it brought, queue no further page.
    if (!stop && (await ctx.tracker.isCancelRequested(runId))) stop = 'aborted';
    if (!stop && page.nextUrl) {
      const id = crawlJobId(runId, target.id, page.nextUrl);
      // Claimed by another job of this run: the link points back into the crawl (a loop).
      if ((await ctx.tracker.claim(runId, job.id!, 'page', [id])).length > 0) {
        next = page.nextUrl;
        const data: CrawlJobData = {
          runId,
          target,
          url: page.nextUrl,
          pageNo: pageNo + 1,
          maxPages,
          ...(since !== undefined ? { since } : {}),
          ...(watermark ? { watermark } : {}),
        };
        await ctx.queues.crawl.add(JOB.page, data, childJobOptions('crawl', id, parent));
      } else stop = 'loop';
    }
    // The target's state (validators, drift history, watermark) moves only now that the page's
    // posts are safe: a retry after a failure above must fetch the page again, not be told
    // "304, nothing new".
    if (isStart || newer) {
      const current = isStart ? state : await ctx.deps.store.getCrawlState(target.id);
      const start = isStart ? { url, postsExtracted: page.stats.postsExtracted, ...(page.validators ? { validators: page.validators } : {}) } : undefined;
      const updated = withPageProgress(current, target, { ...(start ? { start } : {}), ...(newer ? { newest: newer } : {}) }, ctx.deps.crawl.now().toISOString());
      if (updated) await ctx.deps.store.saveCrawlState(updated);
    }
    if (page.stats.drift) await ctx.tracker.recordDrift(runId, target.id, page.stats.drift);
    await ctx.tracker.recordJob(runId, job.id!, 'page', {
      pagesFetched: 1,
      postsNew: counts.inserted,
      postsUpdated: counts.updated,
      postsUnchanged: counts.unchanged,
      ...targetFields(
        target.id,
        { ...page.stats, postsNew: counts.inserted, postsUpdated: counts.updated, postsUnchanged: counts.unchanged, postsTooOld: page.posts.length - posts.length },
        stop,
      ),
    });
    // A first page that read nothing is the target's error, as in-process: after the job's record
    // (recording a job clears its error line, so a re-run job records it again).
    if (page.failure) {
      const f = page.failure;
      const line = { en: `${target.id}: ${pageErrorText(f, 'en')}`, zh: `${target.id}：${pageErrorText(f, 'zh-CN')}` };
      await ctx.tracker.recordError(runId, job.id!, line.en, false, { targetId: target.id, ...f }, line.zh);
    }
    ctx.metrics?.crawl({ pages: 1, postsNew: counts.inserted, postsUpdated: counts.updated, postsUnchanged: counts.unchanged });
    return { posts: page.posts.length, next };
  }, false, { targetId: target.id, url });
}

/**
 * What this page job added to the store. On a first run that is the upsert's answer. A job run
 * again (its worker died after storing) sees its own earlier inserts as "unchanged"; those posts
 * were collected after the job was created, which is how they are told apart from posts that
 * really were there before the run.
 */
async function countsOfThisJob(ctx: ProcessorContext, job: Job, posts: Post[], r: UpsertResult) {
  const counts = { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged };
  const rerun = job.attemptsStarted > 1 || job.stalledCounter > 0 || job.attemptsMade > 0;
  if (!rerun || r.unchanged === 0) return counts;
  const changed = new Set(r.changedIds);
  const createdAt = new Date(job.timestamp).toISOString();
  const stored = await ctx.deps.store.getPosts(posts.map((p) => p.id).filter((id) => !changed.has(id)));
  const mine = stored.filter((p) => p.collectedAt >= createdAt).length;
  counts.inserted += mine;
  counts.unchanged -= mine;
  return counts;
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

/** The instant a scheduled job stands for (its slot, or the latest one due if it ran late). */
function firedAt(ctx: ProcessorContext, job: Job, pattern: string, tz: string): Date {
  const scheduled = job.opts.prevMillis ?? job.timestamp;
  return new Date(dueInstant(pattern, tz, scheduled, (ctx.now ?? Date.now)()));
}

/** A crawl schedule fired: start the target's run (idempotent per schedule and instant). */
async function scheduledCrawl(ctx: ProcessorContext, job: Job<ScheduledCrawlJobData>) {
  const { scheduleId, targetId, pattern, tz } = job.data;
  const at = firedAt(ctx, job, pattern, tz);
  const target = await ctx.deps.store.getTarget(targetId);
  if (!target) throw new UnrecoverableError(`schedule ${scheduleId}: target "${targetId}" is not in the store any more; remove the schedule (voc schedule remove crawl ${scheduleId})`);
  const runId = await enqueueCrawlRun(ctx.queues, ctx.tracker, [target], { runId: scheduledRunId(scheduleId, at.getTime()) });
  ctx.onEvent?.(`schedule crawl ${scheduleId} fired for ${at.toISOString()}: run ${runId}`);
  return { runId, firedAt: at.toISOString() };
}

/** The classify queue: batches of post ids, and the step that closes a run. */
export function classifyQueueProcessor(ctx: ProcessorContext): VocProcessor<ClassifyQueueData> {
  return async (job, token, signal) => {
    if (job.name === JOB.finish) return finishRun(ctx, job as Job<FinishJobData>, token, signal);
    const batch = job as Job<ClassifyJobData>;
    return guarded(ctx, batch, token, signal, { en: `classify ${batch.data.postIds.length} posts`, zh: `分类 ${batch.data.postIds.length} 条帖子` }, async () => {
      const n = await classifyPosts(ctx.deps.store, ctx.deps.classifier, batch.data.postIds);
      await ctx.tracker.recordJob(batch.data.runId, batch.id!, 'batch', { postsClassified: n });
      return { classified: n };
    });
  };
}

/** Children that failed for good, as run errors (a stalled-too-often child never reached `guarded`). */
async function recordIgnoredFailures(ctx: ProcessorContext, job: Job, runId: string): Promise<void> {
  const failures = await job.getIgnoredChildrenFailures();
  for (const [key, reason] of Object.entries(failures)) {
    const childId = key.slice(key.lastIndexOf(':') + 1);
    await ctx.tracker.recordError(runId, childId, `${childId}: ${String(reason).split('\n')[0]}`, true);
  }
}

async function finishRun(ctx: ProcessorContext, job: Job<FinishJobData>, token: string | undefined, signal: AbortSignal | undefined) {
  return guarded(
    ctx,
    job,
    token,
    signal,
    { en: 'finish', zh: '结束运行' },
    async () => {
      await recordIgnoredFailures(ctx, job, job.data.runId);
      if (!job.data.last) return { runId: job.data.runId, next: 'report' };
      return closeRun(ctx, job.data.runId);
    },
    job.data.last,
  );
}

/** Saves the finished run to the store, then announces it (both idempotent). */
async function closeRun(ctx: ProcessorContext, runId: string) {
  const progress = await ctx.tracker.read(runId);
  if (!progress) throw new UnrecoverableError(`run ${runId} is unknown to the queue (expired)`);
  const run = await ctx.tracker.finish(runId);
  await ctx.deps.store.saveRun(run);
  return { runId, status: run.status };
}

/** The report queue: a run's report step, and report schedules firing. */
export function reportQueueProcessor(ctx: ProcessorContext): VocProcessor<ReportQueueData> {
  return async (job, token, signal) => {
    if (job.name === JOB.scheduledReport) return scheduledReport(ctx, job as Job<ScheduledReportJobData>, token, signal);
    const step = job as Job<ReportJobData>;
    return guarded(
      ctx,
      step,
      token,
      signal,
      { en: 'report', zh: '报告' },
      async () => {
        if (step.data.runId) await recordIgnoredFailures(ctx, step, step.data.runId);
        const files: string[] = [];
        for (const spec of step.data.specs) files.push(...(await renderReport(ctx.deps, spec, step.data.outDir)).files);
        if (step.data.runId) {
          await ctx.tracker.recordJob(step.data.runId, step.id!, 'report', {});
          await closeRun(ctx, step.data.runId);
        }
        return { files };
      },
      Boolean(step.data.runId),
    );
  };
}

/**
 * A report schedule fired. The delivery ledger (`<prefix>:delivered:<schedule>:<instant>`) is set
 * after a successful render/delivery; a re-run of the same firing (retry, `voc jobs retry`, a
 * duplicate) finds it and delivers nothing again.
 */
async function scheduledReport(ctx: ProcessorContext, job: Job<ScheduledReportJobData>, token: string | undefined, signal: AbortSignal | undefined) {
  const { scheduleId, schedule, pattern, tz } = job.data;
  return guarded(ctx, job, token, signal, { en: `report schedule ${scheduleId}`, zh: `报告定时任务 ${scheduleId}` }, async () => {
    const at = firedAt(ctx, job, pattern, tz);
    const ledger = `${ctx.prefix}:delivered:${scheduleId}:${at.getTime()}`;
    if (await ctx.redis.exists(ledger)) {
      ctx.onEvent?.(`schedule report ${scheduleId} for ${at.toISOString()} already delivered`);
      return { firedAt: at.toISOString(), files: [], alreadyDelivered: true };
    }
    const { files } = await renderScheduledReport(ctx.deps, schedule, at, ctx.reportDir, tz);
    await ctx.redis.set(ledger, JSON.stringify({ files, jobId: job.id }), 'EX', 400 * 86400);
    ctx.onEvent?.(`schedule report ${scheduleId} fired for ${at.toISOString()}: ${files.length} files`);
    return { firedAt: at.toISOString(), files };
  });
}

/** The processor of each queue. */
export function processorsFor(ctx: ProcessorContext): Record<QueueName, VocProcessor<never>> {
  return {
    crawl: crawlQueueProcessor(ctx) as VocProcessor<never>,
    classify: classifyQueueProcessor(ctx) as VocProcessor<never>,
    report: reportQueueProcessor(ctx) as VocProcessor<never>,
  };
}
