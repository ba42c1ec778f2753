/**
 * The demo brands' reports, from the demo corpus's true labels (what a perfect classifier
 * returns), through the real pipeline: embedded store -> generateReport -> HTML and PDF. Every
 * figure is checked against an independent count written here from the labels (the statistics
 * functions themselves are tested against hand-computed values in report.stats.test.ts), and
 * the printed report is checked to carry those numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type VocConfig } from '../core/config.js';
import { parseTimeInZone } from '../core/time.js';
import type { Post, ReportSpec } from '../core/types.js';
import { buildDemoPosts } from '../demo/corpus/generate.js';
import { DEMO_BRANDS, truthToClassification, type DemoPost } from '../demo/corpus/index.js';
import type { ReportFigures } from '../reports/aggregate.js';
import { closeBrowser } from '../reports/browser.js';
import { addDays } from '../reports/days.js';
import { formatCount, formatNss, formatPercent } from '../reports/format.js';
import { generateReport, type GenerateResult } from '../reports/generate.js';
import { netSentiment, wilsonInterval } from '../reports/stats.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { reportLabels } from '../workers/labels.js';
import { ROOT } from './helpers/cli.js';

const ZONE = 'Asia/Shanghai';
const OCTOBER: ReportSpec = {
  brand: '',
  period: '2026-10',
  from: '2026-09-30T16:00:00.000Z',
  to: '2026-10-31T16:00:00.000Z',
  timeZone: ZONE,
  locale: 'zh-CN',
  formats: ['html'],
};
const LAUNCH = { brand: 'xingchi', name: '自动泊车上线', date: '2026-10-10', features: ['自动泊车'] };

let root: string;
let store: EmbeddedStore;
let config: VocConfig;
let corpus: DemoPost[];
const results = new Map<string, GenerateResult>();

function toPost(p: DemoPost): Post {
  return {
    id: `demo-forum:${p.externalId}`,
    source: 'demo-forum',
    externalId: p.externalId,
    url: `http://127.0.0.1:47800/forum/${p.brand}/post/${p.externalId}`,
    text: p.text,
    lang: 'zh',
    publishedAt: parseTimeInZone(p.publishedAt, ZONE)!,
    collectedAt: '2026-11-01T00:00:00.000Z',
    engagement: { likes: p.likes, rating: p.rating },
    contentHash: `demo-${p.externalId}`,
    targetId: `demo-${p.brand}`,
    brand: p.brand,
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'voc-report-demo-'));
  corpus = buildDemoPosts(join(ROOT, 'demo', 'corpus'));
  store = openEmbeddedStore(join(root, 'data'));
  await store.upsertPosts(corpus.map(toPost));
  await store.saveClassifications(corpus.map((p) => truthToClassification(p, 'truth')));
  config = parseConfig({ timeZone: ZONE, brands: DEMO_BRANDS, campaigns: [LAUNCH] });
  for (const brand of DEMO_BRANDS) {
    results.set(
      brand.id,
      await generateReport(
        { store, config, labels: reportLabels(config), lexiconVersion: 'truth', now: () => new Date('2026-11-02T01:00:00.000Z') },
        { ...OCTOBER, brand: brand.id, formats: brand.id === 'xingchi' ? ['html', 'pdf'] : ['html'] },
        join(root, 'out'),
      ),
    );
  }
}, 120_000);

afterAll(async () => {
  await closeBrowser();
  await store?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The reference: plain counting over the true labels, written independently of reports/.
// ---------------------------------------------------------------------------------------------

const localDay = (p: DemoPost) => p.publishedAt.slice(0, 10);
const inOctober = (p: DemoPost) => p.publishedAt.startsWith('2026-10');
const inSeptember = (p: DemoPost) => p.publishedAt.startsWith('2026-09');
const count = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

function stanceOf(polarities: Set<string>): 'pos' | 'neg' | 'neutral' | 'mixed' {
  if (polarities.has('pos') && polarities.has('neg')) return 'mixed';
  return polarities.has('neg') ? 'neg' : polarities.has('pos') ? 'pos' : 'neutral';
}

/** A descriptor use as the report counts it: the word with its promise and polarity. */
function descriptorUse(word: string, promise: string, polarity: string): string {
  return `${word}/${promise}/${polarity}`;
}

