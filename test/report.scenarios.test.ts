/**
 * A scenario's pain points come from the scenario's own sentence (ScenarioHit.linked) when the
 * classification carries it, and from what the whole post complains about when it does not
 * (classifications stored before). Hand-made posts, exact counts.
 */
import { describe, expect, it } from 'vitest';
import { aggregateReport, type ReportItem } from '../reports/aggregate.js';
import { BRAND, item, SEPTEMBER, spec } from './report.fixture.js';

/** A post complaining about the store in its hands-full sentence and about the price elsewhere. */
function handsFull(n: string, linked: boolean): ReportItem {
  const text = '双手提着购物袋，门店的自动门打不开。价格也贵。';
  const it = item({
    n,
    at: '2026-10-10T04:00:00.000Z',
    text,
    sentiment: 'neg',
    channels: [['store', 'neg', '门店']],
    aspects: [['price', 'neg', '价格']],
    scenarios: [['hands_full', 'activity', 'neg', '双手提着购物袋']],
  });
  if (linked) {
    const start = text.indexOf('打不开');
    it.classification.scenarios[0]!.linked = { aspects: [], channels: ['store'], evidence: { start, end: start + 3, text: '打不开' } };
  }
  return it;
}

function painPoints(items: ReportItem[]) {
  const f = aggregateReport({ spec: spec(), brand: BRAND, items, previousItems: [], previousRange: SEPTEMBER });
  return f.scenarios.map((s) => ({ scenario: s.scenario, complaint: s.complaint, pain: s.painPoints }));
}

describe('scenario pain points', () => {
  it('counts what the scenario sentence judges, not the rest of the post', () => {
    expect(painPoints([handsFull('a1', true), handsFull('a2', true)])).toEqual([
      { scenario: 'hands_full', complaint: 2, pain: [{ kind: 'channel', id: 'store', posts: 2 }] },
    ]);
  });

  it('falls back to the post’s complaints for classifications without the link', () => {
    expect(painPoints([handsFull('a1', true), handsFull('a2', false)])).toEqual([
      {
        scenario: 'hands_full',
        complaint: 2,
        pain: [
          { kind: 'channel', id: 'store', posts: 2 },
          { kind: 'aspect', id: 'price', posts: 1 },
        ],
      },
    ]);
  });
});
