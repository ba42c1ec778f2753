import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, runVoc } from './helpers/cli.js';

beforeAll(assertBuilt);

function tempConfig(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'voc-cli-'));
  const file = join(dir, 'voc.config.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

const BRAND = `brands:\n  - id: acme\n    name: Acme\n`;

describe('bad config and bad targets: one clear line, exit 2, nothing written', () => {
  // Each bad file in both languages: Chinese by default, English with --lang en; same line shape.
  const cases: Array<[string, string, RegExp, RegExp]> = [
    [
      'unknown time zone',
      `timeZone: Mars/Olympus\n${BRAND}`,
      /^voc: .*voc\.config\.yaml: timeZone: expected an IANA time zone such as Asia\/Shanghai$/,
      /^voc: .*voc\.config\.yaml：timeZone：应为 IANA 时区，例如 Asia\/Shanghai$/,
    ],
    ['misspelt field', `${BRAND}    aliasses: [A]\n`, /brands\.0: unknown field "aliasses"/, /brands\.0：未知字段 "aliasses"；请对照 README\.md 的配置说明检查拼写$/],
    ['wrong type', `crawler:\n  concurrency: lots\n`, /crawler\.concurrency: expected number/, /crawler\.concurrency：应为数字$/],
    [
      'bad target URL',
      `${BRAND}targets:\n  - id: t1\n    url: ftp://example.com/x\n    brand: acme\n    selectors: { item: li, text: p }\n`,
      /targets\.0\.url: expected an absolute http:\/\/ or https:\/\/ URL/,
      /targets\.0\.url：应为以 http:\/\/ 或 https:\/\/ 开头的完整 URL$/,
    ],
    [
      'unknown brand on a target',
      `${BRAND}targets:\n  - id: t1\n    url: https://example.com/\n    brand: nope\n    selectors: { item: li, text: p }\n`,
      /targets\.0\.brand: unknown brand "nope"; expected one of the ids under brands \(acme\)/,
      /targets\.0\.brand：未知品牌“nope”；应为 brands 下的某个 id（acme）$/,
    ],
    ['not YAML', `brands: [\n`, /not valid YAML/, /voc\.config\.yaml：不是有效的 YAML：/],
  ];
  for (const [name, yaml, english, chinese] of cases) {
    it(name, async () => {
      const { dir, file } = tempConfig(yaml);
      for (const [args, pattern] of [[[], chinese], [['--lang', 'en'], english]] as const) {
        const r = await runVoc(['--config', file, ...args, 'crawl']);
        expect(r.code).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(pattern);
        expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
        expect(r.stdout).toBe('');
      }
      // Nothing written: the data directory was never created.
      expect(readdirSync(dir)).toEqual(['voc.config.yaml']);
    });
  }

  it('speaks the language the config names when neither --lang nor VOC_LANG does', async () => {
    const { file } = tempConfig(`locale: en\n${BRAND}`);
    const english = await runVoc(['--config', file, 'classify', '--brand', 'nope'], { env: { VOC_LANG: '' } });
    expect([english.code, english.stderr]).toEqual([2, 'voc: unknown brand "nope"; expected one of: acme\n']);
    const chinese = await runVoc(['--config', file, '--lang', 'zh-CN', 'classify', '--brand', 'nope'], { env: { VOC_LANG: '' } });
    expect([chinese.code, chinese.stderr]).toEqual([2, 'voc: 未知品牌“nope”；应为以下之一：acme\n']);
  });

  it('a data directory that cannot be made is one line, not an endless loop or an unexpected error', async () => {
    const { file } = tempConfig(BRAND);
    const r = await runVoc(['--config', file, '--data-dir', '/proc/voc-data', 'classify'], { env: { VOC_LANG: '' } });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'voc: 数据目录 /proc/voc-data：无法创建（ENOENT）；请检查路径及其权限\n']);
  });

  it('a target whose host is a private address is refused before anything is stored', async () => {
    const { dir, file } = tempConfig(
      `${BRAND}dataDir: data\ntargets:\n  - id: intranet\n    url: http://10.0.0.1/forum/\n    brand: acme\n    selectors: { item: li, text: p }\n`,
    );
    const r = await runVoc(['--config', file, 'crawl'], { env: { VOC_LANG: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(
      'voc: 抓取目标 intranet：已拒绝 http://10.0.0.1/forum/：是私有地址；只有当它是你有权抓取的内网来源时，才把该主机加入配置的 crawler.allowPrivateHosts（或在配置文件中写的抓取目标上设置 allowPrivate: true）\n',
    );
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('bad command-line values name the option', async () => {
    const r = await runVoc(['report', '--brand', 'acme', '--period', '2026-13']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^voc: /);
  });

  it('config check names a brand promise nobody defined, and a new promise without its label', async () => {
    const unknown = tempConfig(`brands:\n  - { id: acme, name: Acme, promises: [eco] }\n`);
    const r = await runVoc(['--config', unknown.file, '--lang', 'en', 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `voc: ${unknown.file}: brands.0.promises: unknown promise "eco"; known: convenience, premium_service, reliable_quality, modern, transparency; define a new one under lexicon.promises`,
    );
    const unlabelled = tempConfig(`${BRAND}lexicon:\n  promises:\n    eco: { positive: [环保] }\n`);
    const u = await runVoc(['--config', unlabelled.file, 'config', 'check']);
    // Chinese by default (the config names no locale).
    expect(u.code).toBe(2);
    expect(u.stderr.trim()).toBe(`voc: ${unlabelled.file}：lexicon.promises.eco.label：新的品牌承诺需要 zh-CN 和 en 两种语言的名称，例如 { zh-CN: 绿色环保, en: Eco-friendly }`);
  });

  it('a command that classifies names the config file of a bad lexicon addition, as config check does', async () => {
    const { file } = tempConfig(`${BRAND}lexicon:\n  scenarios:\n    charging: { keywords: [充电站] }\n`);
    const r = await runVoc(['--config', file, '--lang', 'en', 'classify']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.slice(0, `voc: ${file}: `.length)).toBe(`voc: ${file}: `);
    expect(lines[0]!.slice(`voc: ${file}: `.length)).toMatch(/^lexicon\.scenarios\.charging: a new scenario needs a type \(time, weather, place, companion or activity\) and a label in zh-CN and en/);
  });

  it('config check names a model file that is not there', async () => {
    const { file } = tempConfig(`${BRAND}models:\n  sentiment: models/sentiment.json\n`);
    const r = await runVoc(['--config', file, '--lang', 'en', 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^voc: .*voc\.config\.yaml: models\.sentiment: model file not found: \/.*models\/sentiment\.json; train one with `voc train sentiment --data FILE --out \/.*models\/sentiment\.json` or remove the entry$/);
    // A command that classifies nothing still runs, so `voc train` can make the file.
    const list = await runVoc(['--config', file, 'targets', 'list']);
    expect(list.code).toBe(0);
  });

  it('config check accepts a valid file', async () => {
    const { file } = tempConfig(BRAND);
    const r = await runVoc(['--config', file, '--lang', 'en', 'config', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Config valid: 1 brand, 0 targets (0 in the config file, 0 added with voc targets add)');
  });
});