function reference(brand: string) {
  const all = corpus.filter((p) => p.brand === brand);
  const classified = all.filter(inOctober);
  const now = classified.filter((p) => !p.truth.spam);
  const before = all.filter((p) => inSeptember(p) && !p.truth.spam);

  const sentiment = { pos: 0, neg: 0, mixed: 0, neutral: 0 };
  for (const p of now) sentiment[p.truth.sentiment]++;

  const channels = (posts: DemoPost[]) => {
    const m = new Map<string, { pos: number; neg: number; neutral: number; mixed: number }>();
    for (const p of posts) {
      const by = new Map<string, Set<string>>();
      for (const c of p.truth.channels) by.set(c.channel, (by.get(c.channel) ?? new Set()).add(c.polarity));
      for (const [ch, set] of by) {
        const row = m.get(ch) ?? { pos: 0, neg: 0, neutral: 0, mixed: 0 };
        row[stanceOf(set)]++;
        m.set(ch, row);
      }
    }
    return m;
  };
  const chNow = channels(now);
  const chBefore = channels(before);
  const total = (r: { pos: number; neg: number; neutral: number; mixed: number }) => r.pos + r.neg + r.neutral + r.mixed;
  const allMentions = [...chNow.values()].reduce((a, r) => a + total(r), 0);
  const channelRows = [...chNow.entries()]
    .map(([channel, r]) => ({ channel, mentions: total(r), ...r, previousMentions: chBefore.has(channel) ? total(chBefore.get(channel)!) : 0 }))
    .sort((a, b) => b.mentions - a.mentions || (a.channel < b.channel ? -1 : 1));
  const posAll = channelRows.reduce((a, r) => a + r.pos, 0);
  const negAll = channelRows.reduce((a, r) => a + r.neg, 0);
  const channelNss = posAll + negAll === 0 ? null : (posAll - negAll) / (posAll + negAll);

  const cells = new Map<string, { pos: number; neg: number }>();
  let unattributed = 0;
  const words = new Map<string, Map<string, number>>();
  for (const p of now) {
    // A post counts once per channel, promise and polarity (cells), and once per channel and
    // word use (word, promise, polarity) in the descriptor counts; unattributed hits count each.
    const seenCells = new Set<string>();
    const seenWords = new Set<string>();
    for (const d of p.truth.descriptors) {
      if (d.channel === null) {
        unattributed++;
        continue;
      }
      const cell = cells.get(`${d.channel}/${d.promise}`) ?? { pos: 0, neg: 0 };
      const cellKey = `${d.channel}/${d.promise}/${d.polarity}`;
      if (!seenCells.has(cellKey)) cell[d.polarity]++;
      seenCells.add(cellKey);
      cells.set(`${d.channel}/${d.promise}`, cell);
      const use = descriptorUse(d.word, d.promise, d.polarity);
      if (!seenWords.has(`${d.channel}/${use}`)) count(words.get(d.channel) ?? words.set(d.channel, new Map()).get(d.channel)!, use);
      seenWords.add(`${d.channel}/${use}`);
    }
  }

  const pairs = (posts: DemoPost[]) => {
    const m = new Map<string, { posts: number; inconsistency: number; handoff: number; runaround: number }>();
    for (const p of posts) {
      const byPair = new Map<string, Set<string>>();
      for (const b of p.truth.breakpoints) byPair.set(b.channels.join('|'), (byPair.get(b.channels.join('|')) ?? new Set()).add(b.kind));
      for (const [pair, kinds] of byPair) {
        const row = m.get(pair) ?? { posts: 0, inconsistency: 0, handoff: 0, runaround: 0 };
        row.posts++;
        for (const k of kinds) row[k as 'handoff']++;
        m.set(pair, row);
      }
    }
    return m;
  };

  const aspects = new Map<string, { posts: number; praise: number; complaint: number; previous: number }>();
  for (const p of now) {
    const by = new Map<string, Set<string>>();
    for (const a of p.truth.aspects) by.set(a.aspect, (by.get(a.aspect) ?? new Set()).add(a.polarity));
    for (const [aspect, set] of by) {
      const row = aspects.get(aspect) ?? { posts: 0, praise: 0, complaint: 0, previous: 0 };
      row.posts++;
      if (set.has('pos')) row.praise++;
      if (set.has('neg')) row.complaint++;
      aspects.set(aspect, row);
    }
  }
  for (const p of before) for (const aspect of new Set(p.truth.aspects.map((a) => a.aspect))) if (aspects.has(aspect)) aspects.get(aspect)!.previous++;

  const scenarios = new Map<string, { posts: number; praise: number; complaint: number; pain: Map<string, number> }>();
  for (const p of now) {
    const by = new Map<string, Set<string>>();
    for (const s of p.truth.scenarios) by.set(s.scenario, (by.get(s.scenario) ?? new Set()).add(s.polarity));
    for (const [scenario, set] of by) {
      const row = scenarios.get(scenario) ?? { posts: 0, praise: 0, complaint: 0, pain: new Map() };
      row.posts++;
      if (set.has('pos')) row.praise++;
      if (set.has('neg')) {
        row.complaint++;
        for (const a of new Set(p.truth.aspects.filter((x) => x.polarity === 'neg').map((x) => x.aspect))) count(row.pain, `aspect:${a}`);
        for (const c of new Set(p.truth.channels.filter((x) => x.polarity === 'neg').map((x) => x.channel))) count(row.pain, `channel:${c}`);
      }
      scenarios.set(scenario, row);
    }
  }

  const topics = new Map<string, number>();
  const previousTopics = new Map<string, number>();
  for (const p of now) if (p.truth.question) for (const t of new Set(p.truth.questionAbout)) count(topics, t);
  for (const p of before) if (p.truth.question) for (const t of new Set(p.truth.questionAbout)) count(previousTopics, t);

  const daily = new Map<string, number>();
  for (const p of now) count(daily, localDay(p));

  return {
    classified: classified.length,
    analysed: now.length,
    spam: classified.length - now.length,
    previous: before.length,
    sentiment,
    channelRows,
    allMentions,
    channelNss,
    cells,
    unattributed,
    words,
    pairs: pairs(now),
    previousPairs: pairs(before),
    aspects,
    scenarios,
    questions: { posts: now.filter((p) => p.truth.question).length, previous: before.filter((p) => p.truth.question).length, topics, previousTopics },
    daily,
    all,
  };
}

