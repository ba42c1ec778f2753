/**
 * One page of a target on its own: the unit a queue job runs (any worker, no state beyond the
 * context). The URL's role is inferred (a listing page, a load-more endpoint, a sitemap), the
 * page is fetched politely, read by the target's kind and its posts built; nothing is stored and
 * detail pages are not followed (their posts come with the listing's text).
 */
import { InputError } from '../core/errors.js';
import type { Post, Target } from '../core/types.js';
import type { CrawlState } from '../store/store.js';
import type { CrawlContext } from './context.js';
import { progressFor } from './crawl-state.js';
import type { Validators } from './fetcher.js';
import type { PageRequest } from './page-request.js';
import { politeFetcher } from './polite-fetch.js';
import { buildPost } from './post-builder.js';
import { effectiveTarget, readerFor } from './presets.js';
import { emptyPageError, unreadablePage } from './page-type.js';
import { driftAlarm, emptyTargetStats, errorCause, messageOf, recordError, type TargetStats } from './stats.js';

/** One crawled page as a queue job sees it. */
export interface PageResult {
  /** Final URL of the page (after redirects). */
  url: string;
  posts: Post[];
  /** The next page of the listing (next link, numbered page, cursor), or null. */
  nextUrl: string | null;
  status: number;
  /** The target's own URL answered 304 to the stored validators: nothing changed, no posts. */
  notModified: boolean;
  /** Validators of the target URL's response, to store for the next crawl's conditional request. */
  validators?: Validators;
  /** The newest post whose time the page printed (the target's watermark moves to it). */
  newest?: { at: string; id: string };
  /** Requests, counts and waits of this page. */
  stats: TargetStats;
  /**
   * The target's first page yielded no post although its kind says it should have (selectors that
   * match nothing, a PDF, an empty page): the page's error, as an in-process crawl records it.
   */
  failure?: { url: string; cause: string; message: string; zh?: string };
}

export interface CrawlPageOptions {
  signal?: AbortSignal;
  /**
   * The target's stored crawl state. For the target's own URL it makes the request incremental as
   * in-process crawls are: the stored ETag / Last-Modified are sent (a 304 comes back as
   * `notModified`) and a `since_id` API is asked only for what is newer than the watermark.
   */
  state?: CrawlState;
  /** Do not send the stored validators (`voc crawl --refetch`): the page is fetched whole. */
  refetch?: boolean;
}

/** The request a bare URL of `target` stands for. */
export function requestFor(target: Target, url: string): PageRequest {
  const p = target.pagination;
  let role: PageRequest['role'] = target.kind === 'sitemap' ? 'sitemap' : 'listing';
  let pageNo = 1;
  if (p?.url && (p.type === 'template' || p.type === 'loadMore') && url !== target.url) {
    const n = numberIn(p.url, url);
    if (p.type === 'loadMore') role = 'more';
    if (n !== undefined) pageNo = Math.max(2, Math.round((n - (p.first ?? 2)) / (p.step ?? 1)) + 2);
  }
  return { url, role, depth: 0, pageNo, chain: 'top' };
}

