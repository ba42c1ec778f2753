import { describe, expect, it } from 'vitest';
import { aggregateReport, computeFigures, quoteText, tallyReport, type AggregateInput } from '../reports/aggregate.js';
import { familyZ, netSentiment, poissonUpperTail, twoProportionTest, wilsonInterval } from '../reports/stats.js';
import { findings } from '../reports/findings.js';
import { daysOfRange } from '../reports/days.js';
import { campaignFigures } from '../reports/trend.js';
import { BRAND, CAMPAIGN, competitorItems, currentItems, item, previousItems, SEPTEMBER, spec } from './report.fixture.js';

const OCTOBER_FROM = '2026-09-30T16:00:00.000Z';

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
      postsExcludedNearDuplicates: 0,
      postsUnclassified: 2,
      firstPostAt: '2026-10-01T04:00:00.000Z',
      // p30 (Oct 30) is the last analysed post; the spam of Oct 30 does not count.
      lastPostAt: '2026-10-30T04:00:00.000Z',
      lexiconVersions: ['lex-test-1'],
      days: 31,
      // weibo posts p02-p10 on even days up to Oct 10; nothing from Oct 11 on.
      gaps: [{ targetId: 'acme-weibo', from: '2026-10-11', to: '2026-10-31', days: 21 }],
      // No read time given: the period is taken as over.
      openUntil: null,
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
    // 方便 x10 and 高效 x3, but p01-p03 hold both: 10 posts, each counted once.
    expect(cell('website', 'convenience')).toEqual([10, 0, 1, 10]);
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
    // The fixture's classifications carry no `openWords` (stored before they existed): no open word.
    expect(f.openWords).toEqual([]);
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
      channels: ['customer_service', 'website'],
    });
    // no likes: newest first (p25), then p23 and p24 (same time) by id
    expect(pairs[1]!.quotes.map((q) => q.postId)).toEqual(['demo-forum:p25', 'demo-forum:p23', 'demo-forum:p24']);
    expect(pairs[1]!.quotes[0]!.text).toBe('但是物流太慢，门店说已交给快递，快递说没收到货，交接出了问题。');
  });

  it('is deterministic whatever the input order', () => {
    const shuffled = aggregateReport(input({ items: [...currentItems()].reverse(), previousItems: [...previousItems()].reverse() }));
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(f));
    // With every input at once, under a few fixed permutations (interleaving posts from the middle out).
    const extras = { campaigns: [CAMPAIGN], competitors: [{ id: 'globex', name: '环球 Globex', tracked: true, ...competitorItems() }], targets: ['acme-app'] };
    const interleave = <T>(xs: T[]) => xs.map((_, i) => xs[(i * 7 + 3) % xs.length]!);
    const base = JSON.stringify(aggregateReport(input(extras)));
    expect(new Set(interleave(currentItems()).map((i) => i.post.id)).size).toBe(40);
    for (const order of [interleave, <T>(xs: T[]) => [...xs].reverse(), <T>(xs: T[]) => [...xs.slice(20), ...xs.slice(0, 20)]]) {
      expect(JSON.stringify(aggregateReport(input({ ...extras, items: order(currentItems()), previousItems: order(previousItems()) })))).toBe(base);
    }
  });

  it('gives an empty report for a period with no analysed post', () => {
    const empty = aggregateReport(input({ items: currentItems().filter((i) => i.classification.spam), previousItems: [] }));
    expect(empty.empty).toBe(true);
    expect(empty.coverage.postsAnalysed).toBe(0);
    expect(empty.coverage.postsExcludedSpam).toBe(4);
    expect(empty.current.nss.estimate).toBeNull();
    expect(empty.channels).toEqual([]);
    expect(empty.breakpoints.pairs).toEqual([]);
    expect(empty.openWords).toEqual([]);
    expect(empty.dragChannel).toBeNull();
    expect(empty.change.postsRelative).toBeNull();
    expect(empty.change.nssPoints).toBeNull();
  });
});

