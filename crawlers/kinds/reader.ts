/**
 * The contract between the crawl loop (crawl-target.ts) and one target kind: where a crawl
 * starts, and what one fetched page yields (items, the next page of its chain, new work found).
 * Readers fetch through `io.fetch` only, so politeness, safety and counting are never bypassed.
 */
import type { Target } from '../../core/types.js';
import type { CrawlContext } from '../context.js';
import type { CrawlerProgress } from '../crawl-state.js';
import type { RawItem } from '../extract-html.js';
import type { Validators } from '../fetcher.js';
import type { PageRequest } from '../page-request.js';
import type { PageFetcher } from '../polite-fetch.js';
import type { TargetStats } from '../stats.js';

export interface ReaderIO {
  ctx: CrawlContext;
  /** The effective target (preset mapping applied). */
  target: Target;
  fetch: PageFetcher['fetch'];
  stats: TargetStats;
  /** The crawl instant, epoch ms (relative times). */
  nowMs: number;
  /** What the previous crawls left (validators, watermark id). */
  progress: CrawlerProgress;
  signal?: AbortSignal;
}

export interface PageOutcome {
  /** URL of the page after redirects. */
  url: string;
  status: number;
  /** The start URL answered 304: nothing changed since the last crawl. */
  notModified: boolean;
  /** Posts on this page, in page order. */
  items: RawItem[];
  /** The next page of the request's chain (listing pagination, a thread's next reply page). */
  next: PageRequest[];
  /** Work found on this page outside its chain (child sitemaps, pages listed in a sitemap). */
  discovered: PageRequest[];
  /** Validators of this response (kept for start requests). */
  validators?: Validators;
  /** The body as received, for a snapshot if extraction failed or for the raw archive. */
  body?: string;
  /** The media type the server declared (`text/html`, `application/pdf`), when it declared one. */
  contentType?: string;
  /** Whether an empty `items` means the spec no longer matches the page (html-like kinds). */
  emptyMeansBroken?: boolean;
}

export interface KindReader {
  /** The first requests of a crawl. */
  start(target: Target, progress: CrawlerProgress): PageRequest[];
  /**
   * The request after `req` in its chain when it is known before `req` is fetched (numbered
   * pages), so several pages of one listing can be fetched at once. Null otherwise.
   */
  successor?(target: Target, req: PageRequest): PageRequest | null;
  read(io: ReaderIO, req: PageRequest): Promise<PageOutcome>;
}

/** The start request of a target's own URL. */
export function startRequest(url: string, role: PageRequest['role'] = 'listing'): PageRequest {
  return { url, role, depth: 0, pageNo: 1, chain: 'top', conditional: true };
}

/** Validators worth storing from a response. */
export function validatorsOf(headers: Record<string, string | string[] | undefined>): Validators | undefined {
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const etag = pick(headers.etag);
  const lastModified = pick(headers['last-modified']);
  if (!etag && !lastModified) return undefined;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** The validators to send for `req` (start requests only). */
export function validatorsFor(io: ReaderIO, req: PageRequest): Validators | undefined {
  return req.conditional ? io.progress.validators[req.url] : undefined;
}
