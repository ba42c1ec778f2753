import { describe, expect, it } from 'vitest';
import { aggregateReport, type ReportFigures } from '../reports/aggregate.js';
import type { Finding } from '../reports/findings.js';
import { formatNss, formatRange, formatSigned, formatSignedCount } from '../reports/format.js';
import { buildViewModel, shortenMiddle } from '../reports/view-model.js';
import { renderReportHtml } from '../reports/render-html.js';
import type { Locale } from '../core/types.js';
import type { ReportSection } from '../core/report-config.js';
import { BRAND, CAMPAIGN, competitorItems, currentItems, item, LABELS, previousItems, SEPTEMBER, spec } from './report.fixture.js';

function figures(locale: Locale, withExtras = false) {
  return aggregateReport({
    spec: spec({ locale }),
    brand: BRAND,
    items: currentItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
    unclassifiedPosts: 2,
    ...(withExtras ? { campaigns: [CAMPAIGN], competitors: [{ id: 'globex', name: '环球 Globex', tracked: true, ...competitorItems() }] } : {}),
  });
}

/**
 * The figures with one finding of each linkable kind, as the rows of the fixture give them: the
 * fixture is too small for any of them to survive the summary's correction (see
 * report.aggregate.test.ts), and these tests are about how a finding is written and linked.
 */
function withRowFindings(f: ReportFigures): ReportFigures {
  const verdict = (channel: string, promise: string) => f.promises.verdicts.find((v) => v.channel === channel && v.promise === promise)!;
  const aspect = (id: string) => f.aspects.rows.find((a) => a.aspect === id)!;
  const cs = f.channels.find((c) => c.channel === 'customer_service')!;
  const none = { previous: null, p: null };
  const fromVerdict = (kind: 'promise_broken' | 'promise_kept', channel: string, promise: string): Finding => {
    const v = verdict(channel, promise);
    return { ...none, kind, subject: [channel, promise], value: v.fulfilment.estimate!, lower: v.fulfilment.lower, upper: v.fulfilment.upper, n: v.fulfilment.n, weight: kind === 'promise_kept' ? v.pos : v.neg, section: 'promises' };
  };
  const safeAspect = (id: string): Finding => {
    const a = aspect(id);
    return { ...none, kind: 'aspect_safe_bet', subject: [id], value: a.praiseShare.estimate!, lower: a.praiseShare.lower, upper: a.praiseShare.upper, n: a.posts, weight: a.praise, section: 'departments' };
  };
  return {
    ...f,
    findings: {
      risks: [
        fromVerdict('promise_broken', 'customer_service', 'premium_service'),
        fromVerdict('promise_broken', 'store', 'convenience'),
        { ...none, kind: 'channel_negative', subject: ['customer_service'], value: cs.nss.estimate!, lower: cs.nss.lower, upper: cs.nss.upper, n: cs.nss.n, weight: cs.neg, section: 'channels' },
      ],
      safeBets: [fromVerdict('promise_kept', 'website', 'convenience'), safeAspect('price'), safeAspect('quality')],
    },
  };
}

function viewModel(locale: Locale, withExtras = false, sections?: ReportSection[]) {
  return buildViewModel(withExtras ? withRowFindings(figures(locale, withExtras)) : figures(locale, withExtras), {
    labels: LABELS,
    generatedAt: new Date('2026-11-02T01:30:00Z'),
    lexiconVersion: 'lex',
    ...(sections ? { sections } : {}),
  });
}

