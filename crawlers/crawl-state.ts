/**
 * The incremental state of one target between crawls, on top of the store's `CrawlState`:
 *
 *   watermark     newest publishedAt stored (CrawlState.watermark)
 *   etags         ETag / Last-Modified of the start URLs (CrawlState.etags), for 304s
 *   watermarkId   external id of that newest post (`since_id` APIs)
 *   pending       requests not finished when the crawl stopped (killed, page cap, aborted,
 *                 failed): the next crawl starts with them, so nothing in between is lost
 *   yields        items extracted by the last crawls (drift alarm)
 *   lastCompletedAt  when a crawl last ran to its natural end (sitemap lastmod filter)
 *   spec          fingerprint of what the target reads (URL, kind, selectors, mapping...) when
 *                 the state was written: a state written under another spec is dropped
 *                 (`progressFor`), so fixing a target's selectors never meets a 304 or a resume
 *                 point of the spec that read nothing
 *
 * The extra fields travel as one JSON string in `CrawlState.crawler`, so any store that keeps a
 * CrawlState document keeps them, with no schema change and no URL-shaped object keys.
 */
import { shortHash } from '../core/ids.js';
import type { Target } from '../core/types.js';
import type { CrawlState } from '../store/store.js';
import type { Validators } from './fetcher.js';
import type { PageRequest } from './page-request.js';

/** What the crawler keeps per target; a superset of the store's CrawlState. */
export interface TargetCrawlState extends CrawlState {
  /** JSON of `CrawlerProgress` minus what CrawlState holds itself. */
  crawler?: string;
}

export interface CrawlerProgress {
  watermark?: string;
  watermarkId?: string;
  validators: Record<string, Validators>;
  pending: PageRequest[];
  yields: number[];
  lastCompletedAt?: string;
  /** `specFingerprint` of the target the state was written for (absent in older states). */
  spec?: string;
}

/** Crawls remembered for the drift alarm. */
export const YIELD_HISTORY = 5;
/** A resumed crawl carries at most this many pending requests (a huge frontier is re-discovered instead). */
export const MAX_PENDING = 1000;

/** Reads the crawler's view of a stored state (a missing or foreign-shaped one starts empty). */
export function readProgress(state: CrawlState | undefined): CrawlerProgress {
  const progress: CrawlerProgress = { validators: {}, pending: [], yields: [] };
  if (!state) return progress;
  if (state.watermark) progress.watermark = state.watermark;
  if (state.etags) progress.validators = { ...state.etags };
  const extra = (state as TargetCrawlState).crawler;
  if (typeof extra === 'string') {
    try {
      const parsed = JSON.parse(extra) as Partial<CrawlerProgress>;
      if (typeof parsed.watermarkId === 'string') progress.watermarkId = parsed.watermarkId;
      if (Array.isArray(parsed.pending)) progress.pending = parsed.pending.filter((r) => r && typeof r.url === 'string' && typeof r.role === 'string');
      if (Array.isArray(parsed.yields)) progress.yields = parsed.yields.filter((n) => typeof n === 'number');
      if (typeof parsed.lastCompletedAt === 'string') progress.lastCompletedAt = parsed.lastCompletedAt;
      if (typeof parsed.spec === 'string') progress.spec = parsed.spec;
    } catch {
      // A corrupt extra field only costs the resume point; the watermark and validators still hold.
    }
  }
  return progress;
}

/**
 * Target fields that do not change what a page yields: who the posts are for, how fast and how far
 * the crawl goes. Everything else (url, kind, preset, source, selectors, pagination, detail, json,
 * sitemap, browser, timeZone, maxDepth, and any field added later) counts as the spec.
 */
const NOT_SPEC = new Set<string>(['id', 'brand', 'maxPages', 'delayMs', 'requestsPerMinute', 'maxConcurrency', 'stopAtKnown', 'allowPrivate', 'schedule']);

/** A short fingerprint of what `target` reads: equal for two targets that extract the same. */
export function specFingerprint(target: Target): string {
  const spec = Object.fromEntries(Object.entries(target).filter(([k]) => !NOT_SPEC.has(k)));
  return shortHash(canonicalJson(spec));
}

