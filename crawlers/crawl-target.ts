/**
 * Crawling one target: the loop every kind shares.
 *
 * Requests form chains (a listing and its next pages, a thread's reply pages). Workers, as many
 * as the host's concurrency cap, take requests (post pages first, then listing pages), fetch them
 * through the kind's reader and hand each page's posts to `onPage` as soon as they are built.
 * Numbered pagination is fetched ahead (the next URL is known before the page arrives); next
 * links are followed one by one.
 *
 * Incremental: a chain stops at a page whose posts are all stored already (`knownIds`), at a
 * page older than `since`, at an empty page, a loop or the page cap; start URLs are requested
 * with the stored ETag / Last-Modified and a 304 ends the crawl with nothing written.
 *
 * Crash-safe: after every page the state (`onState`) records the requests not finished yet, and
 * it is saved only after `onPage` returned, so a crawl killed at any instant resumes from the
 * pages it had not stored; stored posts are keyed, so a page done twice stores nothing twice.
 */
import { setMaxListeners } from 'node:events';
import type { Post, Target } from '../core/types.js';
import { firstLineZh, InputError } from '../core/errors.js';
import type { CrawlState } from '../store/store.js';
import { canonicalUrl } from './canonical-url.js';
import type { CrawlContext } from './context.js';
import { progressFor, sameState, writeProgress, type CrawlerProgress } from './crawl-state.js';
import type { RawItem } from './extract-html.js';
import { FetchError } from './fetch-error.js';
import { freezeItemId } from './kinds/html.js';
import { emptyPageError, unreadablePage } from './page-type.js';
import type { KindReader, PageOutcome, ReaderIO } from './kinds/reader.js';
import { MAX_REQUEST_ATTEMPTS, visitKey, type PageRequest } from './page-request.js';
import { politeFetcher } from './polite-fetch.js';
import { buildPost } from './post-builder.js';
import { effectiveTarget, readerFor } from './presets.js';
import { RetriesExhaustedError } from './retry.js';
import type { SimhashEntry } from './simhash.js';
import { driftAlarm, emptyTargetStats, errorCause, ExtractionError, messageOf, recordError, type TargetStats } from './stats.js';

/** One crawled page, as handed to `onPage`. */
export interface CrawledPage {
  /** Final URL of the page (after redirects). */
  url: string;
  posts: Post[];
  /** The next listing page, when the page links one. */
  nextUrl: string | null;
  status: number;
  request: PageRequest;
}

export type StopReason =
  | 'no_next'
  | 'page_cap'
  | 'loop'
  | 'empty_page'
  | 'known'
  | 'since'
  | 'not_modified'
  | 'aborted'
  | 'error';

export interface CrawlSummary {
  targetId: string;
  /** Pages handed to `onPage`. */
  pages: number;
  /** Posts handed to `onPage`. */
  posts: number;
  /** Every failed page, in order; `stats.errors` groups them by cause. */
  errors: Array<{ url: string; message: string; zh?: string; cause: string }>;
  /** Why the chain started from the target URL ended. */
  stoppedBecause: StopReason;
  stats: TargetStats;
}

/** What `onPage` may report back (a store's `UpsertResult` fits). */
export interface StoredCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface CrawlTargetOptions {
  /** Page cap for this crawl (listing pages; for sitemaps, post pages); the target's own `maxPages` still applies. */
  maxPages?: number;
  /** Drop posts published before this instant (ISO); a listing page holding only such posts ends its chain. */
  since?: string;
  /**
   * Receives each page as soon as it is built (store its posts here). Return the store's counts
   * to have them in the stats. Errors thrown here end the crawl and propagate.
   */
  onPage?: (page: CrawledPage) => Promise<StoredCounts | void> | StoredCounts | void;
  /** Which of these post ids are stored already (incremental crawling). */
  knownIds?: (ids: string[]) => Promise<Set<string>>;
  /** The target's stored crawl state, or a loader of it. */
  state?: CrawlState | (() => Promise<CrawlState | undefined>);
  /**
   * Ignore the stored ETag / Last-Modified for this crawl (`voc crawl --refetch`): the start pages
   * are fetched whole even if the site would answer 304. The new validators are stored as usual.
   */
  refetch?: boolean;
  /** Saves the crawl state; called after pages were handed over, and only when it changed. */
  onState?: (state: CrawlState) => Promise<void>;
  /** Fingerprints of recent stored posts, so reposts of them are marked too. */
  seedSimhashes?: () => Promise<SimhashEntry[]>;
  /** Told after each page and each error (live progress). */
  onProgress?: (stats: TargetStats) => void;
  signal?: AbortSignal;
}

