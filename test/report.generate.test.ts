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
import { figuresDigest, generateReport, previousPeriod, rerenderReport, reportFileBase, type GenerateDeps } from '../reports/generate.js';
import { VocError } from '../core/errors.js';
import { BRAND, CAMPAIGN, competitorItems, currentItems, GLOBEX, item, LABELS, previousItems, spec } from './report.fixture.js';
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
    expect(record.spec).toEqual(spec());

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

  it('run again in fewer formats, removes the older PDF it had written beside the new HTML (not elsewhere)', async () => {
    const out = join(root, 'out-fewer');
    const other = join(root, 'out-other');
    await generateReport(deps, spec(), other);
    await generateReport(deps, spec(), out);
    const { record } = await generateReport(deps, spec({ formats: ['html'] }), out);
    expect(readdirSync(out)).toEqual(['acme-2026-10.html']);
    expect(record.files.map((f) => f.path)).toEqual([join(out, 'acme-2026-10.html')]);
    // The render into another folder before that is not this record's last one: left as it was.
    expect(readdirSync(other).sort()).toEqual(['acme-2026-10.html', 'acme-2026-10.pdf']);
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
      new InputError({ en: 'unknown brand "nope"; expected one of: acme', zh: '未知品牌“nope”；应为以下之一：acme' }),
    );
    await expect(generateReport(deps, spec({ to: spec().from }), out)).rejects.toThrow(InputError);
    await expect(generateReport(deps, spec({ to: spec().from }), out)).rejects.toThrow(/to \(.*\) must be after from/);
    await expect(generateReport(deps, spec({ formats: [] }), out)).rejects.toThrow(/formats: expected html and\/or pdf/);
    await expect(generateReport(deps, spec({ timeZone: 'Mars/Base' }), out)).rejects.toThrow(/timeZone: "Mars\/Base"/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the archive: spec, snapshot, checksums; rerender from the snapshot', () => {
  let full: GenerateDeps;

  beforeAll(async () => {
    const globex = competitorItems();
    await store.upsertPosts([...globex.items, ...globex.previousItems].map((i) => i.post));
    await store.saveClassifications([...globex.items, ...globex.previousItems].map((i) => i.classification));
    const fullConfig = parseConfig({
      brands: [{ ...BRAND, competitors: ['环球 Globex', 'Initech'] }, GLOBEX],
      campaigns: [CAMPAIGN],
      targets: [
        { id: 'acme-forum', url: 'https://forum.example.com/', brand: 'acme', selectors: { item: '.p', text: '.t' } },
        { id: 'acme-app-store', url: 'https://apps.example.com/', brand: 'acme', selectors: { item: '.p', text: '.t' } },
      ],
    });
    full = { ...deps, config: fullConfig };
  });

  it('archives the spec with its sections, the data snapshot and the figures digest', async () => {
    const out = join(root, 'out-full');
    const { record, figures, files } = await generateReport(full, spec({ sections: ['cover', 'summary', 'competitors', 'methods'], formats: ['html'] }), out);
    expect(record.spec).toEqual({ ...spec({ formats: ['html'] }), sections: ['cover', 'summary', 'competitors', 'methods'] });
    expect(record.snapshot).toEqual({
      postsClassified: 40,
      postsAnalysed: 36,
      postsExcludedSpam: 4,
      postsExcludedNearDuplicates: 0,
      postsUnclassified: 2,
      excludedPostIds: ['demo-forum:p37', 'demo-forum:p38', 'demo-forum:p39', 'demo-forum:p40'],
      previousPostIds: previousItems().filter((i) => !i.classification.spam).map((i) => i.post.id).sort(),
      competitorPostIds: {
        globex: {
          current: competitorItems().items.filter((i) => !i.classification.spam).map((i) => i.post.id).sort(),
          previous: competitorItems().previousItems.map((i) => i.post.id).sort(),
        },
      },
    });
    expect(record.figuresSha256).toBe(figuresDigest(figures));
    // Campaigns, competitors and configured targets of the config reach the figures.
    expect(figures.campaigns.map((c) => [c.name, c.questions.observed, c.questions.spiked])).toEqual([['会员日', 4, true]]);
    expect(figures.competitors!.rows.map((r) => [r.id, r.posts])).toEqual([['acme', 36], ['globex', 14]]);
    expect(figures.competitors!.untracked).toEqual(['Initech']);
    expect(figures.coverage.gaps.map((g) => g.targetId)).toEqual(['acme-app-store', 'acme-weibo']);
    // Only the sections asked for are printed.
    const html = readFileSync(files[0]!, 'utf8');
    expect(html).toContain('id="summary"');
    expect(html).toContain('id="competitors"');
    expect(html).not.toContain('id="channels"');
    expect(html).not.toContain('id="sources"');
  });

  it('re-renders an archived report from its snapshot with the same figures', async () => {
    const out = join(root, 'out-rerender');
    const first = await generateReport(full, spec({ formats: ['html'] }), out);
    const again = await rerenderReport({ ...full, now: () => new Date('2026-12-01T00:00:00.000Z') }, first.record.id);
    expect(again.figuresUnchanged).toBe(true);
    expect(again.figures).toEqual(first.figures);
    expect(again.files).toEqual(first.files);
    expect(again.record.createdAt).toBe('2026-12-01T00:00:00.000Z');
    // A post published in October after the report was made is not in its snapshot.
    const late = item({ n: 'late1', at: '2026-10-09T04:00:00.000Z', text: '后来才抓到的帖子。', sentiment: 'neg' });
    await store.upsertPosts([late.post]);
    await store.saveClassifications([late.classification]);
    const third = await rerenderReport(full, first.record.id);
    expect(third.figures.coverage.postsAnalysed).toBe(36);
    expect(third.figuresUnchanged).toBe(true);
  });

  it('says when the figures changed (a post re-classified) and refuses a snapshot whose posts are gone', async () => {
    const out = join(root, 'out-rerender-2');
    const first = await generateReport(full, spec({ period: '2026-10-01..2026-10-31', formats: ['html'] }), out);
    const p01 = currentItems().find((i) => i.post.externalId === 'p01')!;
    await store.saveClassifications([{ ...p01.classification, sentiment: { label: 'neg', score: -0.8 } }]);
    try {
      const changed = await rerenderReport(full, first.record.id);
      expect(changed.figuresUnchanged).toBe(false);
      expect(changed.figures.current.sentiment.neg).toBe(first.figures.current.sentiment.neg + 1);
    } finally {
      await store.saveClassifications([p01.classification]);
    }
    const archived = (await store.getReport(first.record.id))!;
    await store.saveReport({ ...archived, postIds: [...archived.postIds, 'demo-forum:gone'] });
    const err = await rerenderReport(full, first.record.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VocError);
    expect((err as VocError).message).toBe(
      `report "${first.record.id}": 1 post(s) of its snapshot are no longer stored or classified (first: demo-forum:gone); it cannot be re-rendered as it was`,
    );
    await expect(rerenderReport(full, 'nope:2026-10:zh-CN')).rejects.toThrow(new InputError({ en: 'unknown report "nope:2026-10:zh-CN"; `voc reports list` shows the archived reports', zh: '报告“nope:2026-10:zh-CN”不存在；`voc reports list` 可查看已归档的报告' }));
  });

  it('refuses a campaign or a scheduled report of an unknown brand, naming the field', async () => {
    const bad = parseConfig({ brands: [BRAND], campaigns: [{ ...CAMPAIGN, brand: 'nope' }] });
    await expect(generateReport({ ...deps, config: bad }, spec(), join(root, 'out-bad-campaign'))).rejects.toThrow(
      new InputError({ en: 'voc.config.yaml: campaigns.0.brand: unknown brand "nope"; expected one of the ids under brands (acme)', zh: 'voc.config.yaml：campaigns.0.brand：未知品牌“nope”；应为 brands 下的某个 id（acme）' }),
    );
    const badReport = parseConfig({ brands: [BRAND], reports: [{ id: 'monthly', brand: 'acme', deliver: { email: { to: ['a@example.com'] } } }] });
    await expect(generateReport({ ...deps, config: badReport }, spec(), join(root, 'out-bad-report'))).rejects.toThrow(
      new InputError({ en: 'voc.config.yaml: reports.0.deliver.email: e-mail delivery needs an smtp section (host, port, from) in voc.config.yaml', zh: 'voc.config.yaml：reports.0.deliver.email：邮件投递需要在 voc.config.yaml 中配置 smtp 部分（host、port、from）' }),
    );
    await expect(generateReport(deps, { ...spec(), sections: ['summary', 'nope' as never] }, join(root, 'out-bad-sections'))).rejects.toThrow(
      new InputError({ en: 'report spec: sections: unknown section "nope"; expected some of cover, summary, channels, promises, breakpoints, departments, competitors, methods, sources', zh: '报告参数：sections：未知的章节“nope”；可选：cover、summary、channels、promises、breakpoints、departments、competitors、methods、sources' }),
    );
    expect(existsSync(join(root, 'out-bad-campaign'))).toBe(false);
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
