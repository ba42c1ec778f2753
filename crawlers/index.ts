/**
 * The crawler: targets in, `Post`s out. Polite (robots.txt, Crawl-delay, per-host token bucket
 * and concurrency cap, Retry-After), incremental (known posts, watermark, ETag / 304), crash-safe
 * (pending requests in the crawl state), safe (no private addresses, size and time caps) and
 * privacy-minded (keyed author hashes, contact details redacted). One module per job:
 *
 *   address-safety   which IPs may be connected to (SSRF, DNS rebinding)
 *   fetcher          node:http(s) keep-alive GET: redirects, size/time caps, gzip/br, charsets, 304s
 *   rate-limit       Retry-After and rate-limit headers
 *   retry            backoff with jitter; honours Retry-After without spending retries
 *   robots           robots.txt per origin (RFC 9309), Crawl-delay
 *   pacer            per-host token bucket + concurrency cap (`HostPacer` interface)
 *   polite-fetch     all of the above for one request of one target, counted into the stats
 *   extract-html     CSS selectors -> raw items, detail pages (cheerio, htmlparser2 path)
 *   extract-stream   the same for listings in one pass without a DOM (the fast path)
 *   page-time        page times: ISO, unix, patterns, relative ("3小时前")
 *   json-path        the path language of JSON mappings
 *   kinds/*          html, browser (Chromium), feed, json, sitemap readers
 *   presets          Mastodon, Bluesky, Reddit, App Store, forum mappings
 *   post-builder     raw item -> Post (ids, redaction, author HMAC, language, hashes, SimHash)
 *   simhash          near-duplicate fingerprints and index
 *   crawl-target     the loop: chains, caps, incremental stops, state, stats
 *   crawl-page       one page on its own (queue jobs)
 *   crawl-state      the incremental state kept between crawls
 *   store-callbacks  crawl options wired to a Store
 *   page-type        pages selectors cannot read (a PDF, JSON, an empty body), said as such
 *   stats, archive   observability: counts, errors by cause, drift, snapshots, raw HTML retention
 *
 * @example
 * ```ts
 * import { parseConfig, resolveTarget } from '../core/config.js';
 * import { createCrawlContext, crawlTarget, storeCallbacks } from './index.js';
 *
 * const config = parseConfig({
 *   brands: [{ id: 'acme', name: 'Acme' }],
 *   crawler: { contactUrl: 'https://acme.example/crawler' },
 *   targets: [{
 *     id: 'acme-forum', brand: 'acme', url: 'https://bbs.example.cn/forum/acme?page=1', maxPages: 5,
 *     selectors: { item: '.post', text: '.content', author: '.user', time: 'time@datetime',
 *                  link: 'a.permalink', likes: '.likes', nextPage: 'a.next' },
 *   }, {
 *     id: 'acme-mastodon', brand: 'acme', preset: 'mastodon',
 *     url: 'https://mastodon.social/api/v1/timelines/tag/acme?limit=40',
 *   }],
 * });
 * const target = resolveTarget(config.targets[0]!, config);
 * const ctx = createCrawlContext({ config, authorSecret: 'per-installation secret' });
 * try {
 *   const summary = await crawlTarget(ctx, target, {
 *     ...storeCallbacks(store, target.id, { brand: target.brand }),
 *     onPage: (page) => store.upsertPosts(page.posts), // stored as they come; counts go to the stats
 *   });
 *   console.log(summary.stoppedBecause, summary.stats.postsNew, summary.stats.statuses);
 * } finally {
 *   await ctx.close();
 * }
 * ```
 */
export { createCrawlContext, userAgentFor, type CrawlContext, type CrawlContextOptions } from './context.js';
export {
  crawlTarget,
  type CrawledPage,
  type CrawlSummary,
  type CrawlTargetOptions,
  type StopReason,
  type StoredCounts,
} from './crawl-target.js';
export { crawlPage, requestFor, type PageResult } from './crawl-page.js';
export { storeCallbacks } from './store-callbacks.js';
export { readProgress, writeProgress, sameState, progressFor, specFingerprint, type CrawlerProgress, type TargetCrawlState } from './crawl-state.js';
export { unreadablePage, mediaType, describePage, pageAdvice, emptyPageError, UnreadablePageError, type UnreadablePage } from './page-type.js';
export { visitKey, MAX_REQUEST_ATTEMPTS, type PageRequest, type PageRole } from './page-request.js';
export {
  emptyTargetStats,
  mergeStats,
  errorCause,
  groupMessage,
  pageErrorText,
  recordError,
  targetOutcome,
  ExtractionError,
  type TargetOutcome,
  type TargetStats,
  type ErrorGroup,
  type DriftAlarm,
} from './stats.js';
export { createPageArchive, type PageArchive } from './archive.js';
export {
  createFetcher,
  parseRetryAfter,
  type Fetcher,
  type FetcherOptions,
  type FetchOptions,
  type FetchResult,
  type FetchTimeouts,
  type Validators,
} from './fetcher.js';
export { parseRateLimit, parseResetValue, serverRequestedDelayMs, type RateLimitInfo } from './rate-limit.js';
export { FetchError, type FetchErrorCause, type FetchErrorDetails } from './fetch-error.js';
export { withRetry, isTransientError, sleep, RetriesExhaustedError, type RetryOptions } from './retry.js';
export { createRobotsPolicy, productToken, type RobotsPolicy, type RobotsPolicyOptions, type RobotsVerdict } from './robots.js';
export { createLocalPacer, type HostPacer, type HostPolicy, type HostLease } from './pacer.js';
export { politeFetcher, clearRequest, hostPolicy, privateAllowedFor, type PageFetcher, type PoliteFetchOptions } from './polite-fetch.js';
export {
  extractListing,
  extractItems,
  extractDetail,
  htmlToText,
  loadHtml,
  parseCount,
  parseRating,
  parsePageTime,
  resolveLink,
  splitSelector,
  textOfNodes,
  detach,
  type RawItem,
  type Listing,
  type DetailPage,
} from './extract-html.js';
export { compileStreamSpec, extractStream, parseSelectorList, type StreamSpec } from './extract-stream.js';
export { getPath, readMapped, compilePath } from './json-path.js';
export { extractJsonItems, nextFromLinkHeader, jsonReader } from './kinds/json.js';
export { parseFeed, feedReader } from './kinds/feed.js';
export { parseSitemap, sitemapReader, lastmodCutoff, wantedPage } from './kinds/sitemap.js';
export { htmlReader, fetchLoader } from './kinds/html.js';
export { browserReader } from './kinds/browser.js';
export type { KindReader, PageOutcome, ReaderIO } from './kinds/reader.js';
export { createBrowserPool, CHROMIUM_FLAGS, type BrowserPool, type BrowserPoolOptions, type RenderRequest, type RenderedPage } from './browser-pool.js';
export { PRESETS, effectiveTarget, readerFor, type Preset } from './presets.js';
export { buildPost, hashAuthor, contentHash, detectLang, normaliseText, externalIdFor, type PostContext } from './post-builder.js';
export { simhash, hammingDistance, NearDuplicateIndex, DEFAULT_MAX_DISTANCE, type SimhashEntry } from './simhash.js';
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
