/**
 * What a server says about its own rate limits, read from the response headers: `Retry-After`
 * (RFC 9110) and the rate-limit headers APIs send (`RateLimit-Remaining/Reset` of the IETF draft,
 * `X-RateLimit-*` of Mastodon, Reddit, GitHub, Bluesky). The reset value is spelt in three ways
 * in the wild, all handled: seconds from now (IETF, Reddit), a unix epoch (GitHub, Bluesky) and
 * an ISO date (Mastodon).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RateLimitInfo {
  /** Requests left in the current window, when the server says. */
  remaining?: number;
  /** Time until the window resets, ms from now (never negative). */
  resetAfterMs?: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now (never negative); undefined if unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** A reset header value (seconds from now, epoch seconds or ms, or an ISO date) in ms from now. */
export function parseResetValue(value: string | undefined, nowMs = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    // No rate window lasts 30 years: a number that large is a clock reading, not a delay.
    if (n > 1e12) return Math.max(0, n - nowMs);
    if (n > 1e9) return Math.max(0, n * 1000 - nowMs);
    return Math.round(n * 1000);
  }
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** The rate-limit state announced by a response, if any. */
export function parseRateLimit(headers: IncomingHttpHeaders, nowMs = Date.now()): RateLimitInfo {
  const info: RateLimitInfo = {};
  const remaining = header(headers, 'ratelimit-remaining') ?? header(headers, 'x-ratelimit-remaining');
  if (remaining !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(remaining)) info.remaining = Math.floor(Number(remaining));
  const reset = parseResetValue(header(headers, 'ratelimit-reset') ?? header(headers, 'x-ratelimit-reset'), nowMs);
  if (reset !== undefined) info.resetAfterMs = reset;
  return info;
}

/**
 * How long the server asks us to wait before the next request, for a 429 or 503: Retry-After,
 * else the rate-limit reset. Undefined when the response says nothing usable.
 */
export function serverRequestedDelayMs(headers: IncomingHttpHeaders, nowMs = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  return parseRateLimit(headers, nowMs).resetAfterMs;
}
