/**
 * Near-duplicates (`post.nearDuplicateOf`, set by the crawler on reposts and copies) are left out
 * of every figure, like spam, and counted apart in the coverage; they are never quoted. Figures
 * are worked out by hand, with the copy marked and (as a control) unmarked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.js';
import { aggregateReport, type AggregateInput, type ReportFigures, type ReportItem } from '../reports/aggregate.js';
import { countExcluded, excludedReason, isAnalysed } from '../reports/exclusion.js';
import { generateReport, rerenderReport, type GenerateDeps } from '../reports/generate.js';
import { renderReportHtml } from '../reports/render-html.js';
import { buildViewModel } from '../reports/view-model.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { BRAND, competitorItems, currentItems, GLOBEX, item, LABELS, previousItems, SEPTEMBER, spec } from './report.fixture.js';

/** `original` posted again: same classification, another id and url, `nearDuplicateOf` set unless `marked` is false. */
function copyOf(original: ReportItem, n: string, likes: number, marked = true): ReportItem {
  const id = `${original.post.source}:${n}`;
  return {
    post: {
      ...original.post,
      id,
      externalId: n,
      url: `https://copies.example.com/${n}`,
      engagement: { likes },
      contentHash: `hash-${n}`,
      ...(marked ? { nearDuplicateOf: original.post.id } : {}),
    },
    classification: { ...original.classification, postId: id },
  };
}

