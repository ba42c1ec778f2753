/**
 * The `html` target kind: listing pages with CSS selectors and a "next page" link.
 *
 * `crawlPage` is one listing page (the unit a queue job runs): URL checks, robots.txt, pacing,
 * fetch with retry, extraction, post building. It keeps no state beyond the context, so any
 * worker can run any page. `crawlTarget` follows the next links in-process and hands each page
 * to `onPage` as soon as it is built, so nothing is buffered for the whole crawl.
 */
import type { VocConfig } from '../core/config.js';
import { InputError, VocError } from '../core/errors.js';
import type { Post, Target } from '../core/types.js';
import { assertCrawlableUrl } from './address-safety.js';
import { extractListing } from './extract-html.js';
import { createFetcher, type Fetcher } from './fetcher.js';
import { createLocalPacer, type HostPacer } from './pacer.js';
import { buildPost } from './post-builder.js';
import { withRetry, type RetryOptions } from './retry.js';
import { createRobotsPolicy, type RobotsPolicy } from './robots.js';

/** Everything a crawl needs, created once per process and shared by all pages and targets. */
export interface CrawlContext {
  readonly config: VocConfig;
  readonly authorSecret: string;
  readonly fetcher: Fetcher;
  readonly pacer: HostPacer;
  readonly robots: RobotsPolicy;
  readonly now: () => Date;
  /** Retry policy of page fetches (defaults of `withRetry` when empty). */
  readonly retry: RetryOptions;
  /** Closes what the context created itself (the fetcher's sockets); injected parts are the caller's. */
  close(): Promise<void>;
}

export interface CrawlContextOptions {
  config: VocConfig;
  /** Key of the author-handle HMAC (see `hashAuthor`); must not be empty. */
  authorSecret: string;
  fetcher?: Fetcher;
  pacer?: HostPacer;
  robots?: RobotsPolicy;
  now?: () => Date;
  retry?: RetryOptions;
}

/** One crawled listing page. */
export interface CrawledPage {
  /** Final URL of the page (after redirects). */
  url: string;
  posts: Post[];
  nextUrl: string | null;
  status: number;
}

export type StopReason = 'no_next' | 'page_cap' | 'loop' | 'empty_page' | 'aborted' | 'error';

export interface CrawlSummary {
  pages: number;
  posts: number;
  errors: Array<{ url: string; message: string }>;
  stoppedBecause: StopReason;
}

export interface CrawlTargetOptions {
  /** Page cap for this crawl; the target's own `maxPages` still applies. */
  maxPages?: number;
  /** Receives each page as soon as it is built (store its posts here). Errors thrown here propagate. */
  onPage?: (page: CrawledPage) => Promise<void> | void;
  signal?: AbortSignal;
}

/**
 * Creates the crawl context; missing parts are built from `config.crawler`.
 *
 * @example const ctx = createCrawlContext({ config, authorSecret }); ...; await ctx.close();
 */
export function createCrawlContext(options: CrawlContextOptions): CrawlContext {
  if (!options.authorSecret)
    throw new InputError('authorSecret: empty; author handles must be hashed with a secret key (set one for this data directory)');
  const userAgent = options.config.crawler.userAgent;
  const ownFetcher = options.fetcher ? undefined : createFetcher({ userAgent });
  const fetcher = options.fetcher ?? ownFetcher!;
  return {
    config: options.config,
    authorSecret: options.authorSecret,
    fetcher,
    pacer: options.pacer ?? createLocalPacer(),
    robots: options.robots ?? createRobotsPolicy(fetcher, userAgent),
    now: options.now ?? (() => new Date()),
    retry: options.retry ?? {},
    async close() {
      ownFetcher?.close();
    },
  };
}

/**
 * Private addresses are allowed only on the target's own host: `allowPrivate` vouches for the
 * configured source, not for wherever its links point.
 */
function privateAllowedFor(target: Target, url: URL): boolean {
  if (!target.allowPrivate) return false;
  try {
    return new URL(target.url).hostname === url.hostname;
  } catch {
    return false;
  }
}

