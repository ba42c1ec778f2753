/**
 * `voc posts list | export` through the real binary against an embedded store seeded with five
 * posts whose classifications are known: every filter, both languages, hostile text in the terminal
 * and in CSV, a file written whole, and one-line errors naming the option.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../store/embedded.js';
import { assertBuilt, runVoc } from './helpers/cli.js';
import { item } from './report.fixture.js';

const root = mkdtempSync(join(tmpdir(), 'voc-posts-'));
const configFile = join(root, 'voc.config.yaml');
const HOSTILE = '=HYPERLINK("http://evil") 门店\u001b[31m红字 "引号"';

beforeAll(async () => {
  assertBuilt();
  writeFileSync(configFile, `timeZone: Asia/Shanghai\ndataDir: data\nbrands:\n  - { id: acme, name: Acme }\n`);
  const items = [
    item({
      n: 'a1', at: '2026-10-05T04:00:00.000Z', text: '门店说App上的价格不算数，客服又让我找门店。', sentiment: 'neg',
      channels: [['store', 'neg', '门店'], ['app', 'neutral', 'App'], ['customer_service', 'neg', '客服']],
      breakpoints: [['app', 'store', 'inconsistency', '不算数'], ['customer_service', 'store', 'runaround', '又让我找门店']],
      aspects: [['price', 'neg', '价格']],
    }),
    item({ n: 'a2', at: '2026-10-10T04:00:00.000Z', text: '快递很快，包装也好。', sentiment: 'pos', channels: [['delivery', 'pos', '快递']] }),
    item({ n: 'a3', at: '2026-10-20T04:00:00.000Z', text: HOSTILE, sentiment: 'neutral', channels: [['store', 'neutral', '门店']] }),
    item({ n: 'a4', at: '2026-11-02T04:00:00.000Z', text: '请问App怎么开发票？', sentiment: 'neutral', channels: [['app', 'neutral', 'App']], question: ['发票'] }),
    item({ n: 'a5', at: '2026-09-28T04:00:00.000Z', text: '门店店员很热情。', sentiment: 'pos', channels: [['store', 'pos', '门店']] }),
  ];
  const store = openEmbeddedStore(join(root, 'data'));
  await store.upsertPosts(items.map((i) => i.post));
  await store.saveClassifications(items.map((i) => i.classification));
  await store.close();
});

const voc = (args: string[]) => runVoc(['--config', configFile, ...args], { cwd: root, env: { VOC_AUTHOR_SECRET: 'posts-cli-test-secret-0123456789' } });

/** The ids of the posts `voc posts export --format jsonl` gives for these filters, newest first. */
async function ids(filters: string[]): Promise<string[]> {
  const r = await voc(['posts', 'export', '--format', 'jsonl', ...filters]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { post: { externalId: string } }).post.externalId);
}

