/**
 * The one error type of the fetcher. `cause` is a category the caller can branch on (retry a
 * timeout, not a refused URL); `message` is the one line shown to the user (English; `zh` in Chinese).
 */
import { VocError, type ErrorText } from '../core/errors.js';

export type FetchErrorCause =
  | 'timeout'
  | 'too_large'
  | 'refused'
  | 'http'
  | 'network'
  | 'too_many_redirects'
  | 'decode';

export interface FetchErrorDetails {
  status?: number;
  /** Server-requested wait before the next attempt (429/503 with Retry-After). */
  retryAfterMs?: number;
  /** Bytes received (decompressed) when the fetch was cut off. */
  receivedBytes?: number;
  /** The underlying error (socket error, RefusedUrlError, zlib error...). */
  original?: unknown;
}

/** A failed fetch of `url`. Exit code 2 when the URL was refused (a config problem), else 1. */
export class FetchError extends VocError {
  readonly url: string;
  readonly status?: number;
  /** Category of the failure (shadows the standard `Error.cause`, which would hold `original`). */
  override readonly cause: FetchErrorCause;
  readonly retryAfterMs?: number;
  readonly receivedBytes?: number;
  readonly original?: unknown;

  constructor(url: string, cause: FetchErrorCause, message: ErrorText, details: FetchErrorDetails = {}) {
    super(message, cause === 'refused' ? 2 : 1);
    this.name = 'FetchError';
    this.url = url;
    this.cause = cause;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.receivedBytes !== undefined) this.receivedBytes = details.receivedBytes;
    if (details.original !== undefined) this.original = details.original;
  }
}
