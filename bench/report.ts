/**
 * Report benchmark: a brand-consistency report over 100k classified posts, rendered to HTML and
 * PDF. Posts and classifications are generated with a seeded PRNG (the same on every run) into an
 * embedded store in a temp directory (not timed); then each phase is timed:
 *
 *   aggregate_s   reading the posts of both periods from the store and counting (tallyReport)
 *   statistics_s  intervals, tests, rankings, quotes (computeFigures)
 *   charts_s      the ECharts SVG charts
 *   html_s        view model + Handlebars + writing the HTML file
 *   pdf_s         Chromium print to A4 PDF (the browser is launched in the background when
 *                 loading starts, as generateReport does; waiting for it is counted here)
 *
 *   npm run bench:report -- --json [--posts 100000] [--keep]
 *
 * Prints one JSON object {posts, total_s, peak_rss_mb, phases, pdf_pages} with --json, a short
 * table otherwise. peak_rss_mb is the peak resident set of the voc (Node) process; Chromium runs in
 * processes of its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../core/config.js';
import { resolvePeriod } from '../core/time.js';
import type { BreakpointKind, Classification, Polarity, Post, SentimentLabel } from '../core/types.js';
import { computeFigures, tallyReport } from '../reports/aggregate.js';
import { closeBrowser, prelaunchBrowser } from '../reports/browser.js';
import { buildCharts } from '../reports/chart-set.js';
import { loadReportInput, reportFileBase, type ReportRequest } from '../reports/generate.js';
import { defaultLabels } from '../reports/labels.js';
import { renderPdf } from '../reports/pdf.js';
import { renderReportHtml } from '../reports/render-html.js';
import { buildViewModel } from '../reports/view-model.js';
import { openEmbeddedStore } from '../store/embedded.js';
import { seededRandom as prng } from '../core/random.js';
import { benchOptions, count, flag } from './options.js';

const ZONE = 'Asia/Shanghai';
const BRAND = 'bench';
const PERIOD = '2026-10';

const OPTIONS = {
  json: flag('print one JSON object instead of the text report'),
  posts: count(100_000, 'classified posts in the report period (a fifth as many in the period before)'),
  keep: flag('keep the store, HTML and PDF and print where they are'),
};

const CHANNELS: Array<[string, string]> = [
  ['website', '官网'],
  ['app', 'App'],
  ['marketplace', '天猫店'],
  ['store', '门店'],
  ['customer_service', '客服'],
  ['delivery', '快递'],
  ['after_sales', '售后'],
  ['social_media', '公众号'],
];
const DESCRIPTORS: Array<[string, string, 'pos' | 'neg']> = [
  ['方便', 'convenience', 'pos'],
  ['高效', 'convenience', 'pos'],
  ['排队', 'convenience', 'neg'],
  ['慢', 'convenience', 'neg'],
  ['热情', 'premium_service', 'pos'],
  ['专业', 'premium_service', 'pos'],
  ['敷衍', 'premium_service', 'neg'],
  ['冷淡', 'premium_service', 'neg'],
  ['靠谱', 'reliable_quality', 'pos'],
  ['坏了', 'reliable_quality', 'neg'],
  ['透明', 'transparency', 'pos'],
  ['混乱', 'transparency', 'neg'],
];
const ASPECTS: Array<[string, string]> = [
  ['price', '价格'],
  ['quality', '质量'],
  ['freshness', '新鲜度'],
  ['packaging', '包装'],
  ['selection', '品类'],
  ['promotion', '活动'],
];
const SCENARIOS: Array<[string, string, string]> = [
  ['weekend', 'time', '周末'],
  ['rainy', 'weather', '下雨天'],
  ['with_kids', 'companion', '带孩子'],
  ['night', 'time', '晚上'],
];
const KINDS: BreakpointKind[] = ['inconsistency', 'handoff', 'runaround'];

/** One synthetic post and its classification, with evidence spans that match the text. */
function synthesise(rand: () => number, n: number, from: number, to: number): { post: Post; classification: Classification } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const id = `bench-forum:p${n}`;
  const ch = pick(CHANNELS);
  const other = pick(CHANNELS.filter((c) => c[0] !== ch[0]));
  const d = pick(DESCRIPTORS);
  const a = pick(ASPECTS);
  const sc = rand() < 0.25 ? pick(SCENARIOS) : null;
  const question = rand() < 0.08;
  const spam = rand() < 0.03;
  const breakpoint = rand() < 0.12;
  const aspectPolarity: Polarity = rand() < 0.55 ? 'pos' : rand() < 0.7 ? 'neg' : 'neutral';
  const parts: string[] = [];
  const spans: Record<string, { start: number; end: number; text: string }> = {};
  const add = (key: string, word: string, after = '') => {
    const start = parts.join('').length;
    spans[key] = { start, end: start + word.length, text: word };
    parts.push(word + after);
  };
  if (sc) add('scenario', sc[2], '去了一趟，');
  add('channel', ch[1], '的服务');
  add('descriptor', d[0], '。');
  add('aspect', a[1], aspectPolarity === 'pos' ? '不错。' : aspectPolarity === 'neg' ? '不太行。' : '一般。');
  if (breakpoint) add('other', other[1], '却说不一样，来回推。');
  if (question) parts.push('请问怎么办？');
  parts.push(`编号${n}。`);
  const text = parts.join('');
  const sentiment: SentimentLabel = d[2] === 'pos' ? (rand() < 0.85 ? 'pos' : 'mixed') : rand() < 0.8 ? 'neg' : 'neutral';
  const publishedAt = new Date(from + Math.floor(rand() * (to - from))).toISOString();
  const likes = Math.floor(rand() ** 4 * 500);
  const pairChannels = ([ch[0], other[0]].sort() as [string, string]);
  return {
    post: {
      id,
      source: 'bench-forum',
      externalId: `p${n}`,
      url: `https://forum.example.com/t/${n}`,
      text,
      lang: 'zh',
      publishedAt,
      collectedAt: '2026-11-01T00:00:00.000Z',
      engagement: { likes },
      contentHash: `h${n}`,
      targetId: `bench-${n % 4}`,
      brand: BRAND,
    },
    classification: {
      postId: id,
      brand: BRAND,
      lang: 'zh',
      channels: [
        { channel: ch[0], polarity: d[2], alias: ch[1], evidence: spans.channel! },
        ...(breakpoint ? [{ channel: other[0], polarity: 'neg' as const, alias: other[1], evidence: spans.other! }] : []),
      ],
      descriptors: [{ word: d[0], promise: d[1], polarity: d[2], channel: rand() < 0.9 ? ch[0] : null, evidence: spans.descriptor! }],
      sentiment: { label: sentiment, score: sentiment === 'pos' ? 0.7 : sentiment === 'neg' ? -0.7 : 0 },
      aspects: [{ aspect: a[0], polarity: aspectPolarity, evidence: spans.aspect! }],
      scenarios: sc ? [{ scenario: sc[0], type: sc[1], polarity: sentiment === 'neg' ? 'neg' : 'pos', evidence: spans.scenario! }] : [],
      question: { isQuestion: question, about: question ? [a[0], rand() < 0.3 ? '会员卡' : '半小时达'] : [] },
      breakpoints: breakpoint ? [{ channels: pairChannels, kind: pick(KINDS), cue: 'bench', evidence: spans.other! }] : [],
      spam,
      lexiconVersion: 'bench-1',
    },
  };
}

