/**
 * The report commands (cli/report-commands.ts) registered on a fresh commander program and run
 * in-process against a real embedded store, real Chromium and real files: `voc report`,
 * `voc reports list|show|rerender`, and their one-line errors.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../cli/app.js';
import { describeRecord, registerReportCommands } from '../cli/report-commands.js';
import { parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { ReportFigures } from '../reports/aggregate.js';
import type { Locale } from '../core/types.js';
import { closeBrowser } from '../reports/browser.js';
import { openEmbeddedStore } from '../store/embedded.js';
import { BRAND, currentItems, previousItems } from './report.fixture.js';

let root: string;
let config: VocConfig;

beforeAll(async () => {
  process.env.VOC_AUTHOR_SECRET ??= 'report-cli-test-secret-0123456789';
  root = mkdtempSync(join(tmpdir(), 'voc-report-cli-'));
  const store = openEmbeddedStore(join(root, 'data'));
  const items = [...currentItems(), ...previousItems()];
  await store.upsertPosts(items.map((i) => i.post));
  await store.saveClassifications(items.map((i) => i.classification));
  await store.close();
  config = parseConfig({
    timeZone: 'Asia/Shanghai',
    dataDir: join(root, 'data'),
    brands: [BRAND],
    reports: [
      { id: 'acme-share', brand: 'acme', deliver: { folder: join(root, 'shared') } },
      { id: 'acme-hook', brand: 'acme', deliver: { webhook: { url: 'http://127.0.0.1:9/hook', secretEnv: 'VOC_TEST_UNSET_SECRET' } } },
    ],
  });
});

afterAll(async () => {
  await closeBrowser();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `voc <args>` in-process; returns what it printed and the exit code it set. */
async function voc(args: string[], locale: Locale = 'zh-CN'): Promise<{ out: string[]; exitCode: number | undefined }> {
  const program = new Command().exitOverride();
  registerReportCommands(program, { readConfig: () => config, openApp, locale: () => locale });
  const out: string[] = [];
  const log = console.log;
  const savedCode = process.exitCode;
  process.exitCode = undefined;
  console.log = (...parts: unknown[]) => out.push(parts.map(String).join(' '));
  try {
    await program.parseAsync(['node', 'voc', ...args]);
    return { out, exitCode: process.exitCode as number | undefined };
  } finally {
    console.log = log;
    process.exitCode = savedCode;
  }
}