/**
 * The progress a crawl of `target` starts from, stamped with the target's spec. A state written
 * under another spec (the selectors were fixed with `voc targets add --replace`, the URL or mapping
 * was edited in the config or the console) starts over: its validators would get a 304 for a page
 * the old spec read nothing from, and its pending requests and yields belong to the old spec. A
 * state from before fingerprints were kept is taken as it is, except validators left by a crawl
 * that read nothing. `refetch` (`voc crawl --refetch`) drops the validators for this crawl only.
 */
export function progressFor(state: CrawlState | undefined, target: Target, options: { refetch?: boolean } = {}): CrawlerProgress {
  const spec = specFingerprint(target);
  let progress = readProgress(state);
  if (progress.spec !== undefined && progress.spec !== spec) progress = { validators: {}, pending: [], yields: [] };
  // Validators kept by a crawl that read nothing (states written before they were dropped for
  // such pages) would turn the fixed target's next crawl into a 304.
  if (options.refetch || progress.yields.at(-1) === 0) progress.validators = {};
  progress.spec = spec;
  return progress;
}

/** The state document to store for `progress`. */
export function writeProgress(targetId: string, progress: CrawlerProgress, updatedAt: string): TargetCrawlState {
  const state: TargetCrawlState = { targetId, updatedAt };
  if (progress.watermark) state.watermark = progress.watermark;
  if (Object.keys(progress.validators).length) state.etags = progress.validators;
  const extra: Partial<CrawlerProgress> = {};
  if (progress.watermarkId) extra.watermarkId = progress.watermarkId;
  if (progress.pending.length) extra.pending = progress.pending.slice(0, MAX_PENDING);
  if (progress.yields.length) extra.yields = progress.yields.slice(-YIELD_HISTORY);
  if (progress.lastCompletedAt) extra.lastCompletedAt = progress.lastCompletedAt;
  if (progress.spec) extra.spec = progress.spec;
  if (Object.keys(extra).length) state.crawler = JSON.stringify(extra);
  return state;
}

/** Whether two states say the same thing (ignoring `updatedAt`): an unchanged crawl writes nothing. */
export function sameState(a: CrawlState | undefined, b: CrawlState): boolean {
  if (!a) return false;
  const strip = ({ updatedAt: _u, ...rest }: CrawlState) => canonicalJson(rest);
  return strip(a) === strip(b);
}

/** JSON with object keys sorted at every level, so key order does not matter. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** What one page of a queued crawl changes in its target's state. */
export interface PageProgress {
  /** The target's own URL was fetched: its validators (undefined: the server sent none). */
  start?: { url: string; validators?: Validators; postsExtracted: number };
  /** The newest dated post of the page. */
  newest?: { at: string; id: string };
}

/**
 * The state after one page job of a queued crawl: the start page's validators stored (or dropped
 * when the server sent none or the page yielded no post) and its yield added to the drift history; the watermark moved to a
 * newer post. Everything else (pending requests of an in-process crawl...) is kept. Undefined when
 * nothing changed, so an unchanged page costs no write.
 */
export function withPageProgress(state: CrawlState | undefined, target: Target, page: PageProgress, updatedAt: string): TargetCrawlState | undefined {
  const targetId = target.id;
  // Stamped with the target's spec, like an in-process crawl's state; one of another spec starts over.
  const progress = progressFor(state, target);
  if (page.start) {
    if (page.start.validators) progress.validators[page.start.url] = page.start.validators;
    else delete progress.validators[page.start.url];
    progress.yields = [...progress.yields, page.start.postsExtracted].slice(-YIELD_HISTORY);
  }
  if (page.newest && (!progress.watermark || page.newest.at > progress.watermark)) {
    progress.watermark = page.newest.at;
    progress.watermarkId = page.newest.id;
  }
  const next = writeProgress(targetId, progress, updatedAt);
  return sameState(state, next) ? undefined : next;
}