interface Chain {
  stopped?: StopReason;
}

/** A 404 / 410 answer (after retries, if any were made). */
function isGone(err: unknown): boolean {
  const e = err instanceof RetriesExhaustedError ? err.last : err;
  return e instanceof FetchError && (e.status === 404 || e.status === 410);
}

/**
 * Crawls `target` from its start URL (and from any pending requests an earlier crawl left).
 *
 * @example
 * const summary = await crawlTarget(ctx, target, {
 *   ...storeCallbacks(store, target.id),
 *   onPage: (page) => store.upsertPosts(page.posts),
 * });
 * // summary.stats: pages, postsNew, statuses, retries, politenessWaitMs, errors by cause, drift
 */
export async function crawlTarget(ctx: CrawlContext, target: Target, options: CrawlTargetOptions = {}): Promise<CrawlSummary> {
  const run = new CrawlRun(ctx, target, options);
  return run.execute();
}

class CrawlRun {
  private readonly target: Target;
  /** The target as given (the spec fingerprint of the crawl state is taken of it, as queue jobs do). */
  private readonly rawTarget: Target;
  private readonly reader: KindReader;
  private readonly stats: TargetStats;
  private readonly startedAt: Date;
  private readonly cap: number;
  private readonly maxDepth: number;
  private readonly controller = new AbortController();
  private progress!: CrawlerProgress;
  private initialState: CrawlState | undefined;
  private lastSaved: CrawlState | undefined;
  private lastSavedJson: string | undefined;

  private readonly urgent: PageRequest[] = [];
  private readonly listing: PageRequest[] = [];
  private readonly inFlight = new Set<PageRequest>();
  private readonly failed: PageRequest[] = [];
  private readonly capped: PageRequest[] = [];
  private readonly chains = new Map<string, Chain>();
  private readonly visited = new Set<string>();
  /**
   * Per resumed chain, the highest page number the interrupted crawl had queued or started. Its
   * pages may have finished out of order (page 8 stored while page 7 was still in flight), so a
   * page up to that number is still part of the interrupted crawl: finding it stored must not end
   * the chain. Pages beyond it follow the usual rules.
   */
  private readonly resumeHorizon = new Map<string, number>();
  private readonly seenIds = new Set<string>();
  private listingStarted = 0;
  private fatal: { error: unknown } | undefined;
  /** Idle workers waiting for a request to be queued or to finish. */
  private readonly sleepers = new Set<() => void>();
  private saving: Promise<void> = Promise.resolve();
  private newest: { at: string; id: string } | undefined;
  /** Posts whose time the page printed (the others carry the collection time). */
  private readonly dated = new WeakSet<Post>();
  private emptyFirstPage: { url: string; body?: string; snapshot?: string } | undefined;
  private readonly summary: CrawlSummary;

  constructor(
    private readonly ctx: CrawlContext,
    rawTarget: Target,
    private readonly options: CrawlTargetOptions,
  ) {
    this.rawTarget = rawTarget;
    this.target = effectiveTarget(rawTarget);
    this.reader = readerFor(this.target);
    this.startedAt = ctx.now();
    this.stats = emptyTargetStats(this.startedAt.toISOString());
    this.cap = Math.min(this.target.maxPages, options.maxPages ?? Infinity);
    this.maxDepth = this.target.maxDepth ?? 2;
    this.summary = { targetId: rawTarget.id, pages: 0, posts: 0, errors: [], stoppedBecause: 'no_next', stats: this.stats };
    // Every request in flight (and every pacer wait) listens on this signal: many at once is normal.
    setMaxListeners(0, this.controller.signal);
    if (options.signal) {
      if (options.signal.aborted) this.controller.abort(options.signal.reason);
      else options.signal.addEventListener('abort', () => this.controller.abort(options.signal!.reason), { once: true });
    }
  }

