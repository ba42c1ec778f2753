/**
 * One page to fetch within a target's crawl, and what is known about it before it is fetched.
 * Requests are plain JSON: the pending ones are saved with the crawl state, so a crawl killed
 * mid-way resumes exactly where it was.
 */
import type { RawItem } from './extract-html.js';

/**
 * - `listing`: a listing page, feed, API page (follows the target's pagination)
 * - `more`: a "load more" endpoint page of an html/browser listing
 * - `detail`: a post's own page (full text, replies)
 * - `replies`: a further page of a thread's replies
 * - `sitemap`: a sitemap or sitemap index
 */
export type PageRole = 'listing' | 'more' | 'detail' | 'replies' | 'sitemap';

export interface PageRequest {
  url: string;
  role: PageRole;
  /** Link depth: listing pages 0, a post's page 1, its reply pages 2 and on. */
  depth: number;
  /** Position in its chain, from 1. */
  pageNo: number;
  /**
   * Pages that follow each other (a listing and its next pages, one thread's reply pages) form a
   * chain; paging stops per chain (all posts known, empty page, loop...). `top` is the chain
   * started from the target URL, `resume` one carried over from an interrupted crawl.
   */
  chain: string;
  /** Cursor of a load-more request with `{cursor}`. */
  cursor?: string;
  /** Send the stored ETag / Last-Modified (start requests only: they are the ones that repeat). */
  conditional?: boolean;
  /** detail: the listing item this page completes (its own page adds the full text). */
  item?: RawItem;
  /** detail, replies: external id of the thread's first post (the replies' parent). */
  threadExternalId?: string;
  /** sitemap URLs: the `lastmod` the sitemap gave. */
  lastmod?: string;
  /** Crawls in which this request already failed; given up after `MAX_REQUEST_ATTEMPTS`. */
  failures?: number;
  /**
   * Carried over from an interrupted crawl. Such a page may hold only stored posts (stored just
   * before the interruption) and still lead to pages never reached: it does not stop its chain.
   */
  resumed?: boolean;
}

/** A request that failed in this many crawls in a row is dropped from the pending list. */
export const MAX_REQUEST_ATTEMPTS = 3;

/** Key of a URL for "already fetched in this crawl": the URL without its fragment. */
export function visitKey(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
