/**
 * The demo end to end: real forum on 127.0.0.1, real crawl, real classifier, real Chromium. Every
 * figure of each brand's report must equal the figure computed from the demo's true labels, the
 * PDF must embed a CJK font and show the brand, every channel and a breakpoint quote, and an
 * interrupted demo run again must give the same report with no duplicate post.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, DEMO_PERIOD, type DemoResult } from '../demo/run-demo.js';
import { loadDemoPosts, truthToClassification, DEMO_BRANDS, DEMO_CAMPAIGNS } from '../demo/corpus/index.js';
import { openEmbeddedStore } from '../store/embedded.js';
import { aggregateReport, type ReportFigures, type ReportItem } from '../reports/aggregate.js';
import { previousPeriod } from '../reports/generate.js';
import { reportLabels } from '../workers/labels.js';
import type { Store } from '../store/store.js';
import type { ReportSpec } from '../core/types.js';
import { DEFAULT_CHANNELS } from '../core/types.js';

process.env.VOC_AUTHOR_SECRET ??= 'demo-test-secret-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Figures without what legitimately differs: quote text comes from evidence spans, which truth has
 *  not; open words (jieba's part of speech of unlabelled words) are not part of the demo's truth. */
function comparable(f: ReportFigures): unknown {
  return JSON.parse(JSON.stringify(f, (k, v) => ((k === 'text' && typeof v === 'string') || k === 'openWords' ? undefined : v)));
}

async function truthItems(store: Store, brand: string, from: string, to: string, lexiconVersion: string): Promise<ReportItem[]> {
  const byExternalId = new Map(loadDemoPosts().map((p) => [p.externalId, p]));
  const posts = await store.queryPosts({ brand, from, to });
  return posts.map((post) => {
    const demo = byExternalId.get(post.externalId);
    if (!demo) throw new Error(`stored post ${post.id} is not in the demo corpus`);
    return { post, classification: { ...truthToClassification(demo, lexiconVersion), postId: post.id } };
  });
}

let port: number;
let outDir: string;
let result: DemoResult;

beforeAll(async () => {
  port = await freePort();
  outDir = mkdtempSync(join(tmpdir(), 'voc-demo-'));
  result = await runDemo({ outDir, port, locale: 'zh-CN' });
}, 180_000);

describe('voc demo', () => {
  it('crawls every demo post once, through every listing page including the GBK one', () => {
    const corpus = loadDemoPosts();
    expect(result.run.status).toBe('succeeded');
    expect(result.run.stats.errors).toBe(0);
    expect(result.run.stats.postsNew).toBe(corpus.length);
    expect(result.classified).toBe(corpus.length);
    expect(result.reports.map((r) => r.brand)).toEqual(DEMO_BRANDS.map((b) => b.id));
  });

  it('every report figure equals the figure computed from the true labels', async () => {
    const store = openEmbeddedStore(join(outDir, '.voc-data'));
    try {
      for (const r of result.reports) {
        const spec: ReportSpec = r.figures.spec;
        const prev = previousPeriod(spec);
        const lexiconVersion = (await store.getClassifications([(await store.queryPosts({ brand: r.brand }))[0]!.id]))[0]!.lexiconVersion;
        const expected = aggregateReport({
          spec,
          brand: DEMO_BRANDS.find((b) => b.id === r.brand)!,
          items: await truthItems(store, r.brand, spec.from, spec.to, lexiconVersion),
          previousItems: await truthItems(store, r.brand, prev.from, prev.to, lexiconVersion),
          previousRange: prev,
          unclassifiedPosts: 0,
          campaigns: DEMO_CAMPAIGNS.filter((c) => c.brand === r.brand),
        });
        expect(comparable(r.figures)).toEqual(comparable(expected));
        // Sanity: the demo period is not trivially empty.
        expect(r.figures.coverage.postsAnalysed).toBeGreaterThan(100);
        expect(r.figures.breakpoints.pairs.length).toBeGreaterThan(2);
      }
      // The campaign: questions about 自动泊车 after its launch on 2026-10-10 spiked (Poisson tail).
      const xingchi = result.reports.find((r) => r.brand === 'xingchi')!.figures;
      expect(xingchi.campaigns.map((c) => [c.name, c.tested, c.questions.spiked])).toEqual([['自动泊车上线', true, true]]);
      expect(xingchi.campaigns[0]!.questions.p).toBeLessThan(0.01);
      expect(result.reports.find((r) => r.brand === 'youpinhui')!.figures.campaigns).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('writes a PDF per brand with an embedded CJK font, the brand, every channel and a breakpoint quote', () => {
    const labels = reportLabels(result.config);
    for (const r of result.reports) {
      const pdf = r.files.find((f) => f.endsWith('.pdf'))!;
      expect(pdf).toBe(join(outDir, `${r.brand}-${DEMO_PERIOD}.pdf`));
      const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
      expect(fonts).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei\s+CID TrueType\s+Identity-H\s+yes/m);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      const brand = DEMO_BRANDS.find((b) => b.id === r.brand)!;
      expect(text).toContain(brand.name);
      for (const c of DEFAULT_CHANNELS) expect(text).toContain(labels.channel(c, 'zh-CN').replace(/\s+/g, ''));
      const quote = r.figures.breakpoints.pairs[0]!.quotes[0]!.text.replace(/\s+/g, '').replace(/…$/, '');
      expect(text).toContain(quote.slice(0, 20));
      expect(text).toContain('第1页');
    }
  });

  it('interrupted and run again: no duplicate post, the same report', async () => {
    const out2 = mkdtempSync(join(tmpdir(), 'voc-demo-resume-'));
    const stop = new AbortController();
    const partial = await runDemo({
      outDir: out2,
      port,
      signal: stop.signal,
      onPage: (pages) => {
        if (pages === 3) stop.abort();
      },
    });
    expect(partial.run.status).toBe('cancelled');
    expect(partial.reports).toEqual([]);
    expect(partial.run.stats.postsNew).toBeLessThan(loadDemoPosts().length);

    const resumed = await runDemo({ outDir: out2, port });
    expect(resumed.run.stats.postsNew + partial.run.stats.postsNew).toBe(loadDemoPosts().length);
    const store = openEmbeddedStore(join(out2, '.voc-data'));
    expect(await store.countPosts({})).toBe(loadDemoPosts().length);
    await store.close();
    for (const [i, r] of resumed.reports.entries()) {
      expect(r.figures).toEqual(result.reports[i]!.figures);
      // Only the generation time may differ (and ECharts' per-process SVG class counters).
      const strip = (html: string) =>
        html.replace(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?/g, '').replace(/zr\d+-cls-\d+/g, 'zr-cls');
      const a = readFileSync(r.files.find((f) => f.endsWith('.html'))!, 'utf8');
      const b = readFileSync(result.reports[i]!.files.find((f) => f.endsWith('.html'))!, 'utf8');
      expect(strip(a)).toBe(strip(b));
    }
  }, 180_000);
});
