import { describe, expect, it } from 'vitest';
import { aggregateReport } from '../reports/aggregate.js';
import { formatNss, formatRange, formatSigned, formatSignedCount } from '../reports/format.js';
import { buildViewModel, shortenMiddle } from '../reports/view-model.js';
import type { Locale } from '../core/types.js';
import { BRAND, currentItems, LABELS, previousItems, SEPTEMBER, spec } from './report.fixture.js';

function viewModel(locale: Locale) {
  const figures = aggregateReport({
    spec: spec({ locale }),
    brand: BRAND,
    items: currentItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
    unclassifiedPosts: 2,
  });
  return buildViewModel(figures, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
}

describe('view model (zh-CN)', () => {
  const vm = viewModel('zh-CN');

  it('writes the summary as sentences with figures and n', () => {
    expect(vm.summary.sentences).toEqual([
      '本期分析 36 篇帖子，较上期 +26 / +260.0%（上期 10 篇）。',
      '净情感分 NSS 为 +7.7（95% 置信区间 −29.1 至 +42.5，n = 26），较上期 +32.7 分。',
      '拖累最大的渠道是「客服」：NSS −100.0（n = 5），使渠道整体 NSS 降低 15.2 分。',
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
    expect(vm.cover.coverage.find((r) => r.label === '首帖 / 末帖时间')!.value).toBe('2026-10-01 12:00 / 2026-10-31 12:00');
    expect(vm.toc.map((s) => s.id)).toEqual(['summary', 'channels', 'matrix', 'descriptors', 'breakpoints', 'methods']);
  });

  it('formats channel rows: one-decimal percentages, signed NSS and drag', () => {
    expect(vm.channels.rows[0]).toEqual({
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
    expect(vm.breakpoints.pairs[0]!.quotes[0]).toEqual({
      text: '客服却说那是旧价格，两边说法不一致！',
      lang: 'zh-CN',
      href: 'https://forum.example.com/t/p18',
      url: 'https://forum.example.com/t/p18',
      meta: 'demo-forum · 2026-10-18 12:00 · 赞 12',
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
      '“App” ↔ “Customer service”: breakpoints in 1 post (+1 vs 0 in the previous period), mostly runaround (1 post).',
    );
    expect(vm.toc.map((s) => s.title)).toEqual([
      'Summary',
      'Channels',
      'Channel × brand promise',
      'Distinctive descriptors per channel',
      'Cross-channel breakpoints',
      'Methods',
    ]);
    expect(vm.breakpoints.pairs[0]!.quotes[0]!.meta).toBe('demo-forum · 2026-10-18 12:00 · 12 likes');
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