describe('view model (zh-CN)', () => {
  const vm = viewModel('zh-CN');

  it('writes the summary as sentences with figures and n', () => {
    expect(vm.summary.sentences).toEqual([
      '本期分析 36 篇帖子，较上期 +26 / +260.0%（上期 10 篇）。',
      // 14/26 against 3/8 positive: two-proportion p = 0.419.
      '净情感分 NSS 为 +7.7（95% 置信区间 −29.1 至 +42.5，n = 26），较上期 +32.7 分，但变化不显著（p = 0.419）。',
      // −100.0 against −15.2 (all channel mentions): gap 84.8, share 7/39 = 17.9%, drag 17.9% x −84.8 = −15.2.
      '拖累最大的渠道是「客服」：NSS −100.0（n = 5），比全部渠道提及的 NSS −15.2 低 84.8 分；它占渠道提及的 17.9%，拖累值 −15.2（份额 × 差距）。',
    ]);
    expect(vm.summary.breakpointSentences).toEqual([
      '「客服」↔「官网」：4 篇帖子反映断点（上期 1 篇，+3），主要类型为说法不一致（4 篇）。',
      '「物流配送」↔「门店」：3 篇帖子反映断点（上期 5 篇，−2），主要类型为交接断裂（3 篇）。',
      '「App」↔「客服」：1 篇帖子反映断点（上期 0 篇，+1），主要类型为互相推诿（1 篇）。',
    ]);
  });

  it('formats the cover in the spec time zone', () => {
    expect(vm.cover.details).toEqual([
      { label: '报告期', value: '2026-10 (2026-10-01 – 2026-10-31)' },
      { label: '对比期（上期）', value: '2026-09-01 – 2026-09-30' },
      { label: '时区', value: 'Asia/Shanghai' },
      { label: '生成时间', value: '2026-11-02 09:30 (Asia/Shanghai)' },
      { label: '词典版本', value: 'lex-test-1' },
    ]);
    expect(vm.cover.coverage.find((r) => r.label === '首帖 / 末帖时间')!.value).toBe('2026-10-01 12:00 / 2026-10-30 12:00');
    expect(vm.cover.coverage.find((r) => r.label === '排除的垃圾帖（广告、模板化评论）')!.value).toBe('4');
    expect(vm.cover.coverage.find((r) => r.label === '排除的近似重复帖（转发、复制）')!.value).toBe('0');
    expect(vm.cover.coverage.find((r) => r.label === '采集缺口')!.value).toBe('1');
    expect(vm.cover.gaps).toEqual(['acme-weibo：2026-10-11 至 2026-10-31（连续 21 天无帖子）']);
    // No competitor configured: no competitor section.
    expect(vm.toc.map((s) => s.id)).toEqual(['summary', 'channels', 'promises', 'breakpoints', 'departments', 'methods', 'sources']);
    expect(vm.toc.map((s) => s.title)).toEqual(['1. 一页摘要', '2. 渠道表现', '3. 品牌承诺一致性', '4. 跨渠道断点', '5. 各部门一图看懂', '6. 方法说明', '7. 引用来源']);
    expect(vm.toc.map((s) => s.children.map((c) => `${c.id} ${c.title}`))).toEqual([[], [], ['open-words 各渠道的词典外用词'], [], [], [], []]);
    // No open word in the fixture: the section says so.
    expect(vm.openWords).toMatchObject({ channels: [], none: '本期没有谈到渠道的词典外形容词或动词。' });
  });

  it('formats channel rows: one-decimal percentages, signed NSS and drag', () => {
    expect(vm.channels.rows[0]).toEqual({
      anchor: 'ch-1',
      label: '官网',
      mentions: '14',
      postShare: '38.9%',
      pos: '10',
      neg: '4',
      neutral: '0',
      mixed: '0',
      nss: '+42.9',
      ci: '[−9.3, +76.6]',
      drag: '+20.8',
      previous: '1',
      dragging: false,
    });
    const cs = vm.channels.rows.find((r) => r.label === '客服')!;
    expect([cs.nss, cs.drag, cs.dragging]).toEqual(['−100.0', '−15.2', true]);
    expect(vm.channels.rows.find((r) => r.label === 'App')!.nss).toBe('—');
  });

  it('formats quotes with their date in the zone and a link', () => {
    // p18 is also the evidence of the customer-service verdict (S4), quoted before the breakpoints.
    expect(vm.breakpoints.pairs[0]!.quotes[0]).toEqual({
      text: '客服却说那是旧价格，两边说法不一致！',
      lang: 'zh-CN',
      href: 'https://forum.example.com/t/p18',
      url: 'https://forum.example.com/t/p18',
      meta: 'demo-forum · 2026-10-18 12:00 · 赞 12',
      ref: 'S4',
      refHref: '#src-4',
    });
    expect(vm.breakpoints.pairs[0]!.kinds).toBe('说法不一致 4 · 交接断裂 1');
    expect(vm.breakpoints.pairs[2]!.change).toBe('+1 (新出现)');
  });
});

