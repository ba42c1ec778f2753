/**
 * generateReport end to end: the real embedded store (SQLite), real Chromium, real files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { closeBrowser } from '../reports/browser.js';
import { generateReport, previousPeriod, reportFileBase, type GenerateDeps } from '../reports/generate.js';
import { BRAND, currentItems, item, LABELS, previousItems, spec } from './report.fixture.js';
import { pdfText, squeeze } from './report.pdf-tools.js';

let root: string;
let store: EmbeddedStore;
let config: VocConfig;
let deps: GenerateDeps;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'voc-report-gen-'));
  store = openEmbeddedStore(join(root, 'data'));
  const items = [...currentItems(), ...previousItems()];
  // Two October posts stored but not classified yet.
  const pending = [
    item({ n: 'u01', at: '2026-10-15T04:00:00.000Z', text: '还没分类的帖子一', sentiment: 'neutral' }).post,
    item({ n: 'u02', at: '2026-10-16T04:00:00.000Z', text: '还没分类的帖子二', sentiment: 'neutral' }).post,
  ];
  await store.upsertPosts([...items.map((i) => i.post), ...pending]);
  await store.saveClassifications(items.map((i) => i.classification));
  config = parseConfig({
    brands: [BRAND],
    // A config override of a channel label reaches the report.
    channels: { store: { label: { 'zh-CN': '线下门店', en: 'Retail store' } } },
  });
  deps = { store, config, labels: LABELS, lexiconVersion: 'lex-test-1', now: () => new Date('2026-11-02T01:30:00.000Z') };
});

afterAll(async () => {
  await closeBrowser();
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('generateReport', () => {
  it('writes HTML and PDF, checksums them and archives the record', async () => {
    const out = join(root, 'out');
    const { record, files, figures } = await generateReport(deps, spec(), out);
    expect(files).toEqual([join(out, 'acme-2026-10.html'), join(out, 'acme-2026-10.pdf')]);
    expect(figures.coverage.postsAnalysed).toBe(36);
    expect(figures.coverage.postsExcludedSpam).toBe(4);
    expect(figures.coverage.postsUnclassified).toBe(2);
    expect(figures.previous.posts).toBe(10);
    expect(record.id).toBe('acme:2026-10:zh-CN');
    expect(record.postCount).toBe(36);
    expect(record.postIds).toHaveLength(36);
    expect(record.postIds).not.toContain('demo-forum:p37');
    expect(record.createdAt).toBe('2026-11-02T01:30:00.000Z');
    expect(record.lexiconVersion).toBe('lex-test-1');
    for (const file of record.files) {
      const data = readFileSync(file.path);
      expect(file.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(file.bytes).toBe(data.length);
    }
    expect(record.files.map((f) => f.format)).toEqual(['html', 'pdf']);
    expect(await store.getReport('acme:2026-10:zh-CN')).toEqual(record);

    const html = readFileSync(files[0]!, 'utf8');
    expect(html).toContain('线下门店');
    expect(html).not.toMatch(/<script/i);
    const text = squeeze(pdfText(files[1]!));
    expect(text).toContain('艾克美Acme');
    expect(text).toContain('线下门店');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces the record and the files when run again', async () => {
    const out = join(root, 'out');
    await generateReport({ ...deps, now: () => new Date('2026-11-03T00:00:00.000Z') }, spec(), out);
    const records = await store.listReports('acme');
    expect(records.filter((r) => r.period === '2026-10' && r.locale === 'zh-CN')).toHaveLength(1);
    expect(records.find((r) => r.id === 'acme:2026-10:zh-CN')!.createdAt).toBe('2026-11-03T00:00:00.000Z');
    expect(readdirSync(out).sort()).toEqual(['acme-2026-10.html', 'acme-2026-10.pdf']);
  });

  it('writes only the formats asked for; an English report gets its own file name', async () => {
    const out = join(root, 'out-en');
    const { files, record } = await generateReport(deps, spec({ locale: 'en', formats: ['pdf'] }), out);
    expect(files).toEqual([join(out, 'acme-2026-10-en.pdf')]);
    expect(readdirSync(out)).toEqual(['acme-2026-10-en.pdf']);
    expect(record.id).toBe('acme:2026-10:en');
    const text = pdfText(files[0]!);
    expect(text).toContain('Retail store');
    expect(text).toContain('Cross-channel breakpoints');
  });

  it('renders a short no-data report for an empty period', async () => {
    const out = join(root, 'out-empty');
    const december = { period: '2026-12', from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' };
    const { files, figures, record } = await generateReport(deps, spec(december), out);
    expect(figures.empty).toBe(true);
    expect(record.postCount).toBe(0);
    const html = readFileSync(files[0]!, 'utf8');
    expect(html).toContain('报告期 2026-12 内没有可分析的帖子');
    expect(html).not.toContain('id="channels"');
    expect(squeeze(pdfText(files[1]!))).toContain('报告期2026-12内没有可分析的帖子');
  });

  it('refuses bad input with one clear line and writes nothing', async () => {
    const out = join(root, 'out-bad');
    await expect(generateReport(deps, spec({ brand: 'nope' }), out)).rejects.toThrow(
      new InputError('unknown brand "nope"; expected one of: acme'),
    );
    await expect(generateReport(deps, spec({ to: spec().from }), out)).rejects.toThrow(InputError);
    await expect(generateReport(deps, spec({ to: spec().from }), out)).rejects.toThrow(/to \(.*\) must be after from/);
    await expect(generateReport(deps, spec({ formats: [] }), out)).rejects.toThrow(/formats: expected html and\/or pdf/);
    await expect(generateReport(deps, spec({ timeZone: 'Mars/Base' }), out)).rejects.toThrow(/timeZone: "Mars\/Base"/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('report naming and periods', () => {
  it('derives safe file names', () => {
    expect(reportFileBase({ brand: 'acme', period: '2026-10', locale: 'zh-CN' })).toBe('acme-2026-10');
    expect(reportFileBase({ brand: 'acme', period: '2026-10-01..2026-10-15', locale: 'en' })).toBe('acme-2026-10-01..2026-10-15-en');
    expect(reportFileBase({ brand: 'acme', period: '../../etc/x y', locale: 'zh-CN' })).toBe('acme-__.._etc_x_y');
  });

  it('compares a month with the calendar month before, other ranges with the same length before', () => {
    expect(previousPeriod(spec())).toEqual({ from: '2026-08-31T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' });
    const fortnight = spec({ period: '2026-10-01..2026-10-14', from: '2026-09-30T16:00:00.000Z', to: '2026-10-14T16:00:00.000Z' });
    expect(previousPeriod(fortnight)).toEqual({ from: '2026-09-16T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' });
  });
});