describe('departments, promises, trend, campaigns, competitors and findings on the fixture', () => {
  const globex = competitorItems();
  const f = aggregateReport(
    input({
      campaigns: [CAMPAIGN, { ...CAMPAIGN, brand: 'other-brand', name: '别家的活动' }, { ...CAMPAIGN, name: '上月活动', date: '2026-09-20' }],
      competitors: [
        { id: 'globex', name: '环球 Globex', tracked: true, ...globex },
        { id: 'Initech', name: 'Initech', tracked: false, items: [], previousItems: [] },
      ],
      targets: ['acme-forum', 'acme-weibo', 'acme-app'],
    }),
  );

  it('aspects: praise and complaint shares with Wilson intervals, and the quadrant', () => {
    expect(f.aspects.rows.map((a) => [a.aspect, a.posts, a.praise, a.complaint, a.previousPosts, a.quadrant])).toEqual([
      ['price', 12, 8, 4, 2, 'safe_bet'],
      ['packaging', 6, 2, 4, 0, 'hotspot'],
      ['quality', 5, 4, 1, 0, 'safe_bet'],
      ['promotion', 3, 0, 0, 0, 'insufficient'],
    ]);
    expect(f.aspects.posts).toBe(26);
    expect(f.aspects.praiseBaseline).toBeCloseTo(14 / 26, 12);
    expect(f.aspects.complaintBaseline).toBeCloseTo(9 / 26, 12);
    expect(f.aspects.rows[0]!.praiseShare).toEqual(wilsonInterval(8, 12));
    expect(f.aspects.rows[1]!.complaintShare).toEqual(wilsonInterval(4, 6));
    // 8/12: [0.390622, 0.861880]
    expect(f.aspects.rows[0]!.praiseShare.lower).toBeCloseTo(0.390622, 5);
    expect(f.aspects.rows[0]!.praiseShare.upper).toBeCloseTo(0.86188, 5);
  });

  it('scenarios with their pain points and the most-read complaint', () => {
    expect(f.scenarios.map((s) => ({ id: s.scenario, type: s.type, posts: s.posts, praise: s.praise, complaint: s.complaint, pain: s.painPoints }))).toEqual([
      { id: 'weekend', type: 'time', posts: 6, praise: 2, complaint: 4, pain: [{ kind: 'aspect', id: 'price', posts: 4 }, { kind: 'channel', id: 'store', posts: 4 }] },
      { id: 'with_kids', type: 'companion', posts: 2, praise: 0, complaint: 2, pain: [{ kind: 'aspect', id: 'packaging', posts: 2 }, { kind: 'channel', id: 'delivery', posts: 2 }] },
    ]);
    expect(f.scenarios[0]!.complaintShare).toEqual(wilsonInterval(4, 6));
    // No likes anywhere: the newest complaint (p14, Oct 14) is quoted; p23 and p24 tie on time, p23 wins by id.
    expect([f.scenarios[0]!.quote!.postId, f.scenarios[0]!.quote!.text]).toEqual(['demo-forum:p14', '周末去的，价格也贵。']);
    expect([f.scenarios[1]!.quote!.postId, f.scenarios[1]!.quote!.text]).toEqual(['demo-forum:p23', '带孩子等了三天，包装也破了。']);
  });

  it('questions by topic, spam excluded', () => {
    expect(f.questions).toEqual({
      posts: 7,
      share: wilsonInterval(7, 36),
      previousPosts: 2,
      topics: [
        { topic: '会员卡', posts: 5, previous: 2 },
        { topic: 'promotion', posts: 2, previous: 0 },
      ],
    });
  });

  it('the daily trend and its one spike (6 posts on Oct 26 against 13 in the 14 days before)', () => {
    expect(f.trend.days).toHaveLength(31);
    const day = (d: string) => f.trend.days.find((x) => x.date === d)!;
    expect(day('2026-10-05')).toEqual({ date: '2026-10-05', posts: 2, pos: 1, neg: 1 });
    expect(day('2026-10-20')).toEqual({ date: '2026-10-20', posts: 2, pos: 0, neg: 2 });
    expect(day('2026-10-26')).toEqual({ date: '2026-10-26', posts: 6, pos: 4, neg: 0 });
    expect(day('2026-10-30')).toEqual({ date: '2026-10-30', posts: 1, pos: 0, neg: 0 });
    expect(f.trend.days.reduce((a, d) => a + d.posts, 0)).toBe(36);
    expect(f.trend.testedDays).toBe(31);
    expect(f.trend.dayAlpha).toBeCloseTo(0.05 / 31, 15);
    const lambda = 13.5 / 14;
    const p = 1 - Math.exp(-lambda) * [0, 1, 2, 3, 4, 5].reduce((a, i) => a + lambda ** i / [1, 1, 2, 6, 24, 120][i]!, 0);
    expect(f.trend.spikes).toHaveLength(1);
    expect(f.trend.spikes[0]!.date).toBe('2026-10-26');
    expect(f.trend.spikes[0]!.posts).toBe(6);
    expect(f.trend.spikes[0]!.expected).toBeCloseTo(lambda, 12);
    expect(f.trend.spikes[0]!.p).toBeCloseTo(p, 10);
    expect(f.trend.spikes[0]!.p).toBeLessThan(0.05 / 31);
  });

  it('the campaign test: questions and complaints after the launch against the 28 days before', () => {
    // Only the brand's campaign launched inside the period is tested.
    expect(f.campaigns).toHaveLength(1);
    const c = f.campaigns[0]!;
    expect([c.name, c.date, c.windowFrom, c.windowTo, c.windowDays, c.baselineFrom, c.baselineTo, c.baselineDays, c.tested]).toEqual([
      '会员日', '2026-10-15', '2026-10-15', '2026-10-21', 7, '2026-09-17', '2026-10-14', 28, true,
    ]);
    // questions: 4 (p15 p16 p18 p21) vs 2 in the baseline: lambda = 2.5 / 28 x 7 = 0.625
    expect(c.questions.observed).toBe(4);
    expect(c.questions.baseline).toBe(2);
    expect(c.questions.expected).toBeCloseTo(0.625, 12);
    expect(c.questions.p).toBeCloseTo(1 - Math.exp(-0.625) * (1 + 0.625 + 0.625 ** 2 / 2 + 0.625 ** 3 / 6), 12);
    expect(c.questions.spiked).toBe(true);
    // complaints: 4 negative posts about 会员卡 vs none before: lambda = 0.5 / 28 x 7 = 0.125
    expect([c.complaints.observed, c.complaints.baseline]).toEqual([4, 0]);
    expect(c.complaints.expected).toBeCloseTo(0.125, 12);
    expect(c.complaints.p).toBeCloseTo(poissonUpperTail(4, 0.125), 15);
    expect(c.complaints.p!).toBeCloseTo(1 - Math.exp(-0.125) * (1 + 0.125 + 0.125 ** 2 / 2 + 0.125 ** 3 / 6), 12);
  });

  it('does not test a campaign whose baseline is shorter than 7 days', () => {
    const short = aggregateReport(
      input({
        previousRange: { from: '2026-09-27T16:00:00.000Z', to: OCTOBER_FROM },
        campaigns: [{ ...CAMPAIGN, date: '2026-10-03' }],
      }),
    );
    const c = short.campaigns[0]!;
    expect([c.baselineFrom, c.baselineTo, c.baselineDays, c.tested, c.questions.p, c.questions.spiked]).toEqual(['2026-09-28', '2026-10-02', 5, false, null, false]);
  });

  it('verdicts per channel and promise, with evidence', () => {
    expect(f.promises.verdicts.map((v) => [v.channel, v.promise, v.pos, v.neg, v.verdict, v.quote?.postId])).toEqual([
      ['website', 'convenience', 10, 0, 'kept', 'weibo:p10'],
      ['store', 'convenience', 0, 6, 'broken', 'demo-forum:p16'],
      ['delivery', 'convenience', 0, 4, 'broken', 'demo-forum:p25'],
      ['store', 'premium_service', 2, 0, 'insufficient', 'demo-forum:p23'],
      ['customer_service', 'premium_service', 0, 6, 'broken', 'demo-forum:p18'],
      ['website', 'transparency', 0, 2, 'insufficient', 'demo-forum:p18'],
    ]);
    expect(f.promises.verdicts[0]!.quote!.text).toBe('官网下单很方便。');
    // 10/10: Wilson lower = 10 / (10 + z^2) = 0.722467 > 0.5 -> kept; 0/4: upper = z^2 / (4 + z^2) = 0.489891 < 0.5 -> broken
    expect(f.promises.verdicts[0]!.fulfilment.lower).toBeCloseTo(0.722467, 5);
    expect(f.promises.verdicts[2]!.fulfilment.upper).toBeCloseTo(0.489891, 5);
  });

  it('the consistency index: 1 - Cramér V per promise over the channels with a verdict, the brand promises only overall', () => {
    expect(f.promises.consistency.map((c) => [c.promise, c.channels, c.hits, c.compared, c.index, c.configured])).toEqual([
      ['convenience', 3, 20, 3, 0, true],
      // store has 2 posts (< 3): only customer service is left to compare, so no index.
      ['premium_service', 2, 8, 1, null, true],
      // Not one of the brand's promises: shown, but never in the overall index.
      ['transparency', 1, 2, 0, null, false],
    ]);
    // Each channel is all-positive or all-negative: perfect association, chi2 = N, V = 1. Expected
    // counts 5, 3, 2 (< 5): p by permutation; perfect separation has probability 1 / C(20, 10) =
    // 5.4e-6, so no deal of the 10,000 reaches it and p is its floor 1 / 10,001.
    const [convenience, premium] = f.promises.consistency;
    expect(convenience!.test!.chiSquare).toBeCloseTo(20, 10);
    expect(convenience!.test!.method).toBe('permutation');
    expect(convenience!.test!.p).toBe(1 / 10_001);
    expect(premium!.test).toBeNull();
    expect(convenience!.fulfilment).toEqual(wilsonInterval(10, 20));
    expect(f.promises.index).toBe(0);
  });

  it('competitors: share of voice and NSS side by side, with the difference test', () => {
    const c = f.competitors!;
    expect(c.untracked).toEqual(['Initech']);
    expect(c.rows.map((r) => [r.id, r.self, r.posts, r.previousPosts, r.share, r.previousShare])).toEqual([
      ['acme', true, 36, 10, 36 / 50, 10 / 20],
      ['globex', false, 14, 10, 14 / 50, 10 / 20],
    ]);
    expect(c.rows[0]!.nss).toEqual(f.current.nss);
    expect(c.rows[1]!.nss).toEqual(netSentiment(9, 3));
    const test = twoProportionTest(9, 12, 14, 26)!;
    expect(c.rows[1]!.versusBrand!.points).toBeCloseTo((9 / 12 - 14 / 26) * 200, 10);
    expect(c.rows[1]!.versusBrand!.p).toBeCloseTo(test.p, 12);
    expect(c.rows[0]!.versusBrand).toBeNull();
    expect(aggregateReport(input()).competitors).toBeNull();
  });

  it('a configured target with no post is a crawl gap over the whole period', () => {
    expect(f.coverage.gaps).toEqual([
      { targetId: 'acme-app', from: '2026-10-01', to: '2026-10-31', days: 31 },
      { targetId: 'acme-weibo', from: '2026-10-11', to: '2026-10-31', days: 21 },
    ]);
  });

  it('ranks the top 3 risks and safe bets by the posts behind them, each family Bonferroni-corrected', () => {
    const brief = (list: typeof f.findings.risks) => list.map((x) => [x.kind, x.subject.join('/'), x.weight, x.n]);
    // At 95% per row: broken cs/premium (0/6), store/convenience (0/6), delivery/convenience (0/4);
    // cs NSS < 0 (0/5), delivery NSS < 0 (0/4); hotspot packaging (4/6). None survives its family's
    // correction: 4 verdicts -> z = 2.4977, 0/6 upper = z^2 / (6 + z^2) = 0.5097 > 0.5; 4 channels with
    // an NSS -> cs 0/5 upper 0.5551 -> NSS +0.110 > 0; 3 placed aspects -> z = 2.3940, packaging 4/6
    // lower 0.2459 < the average 9/26 = 0.3462. Left: the breakpoint pairs with 3+ posts (4 and 3)
    // and the campaign's two spikes (4 each, tested on their own); ties by kind order, then subject.
    expect(brief(f.findings.risks)).toEqual([
      ['breakpoint', 'customer_service/website', 4, 4],
      ['campaign_spike', '会员日/complaints', 4, 4],
      ['campaign_spike', '会员日/questions', 4, 4],
    ]);
    // website/convenience 10/10: lower 10 / (10 + 2.4977^2) = 0.6158 > 0.5 survives; price 8/12 and
    // quality 4/5 praise lower 0.3394 and 0.3064 < the average 14/26 = 0.5385 do not.
    expect(brief(f.findings.safeBets)).toEqual([['promise_kept', 'website/convenience', 10, 10]]);
  });

  it('a finding the sections call significant must clear the corrected bar to reach the summary', () => {
    // Eight channels with an NSS: z = familyZ(8) = 2.7344. 0/8 positive: 95% upper of p 0.3244
    // (NSS -0.351), at z = 2.7344 0.4831 (NSS -0.034 < 0): a risk. 1 positive of 13: 95% upper
    // 0.3331, corrected 0.4545 (NSS -0.091): a risk. 2/9: 95% upper 0.5474 (NSS +0.095): not even
    // significant per row.
    const base = f.channels[0]!;
    const channel = (id: string, pos: number, neg: number) => ({ ...base, channel: id, pos, neg, nss: netSentiment(pos, neg) });
    const channels = [
      channel('store', 0, 8),
      channel('customer_service', 1, 12),
      channel('delivery', 2, 7),
      ...['website', 'app', 'marketplace', 'after_sales', 'social_media'].map((id) => channel(id, 5, 5)),
    ];
    expect(familyZ(8)).toBeCloseTo(2.734369, 5);
    const risks = findings({ ...f, channels, promises: { ...f.promises, verdicts: [] }, breakpoints: { ...f.breakpoints, pairs: [] }, campaigns: [] }).risks;
    expect(risks.map((r) => [r.kind, r.subject[0], r.weight])).toEqual([
      ['channel_negative', 'customer_service', 12],
      ['channel_negative', 'store', 8],
    ]);
    // 0/5 is significantly negative per row (95% upper 0.4345, NSS -0.131) but not among eight
    // (corrected upper 0.5993, NSS +0.199).
    const small = [channel('store', 0, 5), ...channels.slice(1)];
    expect(netSentiment(0, 5).upper).toBeCloseTo(-0.131035, 5);
    expect(netSentiment(0, 5, familyZ(8)).upper).toBeCloseTo(0.198511, 5);
    expect(findings({ ...f, channels: small, promises: { ...f.promises, verdicts: [] }, breakpoints: { ...f.breakpoints, pairs: [] }, campaigns: [] }).risks.map((r) => r.subject[0])).toEqual([
      'customer_service',
    ]);
  });

  it('is tally then statistics: the two steps compose to aggregateReport', () => {
    const i = input({ campaigns: [CAMPAIGN] });
    expect(JSON.stringify(computeFigures(tallyReport(i)))).toBe(JSON.stringify(aggregateReport(i)));
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

describe('honest counting and ranking (what a report must not overstate)', () => {
  it('a descriptor used positively and negatively on a channel is two rows, each counted once per post', () => {
    const extra = [
      item({ n: 'e1', at: '2026-10-03T04:00:00.000Z', text: '客服效率很高，效率真高。', sentiment: 'pos', channels: [['customer_service', 'pos', '客服']], descriptors: [['效率', 'convenience', 'pos', 'customer_service'], ['效率', 'convenience', 'pos', 'customer_service']] }),
      item({ n: 'e2', at: '2026-10-04T04:00:00.000Z', text: '客服效率太低。', sentiment: 'neg', channels: [['customer_service', 'neg', '客服']], descriptors: [['效率', 'convenience', 'neg', 'customer_service']] }),
      item({ n: 'e3', at: '2026-10-05T04:00:00.000Z', text: '客服效率低得离谱。', sentiment: 'neg', channels: [['customer_service', 'neg', '客服']], descriptors: [['效率', 'convenience', 'neg', 'customer_service']] }),
    ];
    const g = aggregateReport(input({ items: [...currentItems(), ...extra] }));
    const cs = g.descriptors.find((d) => d.channel === 'customer_service')!;
    const xiaolv = cs.words.filter((w) => w.word === '效率').map((w) => [w.polarity, w.count]);
    // Before, one row "效率 positive, 3" (the polarity of the post with the smallest id, hits counted).
    expect(xiaolv.sort()).toEqual([
      ['neg', 2],
      ['pos', 1],
    ]);
    const cell = g.matrix.cells[g.matrix.channels.indexOf('customer_service')]![g.matrix.promises.indexOf('convenience')]!;
    expect([cell.pos, cell.neg]).toEqual([1, 2]);
  });

  it('breakpoint pairs with as many posts share a rank; the summary and the table say so', () => {
    const extra = [
      item({ n: 'b1', at: '2026-10-06T04:00:00.000Z', text: 'App 上的价格门店不认。', sentiment: 'neg', likes: 50, channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'inconsistency', '不认']] }),
      item({ n: 'b2', at: '2026-10-07T04:00:00.000Z', text: 'App 预约了门店没记录。', sentiment: 'neg', channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'handoff', '没记录']] }),
      item({ n: 'b3', at: '2026-10-08T04:00:00.000Z', text: 'App 下单门店不给退。', sentiment: 'neg', channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'handoff', '不给退']] }),
    ];
    const g = aggregateReport(input({ items: [...currentItems(), ...extra] }));
    // app|store 3 posts (likes 50) ties delivery|store 3 posts (likes 0): rank 2 both, app|store first by likes.
    expect(g.breakpoints.pairs.map((p) => [p.channels.join('|'), p.count, p.rank, p.tied])).toEqual([
      ['customer_service|website', 4, 1, false],
      ['app|store', 3, 2, true],
      ['delivery|store', 3, 2, true],
      ['app|customer_service', 1, 4, false],
    ]);
  });

  it('the summary lists tied breakpoint pairs in the breakpoint section\'s order (likes), not by channel id', () => {
    const extra = ['w1', 'w2', 'w3'].map((n, k) =>
      item({ n, at: `2026-10-0${k + 6}T04:00:00.000Z`, text: '官网说有货，门店说没有。', sentiment: 'neg', likes: 50, channels: [['website', 'neg', '官网'], ['store', 'neg', '门店']], breakpoints: [['website', 'store', 'inconsistency', '说没有']] }),
    );
    const g = aggregateReport(input({ items: [...currentItems(), ...extra] }));
    // store|website and delivery|store have 3 posts each; by channel id delivery|store would come first.
    expect(g.breakpoints.pairs.slice(1, 3).map((p) => p.channels.join('|'))).toEqual(['store|website', 'delivery|store']);
    expect(g.findings.risks.filter((r) => r.kind === 'breakpoint').map((r) => r.subject.join('|'))).toEqual(['customer_service|website', 'store|website', 'delivery|store']);
  });

  it('a period still running: days after the data was read are no crawl gap, and the figures say the period is open', () => {
    const g = aggregateReport(input({ dataUntil: '2026-10-20T04:00:00.000Z' }));
    // weibo is silent from Oct 11; before, the gap ran to Oct 31 and acme-app's to the month's end too.
    expect(g.coverage.gaps).toEqual([{ targetId: 'acme-weibo', from: '2026-10-11', to: '2026-10-20', days: 10 }]);
    expect(g.coverage.openUntil).toBe('2026-10-20T04:00:00.000Z');
    // Read after the period ended: nothing open.
    expect(aggregateReport(input({ dataUntil: '2026-11-05T00:00:00.000Z' })).coverage.openUntil).toBeNull();
  });

  it('the days of a period ending in year 9999 are counted, not compared as labels (which never ended)', () => {
    const days = daysOfRange('9999-11-30T16:00:00.000Z', '9999-12-31T16:00:00.000Z', 'Asia/Shanghai');
    expect([days.length, days[0], days[30]]).toEqual([31, '9999-12-01', '9999-12-31']);
  });

  it('a campaign spike needs at least 3 posts: 2 against a silent baseline is the smoothing talking', () => {
    const tally = (window: number) => ({
      campaign: CAMPAIGN,
      windowDays: Array.from({ length: 7 }, (_, i) => `2026-10-${15 + i}`),
      baselineDays: Array.from({ length: 28 }, (_, i) => `2026-09-${String(17 + (i % 14)).padStart(2, '0')}`),
      questions: { window, baseline: 0 },
      complaints: { window, baseline: 0 },
    });
    const [two] = campaignFigures([tally(2)]);
    // expected (0 + 0.5) / 28 x 7 = 0.125; P(X >= 2) = 1 - e^-0.125 (1 + 0.125) = 0.0070
    expect(two!.complaints.p).toBeCloseTo(poissonUpperTail(2, 0.125), 12);
    expect(two!.complaints.p!).toBeLessThan(0.05);
    expect(two!.complaints.spiked).toBe(false);
    expect(campaignFigures([tally(3)])[0]!.complaints.spiked).toBe(true);
  });

  it('the NSS change against the previous period carries its p-value', () => {
    const g = aggregateReport(input());
    // 14/26 positive now against 3/8 before: the two-proportion z-test.
    expect(g.change.nssP).toBeCloseTo(twoProportionTest(14, 26, 3, 8)!.p, 12);
  });
});