/** The number a URL has where the template has `{page}`. */
function numberIn(template: string, url: string): number | undefined {
  const [before, after = ''] = template.split('{page}');
  const tail = (s: string) => s.replace(/^https?:\/\/[^/]+/, '');
  const b = tail(before!);
  const u = tail(url);
  const i = u.indexOf(b);
  if (i < 0) return undefined;
  const m = /^\d+/.exec(u.slice(i + b.length));
  if (!m) return undefined;
  return u.slice(i + b.length + m[0].length).startsWith(tail(after).split(/[?#]/)[0] ?? '') ? Number(m[0]) : undefined;
}

/**
 * Crawls one page of `target`. Throws `RefusedUrlError` (unsafe URL, robots.txt), `FetchError` /
 * `RetriesExhaustedError` (fetch failed), `InputError` (bad selector or mapping).
 *
 * @example const page = await crawlPage(ctx, target, target.url); // page.posts, page.nextUrl
 */
export async function crawlPage(ctx: CrawlContext, rawTarget: Target, url: string, options: CrawlPageOptions = {}): Promise<PageResult> {
  const target = effectiveTarget(rawTarget);
  const reader = readerFor(target);
  const stats = emptyTargetStats(ctx.now().toISOString());
  const progress = progressFor(options.state, rawTarget, { refetch: options.refetch === true });
  // The target's own URL is a crawl's start: the kind decides how it is asked (conditional, since_id).
  const req = (url === target.url ? reader.start(target, progress)[0] : undefined) ?? requestFor(target, url);
  const outcome = await reader.read(
    {
      ctx,
      target,
      fetch: politeFetcher(ctx, target, stats, options.signal).fetch,
      stats,
      nowMs: ctx.now().getTime(),
      progress,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    req,
  );
  if (target.kind === 'sitemap')
    throw new InputError({
      en: `target ${target.id}: crawlPage reads listing pages; a sitemap target is crawled with crawlTarget`,
      zh: `抓取目标 ${target.id}：crawlPage 只读取列表页；sitemap 类型的抓取目标请用 crawlTarget 抓取`,
    });
  if (outcome.notModified) {
    const validators = req.conditional ? outcome.validators : undefined;
    stats.notModified = 1;
    return { url: outcome.url, posts: [], nextUrl: null, status: outcome.status, notModified: true, ...(validators ? { validators } : {}), stats };
  }
  const collectedAt = ctx.now().toISOString();
  const posts: Post[] = [];
  const seen = new Set<string>();
  let newest: PageResult['newest'];
  for (const item of outcome.items) {
    const { detailUrl: _skip, ...listed } = item;
    const post = buildPost(listed, { target, pageUrl: outcome.url, collectedAt, authorSecret: ctx.authorSecret });
    // A post shown twice on a page (pinned + in the list) is stored once.
    if (post && !seen.has(post.id)) {
      seen.add(post.id);
      posts.push(post);
      // Only times the page printed move the watermark (an undated post is "published" at collection).
      if (item.publishedAt && (!newest || post.publishedAt > newest.at)) newest = { at: post.publishedAt, id: post.externalId };
    }
  }
  // A first page that read nothing: kept (unless it is no HTML at all) and reported as the
  // in-process crawl does; where earlier crawls read posts, the drift alarm too.
  let failure: PageResult['failure'];
  let snapshot: string | undefined;
  const empty = outcome.items.length === 0 && req.pageNo === 1 && req.role === 'listing';
  if (empty && outcome.body !== undefined) {
    const unreadable = outcome.emptyMeansBroken ? unreadablePage(outcome.contentType, outcome.body) : undefined;
    const broken = outcome.emptyMeansBroken || (url === target.url && progress.yields.slice(-3).some((n) => n > 0));
    if (broken && !unreadable && ctx.snapshots) snapshot = await ctx.snapshots.save(target.id, outcome.url, outcome.body, ctx.now());
    if (outcome.emptyMeansBroken) {
      const page = { url: outcome.url, status: outcome.status, body: outcome.body, ...(outcome.contentType ? { contentType: outcome.contentType } : {}) };
      const err = emptyPageError(target.id, page, snapshot ? { snapshot } : {});
      const zh = err.zh;
      recordError(stats, errorCause(err), outcome.url, messageOf(err), snapshot, zh);
      failure = { url: outcome.url, cause: errorCause(err), message: messageOf(err), ...(zh !== undefined ? { zh } : {}) };
    }
  }
  if (url === target.url && outcome.items.length === 0 && progress.yields.slice(-3).some((n) => n > 0)) {
    const drift = driftAlarm(target.id, progress.yields, 1, 0, snapshot);
    if (drift) stats.drift = drift;
  }
  const successor = reader.successor?.(target, req);
  const nextUrl = outcome.items.length > 0 ? (outcome.next.find((n) => n.role === 'listing' || n.role === 'more')?.url ?? successor?.url ?? null) : null;
  stats.pages = 1;
  stats.postsExtracted = outcome.items.length;
  // Validators only of a page that yielded posts: kept for a page that read nothing, they would
  // answer the crawl after the selectors are fixed with 304 and nothing.
  const validators = req.conditional && posts.length > 0 ? outcome.validators : undefined;
  return {
    url: outcome.url,
    posts,
    nextUrl,
    status: outcome.status,
    notModified: false,
    ...(validators ? { validators } : {}),
    ...(newest ? { newest } : {}),
    ...(failure ? { failure } : {}),
    stats,
  };
}
