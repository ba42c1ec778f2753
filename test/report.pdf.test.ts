/**
 * Real Chromium (puppeteer-core, /usr/bin/chromium or CHROME_PATH) and real Poppler tools.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../core/types.js';
import { VocError } from '../core/errors.js';
import { aggregateReport } from '../reports/aggregate.js';
import { closeBrowser } from '../reports/browser.js';
import { renderPdf } from '../reports/pdf.js';
import { renderReportHtml } from '../reports/render-html.js';
import { buildViewModel, type ReportViewModel } from '../reports/view-model.js';
import { BRAND, CAMPAIGN, competitorItems, currentItems, LABELS, previousItems, SEPTEMBER, spec } from './report.fixture.js';
import { pdfFonts, pdfLinkDestinations, pdfObjects, pdfOutlineTitles, pdfPages, pdfText, squeeze } from './report.pdf-tools.js';

let dir: string;

function viewModel(locale: Locale): ReportViewModel {
  const figures = aggregateReport({
    spec: spec({ locale }),
    brand: BRAND,
    items: currentItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
    campaigns: [CAMPAIGN],
    competitors: [{ id: 'globex', name: '环球 Globex', tracked: true, ...competitorItems() }],
  });
  return buildViewModel(figures, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
}

const rendered: Record<Locale, { html: string; pdf: string; text: string; vm: ReportViewModel }> = {} as never;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'voc-report-pdf-'));
  for (const locale of ['zh-CN', 'en'] as const) {
    const vm = viewModel(locale);
    const page = renderReportHtml(vm);
    const pdf = join(dir, `${locale}.pdf`);
    await renderPdf(page, pdf, { locale, title: vm.title });
    rendered[locale] = { html: page, pdf, text: pdfText(pdf), vm };
  }
});

afterAll(async () => {
  await closeBrowser();
  rmSync(dir, { recursive: true, force: true });
});

describe('PDF report (zh-CN)', () => {
  it('is an A4 PDF written atomically', () => {
    const { pdf } = rendered['zh-CN'];
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A4 = 595.92 x 841.92 pt in Chromium's output
    expect(pdfObjects(pdf)).toMatch(/\/MediaBox \[0 0 595\.9\d* 841\.9\d*\]/);
  });

  it('embeds a named CJK font (pdffonts lists it)', () => {
    const { pdf } = rendered['zh-CN'];
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);
    // The body font is a TrueType CJK font, which Chromium embeds as a named, subset CID font.
    // (CFF-flavoured fonts such as Noto Sans CJK become nameless Type 3 fonts in Chromium's PDFs.)
    expect(execFileSync('pdffonts', [pdf], { encoding: 'utf8' })).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei\s+CID TrueType\s+Identity-H\s+yes/m);
  });

  it('holds the brand, every channel of the data, a quote and page numbers', () => {
    const text = squeeze(rendered['zh-CN'].text);
    expect(text).toContain(squeeze('艾克美 Acme'));
    for (const channel of ['官网', '门店', '客服', 'App', '物流配送']) expect(text).toContain(channel);
    expect(text).toContain('客服却说那是旧价格，两边说法不一致！');
    expect(text).toMatch(/第1页\/共\d+页/);
    expect(text).toContain('跨渠道断点');
    for (const heading of ['品牌承诺一致性', '各部门一图看懂', '竞品对比', '方法说明', '引用来源', '会员日', '稳妥卖点', '热点问题']) expect(text).toContain(heading);
  });

  it('prints "page X of Y" on every page', () => {
    const pages = pdfPages(rendered['zh-CN'].pdf);
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((page, i) => expect(squeeze(page)).toContain(`第${i + 1}页/共${pages.length}页`));
  });

  it('has bookmarks (PDF outline) for every section and clickable internal links', () => {
    const { pdf, vm } = rendered['zh-CN'];
    const objects = pdfObjects(pdf);
    expect(objects).toMatch(/\/Outlines \d+ 0 R/);
    const titles = pdfOutlineTitles(pdf);
    for (const entry of vm.toc) expect(titles).toContain(entry.title);
    expect(titles).toContain('8. 引用来源');
    const dests = pdfLinkDestinations(pdf);
    // The table of contents links to every section; the summary links to the rows behind its risks.
    for (const entry of vm.toc) expect(dests).toContain(entry.id);
    for (const risk of vm.summary.risks) expect(dests).toContain(risk.href!.slice(1));
    // Quotes link to their entry in the sources appendix.
    expect(dests).toContain('src-1');
  });

  it('keeps headings with their content: no page ends with a heading', () => {
    const { pdf, vm } = rendered['zh-CN'];
    const headings = new Set(
      [...Object.values(vm.headings), vm.text.sectionMatrix, vm.text.sectionVerdicts, vm.text.sectionConsistency, vm.text.sectionDescriptors,
        vm.text.sectionAspects, vm.text.sectionQuadrant, vm.text.sectionScenarios, vm.text.sectionQuestions, vm.text.sectionCampaigns,
        vm.text.sectionTrend, vm.text.summaryRisks, vm.text.summarySafeBets, vm.text.summaryTopBreakpoints].map(squeeze),
    );
    // The cover is skipped: its table of contents lists the headings' own text.
    for (const page of pdfPages(pdf).slice(1)) {
      const lines = page.split('\n').map(squeeze).filter(Boolean);
      // The last line is the footer ("第 n 页 / 共 m 页"); the one before is the last line of content.
      expect(lines[lines.length - 1]).toMatch(/^第\d+页\/共\d+页$/);
      expect(headings.has(lines[lines.length - 2]!)).toBe(false);
    }
  });

  it('the HTML carries no script and no URL but post links', () => {
    const page = rendered['zh-CN'].html;
    expect(page).not.toMatch(/<script/i);
    const urls = page.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^https:\/\/forum\.example\.com\/t\/p\d+$/);
  });
});

describe('PDF report (en)', () => {
  it('has English section titles and page numbers', () => {
    const { text, html: page } = rendered.en;
    expect(page).toContain('<html lang="en">');
    for (const title of ['Summary', 'Channels', 'Distinctive descriptors per channel', 'Cross-channel breakpoints', 'Methods', 'Top risks', 'Top safe bets', 'Sources'])
      expect(text).toContain(title);
    expect(pdfFonts(rendered.en.pdf).filter((f) => !f.embedded)).toEqual([]);
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain('Customer service');
    expect(text).not.toContain('一页摘要');
  });
});

describe('printing: no script, no network, tables that break cleanly', () => {
  it('runs no JavaScript while printing', async () => {
    const out = join(dir, 'script.pdf');
    await renderPdf(
      '<p id="p">static text</p><script>document.getElementById("p").textContent = "SCRIPT RAN";</script><noscript>noscript shown</noscript>',
      out,
      { locale: 'en', title: 't' },
    );
    const text = pdfText(out);
    expect(text).toContain('static text');
    expect(text).not.toContain('SCRIPT RAN');
    expect(text).toContain('noscript shown');
  });

  it('blocks every network request while printing (real HTTP server on 127.0.0.1 sees none)', async () => {
    const hits: string[] = [];
    const server: Server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Proves the server answers, so zero hits below means blocked, not unreachable.
      expect((await fetch(`${base}/probe`)).status).toBe(200);
      hits.length = 0;
      const out = join(dir, 'network.pdf');
      await renderPdf(
        `<link rel="stylesheet" href="${base}/style.css"><style>@import url("${base}/import.css"); body { background: url("${base}/bg.png"); }
         @font-face { font-family: x; src: url("${base}/font.woff2"); }</style>
         <p style="font-family: x">offline</p><img src="${base}/img.png"><iframe src="${base}/frame.html"></iframe>
         <object data="${base}/object"></object><video src="${base}/video.mp4"></video>`,
        out,
        { locale: 'en', title: 't' },
      );
      expect(pdfText(out)).toContain('offline');
      expect(hits).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('repeats table headers on every page and never cuts a row across pages', async () => {
    const vm = viewModel('zh-CN');
    // A sources appendix of 140 posts with long URLs that wrap inside their cell.
    vm.sources.rows = Array.from({ length: 140 }, (_, i) => {
      const n = i + 1;
      const url = `https://forum.example.com/thread/${'segment/'.repeat(8)}post-${n}-tail${n}end`;
      return { ref: `S${n}`, anchor: `src-${n}`, postId: `demo-forum:long-${n}`, source: 'demo-forum', channels: '官网、客服', time: '2026-10-10 12:00', url, href: url };
    });
    const out = join(dir, 'long.pdf');
    await renderPdf(renderReportHtml(vm), out, { locale: 'zh-CN', title: vm.title });
    const pages = pdfPages(out).map(squeeze);
    const withRows = pages.filter((p) => /demo-forum:long-\d+/.test(p));
    expect(withRows.length).toBeGreaterThanOrEqual(3);
    for (const page of withRows) expect(page).toContain(squeeze(`#${vm.text.sourcePost}${vm.text.sourceName}${vm.text.sourceChannels}`));
    for (let n = 1; n <= 140; n++) {
      // The row's id (first cell) and the end of its wrapped URL (last line of the last cell) are on one page.
      const holding = pages.filter((p) => p.includes(`demo-forum:long-${n}demo-forum`));
      expect(holding, `row ${n}`).toHaveLength(1);
      expect(holding[0]!, `row ${n}`).toContain(`tail${n}end`);
    }
  });
});

describe('renderPdf failures', () => {
  it('names the missing Chromium and how to install it', async () => {
    await closeBrowser();
    const saved = process.env.CHROME_PATH;
    process.env.CHROME_PATH = '/nonexistent/chromium';
    const out = join(dir, 'missing.pdf');
    try {
      const err = await renderPdf('<p>x</p>', out, { locale: 'zh-CN', title: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VocError);
      expect((err as VocError).message).toBe(
        'Chromium not found at /nonexistent/chromium; install it with `apt-get install chromium fonts-wqy-microhei fonts-noto-cjk` or set CHROME_PATH to a Chrome/Chromium executable',
      );
      expect((err as VocError).message).not.toContain('\n');
    } finally {
      if (saved === undefined) delete process.env.CHROME_PATH;
      else process.env.CHROME_PATH = saved;
    }
    expect(existsSync(out)).toBe(false);
  });

  it('retries a hung render once, then fails with the cause and leaves no file', async () => {
    const out = join(dir, 'hung.pdf');
    const err = await renderPdf(rendered['zh-CN'].html, out, { locale: 'zh-CN', title: 't', timeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VocError);
    expect((err as VocError).message).toBe(`PDF rendering of ${out} failed twice: timed out after 1 ms`);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tmp`)).toBe(false);
    // The browser is replaced after a failure: the next render works.
    await renderPdf('<p>ok</p>', out, { locale: 'zh-CN', title: 't' });
    expect(existsSync(out)).toBe(true);
  });
});
