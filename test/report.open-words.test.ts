/**
 * Word use per channel beyond the lexicon (`openWords`): tallies, the shared log-odds statistics,
 * quotes and the report section, on a small hand-built period whose figures are worked out below.
 *
 * Posts (current period, spam excluded), with their open words (channel: word):
 *   s01-s10  store: 冷清 (s01 says it twice: counted once); s02 also store: 认识, s03 store: 吵闹;
 *            s10 is about both channels and says 冷清 of each (counted once per channel).
 *   c01-c06  customer_service: 推脱; c01 and c02 also customer_service: 不·认识 (negated).
 *   o01      a store post classified before open words existed (no `openWords` field).
 *   x01      spam (likes 999): customer_service 冷清, store 推脱 -> left out.
 *
 * Counts (posts): store 冷清 10, 认识 1, 吵闹 1 (nG = 12); customer_service 推脱 6, 不·认识 2, 冷清 1 (9).
 * Prior = pooled counts: 冷清 11, 推脱 6, 不·认识 2, 认识 1, 吵闹 1; a0 = 21.
 * delta = ln((y_g + a) / (n_g + a0 - y_g - a)) - ln((y_r + a) / (n_r + a0 - y_r - a)), var = 1/(y_g + a) + 1/(y_r + a):
 *   store (n_g 12, n_r 9):
 *     冷清   ln(21/12) - ln(12/18) = ln 2.625 = 0.965081, var 1/21 + 1/12 = 0.130952, z 2.666902, p 0.007655
 *     吵闹   ln(2/31) - ln(1/29) = ln(58/31) = 0.626456, var 1/2 + 1 = 1.5,           z 0.511499, p 0.609002
 *     认识   the same as 吵闹 (tie broken by the word: 吵 U+5435 < 认 U+8BA4)
 *     BH over 3: q(冷清) = 0.007655 x 3 = 0.022966 -> flagged; q(吵闹) = q(认识) = 0.609002
 *   customer_service (n_g 9, n_r 12):
 *     推脱     ln(12/18) - ln(6/27) = ln 3 = 1.098612, var 1/12 + 1/6 = 0.25, z = 2 ln 3 = 2.197225, p 0.028004
 *     不·认识  ln(4/26) - ln(2/31) = ln(31/13) = 0.869038, var 1/4 + 1/2 = 0.75, z 1.003478, p 0.315630
 *     冷清     -0.965081, z -2.666902, p 0.007655
 *     BH over 3: q(冷清) = 0.022966 (not flagged: z < 0), q(推脱) = 0.028004 x 3/2 = 0.042007 -> flagged,
 *     q(不·认识) = 0.315630
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenWordHit } from '../core/types.js';
import { closeBrowser } from '../reports/browser.js';
import { renderPdf } from '../reports/pdf.js';
import { aggregateReport, OPEN_WORDS_TOP_N, type AggregateInput, type ReportItem } from '../reports/aggregate.js';
import { renderReportHtml } from '../reports/render-html.js';
import { buildViewModel } from '../reports/view-model.js';
import { BRAND, item, LABELS, SEPTEMBER, spec } from './report.fixture.js';
import { pdfText, squeeze } from './report.pdf-tools.js';

type Said = readonly [channel: string, word: string, pos: OpenWordHit['pos'], negated?: boolean];

const oct = (day: number) => `2026-10-${String(day).padStart(2, '0')}T04:00:00.000Z`;

/** The evidence of the `nth` occurrence of `word` in `text`. */
function spanOf(text: string, word: string, nth = 0) {
  let start = -1;
  for (let k = 0; k <= nth; k++) start = text.indexOf(word, start + 1);
  if (start < 0) throw new Error(`"${word}" #${nth} not in "${text}"`);
  return { start, end: start + word.length, text: word };
}

