/**
 * Webhook delivery: POSTs the report's JSON to a URL with an HMAC-SHA256 signature, so the
 * receiver can check that the report comes from this voc and was not altered:
 *
 *   X-Voc-Timestamp: <unix seconds>
 *   X-Voc-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 *   X-Voc-Delivery:  <report id>/<key> (the same on every retry, for de-duplication)
 *
 * The timestamp is signed with the body so that a captured request cannot be replayed later.
 * 5xx, 429 and network errors are retried; other 4xx answers are not.
 */
import { createHmac } from 'node:crypto';
import { PermanentError, withRetries, type RetryOutcome, type RetryPolicy } from './retry.js';

export const SIGNATURE_HEADER = 'x-voc-signature';
export const TIMESTAMP_HEADER = 'x-voc-timestamp';
export const DELIVERY_HEADER = 'x-voc-delivery';

const ATTEMPT_TIMEOUT_MS = 15_000;

/** `sha256=<hex>` of `${timestamp}.${body}` under `secret`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookRequest {
  url: string;
  /** The JSON text to send (signed as is). */
  body: string;
  secret: string;
  deliveryId: string;
  /** Clock for the timestamp header (tests pin it). */
  now?: () => Date;
}

export async function postWebhook(request: WebhookRequest, policy: RetryPolicy): Promise<RetryOutcome> {
  return withRetries(async () => {
    const timestamp = String(Math.floor((request.now ?? (() => new Date()))().getTime() / 1000));
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'voc-report-webhook/1',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(request.secret, timestamp, request.body),
          [DELIVERY_HEADER]: request.deliveryId,
        },
        body: request.body,
        redirect: 'error',
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`POST ${request.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const message = `POST ${request.url}: HTTP ${response.status}`;
    if (response.status >= 500 || response.status === 429 || response.status === 408) throw new Error(message);
    throw new PermanentError(message);
  }, policy);
}
