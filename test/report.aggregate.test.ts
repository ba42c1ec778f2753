import { describe, expect, it } from 'vitest';
import { aggregateReport, quoteText, type AggregateInput } from '../reports/aggregate.js';
import { BRAND, currentItems, previousItems, SEPTEMBER, spec } from './report.fixture.js';

function input(overrides: Partial<AggregateInput> = {}): AggregateInput {
  return {
    spec: spec(),
    brand: BRAND,
    items: currentItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
    unclassifiedPosts: 2,
    ...overrides,
  };
}

describe('aggregateReport on the synthetic fixture (figures worked out in test/report.fixture.ts)', () => {
  const f = aggregateReport(input());

  it('counts coverage, excluding spam', () => {
    expect(f.coverage).toEqual({
      sources: ['demo-forum', 'weibo'],
      targets: ['acme-forum', 'acme-weibo'],
      postsClassified: 40,
      postsAnalysed: 36,
      postsExcludedSpam: 4,
      postsUnclassified: 2,
      firstPostAt: '2026-10-01T04:00:00.000Z',
      lastPostAt: '2026-10-31T04:00:00.000Z',
      lexiconVersions: ['lex-test-1'],
    });
    expect(f.empty).toBe(false);
    expect(f.period).toEqual({ label: '2026-10', from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z', previous: SEPTEMBER });
  });

  it('counts sentiment and NSS, now and versus the previous period', () => {
    expect(f.current.posts).toBe(36);
    expect(f.current.sentiment).toEqual({ pos: 14, neg: 12, mixed: 4, neutral: 6 });
    expect(f.current.nss.estimate).toBeCloseTo(2 / 26, 12);
    expect(f.current.nss.n).toBe(26);
    expect(f.previous.posts).toBe(10);
    expect(f.previous.sentiment).toEqual({ pos: 3, neg: 5, mixed: 0, neutral: 2 });
    expect(f.previous.nss.estimate).toBeCloseTo(-0.25, 12);
    expect(f.change.posts).toBe(26);
    expect(f.change.postsRelative).toBeCloseTo(2.6, 12);
    // (0.076923 - (-0.25)) x 100
    expect(f.change.nssPoints).toBeCloseTo(32.6923, 4);
  });

  it('computes per-channel mentions, shares, NSS and drag', () => {
    const rows = f.channels.map((c) => [c.channel, c.mentions, c.pos, c.neg, c.neutral, c.mixed, c.previousMentions]);
    expect(rows).toEqual([
      ['website', 14, 10, 4, 0, 0, 1],
      ['store', 10, 4, 6, 0, 0, 5],
      ['customer_service', 7, 0, 5, 1, 1, 1],
      ['app', 4, 0, 0, 4, 0, 0],
      ['delivery', 4, 0, 4, 0, 0, 5],
    ]);
    const by = Object.fromEntries(f.channels.map((c) => [c.channel, c]));
    expect(by.website!.share).toBeCloseTo(14 / 39, 12);
    expect(by.website!.postShare).toBeCloseTo(14 / 36, 12);
    expect(by.website!.nss.estimate).toBeCloseTo(6 / 14, 12);
    expect(by.store!.nss.estimate).toBeCloseTo(-0.2, 12);
    expect(by.customer_service!.nss.estimate).toBe(-1);
    expect(by.app!.nss.estimate).toBeNull();
    expect(f.channelNss.estimate).toBeCloseTo(-5 / 33, 12);
    expect(f.channelNss.n).toBe(33);
    // 14/39 x (6/14 + 5/33) = 3752/18018; 10/39 x (-8/165) = -80/6435; 7/39 x (-28/33) = -196/1287; 4/39 x (-28/33) = -112/1287
    expect(by.website!.drag).toBeCloseTo(3752 / 18018, 12);
    expect(by.store!.drag).toBeCloseTo(-80 / 6435, 12);
    expect(by.customer_service!.drag).toBeCloseTo(-196 / 1287, 12);
    expect(by.delivery!.drag).toBeCloseTo(-112 / 1287, 12);
    expect(by.app!.drag).toBeNull();
    expect(f.dragChannel).toBe('customer_service');
  });

  it('builds the channel x promise matrix', () => {
    const m = f.matrix;
    expect(m.channels).toEqual(['website', 'store', 'customer_service', 'delivery']);
    expect(m.promises).toEqual(['convenience', 'premium_service', 'reliable_quality', 'transparency']);
    const cell = (channel: string, promise: string) => {
      const c = m.cells[m.channels.indexOf(channel)]![m.promises.indexOf(promise)]!;
      return [c.pos, c.neg, c.fulfilment.estimate, c.fulfilment.n];
    };
    expect(cell('website', 'convenience')).toEqual([13, 0, 1, 13]);
    expect(cell('website', 'transparency')).toEqual([0, 2, 0, 2]);
    expect(cell('store', 'convenience')).toEqual([0, 6, 0, 6]);
    expect(cell('store', 'premium_service')).toEqual([2, 0, 1, 2]);
    expect(cell('customer_service', 'premium_service')).toEqual([0, 6, 0, 6]);
    expect(cell('delivery', 'convenience')).toEqual([0, 4, 0, 4]);
    expect(cell('website', 'reliable_quality')).toEqual([0, 0, null, 0]);
    expect(m.unattributedHits).toBe(1);
  });

  it('finds distinctive descriptors with the informative-prior log-odds', () => {
    const website = f.descriptors.find((d) => d.channel === 'website')!;
    expect(f.descriptors.map((d) => d.channel)).toEqual(['website', 'store', 'customer_service', 'delivery']);
    expect(website.hits).toBe(15);
    expect(website.words.map((w) => [w.word, w.count, w.restCount])).toEqual([
      ['方便', 10, 0],
      ['高效', 3, 0],
      ['混乱', 2, 0],
    ]);
    // 方便: group 10 of 15, rest 0 of 18, prior = pooled counts (方便 10 of 33):
    // delta = ln(20/28) - ln(10/41) = 1.074515; var = 1/20 + 1/10 = 0.15; z = 2.774385
    const fangbian = website.words[0]!;
    expect(fangbian.delta).toBeCloseTo(1.074515, 5);
    expect(fangbian.z).toBeCloseTo(2.774385, 5);
    expect(fangbian.flagged).toBe(true);
    expect(fangbian.promise).toBe('convenience');
    expect(fangbian.polarity).toBe('pos');
    // 混乱: 2 of 15 vs 0 of 18, prior 2: delta = ln(4/44) - ln(2/49) = 0.800777; var = 1/4 + 1/2; z = 0.924658
    const hunluan = website.words[2]!;
    expect(hunluan.z).toBeCloseTo(0.924658, 5);
    expect(hunluan.flagged).toBe(false);
    // q: BH over the channel's three words
    expect(website.words.every((w) => w.q >= w.p)).toBe(true);
  });

  it('ranks breakpoints by posts with kinds, change and deterministic quotes', () => {
    const pairs = f.breakpoints.pairs;
    expect(f.breakpoints.posts).toBe(8);
    expect(pairs.map((p) => [p.channels, p.count, p.previousCount, p.change])).toEqual([
      [['customer_service', 'website'], 4, 1, 3],
      [['delivery', 'store'], 3, 5, -2],
      [['app', 'customer_service'], 1, 0, 1],
    ]);
    expect(pairs[0]!.kinds).toEqual({ inconsistency: 4, handoff: 1, runaround: 0 });
    expect(pairs[2]!.kinds).toEqual({ inconsistency: 0, handoff: 0, runaround: 1 });
    // most likes (p18: 12), then newest (p19 on Oct 20 before p17 on Oct 5, both 5 likes); spam p37 (999 likes) excluded
    expect(pairs[0]!.quotes.map((q) => q.postId)).toEqual(['demo-forum:p18', 'demo-forum:p19', 'demo-forum:p17']);
    expect(pairs[0]!.quotes[0]).toEqual({
      postId: 'demo-forum:p18',
      text: '客服却说那是旧价格，两边说法不一致！',
      lang: 'zh',
      url: 'https://forum.example.com/t/p18',
      source: 'demo-forum',
      publishedAt: '2026-10-18T04:00:00.000Z',
      likes: 12,
    });
    // no likes: newest first (p25), then p23 and p24 (same time) by id
    expect(pairs[1]!.quotes.map((q) => q.postId)).toEqual(['demo-forum:p25', 'demo-forum:p23', 'demo-forum:p24']);
    expect(pairs[1]!.quotes[0]!.text).toBe('但是物流太慢，门店说已交给快递，快递说没收到货，交接出了问题。');
  });

  it('is deterministic whatever the input order', () => {
    const shuffled = aggregateReport(input({ items: [...currentItems()].reverse(), previousItems: [...previousItems()].reverse() }));
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(f));
  });

  it('gives an empty report for a period with no analysed post', () => {
    const empty = aggregateReport(input({ items: currentItems().filter((i) => i.classification.spam), previousItems: [] }));
    expect(empty.empty).toBe(true);
    expect(empty.coverage.postsAnalysed).toBe(0);
    expect(empty.coverage.postsExcludedSpam).toBe(4);
    expect(empty.current.nss.estimate).toBeNull();
    expect(empty.channels).toEqual([]);
    expect(empty.breakpoints.pairs).toEqual([]);
    expect(empty.dragChannel).toBeNull();
    expect(empty.change.postsRelative).toBeNull();
    expect(empty.change.nssPoints).toBeNull();
  });
});

describe('quoteText', () => {
  it('quotes the sentence holding the evidence', () => {
    const text = 'First part. The app said yes, the store said no! Last part.';
    const start = text.indexOf('store said no');
    expect(quoteText(text, { start, end: start + 13, text: 'store said no' })).toBe('The app said yes, the store said no!');
  });

  it('cuts a long sentence around the evidence, with ellipses', () => {
    const text = `${'甲'.repeat(100)}断点在这里${'乙'.repeat(100)}。`;
    const start = text.indexOf('断点在这里');
    const q = quoteText(text, { start, end: start + 5, text: '断点在这里' });
    expect(q.startsWith('…')).toBe(true);
    expect(q.endsWith('…')).toBe(true);
    expect(q).toContain('断点在这里');
    expect(q.length).toBe(120 + 2);
  });

  it('falls back to the post start when the evidence no longer matches (edited post)', () => {
    const text = `${'x'.repeat(130)}`;
    expect(quoteText(text, { start: 0, end: 3, text: 'gone' })).toBe(`${'x'.repeat(120)}…`);
  });
});