function viewModelOf(figures: ReportFigures) {
  return buildViewModel(figures, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
}

describe('a small hand-made period: one original, its copy, another post and a spam copy', () => {
  // o1 is quoted (its breakpoint); n1 another post; c1 a copy of o1, s1 a spam copy of n1.
  const o1 = item({
    n: 'o1',
    at: '2026-10-03T04:00:00.000Z',
    likes: 1,
    text: '官网说能退，客服说不能退，说法不一致。',
    sentiment: 'neg',
    channels: [
      ['website', 'neg', '官网'],
      ['customer_service', 'neg', '客服'],
    ],
    breakpoints: [['customer_service', 'website', 'inconsistency', '不一致']],
  });
  const n1 = item({ n: 'n1', at: '2026-10-04T04:00:00.000Z', likes: 2, text: '门店店员很热情。', sentiment: 'pos', channels: [['store', 'pos', '门店']] });
  // The copy is the most liked: were it counted, it would be the breakpoint's first quote.
  const c1 = copyOf(o1, 'c1', 500);
  // Both spam and a near-duplicate: counted once, as spam.
  const n1Copy = copyOf(n1, 's1', 900);
  const s1: ReportItem = { ...n1Copy, classification: { ...n1Copy.classification, spam: true } };
  const q1 = item({ n: 'q1', at: '2026-09-03T04:00:00.000Z', text: '官网不错。', sentiment: 'pos', channels: [['website', 'pos', '官网']] });
  const qc = copyOf(q1, 'qc', 50);

  const input = (items: ReportItem[], previous: ReportItem[] = [q1, qc]): AggregateInput => ({
    spec: spec(),
    brand: BRAND,
    items,
    previousItems: previous,
    previousRange: SEPTEMBER,
  });

  it('names the reason of each exclusion (spam first)', () => {
    expect([o1, n1, c1, s1, q1, qc].map(excludedReason)).toEqual([null, null, 'near_duplicate', 'spam', null, 'near_duplicate']);
    expect([o1, n1, c1, s1].filter(isAnalysed).map((i) => i.post.externalId)).toEqual(['o1', 'n1']);
    expect(countExcluded([o1, n1, c1, s1, qc])).toEqual({ spam: 1, nearDuplicate: 2 });
  });

  it('counts the original once and the copy apart in the coverage', () => {
    const f = aggregateReport(input([o1, c1, n1, s1]));
    expect(f.coverage.postsClassified).toBe(4);
    expect(f.coverage.postsAnalysed).toBe(2);
    expect(f.coverage.postsExcludedSpam).toBe(1);
    expect(f.coverage.postsExcludedNearDuplicates).toBe(1);
    expect(f.current.posts).toBe(2);
    expect(f.current.sentiment).toEqual({ pos: 1, neg: 1, mixed: 0, neutral: 0 });
    expect(f.current.nss.estimate).toBe(0);
    expect(f.current.nss.n).toBe(2);
    // The previous period's copy (qc) is left out too.
    expect(f.previous.posts).toBe(1);
    expect(f.change.posts).toBe(1);
    const rows = f.channels.map((c) => [c.channel, c.mentions, c.pos, c.neg, c.previousMentions] as const);
    expect([...rows].sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['customer_service', 1, 0, 1, 0],
      ['store', 1, 1, 0, 0],
      ['website', 1, 0, 1, 1],
    ]);
  });

  it('gives exactly the figures of the period without the copy (apart from the coverage counts)', () => {
    const withCopy = aggregateReport(input([o1, c1, n1, s1]));
    const without = aggregateReport(input([o1, n1, s1], [q1]));
    expect(without.coverage.postsClassified).toBe(3);
    expect(without.coverage.postsExcludedNearDuplicates).toBe(0);
    const strip = (f: ReportFigures) => ({ ...f, coverage: { ...f.coverage, postsClassified: 0, postsExcludedNearDuplicates: 0 } });
    expect(strip(withCopy)).toEqual(strip(without));
  });

  it('control: the same copy unmarked is counted twice and quoted', () => {
    const f = aggregateReport(input([o1, copyOf(o1, 'c1', 500, false), n1, s1], [q1, copyOf(q1, 'qc', 50, false)]));
    expect(f.coverage.postsAnalysed).toBe(3);
    expect(f.coverage.postsExcludedNearDuplicates).toBe(0);
    expect(f.current.sentiment).toEqual({ pos: 1, neg: 2, mixed: 0, neutral: 0 });
    expect(f.previous.posts).toBe(2);
    expect(f.channels.find((c) => c.channel === 'website')!.mentions).toBe(2);
    expect(f.breakpoints.pairs.map((p) => [p.count, p.quotes.map((q) => q.postId)])).toEqual([[2, ['demo-forum:c1', 'demo-forum:o1']]]);
    // The same words quoted twice, the copy first (more liked).
    expect(viewModelOf(f).sources.rows.map((r) => r.postId)).toEqual(['demo-forum:c1', 'demo-forum:o1']);
  });

  it('never quotes the copy: the original is quoted in its place', () => {
    const f = aggregateReport(input([o1, c1, n1, s1]));
    const vm = viewModelOf(f);
    expect(f.breakpoints.pairs.map((p) => [p.count, p.quotes.map((q) => q.postId)])).toEqual([[1, ['demo-forum:o1']]]);
    expect(vm.sources.rows.map((r) => r.postId)).toEqual(['demo-forum:o1']);
    const html = renderReportHtml(vm);
    expect(html).not.toContain('copies.example.com');
  });

  it('prints both exclusion counts on the cover, in zh-CN and en', () => {
    const f = aggregateReport(input([o1, c1, n1, s1]));
    const zh = viewModelOf(f).cover.coverage;
    expect(zh.find((r) => r.label === '排除的垃圾帖（广告、模板化评论）')!.value).toBe('1');
    expect(zh.find((r) => r.label === '排除的近似重复帖（转发、复制）')!.value).toBe('1');
    const en = buildViewModel(f, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex', locale: 'en' }).cover.coverage;
    expect(en.find((r) => r.label === 'Excluded as spam (ads, templated reviews)')!.value).toBe('1');
    expect(en.find((r) => r.label === 'Excluded as near-duplicates (reposts, copies)')!.value).toBe('1');
  });

  it('says in the methods, in zh-CN and en, that near-duplicates are left out and counted apart', () => {
    const f = aggregateReport(input([o1, c1, n1, s1]));
    const zh = renderReportHtml(viewModelOf(f));
    expect(zh).toContain('垃圾帖（广告、模板化评论）和近似重复帖（几乎重复一篇更早帖子的转发或复制，原帖照常计入）不计入任何数字，也不被引用');
    const en = renderReportHtml(buildViewModel(f, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex', locale: 'en' }));
    expect(en).toContain('near-duplicates (reposts or copies that nearly repeat an earlier post; the original still counts) are left out of every figure and never quoted');
  });
});

describe('the synthetic fixture with a more-liked copy of every analysed post', () => {
  const originals = currentItems();
  const analysed = originals.filter((i) => !i.classification.spam);
  const copies = analysed.map((i, k) => copyOf(i, `dup${String(k + 1).padStart(2, '0')}`, 10_000));
  const previousCopies = previousItems()
    .filter((i) => !i.classification.spam)
    .map((i, k) => copyOf(i, `qdup${String(k + 1).padStart(2, '0')}`, 10_000));
  const base: AggregateInput = { spec: spec(), brand: BRAND, items: originals, previousItems: previousItems(), previousRange: SEPTEMBER, unclassifiedPosts: 2 };
  const plain = aggregateReport(base);
  const doubled = aggregateReport({ ...base, items: [...originals, ...copies], previousItems: [...previousItems(), ...previousCopies] });

  it('counts 36 analysed, 4 spam and 36 near-duplicates of 76 classified', () => {
    expect(copies).toHaveLength(36);
    expect(previousCopies).toHaveLength(10);
    expect(doubled.coverage).toMatchObject({ postsClassified: 76, postsAnalysed: 36, postsExcludedSpam: 4, postsExcludedNearDuplicates: 36 });
    expect(plain.coverage).toMatchObject({ postsClassified: 40, postsAnalysed: 36, postsExcludedSpam: 4, postsExcludedNearDuplicates: 0 });
    expect(doubled.current.posts).toBe(36);
    expect(doubled.current.sentiment).toEqual({ pos: 14, neg: 12, mixed: 4, neutral: 6 });
    expect(doubled.previous.posts).toBe(10);
  });

  it('leaves every other figure as without the copies', () => {
    expect({ ...doubled, coverage: null }).toEqual({ ...plain, coverage: null });
    expect({ ...doubled.coverage, postsClassified: 40, postsExcludedNearDuplicates: 0 }).toEqual(plain.coverage);
  });

  it('quotes no copy anywhere in the report', () => {
    const vm = viewModelOf(doubled);
    expect(vm.sources.rows.length).toBeGreaterThan(0);
    expect(vm.sources.rows.map((r) => r.postId)).toEqual(viewModelOf(plain).sources.rows.map((r) => r.postId));
    expect(renderReportHtml(vm)).not.toContain('copies.example.com');
  });

  it('control: unmarked, the copies double the counts and take the quotes', () => {
    const unmarked = aggregateReport({ ...base, items: [...originals, ...analysed.map((i, k) => copyOf(i, `dup${k + 1}`, 10_000, false))] });
    expect(unmarked.current.posts).toBe(72);
    expect(viewModelOf(unmarked).sources.rows.some((r) => r.url.includes('copies.example.com'))).toBe(true);
  });
});

describe('competitors: near-duplicates left out of share of voice and NSS', () => {
  it('counts a tracked competitor without its copies, now and before', () => {
    const g = competitorItems();
    const gCopies = g.items.filter((i) => !i.classification.spam).slice(0, 3).map((i, k) => copyOf(i, `gdup${k + 1}`, 100));
    const hCopies = g.previousItems.slice(0, 2).map((i, k) => copyOf(i, `hdup${k + 1}`, 100));
    const input = (items: ReportItem[], previous: ReportItem[]): AggregateInput => ({
      spec: spec(),
      brand: BRAND,
      items: currentItems(),
      previousItems: previousItems(),
      previousRange: SEPTEMBER,
      competitors: [{ id: 'globex', name: '环球 Globex', tracked: true, items, previousItems: previous }],
    });
    const f = aggregateReport(input([...g.items, ...gCopies], [...g.previousItems, ...hCopies]));
    // g01-g03 (pos) copied; h01-h02 copied: still 14 posts (pos 9, neg 3) and 10 before.
    expect(f.competitors!.rows.map((r) => [r.id, r.posts, r.previousPosts, r.share, r.previousShare])).toEqual([
      ['acme', 36, 10, 36 / 50, 10 / 20],
      ['globex', 14, 10, 14 / 50, 10 / 20],
    ]);
    expect(f.competitors!.rows[1]!.nss.estimate).toBeCloseTo((9 - 3) / 12, 12);
    expect(f.competitors).toEqual(aggregateReport(input(g.items, g.previousItems)).competitors);
    // Control: unmarked, the three copies count (17 posts, pos 12).
    const unmarked = aggregateReport(input([...g.items, ...g.items.slice(0, 3).map((i, k) => copyOf(i, `gdup${k + 1}`, 100, false))], g.previousItems));
    expect(unmarked.competitors!.rows[1]!.posts).toBe(17);
    expect(unmarked.competitors!.rows[1]!.nss.estimate).toBeCloseTo((12 - 3) / 15, 12);
  });
});

describe('generateReport archives near-duplicates with the excluded posts (embedded store)', () => {
  let root: string;
  let store: EmbeddedStore;
  let deps: GenerateDeps;
  // p18 is quoted (a breakpoint); its copy, more liked, would take the quote if it counted.
  const p18 = currentItems().find((i) => i.post.externalId === 'p18')!;
  const copy = copyOf(p18, 'dup18', 10_000);
  const gCopy = copyOf(competitorItems().items[0]!, 'gdup1', 100);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'voc-report-neardup-'));
    store = openEmbeddedStore(join(root, 'data'));
    const g = competitorItems();
    const items = [...currentItems(), copy, ...previousItems(), ...g.items, gCopy, ...g.previousItems];
    await store.upsertPosts(items.map((i) => i.post));
    await store.saveClassifications(items.map((i) => i.classification));
    deps = {
      store,
      config: parseConfig({ brands: [{ ...BRAND, competitors: ['globex'] }, GLOBEX] }),
      labels: LABELS,
      lexiconVersion: 'lex-test-1',
      now: () => new Date('2026-11-02T01:30:00.000Z'),
    };
  });

  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the copy out of the figures, the post ids and the quotes, and re-renders the same figures', async () => {
    const out = join(root, 'out');
    const { record, figures, files } = await generateReport(deps, spec({ formats: ['html'] }), out);
    expect(figures.coverage).toMatchObject({ postsClassified: 41, postsAnalysed: 36, postsExcludedSpam: 4, postsExcludedNearDuplicates: 1 });
    expect(record.postCount).toBe(36);
    expect(record.postIds).toHaveLength(36);
    expect(record.postIds).not.toContain(copy.post.id);
    expect(record.snapshot).toMatchObject({
      postsClassified: 41,
      postsAnalysed: 36,
      postsExcludedSpam: 4,
      postsExcludedNearDuplicates: 1,
      excludedPostIds: ['demo-forum:dup18', 'demo-forum:p37', 'demo-forum:p38', 'demo-forum:p39', 'demo-forum:p40'],
    });
    expect(record.snapshot!.competitorPostIds!.globex!.current).toHaveLength(14);
    expect(record.snapshot!.competitorPostIds!.globex!.current).not.toContain(gCopy.post.id);
    expect(figures.competitors!.rows.map((r) => [r.id, r.posts])).toEqual([['acme', 36], ['globex', 14]]);
    const html = readFileSync(files[0]!, 'utf8');
    expect(html).not.toContain('copies.example.com');
    expect(html).toContain('https://forum.example.com/t/p18');
    const again = await rerenderReport(deps, record.id);
    expect(again.figuresUnchanged).toBe(true);
    expect(again.figures.coverage.postsExcludedNearDuplicates).toBe(1);
  });
});
