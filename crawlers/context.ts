/**
 * The crawl context: everything a crawl needs, created once per process and shared by all pages
 * and targets (fetcher sockets, politeness state, robots.txt cache, near-duplicate index, the
 * browser pool, snapshot folders). Parts can be injected (tests, a Redis pacer).
 */
import { join } from 'node:path';
import type { VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { createPageArchive, type PageArchive } from './archive.js';
import { createBrowserPool, type BrowserPool } from './browser-pool.js';
import { createFetcher, type Fetcher } from './fetcher.js';
import { createLocalPacer, type HostPacer } from './pacer.js';
import type { RetryOptions } from './retry.js';
import { createRobotsPolicy, type RobotsPolicy } from './robots.js';
import { NearDuplicateIndex } from './simhash.js';

export interface CrawlContext {
  readonly config: VocConfig;
  readonly authorSecret: string;
  /** The User-Agent sent with every request (names voc and the operator's contact URL). */
  readonly userAgent: string;
  readonly fetcher: Fetcher;
  readonly pacer: HostPacer;
  readonly robots: RobotsPolicy;
  readonly now: () => Date;
  /** Retry policy of page fetches (defaults of `withRetry` when empty). */
  readonly retry: RetryOptions;
  /** Fingerprints of recent posts, across targets, for `nearDuplicateOf`. */
  readonly nearDuplicates: NearDuplicateIndex;
  /** Where pages that failed extraction are saved (undefined: not saved). */
  readonly snapshots?: PageArchive;
  /** Where raw HTML is kept when `crawler.keepRawHtml` is on. */
  readonly rawPages?: PageArchive;
  /** The Chromium pool of the browser kind, started on first use. */
  browser(): BrowserPool;
  /** Closes what the context created itself (sockets, browser); injected parts are the caller's. */
  close(): Promise<void>;
}

export interface CrawlContextOptions {
  config: VocConfig;
  /** Key of the author-handle HMAC (see `hashAuthor`); must not be empty. */
  authorSecret: string;
  fetcher?: Fetcher;
  pacer?: HostPacer;
  robots?: RobotsPolicy;
  browser?: BrowserPool;
  now?: () => Date;
  retry?: RetryOptions;
  /** Folder for snapshots and raw pages (default `config.dataDir`); `false` keeps nothing on disk. */
  dataDir?: string | false;
}

/**
 * The User-Agent: `crawler.userAgent`, with its contact URL replaced by `crawler.contactUrl`
 * when one is configured (site owners should reach the operator, not the voc project).
 *
 * @example userAgentFor({ userAgent: 'voc/0.1 (+https://github.com/voc-project/voc)', contactUrl: 'https://acme.cn/crawler' })
 * // 'voc/0.1 (+https://acme.cn/crawler)'
 */
export function userAgentFor(crawler: { userAgent: string; contactUrl?: string | undefined }): string {
  if (!crawler.contactUrl) return crawler.userAgent;
  if (/\(\+[^)]*\)/.test(crawler.userAgent)) return crawler.userAgent.replace(/\(\+[^)]*\)/, `(+${crawler.contactUrl})`);
  return `${crawler.userAgent} (+${crawler.contactUrl})`;
}

/**
 * Creates the crawl context; missing parts are built from `config.crawler`.
 *
 * @example const ctx = createCrawlContext({ config, authorSecret }); ...; await ctx.close();
 */
export function createCrawlContext(options: CrawlContextOptions): CrawlContext {
  if (!options.authorSecret)
    throw new InputError({
      en: 'authorSecret: empty; author handles must be hashed with a secret key (set one for this data directory)',
      zh: 'authorSecret：为空；作者标识必须用密钥进行哈希处理（请为这个数据目录设置一个密钥）',
    });
  const c = options.config.crawler;
  const userAgent = userAgentFor(c);
  const ownFetcher = options.fetcher
    ? undefined
    : createFetcher({ userAgent, maxBytes: c.maxBytes, timeouts: c.timeouts, maxRedirects: 5 });
  const fetcher = options.fetcher ?? ownFetcher!;
  const dataDir = options.dataDir === false ? undefined : (options.dataDir ?? options.config.dataDir);
  let ownBrowser: BrowserPool | undefined;
  const retry: RetryOptions = options.retry ?? { retries: c.retries };
  return {
    config: options.config,
    authorSecret: options.authorSecret,
    userAgent,
    fetcher,
    pacer: options.pacer ?? createLocalPacer(),
    robots: options.robots ?? createRobotsPolicy(fetcher, userAgent),
    now: options.now ?? (() => new Date()),
    retry,
    nearDuplicates: new NearDuplicateIndex(),
    ...(dataDir ? { snapshots: createPageArchive(join(dataDir, 'snapshots'), c.retentionDays) } : {}),
    ...(dataDir && c.keepRawHtml ? { rawPages: createPageArchive(join(dataDir, 'raw'), c.retentionDays) } : {}),
    browser() {
      if (options.browser) return options.browser;
      ownBrowser ??= createBrowserPool({
        executablePath: c.browser.executablePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium',
        contexts: c.browser.contexts,
        recycleAfterPages: c.browser.recycleAfterPages,
        userAgent,
      });
      return ownBrowser;
    },
    async close() {
      ownFetcher?.close();
      await ownBrowser?.close();
    },
  };
}
