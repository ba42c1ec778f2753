/**
 * HTML -> A4 PDF with the shared headless Chromium. The page runs with JavaScript disabled and
 * every network request aborted, so a report built from hostile crawled text can neither run
 * code nor call home. The file appears atomically (temp file + rename): a crash never leaves
 * half a PDF behind.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import { VocError, errorText } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { closeBrowser, newPage } from './browser.js';
import { t } from './i18n.js';

export interface PdfOptions {
  locale: Locale;
  /** Printed in the page header (escaped). */
  title: string;
  /** Per-attempt limit, ms (default 60 s). */
  timeoutMs?: number;
}

/** Page margins; the CSS `@page` rule uses the same so the HTML prints alike from a browser. */
export const PDF_MARGIN = { top: '18mm', right: '14mm', bottom: '16mm', left: '14mm' } as const;

const HEADER_FOOTER_STYLE = "font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC','Noto Sans SC',sans-serif;font-size:8px;color:#616e7c;width:100%;padding:0 14mm;";

/** Renders `html` to `outPath`. A failed or hung render is retried once (with a fresh browser), then throws a VocError. */
export async function renderPdf(html: string, outPath: string, options: PdfOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    let pdf: Uint8Array;
    try {
      pdf = await withTimeout(printOnce(html, options), timeoutMs);
    } catch (err) {
      lastError = err;
      // A missing Chromium will not appear on retry: say so at once.
      if (err instanceof VocError && err.exitCode === 2) throw err;
      // A hung or crashed Chromium is not reused for the retry.
      await closeBrowser({ force: true }).catch(() => undefined);
      continue;
    }
    await writeAtomically(outPath, pdf);
    return;
  }
  throw new VocError(
    { en: `PDF rendering of ${outPath} failed twice: ${describe(lastError)}`, zh: `${outPath} 的 PDF 渲染连续失败两次：${describe(lastError, 'zh-CN')}` },
    1,
  );
}

async function printOnce(html: string, options: PdfOptions): Promise<Uint8Array> {
  const page = await newPage();
  try {
    await lockDown(page);
    await page.setContent(html, { waitUntil: 'load' });
    // Fonts are local system fonts (Noto Sans CJK): nothing to wait for once 'load' fired.
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="${HEADER_FOOTER_STYLE}text-align:right;">${escapeHtml(options.title)}</div>`,
      footerTemplate: `<div style="${HEADER_FOOTER_STYLE}text-align:center;">${t(options.locale, 'footerPage', {
        page: '<span class="pageNumber"></span>',
        total: '<span class="totalPages"></span>',
      })}</div>`,
      margin: PDF_MARGIN,
      outline: true,
      tagged: true,
      timeout: 0,
    });
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** No JavaScript; no request leaves the page except the document itself. */
async function lockDown(page: Page): Promise<void> {
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const isDocument = request.isNavigationRequest() && request.frame() === page.mainFrame() && request.url() === 'about:blank';
    void (isDocument ? request.continue() : request.abort('blockedbyclient')).catch(() => undefined);
  });
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new VocError({ en: `cannot write ${path}: ${describe(err)}`, zh: `无法写入 ${path}：${describe(err, 'zh-CN')}` }, 1);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // A VocError (exit code 1, so renderPdf still retries) only to carry its Chinese into the final message.
    const en = `timed out after ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`;
    const zh = `超过 ${ms < 1000 ? `${ms} 毫秒` : `${Math.round(ms / 1000)} 秒`}仍未完成`;
    timer = setTimeout(() => reject(new VocError({ en, zh }, 1)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The first line of the error's message, in Chinese for `zh-CN` when the error has its Chinese. */
function describe(err: unknown, locale: Locale = 'en'): string {
  const text = err instanceof Error ? errorText(err, locale) : undefined;
  return String(text ?? (err as Error)?.message ?? err).split('\n')[0]!;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
