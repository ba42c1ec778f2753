/**
 * The crawler: targets in, `Post`s out. Built by composition, one module per job:
 *
 *   address-safety  which IPs may be connected to (SSRF, DNS rebinding)
 *   fetcher         node:http(s) keep-alive GET: redirects, size/time caps, gzip/br, charsets
 *   retry           backoff with jitter; honours Retry-After without spending retries
 *   robots          robots.txt per origin (RFC 9309), Crawl-delay
 *   pacer           minimum delay between requests to one host
 *   extract-html    CSS selectors -> raw items + next link (cheerio, htmlparser2 path)
 *   post-builder    raw item -> Post (ids, redaction, author HMAC, language, hashes)
 *   html-target     crawlPage / crawlTarget: the above, in order
 *
 * @example
 * ```ts
 * import { parseConfig, resolveTarget } from '../core/config.js';
 * import { createCrawlContext, crawlTarget } from './index.js';
 *
 * const config = parseConfig({
 *   brands: [{ id: 'acme', name: 'Acme' }],
 *   targets: [{
 *     id: 'acme-forum', brand: 'acme', url: 'https://bbs.example.cn/forum/acme?page=1', maxPages: 5,
 *     selectors: { item: '.post', text: '.content', author: '.user', time: 'time@datetime',
 *                  link: 'a.permalink', likes: '.likes', nextPage: 'a.next' },
 *   }],
 * });
 * const target = resolveTarget(config.targets[0]!, config);
 * const ctx = createCrawlContext({ config, authorSecret: 'per-installation secret' });
 * try {
 *   const summary = await crawlTarget(ctx, target, {
 *     onPage: async (page) => { await store.upsertPosts(page.posts); }, // stored as they come
 *   });
 *   console.log(summary); // { pages: 5, posts: 100, errors: [], stoppedBecause: 'page_cap' }
 * } finally {
 *   await ctx.close();
 * }
 *
 * // The parts on their own:
 * const fetcher = createFetcher({ userAgent: 'voc/0.1', maxBytes: 5 * 1024 * 1024 });
 * const page = await withRetry(() => fetcher.fetch('https://example.com/', { allowPrivate: false }), { retries: 3 });
 * const { items, nextUrl } = extractListing(page.body, page.url, target.selectors, 'Asia/Shanghai');
 * const post = buildPost(items[0]!, { target, pageUrl: page.url, collectedAt: new Date().toISOString(), authorSecret: 's' });
 * canonicalUrl('HTTP://Bbs.Example.CN:80/t/1?b=2&utm_source=x&a=1#reply'); // 'http://bbs.example.cn/t/1?a=1&b=2'
 * redactPersonalData('电话 13812345678'); // '电话 [电话]'
 * fetcher.close();
 * ```
 */
export {
  createCrawlContext,
  crawlPage,
  crawlTarget,
  type CrawlContext,
  type CrawlContextOptions,
  type CrawledPage,
  type CrawlSummary,
  type CrawlTargetOptions,
  type StopReason,
} from './html-target.js';
export {
  createFetcher,
  parseRetryAfter,
  type Fetcher,
  type FetcherOptions,
  type FetchOptions,
  type FetchResult,
  type FetchTimeouts,
} from './fetcher.js';
export { FetchError, type FetchErrorCause, type FetchErrorDetails } from './fetch-error.js';
export { withRetry, isTransientError, sleep, RetriesExhaustedError, type RetryOptions } from './retry.js';
export { createRobotsPolicy, productToken, type RobotsPolicy, type RobotsPolicyOptions, type RobotsVerdict } from './robots.js';
export { createLocalPacer, type HostPacer } from './pacer.js';
export {
  extractListing,
  parseCount,
  parseRating,
  parsePageTime,
  resolveLink,
  splitSelector,
  textOfNodes,
  detach,
  type RawItem,
  type Listing,
} from './extract-html.js';
export { buildPost, hashAuthor, contentHash, detectLang, normaliseText, type PostContext } from './post-builder.js';
export { canonicalUrl } from './canonical-url.js';
export { redactPersonalData } from './redact.js';
export { decodeBody, normaliseCharset, charsetFromContentType, charsetFromMeta, type DecodedBody } from './charset.js';
export {
  classifyAddress,
  assertPublicAddress,
  assertCrawlableUrl,
  resolvePublicAddresses,
  pinnedLookup,
  isAllowedClass,
  systemResolveAll,
  type AddressClass,
  type ResolveAll,
} from './address-safety.js';
