/**
 * Every request of a crawl goes through here, whatever the target kind: URL safety, robots.txt
 * (with its Crawl-delay), the host's token bucket and concurrency cap, the fetch itself, retries
 * (backoff for failures, the server's own wait for 429/503), rate-limit headers, and the
 * counting that ends up in the crawl stats.
 */
import type { Target } from '../core/types.js';
import { assertCrawlableUrl } from './address-safety.js';
import type { CrawlContext } from './context.js';
import { FetchError } from './fetch-error.js';
import type { FetchResult, Validators } from './fetcher.js';
import type { HostPolicy } from './pacer.js';
import { parseRateLimit } from './rate-limit.js';
import { withRetry } from './retry.js';
import { countStatus, type TargetStats } from './stats.js';

export interface PoliteFetchOptions {
  /** Accept header (default: HTML first). */
  accept?: string;
  /** Validators of the stored copy: a 304 resolves with `notModified: true`. */
  validators?: Validators;
  /** Gunzip a body that is a gzip file (sitemap.xml.gz). */
  gunzipFiles?: boolean;
}

/** Fetches on behalf of one target's crawl. */
export interface PageFetcher {
  fetch(url: string, options?: PoliteFetchOptions): Promise<FetchResult>;
}

/** What the checks before a request found. */
export interface RequestClearance {
  url: URL;
  allowPrivate: boolean;
  /** Crawl-delay of robots.txt for our user agent, ms (0 when none or robots are not respected). */
  crawlDelayMs: number;
}

/**
 * Private addresses are allowed only on the target's own host: `allowPrivate` vouches for the
 * configured source, not for wherever its links point.
 */
export function privateAllowedFor(target: Target, url: URL): boolean {
  if (!target.allowPrivate) return false;
  try {
    return new URL(target.url).hostname === url.hostname;
  } catch {
    return false;
  }
}

/**
 * Scheme, credentials and robots.txt checks of one URL. Throws `RefusedUrlError`. (Addresses are
 * checked by the fetcher at connect time, on every redirect hop.)
 */
export async function clearRequest(ctx: CrawlContext, target: Target, url: string): Promise<RequestClearance> {
  const parsed = assertCrawlableUrl(url);
  const allowPrivate = privateAllowedFor(target, parsed);
  let crawlDelayMs = 0;
  if (ctx.config.crawler.respectRobots) {
    const verdict = await ctx.robots.assertAllowed(parsed.href, allowPrivate);
    crawlDelayMs = verdict.crawlDelayMs ?? 0;
  }
  return { url: parsed, allowPrivate, crawlDelayMs };
}

/**
 * The politeness rules of `target`'s host: the strictest of its delay, robots Crawl-delay and
 * request budget (the target's, else its preset's, else `crawler.requestsPerMinute`).
 */
export function hostPolicy(ctx: CrawlContext, target: Target, crawlDelayMs: number): HostPolicy {
  const rpm = target.requestsPerMinute ?? ctx.config.crawler.requestsPerMinute;
  const budgetMs = rpm ? 60_000 / rpm : 0;
  return {
    intervalMs: Math.max(target.delayMs, crawlDelayMs, budgetMs),
    // A Crawl-delay or a fixed delay means "this far apart": no bursts. A bare budget may burst a little.
    burst: crawlDelayMs > 0 || target.delayMs > 0 || !rpm ? 1 : Math.max(1, Math.min(5, Math.floor(rpm / 60))),
    maxConcurrency: target.maxConcurrency ?? ctx.config.crawler.maxConcurrencyPerHost,
  };
}

const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * A `PageFetcher` for one target, counting into `stats`.
 *
 * @example const page = await politeFetcher(ctx, target, stats).fetch(url);
 */
export function politeFetcher(ctx: CrawlContext, target: Target, stats: TargetStats, signal?: AbortSignal): PageFetcher {
  return {
    async fetch(url, options = {}) {
      const clearance = await clearRequest(ctx, target, url);
      const host = clearance.url.hostname;
      const policy = hostPolicy(ctx, target, clearance.crawlDelayMs);
      const headers: Record<string, string> = { accept: options.accept ?? DEFAULT_ACCEPT };
      const result = await withRetry(
        async (attempt) => {
          if (attempt > 1) stats.retries++;
          const lease = await ctx.pacer.acquire(host, policy, signal);
          stats.politenessWaitMs += lease.waitedMs;
          try {
            const res = await ctx.fetcher.fetch(clearance.url.href, {
              allowPrivate: clearance.allowPrivate,
              headers,
              ...(options.validators ? { validators: options.validators } : {}),
              ...(options.gunzipFiles ? { gunzipFiles: true } : {}),
              ...(signal ? { signal } : {}),
            });
            countStatus(stats, res.status);
            stats.bytes += res.bytes;
            // An exhausted window: hold the host until it resets instead of collecting 429s.
            const limit = parseRateLimit(res.headers);
            if (limit.remaining !== undefined && limit.remaining <= 0 && limit.resetAfterMs !== undefined)
              ctx.pacer.holdOff(host, Date.now() + Math.min(limit.resetAfterMs, 15 * 60_000));
            return res;
          } catch (err) {
            if (err instanceof FetchError && err.status !== undefined) countStatus(stats, err.status);
            if (err instanceof FetchError && err.retryAfterMs !== undefined) ctx.pacer.holdOff(host, Date.now() + err.retryAfterMs);
            throw err;
          } finally {
            lease.release();
          }
        },
        {
          ...ctx.retry,
          ...(signal ? { signal } : {}),
          onWait: (ms, why) => {
            if (why === 'retry_after') stats.politenessWaitMs += ms;
            else stats.backoffWaitMs += ms;
          },
        },
      );
      return result;
    },
  };
}