describe('view model (en)', () => {
  const vm = viewModel('en');

  it('speaks English, with singular and plural posts', () => {
    expect(vm.lang).toBe('en');
    expect(vm.summary.sentences[0]).toBe('36 posts analysed, +26 / +260.0% vs the previous period (10).');
    expect(vm.summary.breakpointSentences[2]).toBe(
      '“App” ↔ “Customer service”: breakpoints in 1 post (0 in the previous period, +1), mostly runaround (1 post).',
    );
    expect(vm.toc.map((s) => s.title)).toEqual([
      '1. Summary',
      '2. Channels',
      '3. Brand-promise consistency',
      '4. Cross-channel breakpoints',
      '5. One picture for every department',
      '6. Methods',
      '7. Sources',
    ]);
    expect(vm.breakpoints.pairs[0]!.quotes[0]!.meta).toBe('demo-forum · 2026-10-18 12:00 · 12 likes');
  });
});

describe('view model: risks, safe bets, departments, competitors and sources', () => {
  const vm = viewModel('zh-CN', true);
  const en = viewModel('en', true);

  it('states the top risks and safe bets with figure, interval and n, linked to the row behind them', () => {
    expect(vm.summary.risks).toEqual([
      { text: '「客服」未兑现「尊贵服务」：兑现率 0.0%（95% 区间 [0.0%, 39.0%]，n = 6）。', href: '#pv-5', linkText: '详见 3. 品牌承诺一致性' },
      { text: '「门店」未兑现「极致便利」：兑现率 0.0%（95% 区间 [0.0%, 39.0%]，n = 6）。', href: '#pv-2', linkText: '详见 3. 品牌承诺一致性' },
      { text: '「客服」的净情感分为 −100.0，显著为负（95% 区间 [−100.0, −13.1]，n = 5）。', href: '#ch-3', linkText: '详见 2. 渠道表现' },
    ]);
    expect(vm.summary.safeBets.map((s) => [s.text, s.href])).toEqual([
      ['「官网」兑现了「极致便利」：兑现率 100.0%（95% 区间 [72.2%, 100.0%]，n = 10）。', '#pv-1'],
      ['「价格」的好评率为 66.7%（95% 区间 [39.1%, 86.2%]，n = 12），投诉率低于平均。', '#as-1'],
      ['「质量」的好评率为 80.0%（95% 区间 [37.6%, 96.4%]，n = 5），投诉率低于平均。', '#as-3'],
    ]);
    expect(en.summary.risks[0]!.text).toBe('“Customer service” breaks “Premium service”: fulfilment 0.0% (95% CI [0.0%, 39.0%], n = 6).');
    expect(en.summary.safeBets[1]!.text).toBe('“Price” is praised in 66.7% of posts (95% CI [39.1%, 86.2%], n = 12), with below-average complaints.');
  });

  it('compares with competitors in the summary', () => {
    expect(vm.summary.sentences[2]).toBe('与竞品「环球 Globex」相比：声量份额 72.0% 对 28.0%；NSS +7.7 对 +50.0（差异 +42.3 分，p = 0.215）。');
    expect(vm.summary.tiles[3]).toEqual({ label: '声量份额', value: '72.0%', detail: 'n = 50 · 较上期 +22.0 pp', wordy: false });
    expect(vm.competitors.rows.map((r) => [r.name, r.posts, r.share, r.previousShare, r.nss, r.ci, r.n, r.diff])).toEqual([
      ['艾克美 Acme（本品牌）', '36', '72.0%', '50.0%', '+7.7', '[−29.1, +42.5]', '26', '—'],
      ['环球 Globex', '14', '28.0%', '50.0%', '+50.0', '[−6.5, +82.2]', '12', '+42.3 (0.215)'],
    ]);
    expect(en.competitors.rows[0]!.name).toBe('艾克美 Acme (this brand)');
    expect(vm.toc.map((s) => s.id)).toContain('competitors');
  });

  it('prints aspect shares with their interval and n beside each percentage', () => {
    expect(vm.departments.aspects.rows[0]).toEqual({
      anchor: 'as-1',
      label: '价格',
      n: '12',
      praise: '66.7%',
      praiseCi: '[39.1%, 86.2%] · n = 12',
      complaint: '33.3%',
      complaintCi: '[13.8%, 60.9%] · n = 12',
      previous: '2',
      quadrant: '稳妥卖点',
      quadrantClass: 'safe-bet',
    });
    expect(vm.departments.aspects.rows.map((r) => r.quadrant)).toEqual(['稳妥卖点', '热点问题', '稳妥卖点', '样本不足']);
    expect(vm.departments.quadrant.intro).toContain('好评率 53.8%，投诉率 34.6%');
    expect(vm.departments.scenarios.rows[0]!.painPoints).toBe('价格 4 · 门店 4');
    expect(vm.departments.questions.intro).toBe('本期 7 篇帖子提出了真实问题，占分析帖子的 19.4%（95% 区间 [9.8%, 35.0%]）；上期 2 篇。');
  });

  it('prints the campaign test and the spike days', () => {
    const c = vm.departments.campaigns.items[0]!;
    expect(c.title).toBe('会员日（2026-10-15，推广：会员卡）');
    expect(c.rows.map((r) => [r.metric, r.baseline, r.observed, r.expected, r.p, r.spiked])).toEqual([
      ['提问', '2', '4', '0.63', '0.004', '是'],
      ['投诉', '0', '4', '0.13', '< 0.001', '是'],
    ]);
    expect(vm.departments.trend.spikes).toBe('峰值日：2026-10-26（6 篇，预期 1.0 篇，p < 0.001）。');
    expect(en.departments.trend.spikes).toBe('Spike days: 2026-10-26 (6 posts, 1.0 expected, p < 0.001).');
  });

  it('numbers every quoted post once, in reading order, in the sources appendix', () => {
    expect(vm.sources.rows.map((r) => r.postId)).toEqual([
      // verdict evidence (section 3), then breakpoint quotes (4), then scenario quotes (5)
      'weibo:p10',
      'demo-forum:p16',
      'demo-forum:p25',
      'demo-forum:p18',
      'demo-forum:p19',
      'demo-forum:p17',
      'demo-forum:p23',
      'demo-forum:p24',
      'demo-forum:p27',
      'demo-forum:p14',
    ]);
    expect(vm.sources.rows[2]).toEqual({
      ref: 'S3',
      anchor: 'src-3',
      postId: 'demo-forum:p25',
      source: 'demo-forum',
      channels: '物流配送、门店',
      time: '2026-10-28 12:00',
      url: 'https://forum.example.com/t/p25',
      href: 'https://forum.example.com/t/p25',
    });
    expect(en.sources.rows[2]!.channels).toBe('Delivery, Store');
    // p23 was first quoted under breakpoints (S7): the scenario quote reuses that number.
    expect(vm.departments.scenarios.rows[1]!.quote!.ref).toBe('S7');
  });

  it('switches sections off per spec; links to a switched-off section are dropped', () => {
    const only = viewModel('zh-CN', true, ['cover', 'summary', 'channels', 'methods']);
    expect(only.toc.map((s) => s.id)).toEqual(['summary', 'channels', 'methods']);
    expect(only.show).toMatchObject({ promises: false, departments: false, sources: false, competitors: false });
    expect(only.summary.risks[0]).toEqual({ text: '「客服」未兑现「尊贵服务」：兑现率 0.0%（95% 区间 [0.0%, 39.0%]，n = 6）。' });
    expect(only.summary.risks[2]!.href).toBe('#ch-3');
    // Quotes of sections not printed are not listed as sources.
    expect(only.sources.rows).toEqual([]);
  });

  it('prints the classifier accuracy from voc eval, or says it was not measured', () => {
    expect(vm.methods.lines).toContain('分类器准确率：尚未测量（运行 voc eval 后会写入此处）。');
    const measured = buildViewModel(figures('en'), {
      labels: LABELS,
      generatedAt: new Date('2026-11-02T01:30:00Z'),
      lexiconVersion: 'lex',
      evaluation: {
        measuredAt: '2026-10-30T02:00:00.000Z',
        corpus: 'demo corpus',
        metrics: [{ name: 'sentiment accuracy', value: 0.912, n: 330, ci95: [0.8818, 0.9394] }, { name: 'channel F1', value: 0.87 }],
      },
    });
    expect(measured.methods.lines).toContain('Classifier accuracy (voc eval, 2026-10-30 10:00, demo corpus): sentiment accuracy 91.2% (95% interval 88.2%–93.9%, n = 330); channel F1 87.0%.');
    const zh = buildViewModel(figures('zh-CN'), {
      labels: LABELS,
      generatedAt: new Date('2026-11-02T01:30:00Z'),
      lexiconVersion: 'lex',
      evaluation: { measuredAt: '2026-10-30T02:00:00.000Z', corpus: '演示语料', metrics: [{ name: '情感准确率', value: 0.912, n: 330, ci95: [0.8818, 0.9394] }] },
    });
    expect(zh.methods.lines).toContain('分类器准确率（voc eval，2026-10-30 10:00，演示语料）：情感准确率 91.2% (95% 区间 88.2%–93.9%，n = 330)。');
    expect(measured.methods.lines.some((l) => l.startsWith('Known limits: sarcasm'))).toBe(true);
  });
});