async function seed(dir: string, posts: number, previousPosts: number): Promise<void> {
  const store = openEmbeddedStore(dir);
  const rand = prng(20261031);
  const october = resolvePeriod(ZONE, PERIOD);
  const batch = 5000;
  const write = async (count: number, offset: number, from: string, to: string) => {
    for (let i = 0; i < count; i += batch) {
      const items = Array.from({ length: Math.min(batch, count - i) }, (_, k) => synthesise(rand, offset + i + k, Date.parse(from), Date.parse(to)));
      await store.upsertPosts(items.map((x) => x.post));
      await store.saveClassifications(items.map((x) => x.classification));
    }
  };
  await write(posts, 0, october.from, october.to);
  await write(previousPosts, posts, october.previous.from, october.previous.to);
  await store.close();
}

async function main(): Promise<void> {
  const { json, posts, keep } = benchOptions('report.js', OPTIONS);
  const previousPosts = Math.round(posts * 0.2);
  const root = mkdtempSync(join(tmpdir(), 'voc-bench-report-'));
  const dataDir = join(root, 'data');
  const outDir = join(root, 'out');
  try {
    if (!json) console.log(`seeding ${posts} + ${previousPosts} classified posts into ${dataDir} …`);
    await seed(dataDir, posts, previousPosts);

    const config = parseConfig({
      timeZone: ZONE,
      dataDir,
      brands: [{ id: BRAND, name: '基准品牌 Bench', promises: ['convenience', 'premium_service', 'reliable_quality', 'transparency'] }],
      campaigns: [{ brand: BRAND, name: '会员日', date: '2026-10-15', features: ['会员卡'] }],
    });
    const period = resolvePeriod(ZONE, PERIOD);
    const spec: ReportRequest = { brand: BRAND, period: period.label, from: period.from, to: period.to, timeZone: ZONE, locale: 'zh-CN', formats: ['html', 'pdf'] };
    const labels = defaultLabels;
    const store = openEmbeddedStore(dataDir);
    const seconds = (t0: number) => (performance.now() - t0) / 1000;
    const phases = { aggregate_s: 0, statistics_s: 0, charts_s: 0, html_s: 0, pdf_s: 0 };
    const start = performance.now();
    const cpuStart = process.cpuUsage();

    // As generateReport does: Chromium starts while the data loads.
    prelaunchBrowser();
    let t = performance.now();
    const { input } = await loadReportInput({ store, config, labels, lexiconVersion: 'bench-1' }, spec);
    const tallies = tallyReport(input);
    phases.aggregate_s = seconds(t);

    t = performance.now();
    const figures = computeFigures(tallies);
    phases.statistics_s = seconds(t);

    t = performance.now();
    const charts = buildCharts(figures, spec.locale, labels);
    phases.charts_s = seconds(t);

    t = performance.now();
    const vm = buildViewModel(figures, { labels, generatedAt: new Date(), lexiconVersion: 'bench-1', charts });
    const html = renderReportHtml(vm);
    const base = join(outDir, reportFileBase(spec));
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    writeFileSync(`${base}.html`, html);
    phases.html_s = seconds(t);

    t = performance.now();
    await renderPdf(html, `${base}.pdf`, { locale: spec.locale, title: vm.title });
    phases.pdf_s = seconds(t);
    const total = seconds(start);
    const cpu = process.cpuUsage(cpuStart);

    await closeBrowser();
    await store.close();

    const pdf = readFileSync(`${base}.pdf`).toString('latin1');
    const pages = Number(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/.exec(pdf)?.[1] ?? /\/Count\s+(\d+)[^>]*\/Type\s*\/Pages\b/.exec(pdf)?.[1] ?? NaN);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    const result = {
      posts,
      total_s: round(total),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
      pdf_pages: pages,
      // CPU seconds of the Node process over the timed phases (Chromium excluded): on a busy machine
      // it shows how much of total_s was waiting for a core.
      node_cpu_s: round((cpu.user + cpu.system) / 1e6),
      analysed: figures.coverage.postsAnalysed,
      html_bytes: Buffer.byteLength(html),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`report over ${posts} posts (${figures.coverage.postsAnalysed} analysed): ${result.total_s} s, peak RSS ${result.peak_rss_mb} MB, ${pages} PDF pages`);
      for (const [k, v] of Object.entries(result.phases)) console.log(`  ${k.padEnd(14)} ${v}`);
      if (keep) console.log(`files in ${outDir}`);
    }
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

main().catch(async (err: unknown) => {
  console.error(`bench:report failed: ${(err as Error)?.stack ?? String(err)}`);
  await closeBrowser().catch(() => undefined);
  process.exitCode = 1;
});