  private get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  async execute(): Promise<CrawlSummary> {
    const { options, ctx } = this;
    this.initialState = typeof options.state === 'function' ? await options.state() : options.state;
    this.lastSaved = this.initialState;
    this.progress = progressFor(this.initialState, this.rawTarget, { refetch: options.refetch === true });
    await Promise.all([ctx.snapshots?.prune(this.startedAt), ctx.rawPages?.prune(this.startedAt)]);
    if (options.seedSimhashes) for (const e of await options.seedSimhashes()) ctx.nearDuplicates.add(e);

    if (this.cap < 1) return this.finish('page_cap');
    // Requests an interrupted crawl left come first: they are the part of the site it never stored.
    // A start page among them (it failed last time: a 404, a timeout) is asked again as the start
    // of this crawl, not twice: met a second time, it would read as a pagination loop and the
    // target's chain would report "loop" instead of what happened to its start page.
    // It keeps what the pending request knew: resumed (it may have been stored just before a
    // kill, and must not end the chain as "known"), and how many crawls it failed in.
    const starts = this.reader.start(this.target, this.progress);
    const startsByKey = new Map(starts.map((r) => [visitKey(r.url), r]));
    for (const r of this.progress.pending) {
      const start = r.chain === 'top' && r.pageNo === 1 ? startsByKey.get(visitKey(r.url)) : undefined;
      if (start) {
        start.resumed = true;
        if (r.failures) start.failures = r.failures;
        continue;
      }
      const chain = r.chain === 'top' ? 'resume' : r.chain;
      this.resumeHorizon.set(chain, Math.max(this.resumeHorizon.get(chain) ?? 0, r.pageNo));
      this.enqueue({ ...r, chain, resumed: true });
    }
    for (const r of starts) this.enqueue(r);

    const workers = Math.max(1, this.target.maxConcurrency ?? ctx.config.crawler.maxConcurrencyPerHost);
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
    await this.saving;
    if (this.fatal) throw this.fatal.error;
    return this.finish();
  }

