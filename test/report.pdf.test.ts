import { execFileSync } from 'node:child_process';
/**
 * Real Chromium (puppeteer-core, /usr/bin/chromium or CHROME_PATH) and real Poppler tools.
 */
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
import { buildViewModel } from '../reports/view-model.js';
import { BRAND, currentItems, LABELS, previousItems, SEPTEMBER, spec } from './report.fixture.js';
import { pdfFonts, pdfObjects, pdfText, squeeze } from './report.pdf-tools.js';

let dir: string;

function html(locale: Locale): { html: string; title: string } {
  const figures = aggregateReport({
    spec: spec({ locale }),
    brand: BRAND,
    items: currentItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
  });
  const vm = buildViewModel(figures, { labels: LABELS, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
  return { html: renderReportHtml(vm), title: vm.title };
}

const rendered: Record<Locale, { html: string; pdf: string; text: string }> = {} as never;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'voc-report-pdf-'));
  for (const locale of ['zh-CN', 'en'] as const) {
    const { html: page, title } = html(locale);
    const pdf = join(dir, `${locale}.pdf`);
    await renderPdf(page, pdf, { locale, title });
    rendered[locale] = { html: page, pdf, text: pdfText(pdf) };
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
  });

  it('has bookmarks (PDF outline) and internal links', () => {
    const objects = pdfObjects(rendered['zh-CN'].pdf);
    expect(objects).toMatch(/\/Outlines \d+ 0 R/);
    expect(objects).toMatch(/\/Subtype \/Link/);
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
    for (const title of ['Summary', 'Channels', 'Distinctive descriptors per channel', 'Cross-channel breakpoints', 'Methods'])
      expect(text).toContain(title);
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain('Customer service');
    expect(text).not.toContain('一页摘要');
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
        'Chromium not found at /nonexistent/chromium; install it with `apt-get install chromium fonts-noto-cjk` or set CHROME_PATH to a Chrome/Chromium executable',
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