describe('reproducible output', () => {
  it('renders the same figures to the same bytes, however many charts the process drew before', () => {
    const first = renderReportHtml(viewModel('zh-CN', true));
    renderReportHtml(viewModel('en', true));
    expect(renderReportHtml(viewModel('zh-CN', true))).toBe(first);
    expect(first).not.toMatch(/zr\d+-/);
  });
});

describe('formatting helpers', () => {
  it('signs numbers with a true minus and never prints −0.0', () => {
    expect(formatSigned(12.345)).toBe('+12.3');
    expect(formatSigned(-3)).toBe('−3.0');
    expect(formatSigned(-0.04)).toBe('0.0');
    expect(formatSignedCount(-1234, 'en')).toBe('−1,234');
    expect(formatNss(null)).toBe('—');
    expect(formatNss(-1)).toBe('−100.0');
  });

  it('prints the calendar days of a range in its zone, across a DST change', () => {
    // November 2026 in New York: EDT until Nov 1, EST after; [from, to) are local midnights.
    expect(formatRange('2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 'America/New_York')).toBe('2026-11-01 – 2026-11-30');
    expect(formatRange('2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-10-01 – 2026-10-31');
  });

  it('shortens long URLs in the middle', () => {
    expect(shortenMiddle('https://a.example/x', 90)).toBe('https://a.example/x');
    const long = `https://a.example/${'p/'.repeat(60)}end`;
    const short = shortenMiddle(long, 40);
    expect(Array.from(short)).toHaveLength(40);
    expect(short.startsWith('https://a.example/')).toBe(true);
    expect(short.endsWith('p/end')).toBe(true);
    expect(short).toContain('…');
  });
});

describe('view model: what the figures rest on is said, not overstated', () => {
  const tieItems = [
    item({ n: 'b1', at: '2026-10-06T04:00:00.000Z', text: 'App 上的价格门店不认。', sentiment: 'neg', likes: 50, channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'inconsistency', '不认']] }),
    item({ n: 'b2', at: '2026-10-07T04:00:00.000Z', text: 'App 预约了门店没记录。', sentiment: 'neg', channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'handoff', '没记录']] }),
    item({ n: 'b3', at: '2026-10-08T04:00:00.000Z', text: 'App 下单门店不给退。', sentiment: 'neg', channels: [['app', 'neg', 'App'], ['store', 'neg', '门店']], breakpoints: [['app', 'store', 'runaround', '不给退']] }),
  ];
  const build = (locale: Locale, extra = tieItems, dataUntil?: string) =>
    buildViewModel(
      aggregateReport({ spec: spec({ locale }), brand: BRAND, items: [...currentItems(), ...extra], previousItems: previousItems(), previousRange: SEPTEMBER, unclassifiedPosts: 2, ...(dataUntil ? { dataUntil } : {}) }),
      { labels: LABELS, generatedAt: new Date('2026-10-20T04:00:00Z'), lexiconVersion: 'lex' },
    );

  it('ranks tied breakpoint pairs alike in the table and says so in the summary', () => {
    const vm = build('zh-CN');
    expect(vm.breakpoints.pairs.map((p) => [p.rank, p.title, p.count])).toEqual([
      ['1', '客服 ↔ 官网', '4'],
      ['2（并列）', 'App ↔ 门店', '3'],
      ['2（并列）', '物流配送 ↔ 门店', '3'],
      ['4', 'App ↔ 客服', '1'],
    ]);
    // Both pairs at 3 posts are in the summary's three lines (no note); a 1-1-1 split of kinds is no "mostly".
    expect(vm.summary.breakpointSentences.slice(1)).toEqual([
      '「App」↔「门店」：3 篇帖子反映断点（上期 0 篇，+3），说法不一致、交接断裂、互相推诿各 1 篇。',
      '「物流配送」↔「门店」：3 篇帖子反映断点（上期 5 篇，−2），主要类型为交接断裂（3 篇）。',
    ]);
    // The quote block's heading keeps a plain number and marks the tie after the pair.
    const html = renderReportHtml(vm);
    expect(html).toContain('<h3>2. App ↔ 门店 <span class="muted">（并列）</span></h3>');
    expect(html).toContain('<h3>1. 客服 ↔ 官网</h3>');
    const en = build('en');
    expect(en.breakpoints.pairs[1]!.rank).toBe('2 (tied)');
    expect(en.summary.breakpointSentences[1]).toBe(
      '“App” ↔ “Store”: breakpoints in 3 posts (0 in the previous period, +3), inconsistency, broken hand-off, runaround in 1 post each.',
    );
  });

  it('names the pairs tied with the last one the summary lists', () => {
    // A fourth pair with 3 posts ties app|store and delivery|store beyond the summary's three lines.
    const more = ['c1', 'c2', 'c3'].map((n, k) =>
      item({ n, at: `2026-10-1${k}T04:00:00.000Z`, text: '官网说有货，门店说没有。', sentiment: 'neg', channels: [['website', 'neg', '官网'], ['store', 'neg', '门店']], breakpoints: [['website', 'store', 'inconsistency', '说没有']] }),
    );
    const vm = build('zh-CN', [...tieItems, ...more]);
    expect(vm.summary.breakpointSentences).toHaveLength(3);
    expect(vm.summary.breakpointTieNote).toBe('另有 1 对渠道同为 3 篇，并列排名，见断点表。');
    expect(renderReportHtml(vm)).toContain('<p class="note">另有 1 对渠道同为 3 篇，并列排名，见断点表。</p>');
    expect(build('zh-CN').summary.breakpointTieNote).toBe('');
    expect(build('en', [...tieItems, ...more]).summary.breakpointTieNote).toBe('One more pair also has 3 posts: they share the rank (see the breakpoint table).');
  });

  it('lists every pair in the table and quotes the first eight, saying so', () => {
    const channels = ['website', 'app', 'marketplace', 'store', 'customer_service', 'delivery'] as const;
    const many = [];
    let k = 0;
    for (let i = 0; i < channels.length; i++)
      for (let j = i + 1; j < channels.length; j++) {
        k++;
        many.push(item({ n: `m${k}`, at: '2026-10-09T04:00:00.000Z', text: `甲乙断了${k}。`, sentiment: 'neg', breakpoints: [[channels[i]!, channels[j]!, 'handoff', '断了']] }));
      }
    const vm = build('zh-CN', many);
    // The 15 pairs of six channels, with the fixture's: more than eight pairs in all.
    const pairs = vm.breakpoints.pairs.length;
    expect(pairs).toBeGreaterThan(8);
    expect(vm.breakpoints.details).toHaveLength(8);
    expect(vm.breakpoints.moreNote).toBe(`引文只列出前 8 对；其余 ${pairs - 8} 对见上表，其帖子可用 voc posts list --breakpoint any 查看。`);
    const html = renderReportHtml(vm);
    expect(html.match(/<div class="breakpoint" id="bp-/g)).toHaveLength(8);
    expect(html).toContain(`<td>${vm.breakpoints.pairs[8]!.title}</td>`);
  });

  it('marks a period that had not ended when the posts were read', () => {
    const vm = build('zh-CN', [], '2026-10-20T04:00:00.000Z');
    expect(vm.cover.details.at(-1)).toEqual({ label: '报告期尚未结束', value: '数据截至 2026-10-20 12:00；之后的日子不计入采集缺口，各项数字只反映到此为止的帖子' });
    expect(build('zh-CN', []).cover.details.some((d) => d.label === '报告期尚未结束')).toBe(false);
  });

  it('says why a promise has no consistency index, and which promises are not the brand’s', () => {
    const vm = build('zh-CN', []);
    expect(vm.promises.consistency.map((c) => [c.promise, c.index, c.p])).toEqual([
      ['极致便利', '0', '< 0.001（置换检验）'],
      ['尊贵服务', '可比较的渠道不足 2 个（每个渠道至少 3 篇）', '—'],
      ['透明诚信（非本品牌承诺）', '仅 1 个渠道，无法比较', '—'],
    ]);
  });
});