/** A classified post (fixture `item`) with its open words; `said` once per hit, in text order. */
function post(n: string, at: string, text: string, channels: string[], said: Said[], extra: { likes?: number; spam?: boolean } = {}): ReportItem {
  const base = item({
    n,
    at,
    text,
    sentiment: 'neg',
    channels: channels.map((c) => [c, 'neg', c === 'store' ? '门店' : '客服'] as const),
    ...extra,
  });
  const seen = new Map<string, number>();
  const openWords = said.map(([channel, word, pos, negated = false]): OpenWordHit => {
    const k = `${channel}/${word}`;
    const nth = seen.get(k) ?? 0;
    seen.set(k, nth + 1);
    return { word, pos, channel, negated, evidence: spanOf(text, word, nth) };
  });
  return { ...base, classification: { ...base.classification, openWords } };
}

function periodItems(): ReportItem[] {
  const items: ReportItem[] = [];
  for (let k = 1; k <= 10; k++) {
    const n = `s${String(k).padStart(2, '0')}`;
    if (k === 1) items.push(post(n, oct(1), '门店冷清，周末也冷清。', ['store'], [['store', '冷清', 'adj'], ['store', '冷清', 'adj']]));
    else if (k === 2) items.push(post(n, oct(2), '门店冷清。店员都不认识我了，好像认识又好像不。', ['store'], [['store', '冷清', 'adj'], ['store', '认识', 'verb']]));
    else if (k === 3) items.push(post(n, oct(3), '门店冷清，隔壁很吵闹。', ['store'], [['store', '冷清', 'adj'], ['store', '吵闹', 'adj']]));
    else if (k === 5) items.push(post(n, oct(5), '门店今天很冷清，没几个人。第5次来。', ['store'], [['store', '冷清', 'adj']], { likes: 30 }));
    else if (k === 10)
      items.push(post(n, oct(10), '门店冷清，客服电话也冷清。', ['store', 'customer_service'], [['store', '冷清', 'adj'], ['customer_service', '冷清', 'adj']]));
    else items.push(post(n, oct(k), `门店冷清。编号${k}。`, ['store'], [['store', '冷清', 'adj']]));
  }
  for (let k = 1; k <= 6; k++) {
    const n = `c${String(k).padStart(2, '0')}`;
    const said: Said[] = [['customer_service', '推脱', 'verb']];
    if (k <= 2) said.push(['customer_service', '认识', 'verb', true]);
    const text = k <= 2 ? `客服一直推脱，说不认识这个订单。编号${k}。` : `客服互相推脱。编号${k}。`;
    // c02 and c04 are equally liked: the newer (c04) is quoted.
    items.push(post(n, oct(10 + k), text, ['customer_service'], said, k === 2 || k === 4 ? { likes: 7 } : {}));
  }
  // Stored before open words existed: the fixture's item() sets no `openWords` field, as voc did then.
  items.push(item({ n: 'o01', at: oct(20), text: '门店很远。', sentiment: 'neutral', channels: [['store', 'neutral', '门店']] }));
  items.push(
    post('x01', oct(21), '门店推脱，客服冷清，加微信领券。', ['store', 'customer_service'], [['customer_service', '冷清', 'adj'], ['store', '推脱', 'verb']], {
      likes: 999,
      spam: true,
    }),
  );
  return items;
}

function input(items: ReportItem[] = periodItems()): AggregateInput {
  return { spec: spec(), brand: BRAND, items, previousItems: [], previousRange: SEPTEMBER };
}