/**
 * Crawls one listing page of `target`. Throws `RefusedUrlError` (unsafe URL, robots.txt),
 * `FetchError` / `RetriesExhaustedError` (fetch failed), `InputError` (bad selector).
 *
 * @example const page = await crawlPage(ctx, target, target.url); // page.posts, page.nextUrl
 */
export async function crawlPage(
  ctx: CrawlContext,
  target: Target,
  url: string,
  options: { signal?: AbortSignal } = {},
): Promise<CrawledPage> {
  const parsed = assertCrawlableUrl(url);
  const allowPrivate = privateAllowedFor(target, parsed);
  let crawlDelayMs = 0;
  if (ctx.config.crawler.respectRobots) {
    const verdict = await ctx.robots.assertAllowed(parsed.href, allowPrivate);
    crawlDelayMs = verdict.crawlDelayMs ?? 0;
  }
  const delayMs = Math.max(target.delayMs, crawlDelayMs);
  const signal = options.signal;
  const response = await withRetry(
    async () => {
      // Paced per attempt: a retry is a request to the same host like any other.
      await ctx.pacer.wait(parsed.hostname, delayMs);
      return ctx.fetcher.fetch(parsed.href, { allowPrivate, ...(signal ? { signal } : {}) });
    },
    { ...ctx.retry, ...(signal ? { signal } : {}) },
  );

  const collectedAt = ctx.now().toISOString();
  const listing = extractListing(response.body, response.url, target.selectors, target.timeZone);
  const posts: Post[] = [];
  const seen = new Set<string>();
  for (const item of listing.items) {
    const post = buildPost(item, { target, pageUrl: response.url, collectedAt, authorSecret: ctx.authorSecret });
    // A post shown twice on a page (pinned + in the list) is stored once.
    if (post && !seen.has(post.id)) {
      seen.add(post.id);
      posts.push(post);
    }
  }
  return { url: response.url, posts, nextUrl: listing.nextUrl, status: response.status };
}

/** Key of a page URL for loop detection: the URL without its fragment (query kept: it is the page). */
function visitKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href;
  } catch {
    return url;
  }
}

function messageOf(err: unknown): string {
  // VocErrors are one-line user messages already; other errors keep only their first line.
  if (err instanceof VocError || err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

/**
 * Crawls `target` from its first page, following next links up to the page cap. A page that
 * fails (after retries) is recorded in `errors` and ends the crawl, since its next link is
 * unknown; pages already handed to `onPage` stay stored.
 *
 * @example
 * const summary = await crawlTarget(ctx, target, { maxPages: 10, onPage: (p) => store.upsertPosts(p.posts) });
 */
export async function crawlTarget(ctx: CrawlContext, target: Target, options: CrawlTargetOptions = {}): Promise<CrawlSummary> {
  const cap = Math.min(target.maxPages, options.maxPages ?? Infinity);
  const signal = options.signal;
  const visited = new Set<string>();
  const summary: CrawlSummary = { pages: 0, posts: 0, errors: [], stoppedBecause: 'no_next' };
  const stop = (reason: StopReason) => {
    summary.stoppedBecause = reason;
    return summary;
  };
  if (cap < 1) return stop('page_cap');

  let url = target.url;
  visited.add(visitKey(url));
  for (;;) {
    if (signal?.aborted) return stop('aborted');
    let page: CrawledPage;
    try {
      page = await crawlPage(ctx, target, url, signal ? { signal } : {});
    } catch (err) {
      if (signal?.aborted) return stop('aborted');
      summary.errors.push({ url, message: messageOf(err) });
      return stop('error');
    }
    visited.add(visitKey(page.url));
    summary.pages++;
    summary.posts += page.posts.length;
    await options.onPage?.(page);

    if (page.posts.length === 0) return stop('empty_page');
    if (!page.nextUrl) return stop('no_next');
    if (visited.has(visitKey(page.nextUrl))) return stop('loop');
    if (summary.pages >= cap) return stop('page_cap');
    url = page.nextUrl;
    visited.add(visitKey(url));
  }
}
