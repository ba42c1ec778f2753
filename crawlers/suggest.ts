/**
 * One polite fetch of a listing page and a guess at its selectors (selector-guess.ts), with the
 * first posts they extract from that page: what `voc targets suggest` prints and the console's
 * "guess selectors" button fills in. The target's own rules apply (robots.txt, address checks,
 * per-host pacing); nothing is stored.
 */
import { resolveTarget, type VocConfig } from '../core/config.js';
import { VocError } from '../core/errors.js';
import type { SelectorSpec, Target } from '../core/types.js';
import type { CrawlContext } from './context.js';
import { extractListing } from './extract-html.js';
import { describePage, mediaType, pageAdvice, unreadablePage, type UnreadablePage } from './page-type.js';
import { politeFetcher } from './polite-fetch.js';
import { guessSelectors } from './selector-guess.js';
import { emptyTargetStats } from './stats.js';

export interface Suggestion {
  /** The page as fetched (after redirects). */
  url: string;
  /** Posts the item selector selects on the page. */
  items: number;
  selectors: SelectorSpec;
  nextPage: string | null;
  posts: Array<{ text: string; publishedAt?: string; url?: string }>;
}

/**
 * The throwaway html target a guess fetches through, so the URL's checks (scheme, private addresses
 * per crawler.allowPrivateHosts, robots.txt, pacing) are a crawl's. `origin` names the URL in errors.
 */
export function suggestionTarget(url: string, config: VocConfig, origin: string): Target {
  return resolveTarget({ id: 'suggest', source: 'suggest', url, brand: 'suggest', selectors: { item: 'body', text: 'body' } }, config, origin);
}

/** A page no selector guess can be made for: a PDF, JSON, a feed, an empty page. Says what it is and what to do. */
export class UnsuitablePageError extends VocError {
  readonly page: UnreadablePage;
  constructor(url: string, page: UnreadablePage, status: number) {
    const what = describePage(page, status);
    const todo = pageAdvice(page);
    super({ en: `${url}: ${what.en}, so there are no selectors to guess; ${todo.en}`, zh: `${url}：${what.zh}，无从猜测选择器；${todo.zh}` }, 1);
    this.name = 'UnsuitablePageError';
    this.page = page;
  }
}

/**
 * Fetches the listing page politely and guesses its selectors, with the first posts they extract.
 * No guess is `none` when the page holds nothing that repeats like posts, or `unsuitable` when it is
 * no HTML listing at all (a PDF, a feed, JSON, an empty page): the error to report, saying what the
 * page is and what to do. Fetch errors and refusals are thrown as the crawler raises them. Shared by
 * `voc targets suggest` and the console's POST /api/targets/suggest.
 */
export async function examinePage(crawl: CrawlContext, target: Target, limit: number): Promise<Suggestion | { none: true } | { unsuitable: UnsuitablePageError }> {
  const page = await politeFetcher(crawl, target, emptyTargetStats(crawl.now().toISOString())).fetch(target.url);
  const unreadable = unreadablePage(mediaType(page.headers['content-type']), page.body);
  if (unreadable) return { unsuitable: new UnsuitablePageError(page.url, unreadable, page.status) };
  const guess = guessSelectors(page.body, { timeZone: target.timeZone, nowMs: crawl.now().getTime() });
  if (!guess) return { none: true };
  const listing = extractListing(page.body, page.url, guess.spec, target.timeZone, { nowMs: crawl.now().getTime() });
  return {
    url: page.url,
    items: guess.items,
    selectors: guess.spec,
    nextPage: listing.nextUrl,
    posts: listing.items.slice(0, limit).map((i) => ({ text: i.text, ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}), ...(i.url ? { url: i.url } : {}) })),
  };
}