describe('voc posts', () => {
  it('lists the newest posts with their channels, stances, breakpoints and question flag, terminal-safe', async () => {
    const r = await voc(['posts', 'list', '--limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '2026-11-02 12:00  ·  acme  ·  情感 中性  ·  App(中性)  ·  提问',
      '    请问App怎么开发票？',
      '    https://forum.example.com/t/a4',
      '2026-10-20 12:00  ·  acme  ·  情感 中性  ·  门店(中性)',
      // The escape sequence is dropped: crawled text cannot colour or move the terminal.
      '    =HYPERLINK("http://evil") 门店红字 "引号"',
      '    https://forum.example.com/t/a3',
      '共 5 条符合条件的帖子，显示最新的 2 条',
      '',
    ]);
    const en = await voc(['--lang', 'en', 'posts', 'list', '--breakpoint', 'any']);
    expect(en.stdout.split('\n')).toEqual([
      '2026-10-05 12:00  ·  acme  ·  sentiment Negative  ·  Store(Negative) App(Neutral) Customer service(Negative)  ·  breakpoint App ↔ Store inconsistency  ·  breakpoint Customer service ↔ Store runaround',
      '    门店说App上的价格不算数，客服又让我找门店。',
      '    https://forum.example.com/t/a1',
      '1 post matches; all shown',
      '',
    ]);
    const none = await voc(['--lang', 'en', 'posts', 'list', '--text', '不存在的词']);
    expect(none.stdout).toBe('No posts match\n');
  });

  it('filters as the console does, channels, aspects and scenarios by id or by label in either language', async () => {
    expect(await ids([])).toEqual(['a4', 'a3', 'a2', 'a1', 'a5']);
    expect(await ids(['--channel', 'store'])).toEqual(['a3', 'a1', 'a5']);
    expect(await ids(['--channel', '门店', '--polarity', 'neg'])).toEqual(['a1']);
    expect(await ids(['--channel', 'Store', '--polarity', 'pos'])).toEqual(['a5']);
    expect(await ids(['--polarity', 'pos'])).toEqual(['a2', 'a5']);
    expect(await ids(['--period', '2026-10'])).toEqual(['a3', 'a2', 'a1']);
    // Days are inclusive and in the config's zone: a3 is 12:00 on the 20th in Shanghai.
    expect(await ids(['--from', '2026-10-06', '--to', '2026-10-20'])).toEqual(['a3', 'a2']);
    expect(await ids(['--breakpoint', 'runaround'])).toEqual(['a1']);
    expect(await ids(['--breakpoint', 'handoff'])).toEqual([]);
    expect(await ids(['--question'])).toEqual(['a4']);
    expect(await ids(['--no-question'])).toEqual(['a3', 'a2', 'a1', 'a5']);
    expect(await ids(['--aspect', '价格'])).toEqual(['a1']);
    expect(await ids(['--aspect', 'price', '--channel', 'app'])).toEqual(['a1']);
    expect(await ids(['--text', '快递 包装'])).toEqual(['a2']);
    expect(await ids(['--brand', 'acme', '--target', 'acme-forum', '--source', 'demo-forum'])).toHaveLength(5);
  });

  it('exports CSV to standard output (no BOM) with formula-looking cells made text', async () => {
    const r = await voc(['posts', 'export', '--channel', 'store', '--polarity', 'neutral']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'id,brand,source,publishedAt,url,text,sentiment,channels,descriptors,breakpoints,aspects,scenarios,question,openWords',
      `"demo-forum:a3","acme","demo-forum","2026-10-20T04:00:00.000Z","https://forum.example.com/t/a3","'=HYPERLINK(""http://evil"") 门店\u001b[31m红字 ""引号""","neutral","store:neutral","","","","","false",""`,
      '',
    ]);
  });

  it('--out writes the file whole, with a BOM for spreadsheets, replacing an older export', async () => {
    const file = join(root, 'exports', 'breakpoints.csv');
    const dir = join(root, 'exports');
    expect(existsSync(dir)).toBe(false);
    const missing = await voc(['--lang', 'en', 'posts', 'export', '--out', file]);
    expect([missing.code, missing.stderr]).toEqual([2, `voc: --out: folder ${dir} does not exist; create it or choose another path\n`]);
    (await import('node:fs')).mkdirSync(dir);
    writeFileSync(file, 'an older export, longer than the new one '.repeat(100));
    const r = await voc(['posts', 'export', '--breakpoint', 'any', '--out', file]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', `已导出 1 条帖子到 ${file}\n`]);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeffid,brand,source,')).toBe(true);
    expect(text.split('\n')).toHaveLength(3); // header, one post, final newline
    expect(text).toContain('"inconsistency:app+store runaround:customer_service+store"');
    expect(readdirSync(dir)).toEqual(['breakpoints.csv']); // no temporary file left
    const jsonl = await voc(['--lang', 'en', 'posts', 'export', '--format', 'jsonl', '--question', '--out', join(dir, 'q.jsonl')]);
    expect(jsonl.stderr).toBe(`Exported 1 post to ${join(dir, 'q.jsonl')}\n`);
    expect(JSON.parse(readFileSync(join(dir, 'q.jsonl'), 'utf8')).classification.question).toEqual({ isQuestion: true, about: ['发票'] });
  });

  const bad: Array<[string, string[], string]> = [
    ['an unknown channel', ['--channel', '商店'], 'voc: --channel：未知的值“商店”；应为 ID 或名称，例如 after_sales、app、customer_service、delivery、marketplace、social_media、store、website'],
    ['an unknown aspect', ['--aspect', 'smell'], 'voc: --aspect：未知的值“smell”；应为 ID 或名称，例如 '],
    ['an impossible day', ['--from', '2026-13-01'], 'voc: --from：“2026-13-01”的月份 13 不存在；月份应为 01 到 12'],
    ['a month and days at once', ['--period', '2026-10', '--to', '2026-10-05'], 'voc: --period：--period 与 --from/--to 只能二选一'],
    ['a bad month', ['--period', '2026-13'], 'voc: --period：应为 YYYY-MM 格式的月份（例如 2026-10），实际为“2026-13”'],
    ['an unknown polarity', ['--polarity', 'angry'], 'voc: --polarity：应为 pos、neg、neutral 或 mixed，实际为“angry”'],
    ['an unknown breakpoint kind', ['--breakpoint', 'loop'], 'voc: --breakpoint：应为 any、inconsistency、handoff、runaround 之一，实际为“loop”'],
    ['an unknown brand', ['--brand', 'nope'], 'voc: 未知品牌“nope”；应为以下之一：acme'],
    ['an unknown format', ['--format', 'xml'], 'voc: --format：应为 csv 或 jsonl，实际为“xml”'],
  ];
  for (const [what, args, line] of bad)
    it(`refuses ${what} in one line, exit 2, before reading anything`, async () => {
      const r = await voc(['posts', 'export', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr.startsWith(line)).toBe(true);
    });
});
