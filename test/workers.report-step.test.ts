/**
 * The error that fails a scheduled report's job when a delivery failed: both languages (`voc jobs
 * failed` shows the one asked for), every failed delivery named, and a retryable exit code.
 */
import { describe, expect, it } from 'vitest';
import { errorText } from '../core/errors.js';
import type { DeliveryRecord } from '../store/store.js';
import { deliveryFailed } from '../workers/report-step.js';

const at = '2026-11-01T01:00:00.000Z';
const failed: DeliveryRecord[] = [
  { channel: 'webhook', target: 'https://hooks.example.com/voc', status: 'failed', attempts: 3, error: 'POST https://hooks.example.com/voc: HTTP 503', at, key: 'acme-monthly' },
  {
    channel: 'folder',
    target: '/srv/reports',
    status: 'failed',
    attempts: 3,
    error: 'folder /srv/reports: cannot create it (EACCES)',
    errorZh: '文件夹 /srv/reports：无法创建（EACCES）',
    at,
    key: 'acme-monthly',
  },
];

describe('deliveryFailed', () => {
  it('names every failed delivery in both languages, and leaves the job to be retried', () => {
    const err = deliveryFailed('acme-monthly', '2026-10', failed);
    expect(err.message).toBe(
      'report acme-monthly 2026-10: delivery failed: webhook https://hooks.example.com/voc: POST https://hooks.example.com/voc: HTTP 503; folder /srv/reports: folder /srv/reports: cannot create it (EACCES)',
    );
    // A cause without Chinese (an HTTP status as the server gave it) stays as it is.
    expect(errorText(err, 'zh-CN')).toBe(
      '报告 acme-monthly 2026-10：投递失败：webhook https://hooks.example.com/voc：POST https://hooks.example.com/voc: HTTP 503；folder /srv/reports：文件夹 /srv/reports：无法创建（EACCES）',
    );
    expect(err.exitCode).toBe(1);
  });
});
