/**
 * `voc --help` and commander's usage errors speak the output language: Chinese by default, English
 * with --lang en, VOC_LANG or the config's locale. Every description of the command tree has its
 * Chinese in cli/help-zh.ts, so a new option cannot ship English-only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { program } from '../cli/program.js';
import { HELP_ZH } from '../cli/help-zh.js';
import { helpDescriptions, localeBeforeParsing, usageErrorInChinese } from '../cli/help.js';
import { assertBuilt, runVoc } from './helpers/cli.js';

beforeAll(assertBuilt);

describe('help in both languages', () => {
  it('has the Chinese of every description of the command tree, and no entry nothing uses', () => {
    const described = helpDescriptions(program);
    expect(described.length).toBeGreaterThan(150);
    expect(described.filter((d) => !Object.hasOwn(HELP_ZH, d.text)).map((d) => `${d.where}: ${d.text}`)).toEqual([]);
    const used = new Set(described.map((d) => d.text));
    expect(Object.keys(HELP_ZH).filter((k) => !used.has(k))).toEqual([]);
    // Every command says what it does (\`voc runs list\` once showed a bare name in the help).
    const bare = (cmd: typeof program): string[] => [...(cmd.description() ? [] : [cmd.name()]), ...cmd.commands.flatMap(bare)];
    expect(bare(program)).toEqual([]);
    // A translation, not a copy: each entry holds Chinese.
    expect(Object.entries(HELP_ZH).filter(([, zh]) => !/[\u4e00-\u9fff]/.test(zh))).toEqual([]);
  });

  it('prints the help in Chinese by default and in English with --lang en', async () => {
    const zh = await runVoc(['explain', '--help'], { env: { VOC_LANG: '' } });
    expect(zh.code).toBe(0);
    const zhLines = zh.stdout.split('\n');
    // Commander's usage syntax ([options]) stays as written: it is notation, like the option names.
    expect(zhLines[0]).toBe('用法： voc explain [options] [text...]');
    expect(zhLines).toContain('选项：');
    expect(zh.stdout).toContain(HELP_ZH['leave out the trained models the config names (models:)']);
    expect(zh.stdout).toContain('-h, --help');
    expect(zh.stdout).toContain('显示帮助');
    expect(zh.stdout).toContain('示例：');
    expect(zh.stdout).not.toContain('leave out the trained models');

    const en = await runVoc(['--lang', 'en', 'explain', '--help']);
    expect(en.stdout.split('\n')[0]).toBe('Usage: voc explain [options] [text...]');
    expect(en.stdout).toContain('leave out the trained models the config names (models:)');
    expect(en.stdout).toContain('Examples:');
    // No Chinese but the example post.
    expect(en.stdout.split('\n').filter((l) => /[\u4e00-\u9fff]/.test(l))).toEqual(['  voc explain "在京东买的，门店不给退，客服让我找门店"']);
  });

  it('names a default value in the language of the help', async () => {
    const zh = await runVoc(['worker', '--help'], { env: { VOC_LANG: '' } });
    expect(zh.stdout).toMatch(/--concurrency <n> +\S.*（默认：4）/);
    const en = await runVoc(['worker', '--help'], { env: { VOC_LANG: 'en' } });
    expect(en.stdout).toMatch(/--concurrency <n> +jobs in flight per queue \(default: 4\)/);
  });

  it('reports a usage mistake in one language with the hint, exit code 2', async () => {
    const zh = await runVoc(['explain', '--nope'], { env: { VOC_LANG: '' } });
    expect([zh.code, zh.stdout, zh.stderr]).toEqual([2, '', "错误：未知选项 '--nope'\n（voc --help 列出所有命令）\n"]);
    const en = await runVoc(['--lang=en', 'explain', '--nope']);
    expect([en.code, en.stdout, en.stderr]).toEqual([2, '', "error: unknown option '--nope'\n(voc --help lists the commands)\n"]);
    const typo = await runVoc(['explian'], { env: { VOC_LANG: '' } });
    expect(typo.stderr).toBe("错误：未知命令 'explian'\n（你是不是想输入 explain？）\n（voc --help 列出所有命令）\n");
  });

  it("settles the language before parsing: --lang, then VOC_LANG, then the config's locale, then zh-CN", () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-help-'));
    const en = join(dir, 'en.yaml');
    writeFileSync(en, 'brands: []\nlocale: en # the team reads English\n');
    expect(localeBeforeParsing(['--lang', 'en', 'crawl'], {})).toBe('en');
    expect(localeBeforeParsing(['--lang=en'], { VOC_LANG: 'zh-CN' })).toBe('en');
    expect(localeBeforeParsing(['crawl'], { VOC_LANG: 'en' })).toBe('en');
    expect(localeBeforeParsing(['-c', en, 'crawl'], {})).toBe('en');
    expect(localeBeforeParsing([`--config=${en}`, 'crawl'], {})).toBe('en');
    expect(localeBeforeParsing(['-c', en, '--lang', 'zh-CN'], {})).toBe('zh-CN');
    expect(localeBeforeParsing(['-c', join(dir, 'missing.yaml')], {})).toBe('zh-CN');
    // After `--` the words are the command's, not options.
    expect(localeBeforeParsing(['explain', '--', '--lang', 'en'], {})).toBe('zh-CN');
  });

  it("translates commander's usage errors and leaves other text alone", () => {
    expect(usageErrorInChinese("error: missing required argument 'name'\n")).toBe("错误：缺少必需的参数 'name'\n");
    expect(usageErrorInChinese("error: option '--out <dir>' argument missing\n")).toBe("错误：选项 '--out <dir>' 缺少值\n");
    expect(usageErrorInChinese("error: required option '--out <dir>' not specified\n")).toBe("错误：必须指定选项 '--out <dir>'\n");
    expect(usageErrorInChinese("error: too many arguments for 'classify'. Expected 0 arguments but got 1.\n")).toBe("错误：'classify' 的参数过多：应为 0 个，实际为 1 个\n");
    expect(usageErrorInChinese('(voc --help lists the commands)\n')).toBe('(voc --help lists the commands)\n');
  });
});