describe.each(DEMO_BRANDS.map((b) => b.id))('the %s report equals the count of the true labels', (brand) => {
  let f: ReportFigures;
  let ref: ReturnType<typeof reference>;
  let html: string;

  beforeAll(() => {
    const r = results.get(brand)!;
    f = r.figures;
    ref = reference(brand);
    html = readFileSync(r.files.find((x) => x.endsWith('.html'))!, 'utf8');
  });

  it('has data to report', () => {
    expect(ref.analysed).toBeGreaterThan(50);
    expect(f.empty).toBe(false);
  });

  it('coverage and sentiment', () => {
    expect(f.coverage.postsClassified).toBe(ref.classified);
    expect(f.coverage.postsAnalysed).toBe(ref.analysed);
    expect(f.coverage.postsExcludedSpam).toBe(ref.spam);
    expect(f.previous.posts).toBe(ref.previous);
    expect(f.current.sentiment).toEqual(ref.sentiment);
    expect(f.current.nss).toEqual(netSentiment(ref.sentiment.pos, ref.sentiment.neg));
  });

  it('every channel: mentions, stances, share, NSS, drag, previous mentions', () => {
    expect(f.channels.map((c) => ({ channel: c.channel, mentions: c.mentions, pos: c.pos, neg: c.neg, neutral: c.neutral, mixed: c.mixed, previousMentions: c.previousMentions }))).toEqual(
      ref.channelRows,
    );
    for (const c of f.channels) {
      expect(c.share).toBeCloseTo(c.mentions / ref.allMentions, 12);
      expect(c.nss).toEqual(netSentiment(c.pos, c.neg));
      if (c.nss.estimate === null || ref.channelNss === null) expect(c.drag).toBeNull();
      else expect(c.drag).toBeCloseTo((c.mentions / ref.allMentions) * (c.nss.estimate - ref.channelNss), 12);
    }
    const worst = [...f.channels].filter((c) => c.drag !== null && c.drag < 0).sort((a, b) => a.drag! - b.drag!)[0];
    expect(f.dragChannel).toBe(worst?.channel ?? null);
  });

  it('every channel x promise cell, and the verdicts from them', () => {
    let cellsSeen = 0;
    for (const row of f.matrix.cells)
      for (const cell of row) {
        const expected = ref.cells.get(`${cell.channel}/${cell.promise}`) ?? { pos: 0, neg: 0 };
        expect([cell.channel, cell.promise, cell.pos, cell.neg]).toEqual([cell.channel, cell.promise, expected.pos, expected.neg]);
        if (cell.pos + cell.neg > 0) cellsSeen++;
      }
    expect(cellsSeen).toBe(ref.cells.size);
    expect(f.matrix.unattributedHits).toBe(ref.unattributed);
    expect(f.promises.verdicts).toHaveLength(ref.cells.size);
    for (const v of f.promises.verdicts) {
      const w = wilsonInterval(v.pos, v.pos + v.neg);
      const verdict = v.pos + v.neg < 3 ? 'insufficient' : w.lower > 0.5 ? 'kept' : w.upper < 0.5 ? 'broken' : 'at_risk';
      expect([v.channel, v.promise, v.verdict]).toEqual([v.channel, v.promise, verdict]);
    }
  });

  it('says so when no descriptor is distinctive, rather than print a ranking that reads as findings', () => {
    const anyFlagged = f.descriptors.some((d) => d.words.some((w) => w.flagged));
    // Neither demo month has a descriptor at q < 0.05 (the smallest q is 0.26 and 0.29).
    expect(anyFlagged).toBe(false);
    const note = '本期没有任何词在 q &lt; 0.05 下显著';
    expect(html.includes(`<p class="note">${note}`) && html.indexOf(note) < html.indexOf('id="open-words"')).toBe(!anyFlagged);
  });

  it('descriptor counts per channel (in channel and in the other channels)', () => {
    for (const d of f.descriptors) {
      const own = ref.words.get(d.channel)!;
      expect(d.hits).toBe([...own.values()].reduce((a, b) => a + b, 0));
      expect(d.vocabulary).toBe(own.size);
      for (const w of d.words) {
        const use = descriptorUse(w.word, w.promise, w.polarity);
        const rest = [...ref.words.entries()].filter(([c]) => c !== d.channel).reduce((a, [, m]) => a + (m.get(use) ?? 0), 0);
        expect([use, w.count, w.restCount]).toEqual([use, own.get(use), rest]);
      }
    }
  });

  it('every breakpoint pair: posts, kinds, previous period', () => {
    expect(f.breakpoints.pairs.map((p) => p.channels.join('|')).sort()).toEqual([...ref.pairs.keys()].sort());
    for (const p of f.breakpoints.pairs) {
      const e = ref.pairs.get(p.channels.join('|'))!;
      expect([p.count, p.kinds]).toEqual([e.posts, { inconsistency: e.inconsistency, handoff: e.handoff, runaround: e.runaround }]);
      expect(p.previousCount).toBe(ref.previousPairs.get(p.channels.join('|'))?.posts ?? 0);
      expect(p.quotes.length).toBe(Math.min(3, e.posts));
    }
  });

  it('every aspect, scenario and question topic', () => {
    expect(Object.fromEntries(f.aspects.rows.map((a) => [a.aspect, { posts: a.posts, praise: a.praise, complaint: a.complaint, previous: a.previousPosts }]))).toEqual(
      Object.fromEntries(ref.aspects),
    );
    for (const a of f.aspects.rows) expect(a.praiseShare).toEqual(wilsonInterval(a.praise, a.posts));
    expect(Object.fromEntries(f.scenarios.map((s) => [s.scenario, { posts: s.posts, praise: s.praise, complaint: s.complaint }]))).toEqual(
      Object.fromEntries([...ref.scenarios].map(([k, v]) => [k, { posts: v.posts, praise: v.praise, complaint: v.complaint }])),
    );
    for (const s of f.scenarios) for (const pp of s.painPoints) expect(pp.posts).toBe(ref.scenarios.get(s.scenario)!.pain.get(`${pp.kind}:${pp.id}`));
    expect(f.questions.posts).toBe(ref.questions.posts);
    expect(f.questions.previousPosts).toBe(ref.questions.previous);
    expect(Object.fromEntries(f.questions.topics.map((t) => [t.topic, [t.posts, t.previous]]))).toEqual(
      Object.fromEntries([...ref.questions.topics].map(([k, v]) => [k, [v, ref.questions.previousTopics.get(k) ?? 0]])),
    );
  });

  it('posts per day', () => {
    expect(f.trend.days).toHaveLength(31);
    for (const d of f.trend.days) expect([d.date, d.posts]).toEqual([d.date, ref.daily.get(d.date) ?? 0]);
  });

  it('prints the figures: every channel row of the table and every aspect row', () => {
    const rows = [...html.matchAll(/<tr id="ch-\d+"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]));
    const labels = reportLabels(config);
    expect(rows).toEqual(
      f.channels.map((c) => [
        labels.channel(c.channel, 'zh-CN'),
        formatCount(c.mentions, 'zh-CN'),
        formatPercent(c.mentions / ref.analysed, 'zh-CN'),
        String(c.pos),
        String(c.neg),
        String(c.neutral),
        String(c.mixed),
        formatNss(c.nss.estimate),
        expect.any(String),
        expect.any(String),
        String(c.previousMentions),
      ]),
    );
    const aspectRows = [...html.matchAll(/<tr id="as-\d+">\s*<td>([^<]*)<\/td>\s*<td class="num">(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])]);
    expect(aspectRows).toEqual(f.aspects.rows.map((a) => [labels.aspect(a.aspect, 'zh-CN'), a.posts]));
  });
});

