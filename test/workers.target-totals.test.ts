/**
 * Per-target figures of a queued run: what page jobs record (`targetFields`) sums back, through
 * the tracker's totals hash, into the summary `voc crawl` prints for in-process crawls.
 */
import { describe, it, expect } from 'vitest';
import { readTargetTotals, targetFields } from '../workers/target-totals.js';
import { renderSummaryTable, summaryOfQueuedTarget } from '../cli/crawl-output.js';

/** What Redis' HINCRBY over several records leaves in the totals hash (values are strings). */
function sum(...records: Array<Record<string, number>>): Record<string, string> {
  const totals: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) totals[k] = (totals[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, String(v)]));
}

describe('queued per-target figures', () => {
  const totals = sum(
    { pagesFetched: 1, postsNew: 20, ...targetFields('forum', { pages: 1, postsExtracted: 20, postsNew: 20, statuses: { '200': 1, '503': 2 }, retries: 2, politenessWaitMs: 1200.4 }) },
    { pagesFetched: 1, ...targetFields('forum', { pages: 1, postsExtracted: 20, postsUnchanged: 20, statuses: { '200': 1 } }, 'known') },
    targetFields('feed', { notModified: 1, statuses: { '304': 1 } }, 'not_modified'),
  );

  it('sums each target apart, keeps the stop reason, ignores the run totals and unknown targets', () => {
    const targets = readTargetTotals(['forum', 'feed', 'idle'], { ...totals, 't:gone:pages': '3' }, [], '2026-12-05T00:00:00.000Z');
    expect(targets.map((t) => t.targetId)).toEqual(['forum', 'feed', 'idle']);
    expect(targets[0]).toMatchObject({
      stoppedBecause: 'known',
      stats: { pages: 2, postsExtracted: 40, postsNew: 20, postsUnchanged: 20, statuses: { '200': 2, '503': 2 }, retries: 2, politenessWaitMs: 1200, errors: [] },
    });
    expect(targets[1]).toMatchObject({ stoppedBecause: 'not_modified', stats: { pages: 0, notModified: 1, statuses: { '304': 1 } } });
    expect(targets[2]!.stoppedBecause).toBeUndefined();
    expect(targets[2]!.stats.pages).toBe(0);
  });

  it('groups failed pages by cause; a failure marks the target stopped by an error', () => {
    const errors = [
      { targetId: 'idle', cause: 'http_404', url: 'http://x/3', message: 'HTTP 404' },
      { targetId: 'idle', cause: 'http_404', url: 'http://x/4', message: 'HTTP 404' },
      { targetId: 'idle', cause: 'timeout', url: 'http://x/5', message: 'timed out' },
    ];
    const [, , idle] = readTargetTotals(['forum', 'feed', 'idle'], totals, errors, '2026-12-05T00:00:00.000Z');
    expect(idle!.stoppedBecause).toBe('error');
    expect(idle!.stats.errors).toEqual([
      { cause: 'http_404', count: 2, message: 'HTTP 404', urls: ['http://x/3', 'http://x/4'] },
      { cause: 'timeout', count: 1, message: 'timed out', urls: ['http://x/5'] },
    ]);
  });

  it('renders as the summary table of an in-process crawl', () => {
    const rows = readTargetTotals(['forum', 'feed'], totals, [], '2026-12-05T00:00:00.000Z').map((t) => ({ targetId: t.targetId, summary: summaryOfQueuedTarget(t) }));
    const lines = renderSummaryTable(rows, 'en').trimEnd().split('\n');
    const cells = (i: number) => lines[i]!.split(/\s{2,}/);
    expect(cells(0)[0]).toBe('target');
    expect(cells(2)).toEqual(['forum', '2', '20', '0', '20', '0', '200×2 503×2', '2', '1.2 s', '0', 'reached stored posts']);
    expect(cells(3)).toEqual(['feed', '0', '0', '0', '0', '0', '304×1', '0', '0.0 s', '0', 'not modified (304)']);
    expect(cells(5)).toEqual(['total', '2', '20', '0', '20', '0', '200×2 304×1 503×2', '2', '1.2 s', '0']);
  });
});