describe('voc report', () => {
  it('renders, archives and prints { files, figures } as JSON', async () => {
    const out = join(root, 'out');
    const { out: lines, exitCode } = await voc(['report', '--brand', 'acme', '--period', '2026-10', '--format', 'html', '--out', out, '--json']);
    expect(exitCode).toBeUndefined();
    const result = JSON.parse(lines.join('\n')) as { files: string[]; figures: ReportFigures; record: { id: string } };
    expect(result.files).toEqual([join(out, 'acme-2026-10.html')]);
    expect(result.record.id).toBe('acme:2026-10:zh-CN');
    expect(result.figures.period.label).toBe('2026-10');
    expect(result.figures.coverage.postsAnalysed).toBe(36);
    expect(result.figures.dragChannel).toBe('customer_service');
    expect(result.figures.breakpoints.pairs[0]!.channels).toEqual(['customer_service', 'website']);
  });

  it('delivers as configured with --deliver NAME and prints the outcome', async () => {
    const out = join(root, 'out');
    const { out: lines, exitCode } = await voc(['report', '--brand', 'acme', '--from', '2026-10-01', '--to', '2026-10-15', '--format', 'html', '--out', out, '--deliver', 'acme-share']);
    expect(exitCode).toBeUndefined();
    expect(lines).toEqual([join(out, 'acme-2026-10-01..2026-10-15.html'), `文件夹 → ${join(root, 'shared')}：已送达（尝试 1 次）`]);
    expect(readdirSync(join(root, 'shared'))).toEqual(['acme-2026-10-01..2026-10-15.html']);
  });

  it('a failed delivery sets exit code 1 and is recorded', async () => {
    const { out: lines, exitCode } = await voc(['report', '--brand', 'acme', '--period', '2026-09', '--format', 'html', '--out', join(root, 'out'), '--deliver', 'acme-hook']);
    expect(exitCode).toBe(1);
    expect(lines[1]).toBe('Webhook → http://127.0.0.1:9/hook：失败（尝试 0 次）：存放 HMAC 密钥的环境变量 VOC_TEST_UNSET_SECRET（webhook.secretEnv）未设置');
  });

  it('refuses bad input with one line, before writing anything', async () => {
    const out = join(root, 'out-bad');
    const run = (args: string[]) => voc(['report', '--brand', 'acme', '--out', out, ...args]);
    await expect(run(['--period', '2026-10', '--from', '2026-10-01'])).rejects.toThrow(new InputError({ en: 'give either --period or --from/--to, not both', zh: '--period 与 --from/--to 只能二选一' }));
    await expect(run(['--period', '2026-13'])).rejects.toThrow(new InputError({ en: '--period: expected a month as YYYY-MM (e.g. 2026-10), got "2026-13"', zh: '--period：应为 YYYY-MM 格式的月份（例如 2026-10），实际为“2026-13”' }));
    await expect(run(['--period', '2026-10', '--format', 'docx'])).rejects.toThrow(new InputError({ en: '--format: unknown format "docx"; expected pdf, html or pdf,html', zh: '--format：未知的格式“docx”；应为 pdf、html 或 pdf,html' }));
    await expect(run(['--period', '2026-10', '--sections', 'summary,charts'])).rejects.toThrow(
      new InputError({ en: '--sections: unknown section "charts"; expected some of cover,summary,channels,promises,breakpoints,departments,competitors,methods,sources', zh: '--sections：未知的章节“charts”；应为 cover,summary,channels,promises,breakpoints,departments,competitors,methods,sources 中的一个或多个' }),
    );
    await expect(run(['--period', '2026-10', '--deliver', 'nope'])).rejects.toThrow(new InputError({ en: '--deliver: unknown report "nope"; expected one of the ids under reports (acme-share, acme-hook)', zh: '--deliver：报告“nope”不存在；应为 reports 下的 id 之一（acme-share、acme-hook）' }));
    await expect(voc(['report', '--brand', 'nope', '--period', '2026-10'])).rejects.toThrow(new InputError({ en: 'unknown brand "nope"; expected one of: acme', zh: '未知品牌“nope”；应为以下之一：acme' }));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an output folder that cannot be made, instead of spinning (Node\'s recursive mkdir loops forever under /proc)', async () => {
    await expect(voc(['report', '--brand', 'acme', '--period', '2026-10', '--format', 'html', '--out', '/proc/voc-report'])).rejects.toThrow(
      new InputError({
        en: "--out: cannot create the output folder /proc/voc-report: ENOENT: no such file or directory, mkdir '/proc/voc-report'",
        zh: "--out：无法创建输出文件夹 /proc/voc-report：ENOENT: no such file or directory, mkdir '/proc/voc-report'",
      }),
    );
  });
});

describe('voc reports', () => {
  it('list: newest first, with delivery counts', async () => {
    const { out } = await voc(['reports', 'list']);
    expect(out.map((l) => l.split('\t')[0])).toEqual(['acme:2026-09:zh-CN', 'acme:2026-10-01..2026-10-15:zh-CN', 'acme:2026-10:zh-CN']);
    expect(out[0]!.split('\t').slice(1, 5)).toEqual(['acme', '2026-09', 'zh-CN', '10 条帖子']);
    expect(out[0]!.split('\t').at(-1)).toBe('已送达 0，失败 1');
    expect(out[1]!.split('\t').at(-1)).toBe('已送达 1，失败 0');
    const en = (await voc(['reports', 'list'], 'en')).out;
    expect(en[0]!.split('\t').slice(1, 5)).toEqual(['acme', '2026-09', 'zh-CN', '10 posts']);
    expect(en[0]!.split('\t').at(-1)).toBe('delivered 0, failed 1');
    const json = (await voc(['reports', 'list', '--brand', 'acme', '--json'])).out.map((l) => JSON.parse(l) as { id: string; postIds: number });
    expect(json.map((r) => [r.id, r.postIds])).toEqual([
      ['acme:2026-09:zh-CN', 10],
      ['acme:2026-10-01..2026-10-15:zh-CN', expect.any(Number)],
      ['acme:2026-10:zh-CN', 36],
    ]);
  });

  it('show: spec, snapshot, files with checksums and delivery outcomes', async () => {
    const { out } = await voc(['reports', 'show', 'acme:2026-10-01..2026-10-15:zh-CN']);
    const text = out.join('\n');
    expect(text).toContain('  报告期: 2026-10-01..2026-10-15 (2026-10-01 – 2026-10-15)');
    expect(text).toMatch(/\n {2}排除的垃圾帖: \d+\n {2}排除的近似重复帖: 0\n/);
    expect(text).toMatch(/ {4}html\t\S+acme-2026-10-01\.\.2026-10-15\.html\tsha256 [0-9a-f]{64}\t\d+ B/);
    expect(text).toContain(`[manual] 文件夹 → ${join(root, 'shared')}：已送达（尝试 1 次）`);
    const failed = (await voc(['reports', 'show', 'acme:2026-09:zh-CN'])).out.join('\n');
    expect(failed).toContain('[manual] Webhook → http://127.0.0.1:9/hook：失败（尝试 0 次）：存放 HMAC 密钥的环境变量 VOC_TEST_UNSET_SECRET（webhook.secretEnv）未设置');
    const failedEn = (await voc(['reports', 'show', 'acme:2026-09:zh-CN'], 'en')).out.join('\n');
    expect(failedEn).toContain('[manual] webhook → http://127.0.0.1:9/hook: failed: the environment variable VOC_TEST_UNSET_SECRET (webhook.secretEnv) holding the HMAC key is not set');
    const json = JSON.parse((await voc(['reports', 'show', 'acme:2026-10:zh-CN', '--json'])).out.join('\n')) as { snapshot: Record<string, number>; postIds: number };
    expect(json.postIds).toBe(36);
    expect(json.snapshot).toMatchObject({ postsAnalysed: 36, postsExcludedSpam: 4, postsExcludedNearDuplicates: 0, excludedPostIds: 4, previousPostIds: 10 });
    await expect(voc(['reports', 'show', 'nope'])).rejects.toThrow(new InputError({ en: 'unknown report "nope"; `voc reports list` shows the archived reports', zh: '报告“nope”不存在；`voc reports list` 可查看已归档的报告' }));
  });

  it('rerender: the same figures from the snapshot', async () => {
    const { out } = await voc(['reports', 'rerender', 'acme:2026-10:zh-CN', '--json']);
    const result = JSON.parse(out.join('\n')) as { figuresUnchanged: boolean; figures: ReportFigures; files: string[] };
    expect(result.figuresUnchanged).toBe(true);
    expect(result.figures.coverage.postsAnalysed).toBe(36);
    expect(result.files).toEqual([join(root, 'out', 'acme-2026-10.html')]);
    const human = (await voc(['reports', 'rerender', 'acme:2026-10:zh-CN'])).out;
    expect(human.at(-1)).toBe('数据快照的数字与归档时一致。');
  });
});

describe('voc reports show on a record archived before near-duplicates were counted apart', () => {
  it('prints its one excluded count under the old joint label', () => {
    const text = describeRecord(
      {
        id: 'acme:2026-09:en',
        brand: 'acme',
        period: '2026-09',
        from: '2026-08-31T16:00:00.000Z',
        to: '2026-09-30T16:00:00.000Z',
        timeZone: 'Asia/Shanghai',
        locale: 'en',
        lexiconVersion: 'lex',
        createdAt: '2026-10-01T01:00:00.000Z',
        postCount: 10,
        files: [],
        postIds: [],
        snapshot: { postsClassified: 13, postsAnalysed: 10, postsExcludedSpam: 3, postsUnclassified: 0, excludedPostIds: [], previousPostIds: [] },
      },
      'en',
    );
    expect(text).toContain('\n  Excluded spam/duplicates: 3\n  Unclassified: 0\n');
    expect(text).not.toContain('near-duplicates');
  });
});