describe('open words per channel (figures worked out in the header)', () => {
  const f = aggregateReport(input());
  const store = f.openWords.find((c) => c.channel === 'store')!;
  const cs = f.openWords.find((c) => c.channel === 'customer_service')!;

  it('counts each word once per post and channel, a negated word apart, spam and old classifications left out', () => {
    expect(f.coverage.postsAnalysed).toBe(17);
    expect('openWords' in periodItems().find((i) => i.post.externalId === 'o01')!.classification).toBe(false);
    expect(f.openWords.map((c) => [c.channel, c.hits, c.vocabulary])).toEqual([
      ['store', 12, 3],
      ['customer_service', 9, 3],
    ]);
    expect(store.words.map((w) => [w.word, w.pos, w.negated, w.count, w.restCount])).toEqual([
      ['冷清', 'adj', false, 10, 1],
      ['吵闹', 'adj', false, 1, 0],
      ['认识', 'verb', false, 1, 0],
    ]);
    expect(cs.words.map((w) => [w.word, w.pos, w.negated, w.count, w.restCount])).toEqual([
      ['推脱', 'verb', false, 6, 0],
      ['认识', 'verb', true, 2, 0],
      ['冷清', 'adj', false, 1, 10],
    ]);
  });

  it('computes the log-odds z, p and BH q of the descriptors and flags z > 0 with q < 0.05 only', () => {
    const [lengqing, chaonao, renshi] = store.words;
    expect(lengqing!.delta).toBeCloseTo(0.965081, 5);
    expect(lengqing!.z).toBeCloseTo(2.666902, 5);
    expect(lengqing!.p).toBeCloseTo(0.007655, 5);
    expect(lengqing!.q).toBeCloseTo(0.022966, 5);
    expect(lengqing!.flagged).toBe(true);
    for (const w of [chaonao!, renshi!]) {
      expect(w.delta).toBeCloseTo(0.626456, 5);
      expect(w.z).toBeCloseTo(0.511499, 5);
      expect(w.q).toBeCloseTo(0.609002, 5);
      expect(w.flagged).toBe(false);
    }

    const [tuituo, notRenshi, csLengqing] = cs.words;
    expect(tuituo!.delta).toBeCloseTo(Math.log(3), 10);
    expect(tuituo!.z).toBeCloseTo(2 * Math.log(3), 10);
    expect(tuituo!.p).toBeCloseTo(0.028004, 5);
    expect(tuituo!.q).toBeCloseTo(0.042007, 5);
    expect(tuituo!.flagged).toBe(true);
    expect(notRenshi!.z).toBeCloseTo(1.003478, 5);
    expect(notRenshi!.q).toBeCloseTo(0.31563, 5);
    expect(notRenshi!.flagged).toBe(false);
    // Significant, but typical of the other channel: never flagged here.
    expect(csLengqing!.z).toBeCloseTo(-2.666902, 5);
    expect(csLengqing!.q).toBeCloseTo(0.022966, 5);
    expect(csLengqing!.flagged).toBe(false);
  });

  it('quotes the most-read post of the channel for each word, verbatim, never the spam post', () => {
    expect(store.words.map((w) => [w.quote.postId, w.quote.text])).toEqual([
      ['demo-forum:s05', '门店今天很冷清，没几个人。'],
      ['demo-forum:s03', '门店冷清，隔壁很吵闹。'],
      ['demo-forum:s02', '店员都不认识我了，好像认识又好像不。'],
    ]);
    expect(cs.words.map((w) => w.quote.postId)).toEqual(['demo-forum:c04', 'demo-forum:c02', 'demo-forum:s10']);
    expect(cs.words[0]!.quote).toMatchObject({ url: 'https://forum.example.com/t/c04', source: 'demo-forum', likes: 7, text: '客服互相推脱。' });
  });

  it('gives the same figures whatever the order of the posts', () => {
    expect(aggregateReport(input(periodItems().reverse())).openWords).toEqual(f.openWords);
  });

  it('keeps the top OPEN_WORDS_TOP_N words of a channel, ranked by z then by word', () => {
    const words = ['乙', '甲', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'].map((w) => `${w}等`);
    const items = words.map((w, k) => post(`w${k}`, oct(k + 1), `门店${w}。`, ['store'], [['store', w, 'verb']]));
    items.push(post('w99', oct(20), '客服推脱。', ['customer_service'], [['customer_service', '推脱', 'verb']]));
    const storeWords = aggregateReport(input(items)).openWords.find((c) => c.channel === 'store')!;
    expect(OPEN_WORDS_TOP_N).toBe(8);
    expect(storeWords.vocabulary).toBe(10);
    // Ten words used once each tie on z: code-unit order of the words.
    expect(storeWords.words.map((w) => w.word)).toEqual([...words].sort().slice(0, 8));
  });

  it('handles a period stored before open words existed: no open word, no section rows', () => {
    const old = periodItems().map((i): ReportItem => {
      const classification = { ...i.classification };
      delete classification.openWords;
      return { ...i, classification };
    });
    const figures = aggregateReport(input(old));
    expect(figures.openWords).toEqual([]);
    const vm = buildViewModel(figures, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
    expect(vm.openWords.channels).toEqual([]);
    expect(renderReportHtml(vm)).toContain('<p class="no-data">本期没有谈到渠道的词典外形容词或动词。</p>');
  });
});

describe('the open-words section', () => {
  const figures = aggregateReport(input());
  const view = (locale: 'zh-CN' | 'en') => buildViewModel(figures, { labels: LABELS, locale, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });

  it('prints each word with part of speech, counts, z, q, the flag and its quote (zh-CN)', () => {
    const vm = view('zh-CN');
    expect(vm.openWords.channels.map((c) => [c.label, c.uses])).toEqual([
      ['门店', '12 次使用'],
      ['客服', '9 次使用'],
    ]);
    expect(vm.openWords.channels[1]!.words.map((w) => [w.word, w.pos, w.count, w.restCount, w.z, w.q, w.flag])).toEqual([
      ['推脱', '动词', '6', '0', '2.20', '0.042', '显著（BH）'],
      ['不·认识', '动词', '2', '0', '1.00', '0.316', ''],
      ['冷清', '形容词', '1', '10', '-2.67', '0.023', ''],
    ]);
    const quote = vm.openWords.channels[0]!.words[0]!.quote;
    expect([quote.text, quote.href, quote.ref]).toEqual(['门店今天很冷清，没几个人。', 'https://forum.example.com/t/s05', 'S1']);
    expect(vm.toc.find((s) => s.id === 'promises')!.children).toEqual([{ id: 'open-words', title: '各渠道的词典外用词' }]);
    expect(vm.methods.lines.some((l) => l.startsWith('词典外用词：jieba 词典中词性为形容词或动词（a、ad、an、v、vd、vi）'))).toBe(true);
  });

  it('renders the section after the descriptors, in zh-CN and in English', () => {
    const zh = renderReportHtml(view('zh-CN'));
    expect(zh.indexOf('<h3 id="open-words">各渠道的词典外用词</h3>')).toBeGreaterThan(zh.indexOf('<h3 id="descriptors">'));
    expect(zh.indexOf('id="open-words"')).toBeLessThan(zh.indexOf('<section id="breakpoints"'));
    expect(zh).toContain('<a href="#open-words">各渠道的词典外用词</a>');
    expect(zh).toContain('<td class="strong negated">不·认识</td>');
    expect(zh).toContain('<td>形容词</td>');
    expect(zh).toContain('<a href="https://forum.example.com/t/s05">门店今天很冷清，没几个人。</a>');

    const en = renderReportHtml(view('en'));
    expect(en).toContain('<h3 id="open-words">Word use per channel beyond the lexicon</h3>');
    expect(en).toContain('<td class="strong negated">not 认识</td>');
    expect(en).toContain('<td>adjective</td>');
    expect(en).toContain('<span class="badge">distinctive (BH)</span>');
    expect(en).toContain('<h4>Customer service <span class="muted">· 9 uses</span></h4>');
  });
});

describe('the open-words section in the PDF (real Chromium, pdftotext)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voc-open-words-pdf-'));
  afterAll(async () => {
    await closeBrowser();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the filled table: words, part of speech, counts, the flag and the quote', async () => {
    const vm = buildViewModel(aggregateReport(input()), { labels: LABELS, locale: 'zh-CN', generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
    const pdf = join(dir, 'open-words.pdf');
    await renderPdf(renderReportHtml(vm), pdf, { locale: 'zh-CN', title: vm.title });
    const text = squeeze(pdfText(pdf));
    const section = text.slice(text.indexOf('各渠道的词典外用词', text.indexOf('各渠道的词典外用词') + 1));
    expect(section).toContain('客服·9次使用');
    expect(section).toContain('推脱动词602.200.042显著（BH）');
    expect(section).toContain('不·认识动词201.000.316');
    expect(section).toContain('门店今天很冷清，没几个人。');
  });
});
