/**
 * Retry policy for fetches: exponential backoff with jitter (equal jitter: half fixed, half random) for transient failures
 * (5xx, timeouts, network errors), and exactly the server's wait for 429/503 + Retry-After.
 * A Retry-After wait does not spend the retry budget (the server told us when to come back,
 * nothing failed), but it is bounded by `maxRetryAfterWaits` and the total wait cap so that a
 * server answering 429 forever cannot hold a worker forever.
 */
import { errorText, inBoth, VocError, type Bilingual } from '../core/errors.js';
import { FetchError } from './fetch-error.js';

export interface RetryOptions {
  /** Retries after the first attempt for transient failures (default 3). */
  retries?: number;
  /** First backoff, doubled on each retry (default 500 ms). */
  baseMs?: number;
  /** Cap of one backoff wait (default 30 s). */
  maxMs?: number;
  /** Cap of the sum of all waits, backoff and Retry-After (default 5 min); beyond it we give up. */
  maxTotalWaitMs?: number;
  /** How many Retry-After waits are honoured for free (default 5). */
  maxRetryAfterWaits?: number;
  /** Which errors are worth another attempt (default `isTransientError`). */
  isRetryable?: (err: unknown) => boolean;
  /** How to wait (default a timer); tests may pass a recording one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in [0,1) for the jitter (default Math.random). */
  random?: () => number;
  signal?: AbortSignal;
  /** Told before each wait: `retry_after` (the server's own wait, free) or `backoff` (spends a retry). */
  onWait?: (ms: number, why: 'retry_after' | 'backoff', err: unknown) => void;
}

/** Thrown when a retryable failure persisted through every attempt; `last` is the final error. */
export class RetriesExhaustedError extends VocError {
  readonly attempts: number;
  readonly last: unknown;
  constructor(attempts: number, last: unknown, why: Bilingual) {
    const lastMessage = last instanceof Error ? { en: last.message, zh: errorText(last, 'zh-CN') } : inBoth(String(last));
    super(
      {
        en: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} (${why.en}): ${lastMessage.en}`,
        zh: `尝试 ${attempts} 次后放弃（${why.zh}）：${lastMessage.zh}`,
      },
      1,
    );
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
    this.last = last;
  }
}

/** Default retry predicate: timeouts, network errors, 408, 429 and 5xx. */
export function isTransientError(err: unknown): boolean {
  if (!(err instanceof FetchError)) return false;
  if (err.cause === 'timeout' || err.cause === 'network') return true;
  if (err.cause === 'http' && err.status !== undefined) return err.status >= 500 || err.status === 429 || err.status === 408;
  return false;
}

/** Sleeps `ms`, rejecting early with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, a non-retryable error occurs (rethrown as is), or the budget is
 * spent (`RetriesExhaustedError` wrapping the last error).
 *
 * @example await withRetry(() => fetcher.fetch(url, { allowPrivate: false }), { retries: 3, baseMs: 500 })
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const maxTotalWaitMs = options.maxTotalWaitMs ?? 300_000;
  const maxRetryAfterWaits = options.maxRetryAfterWaits ?? 5;
  const isRetryable = options.isRetryable ?? isTransientError;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;

  let attempt = 0;
  let retriesUsed = 0;
  let retryAfterWaits = 0;
  let waitedMs = 0;
  for (;;) {
    attempt++;
    try {
      return await fn(attempt);
    } catch (err) {
      if (options.signal?.aborted || !isRetryable(err)) throw err;
      const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : undefined;
      let delayMs: number;
      let why: 'retry_after' | 'backoff' = 'backoff';
      if (retryAfterMs !== undefined && retryAfterWaits < maxRetryAfterWaits) {
        retryAfterWaits++;
        delayMs = retryAfterMs;
        why = 'retry_after';
      } else {
        if (retriesUsed >= retries) throw new RetriesExhaustedError(attempt, err, { en: `${retries} retries`, zh: `重试 ${retries} 次` });
        retriesUsed++;
        // Equal jitter: uniform in [cap/2, cap]; the wait still grows, and workers hit by the same outage spread out.
        const cap = Math.min(maxMs, baseMs * 2 ** (retriesUsed - 1));
        delayMs = Math.round(cap / 2 + (random() * cap) / 2);
      }
      if (waitedMs + delayMs > maxTotalWaitMs)
        throw new RetriesExhaustedError(attempt, err, {
          en: `waiting ${delayMs} ms more would exceed the ${maxTotalWaitMs} ms wait cap`,
          zh: `再等 ${delayMs} 毫秒将超过 ${maxTotalWaitMs} 毫秒的等待上限`,
        });
      waitedMs += delayMs;
      options.onWait?.(delayMs, why, err);
      await wait(delayMs, options.signal);
    }
  }
}