describe('the xingchi launch campaign (自动泊车, 2026-10-10)', () => {
  it('counts questions and complaints about the feature after the launch and in the 28 days before', () => {
    const f = results.get('xingchi')!.figures;
    const ref = reference('xingchi');
    const about = (p: DemoPost) =>
      p.truth.questionAbout.includes('自动泊车') || p.truth.aspects.some((a) => a.aspect === '自动泊车') || p.text.includes('自动泊车');
    const window = new Set(Array.from({ length: 7 }, (_, i) => addDays('2026-10-10', i)));
    const baseline = new Set(Array.from({ length: 28 }, (_, i) => addDays('2026-10-10', -1 - i)));
    const posts = ref.all.filter((p) => !p.truth.spam && about(p));
    const tally = (days: Set<string>, what: (p: DemoPost) => boolean) => posts.filter((p) => days.has(localDay(p)) && what(p)).length;
    const isQuestion = (p: DemoPost) => p.truth.question;
    const isComplaint = (p: DemoPost) => p.truth.sentiment === 'neg';
    const c = f.campaigns[0]!;
    expect([c.name, c.windowFrom, c.windowTo, c.baselineFrom, c.baselineTo]).toEqual(['自动泊车上线', '2026-10-10', '2026-10-16', '2026-09-12', '2026-10-09']);
    expect([c.questions.observed, c.questions.baseline]).toEqual([tally(window, isQuestion), tally(baseline, isQuestion)]);
    expect([c.complaints.observed, c.complaints.baseline]).toEqual([tally(window, isComplaint), tally(baseline, isComplaint)]);
    expect(c.questions.expected).toBeCloseTo(((c.questions.baseline + 0.5) / 28) * 7, 12);
    // The corpus story: questions about the feature spike after the launch.
    expect(c.questions.observed).toBeGreaterThan(c.questions.expected);
  });

  it('prints a PDF with the CJK font embedded and the campaign in it', () => {
    const pdf = results.get('xingchi')!.files.find((x) => x.endsWith('.pdf'))!;
    expect(execFileSync('pdffonts', [pdf], { encoding: 'utf8' })).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei\s+CID TrueType\s+Identity-H\s+yes/m);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('自动泊车上线（2026-10-10，推广：自动泊车）');
    expect(text).toContain('星驰汽车');
  });
});
