/**
 * Retries for deliveries: a fixed number of attempts with exponential backoff, stopping early on
 * errors that a retry cannot fix (a 4xx answer, an SMTP 5xx rejection, a missing secret).
 */
import { firstLineZh } from '../../core/errors.js';

export interface RetryPolicy {
  /** Attempts in all (first try included). */
  attempts: number;
  /** Delay before the second attempt, doubled for each next one, ms. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 2_000 };

/** An error that retrying will not fix. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

export interface RetryOutcome {
  ok: boolean;
  attempts: number;
  /** One line: the cause of the last failure. */
  error?: string;
  /** The same in Chinese, when its raiser wrote one. */
  errorZh?: string;
}

/** Runs `fn` until it succeeds, fails permanently or runs out of attempts. Never throws. */
export async function withRetries(fn: (attempt: number) => Promise<void>, policy: RetryPolicy = DEFAULT_RETRY): Promise<RetryOutcome> {
  let lastError = '';
  let lastZh: string | undefined;
  for (let attempt = 1; attempt <= Math.max(1, policy.attempts); attempt++) {
    try {
      await fn(attempt);
      return { ok: true, attempts: attempt };
    } catch (err) {
      lastError = firstLine(err);
      lastZh = firstLineZh(err);
      if (err instanceof PermanentError || attempt >= policy.attempts) return { ok: false, attempts: attempt, error: lastError, ...(lastZh !== undefined ? { errorZh: lastZh } : {}) };
      // Backoff between attempts of a delivery (the report itself is already written and archived).
      await new Promise((resolve) => setTimeout(resolve, policy.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  return { ok: false, attempts: policy.attempts, error: lastError, ...(lastZh !== undefined ? { errorZh: lastZh } : {}) };
}

export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!.trim();
}