  private enqueue(req: PageRequest): void {
    if (req.role === 'detail' || req.role === 'replies') {
      // Post pages of a sitemap are its listing: they go in order, under the page cap.
      if (this.target.kind === 'sitemap' && req.role === 'detail') this.listing.push(req);
      else this.urgent.push(req);
    } else this.listing.push(req);
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.sleepers) resolve();
    this.sleepers.clear();
  }

  private chain(name: string): Chain {
    let c = this.chains.get(name);
    if (!c) this.chains.set(name, (c = {}));
    return c;
  }

  /** Ends a chain: its queued pages are dropped (in-flight ones still finish and store). */
  private stopChain(name: string, reason: StopReason): void {
    const c = this.chain(name);
    if (c.stopped) return;
    c.stopped = reason;
    for (const q of [this.urgent, this.listing])
      for (let i = q.length - 1; i >= 0; i--) if (q[i]!.chain === name && q[i]!.role !== 'detail') q.splice(i, 1);
  }

  private countsTowardCap(req: PageRequest): boolean {
    if (this.target.kind === 'sitemap') return req.role === 'detail';
    return req.role === 'listing' || req.role === 'more';
  }

  /** The next request worth starting, or undefined when none is queued. */
  private take(): PageRequest | undefined {
    for (const q of [this.urgent, this.listing]) {
      while (q.length > 0) {
        const req = q.shift()!;
        const chain = this.chain(req.chain);
        if (chain.stopped && req.role !== 'detail') continue;
        const key = visitKey(req.url);
        if (this.visited.has(key)) {
          // A numbered page met twice is look-ahead meeting a resumed page; a linked page met twice is a loop.
          const numbered = Boolean(this.reader.successor?.(this.target, req));
          if (!numbered && (req.role === 'listing' || req.role === 'more' || req.role === 'replies')) this.stopChain(req.chain, 'loop');
          continue;
        }
        if (req.depth > this.maxDepth) continue;
        if (this.countsTowardCap(req)) {
          if (this.listingStarted >= this.cap) {
            this.capped.push(req);
            this.stopChain(req.chain, 'page_cap');
            continue;
          }
          this.listingStarted++;
        }
        this.visited.add(key);
        const successor = this.reader.successor?.(this.target, req);
        if (successor) {
          // A page the interrupted crawl never reached follows the usual rules; one within its
          // reach (it may have been stored out of order) is still a resumed page.
          if (!(successor.pageNo <= (this.resumeHorizon.get(successor.chain) ?? 0))) delete successor.resumed;
          delete successor.failures;
          this.enqueue(successor);
        }
        return req;
      }
    }
    return undefined;
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.aborted) return;
      const req = this.take();
      if (!req) {
        if (this.inFlight.size === 0) {
          this.wake();
          return;
        }
        await new Promise<void>((resolve) => this.sleepers.add(resolve));
        continue;
      }
      this.inFlight.add(req);
      try {
        await this.process(req);
      } catch (err) {
        // onPage / onState failed: a store problem ends the crawl and is the caller's to report.
        this.fatal ??= { error: err };
        this.controller.abort(err);
      } finally {
        this.inFlight.delete(req);
        this.wake();
      }
    }
  }

  private io(): ReaderIO {
    return {
      ctx: this.ctx,
      target: this.target,
      fetch: politeFetcher(this.ctx, this.target, this.stats, this.controller.signal).fetch,
      stats: this.stats,
      nowMs: this.ctx.now().getTime(),
      progress: this.progress,
      signal: this.controller.signal,
    };
  }

  private async process(req: PageRequest): Promise<void> {
    let outcome: PageOutcome;
    try {
      outcome = await this.reader.read(this.io(), req);
    } catch (err) {
      if (this.aborted) {
        if (!this.fatal) this.failed.push(req); // not a failure: kept for the next crawl as is
        return;
      }
      if (err instanceof InputError && !(err instanceof ExtractionError)) {
        // A broken target spec fails every page the same way: one error, no retry next time.
        this.recordFailure(req, err);
        this.stopChain(req.chain, 'error');
        return;
      }
      if (req.pageNo > 1 && isGone(err) && this.reader.successor?.(this.target, req)) {
        // Numbered pages run out with a 404 on many sites: the end of the listing, not a failure.
        this.stopChain(req.chain, 'no_next');
        return;
      }
      this.recordFailure(req, err);
      if (req.role !== 'detail' && req.role !== 'replies') this.stopChain(req.chain, 'error');
      if ((req.failures ?? 0) + 1 < MAX_REQUEST_ATTEMPTS) this.failed.push({ ...req, failures: (req.failures ?? 0) + 1 });
      // A post page that failed still leaves the post as the listing showed it.
      if (req.role === 'detail' && req.item) await this.handOver(req, req.url, 0, this.buildAll([req.item], req.url), null);
      else await this.saveState();
      this.options.onProgress?.(this.stats);
      return;
    }
    await this.handle(req, outcome);
  }

  private recordFailure(req: PageRequest, err: unknown, snapshot?: string): void {
    const message = messageOf(err);
    const zh = firstLineZh(err);
    const cause = errorCause(err);
    recordError(this.stats, cause, req.url, message, snapshot, zh);
    this.summary.errors.push({ url: req.url, message, ...(zh !== undefined ? { zh } : {}), cause });
  }

  private async handle(req: PageRequest, outcome: PageOutcome): Promise<void> {
    const { target, ctx } = this;
    if (outcome.notModified) {
      this.stats.notModified++;
      this.stopChain(req.chain, 'not_modified');
      this.options.onProgress?.(this.stats);
      return;
    }
    this.stats.pages++;
    const items = outcome.items;
    // A PDF, JSON or empty answer where an HTML page was expected: said as such, and neither
    // archived nor snapshotted as if it were HTML.
    const unreadable = items.length === 0 && outcome.emptyMeansBroken && outcome.body !== undefined ? unreadablePage(outcome.contentType, outcome.body) : undefined;
    if (ctx.rawPages && outcome.body && !unreadable) await ctx.rawPages.save(target.id, outcome.url, outcome.body, ctx.now());
    this.stats.postsExtracted += items.length;
    const isChainPage = req.role === 'listing' || req.role === 'more';

    if (items.length === 0 && req.pageNo === 1 && (req.role === 'listing' || req.role === 'detail')) {
      let snapshot: string | undefined;
      if (outcome.emptyMeansBroken && outcome.body !== undefined) {
        if (!unreadable) snapshot = await ctx.snapshots?.save(target.id, outcome.url, outcome.body, ctx.now());
        const page = { url: outcome.url, status: outcome.status, body: outcome.body, ...(outcome.contentType ? { contentType: outcome.contentType } : {}) };
        this.recordFailure(req, emptyPageError(target.id, page, { detail: req.role === 'detail', ...(snapshot ? { snapshot } : {}) }), snapshot);
        // Not a page of this kind at all: the chain ended on an error, not on an empty listing page.
        if (unreadable) this.stopChain(req.chain, 'error');
      }
      if (req.chain === 'top' && !this.emptyFirstPage)
        this.emptyFirstPage = { url: outcome.url, ...(outcome.body !== undefined && !unreadable ? { body: outcome.body } : {}), ...(snapshot ? { snapshot } : {}) };
    }

    // Listing items that have their own page are completed there first (full text, replies), so
    // a new post is stored once, whole; a post already stored is not fetched (nor overwritten) again.
    const deferred: RawItem[] = [];
    const ready: RawItem[] = [];
    for (const item of items) {
      if (item.detailUrl && isChainPage && req.depth + 1 <= this.maxDepth) deferred.push(freezeItemId(item));
      else ready.push(item);
    }
    // A post page that shows nothing readable leaves the post as its listing showed it.
    if (req.role === 'detail' && items.length === 0 && req.item) ready.push(req.item);
    const readyPosts = this.buildAll(ready, outcome.url);
    const deferredPosts = this.buildAll(deferred, outcome.url);
    const pagePosts = [...readyPosts, ...deferredPosts];
    const known = isChainPage ? await this.known(pagePosts.map((p) => p.id)) : new Set<string>();
    // A start page's validators are kept only when it yielded posts: a 304 next time means "the
    // posts you have are current". Kept for a page that read nothing (wrong selectors, a block
    // page), they would answer every later crawl with 304 and nothing, even once it is fixed.
    if (req.conditional) {
      if (outcome.validators && pagePosts.length > 0) this.progress.validators[req.url] = outcome.validators;
      else delete this.progress.validators[req.url];
    }

    // Where the chain goes from here.
    if (isChainPage) {
      const since = this.options.since;
      if (items.length === 0) this.stopChain(req.chain, 'empty_page');
      else if (this.stopsAtKnown() && !req.resumed && pagePosts.length > 0 && pagePosts.every((p) => known.has(p.id) || this.seenIds.has(p.id)))
        this.stopChain(req.chain, 'known');
      else if (since !== undefined && pagePosts.length > 0 && pagePosts.every((p) => p.publishedAt < since)) this.stopChain(req.chain, 'since');
      else if (!this.chain(req.chain).stopped) {
        for (const n of outcome.next) this.enqueue(n);
        if (outcome.next.length === 0 && !this.reader.successor?.(this.target, req)) this.stopChain(req.chain, 'no_next');
      }
    } else if (!this.chain(req.chain).stopped) {
      for (const n of outcome.next) this.enqueue(n);
    }
    for (const d of await this.newDiscoveries(outcome.discovered)) this.enqueue(d);

    deferredPosts.forEach((post, i) => {
      const item = deferred.find((d) => `${target.source}:${d.externalId}` === post.id) ?? deferred[i]!;
      if (known.has(post.id) || this.seenIds.has(post.id)) return;
      if (this.options.since !== undefined && post.publishedAt < this.options.since) {
        this.stats.postsTooOld++;
        return;
      }
      this.seenIds.add(post.id);
      const { detailUrl, ...listed } = item;
      this.enqueue({
        url: detailUrl!,
        role: 'detail',
        depth: req.depth + 1,
        pageNo: 1,
        chain: `thread:${post.id}`,
        item: listed,
        threadExternalId: post.externalId,
      });
    });
    await this.handOver(req, outcome.url, outcome.status, readyPosts, outcome.next[0]?.url ?? null);
  }

  /** Posts of raw items (items without text are dropped). */
  private buildAll(items: RawItem[], pageUrl: string): Post[] {
    const collectedAt = this.ctx.now().toISOString();
    const out: Post[] = [];
    for (const item of items) {
      const post = buildPost(item, { target: this.target, pageUrl, collectedAt, authorSecret: this.ctx.authorSecret });
      if (post) {
        if (item.publishedAt) this.dated.add(post);
        out.push(post);
      }
    }
    return out;
  }

  private stopsAtKnown(): boolean {
    return this.target.stopAtKnown !== false && this.options.knownIds !== undefined;
  }

  private async known(ids: string[]): Promise<Set<string>> {
    if (!this.options.knownIds || ids.length === 0 || this.firstCrawl) return new Set();
    return this.options.knownIds(ids);
  }

  /**
   * The store has no state for this target: it was never crawled (or was removed and re-added),
   * so no post of it is stored from before this crawl and asking which are is wasted work.
   */
  private get firstCrawl(): boolean {
    return this.options.state !== undefined && this.initialState === undefined;
  }

  /**
   * Post pages found in a sitemap, minus those stored already (by their URL id) unless the
   * sitemap says they changed since the last complete crawl.
   */
  private async newDiscoveries(found: PageRequest[]): Promise<PageRequest[]> {
    const pages = found.filter((r) => r.role === 'detail' && !r.item);
    if (pages.length === 0 || !this.options.knownIds || this.target.detail?.post?.id) return found;
    const idOf = (r: PageRequest) => {
      try {
        return `${this.target.source}:${canonicalUrl(r.url)}`;
      } catch {
        return '';
      }
    };
    const known = await this.known(pages.map(idOf));
    const since = this.progress.lastCompletedAt;
    return found.filter((r) => {
      if (r.role !== 'detail' || r.item || !known.has(idOf(r))) return true;
      return Boolean(since && r.lastmod && Date.parse(r.lastmod) > Date.parse(since));
    });
  }

  /** Filters and hands over the posts of one page (near-duplicates marked), then saves the state. */
  private async handOver(req: PageRequest, pageUrl: string, status: number, built: Post[], nextUrl: string | null): Promise<void> {
    const posts: Post[] = [];
    for (const post of built) {
      if (this.options.since !== undefined && post.publishedAt < this.options.since) {
        this.stats.postsTooOld++;
        continue;
      }
      if (this.seenIds.has(post.id) && !(req.role === 'detail' && post.externalId === req.threadExternalId)) {
        this.stats.postsRepeated++;
        continue;
      }
      this.seenIds.add(post.id);
      // Only times the page printed move the watermark (an undated post is "published" at collection).
      if (this.dated.has(post) && (!this.newest || post.publishedAt > this.newest.at)) this.newest = { at: post.publishedAt, id: post.externalId };
      posts.push(post);
    }
    this.markNearDuplicates(posts);
    if (status !== 0 || posts.length > 0) {
      const counts = await this.options.onPage?.({ url: pageUrl, posts, nextUrl, status, request: req });
      if (counts && typeof counts === 'object') {
        this.stats.postsNew += counts.inserted;
        this.stats.postsUpdated += counts.updated;
        this.stats.postsUnchanged += counts.unchanged;
      }
      if (status !== 0) this.summary.pages++;
      this.summary.posts += posts.length;
    }
    await this.saveState(req);
    this.options.onProgress?.(this.stats);
  }

  /**
   * Marks reposts: within a page the earliest published of a near-identical group is the
   * original; across pages and crawls, the post seen first is (it may already be stored).
   */
  private markNearDuplicates(posts: Post[]): void {
    const index = this.ctx.nearDuplicates;
    const byTime = posts.filter((p) => p.simhash).sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
    for (const post of byTime) {
      const entry = { id: post.id, simhash: post.simhash!, publishedAt: post.publishedAt };
      const original = index.findOriginal(entry);
      if (original) {
        post.nearDuplicateOf = original;
        this.stats.nearDuplicates++;
      }
      index.add(original ? { ...entry, nearDuplicateOf: original } : entry);
    }
  }

  /** The requests not finished yet: in flight (but `done`), queued, failed, beyond the cap. */
  private pending(done?: PageRequest): PageRequest[] {
    const open = [...this.inFlight].filter((r) => r !== done);
    const queued = [...this.urgent, ...this.listing].filter((r) => !this.chain(r.chain).stopped || r.role === 'detail');
    return [...open, ...queued, ...this.failed, ...this.capped];
  }

  /** Saves the state if it changed; saves are serialised so an older one never lands last. */
  private saveState(done?: PageRequest, final = false): Promise<void> {
    if (!this.options.onState) return Promise.resolve();
    const progress: CrawlerProgress = {
      ...this.progress,
      pending: final && !this.aborted ? [...this.failed, ...this.capped] : this.pending(done),
    };
    if (this.newest && (!progress.watermark || this.newest.at > progress.watermark)) {
      progress.watermark = this.newest.at;
      progress.watermarkId = this.newest.id;
    }
    if (final && this.stats.pages > 0) {
      progress.yields = [...this.progress.yields, this.stats.postsExtracted];
      if (!this.aborted && progress.pending.length === 0) progress.lastCompletedAt = this.startedAt.toISOString();
    }
    const state = writeProgress(this.target.id, progress, this.ctx.now().toISOString());
    // States written here are built the same way every time, so their JSON (minus the time) is
    // a cheap identity; only the state loaded at the start needs the order-blind comparison.
    const { updatedAt: _at, ...content } = state;
    const json = JSON.stringify(content);
    const write = async () => {
      if (this.lastSavedJson !== undefined ? json === this.lastSavedJson : sameState(this.lastSaved, state)) return;
      await this.options.onState!(state);
      this.lastSaved = state;
      this.lastSavedJson = json;
    };
    this.saving = this.saving.then(write);
    return this.saving;
  }

  private async finish(reason?: StopReason): Promise<CrawlSummary> {
    // The summary reports the chain started from the target URL.
    const top = this.chains.get('top');
    this.summary.stoppedBecause = this.options.signal?.aborted ? 'aborted' : (reason ?? top?.stopped ?? 'no_next');
    this.detectDrift();
    if (this.stats.drift && !this.stats.drift.snapshot && this.emptyFirstPage?.body !== undefined && this.ctx.snapshots) {
      this.stats.drift.snapshot = await this.ctx.snapshots.save(this.target.id, this.emptyFirstPage.url, this.emptyFirstPage.body, this.ctx.now());
      this.stats.drift.message += `; the page is saved in ${this.stats.drift.snapshot}`;
      if (this.stats.drift.zh !== undefined) this.stats.drift.zh += `；页面已保存在 ${this.stats.drift.snapshot}`;
    }
    if (!this.fatal) await this.saveState(undefined, true);
    this.stats.finishedAt = this.ctx.now().toISOString();
    return this.summary;
  }

  /** A target that yielded posts on earlier crawls and none now: the site changed, or blocks us. */
  private detectDrift(): void {
    const drift = driftAlarm(this.target.id, this.progress.yields, this.stats.pages, this.stats.postsExtracted, this.emptyFirstPage?.snapshot);
    if (drift) this.stats.drift = drift;
  }
}
