/**
 * `voc explain`: every label of a classification next to the words that decided it, in zh-CN and
 * English, or JSON lines; texts from the command line, standard input or a file; clear errors.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Classification, Locale } from '../core/types.js';
import { createClassifier } from '../analysis/index.js';
import { EXPLAIN_BRAND, registerExplainCommand } from '../cli/explain-command.js';
import { trainSentimentModel } from '../analysis/model/sentiment-model.js';
import { saveModel } from '../analysis/model/serialize.js';
import { sentimentExamples } from './model.data.js';
import { assertBuilt, ROOT, VOC_BIN } from './helpers/cli.js';
import { BREAKPOINT_CUE_LABELS, BREAKPOINT_KIND_LABELS, breakpointCueLabel, sentimentLabel } from '../analysis/labels.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { breakpointKindLabel as reportKindLabel } from '../reports/i18n.js';
import { MESSAGES as CONSOLE_MESSAGES } from '../web/src/i18n.js';
import { BREAKPOINT_KINDS } from '../core/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'voc-explain-'));
// The lexicon version hashes the effective lexicon, brands included: a brand-less explanation has its own.
const version = createClassifier(parseConfig({ brands: [{ id: EXPLAIN_BRAND, name: EXPLAIN_BRAND }] })).lexiconVersion;

async function voc(args: string[], opts: { locale?: Locale; config?: VocConfig; stdin?: string | Buffer } = {}): Promise<string> {
  const stdout: string[] = [];
  const program = new Command().name('voc').exitOverride();
  registerExplainCommand(program, {
    readConfig: () => opts.config ?? parseConfig({ dataDir: join(tmp, 'data') }),
    locale: () => opts.locale ?? 'zh-CN',
    stdout: (s) => stdout.push(s),
    stdin: async () => (Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin ?? '')),
  });
  await program.parseAsync(['node', 'voc', 'explain', ...args]);
  return stdout.join('\n');
}

async function vocError(args: string[], opts: { config?: VocConfig; stdin?: string } = {}): Promise<string> {
  try {
    await voc(args, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    return (err as InputError).message;
  }
  throw new Error(`expected voc explain ${args.join(' ')} to fail`);
}

function write(name: string, content: string): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

const RUNAROUND = '客服说去门店退，门店说找客服，来回踢皮球。冬天手冷，客服态度很敷衍！';

describe('voc explain', () => {
  it('prints each label with the words that decided it and where they start (zh-CN)', async () => {
    expect((await voc([RUNAROUND])).split('\n')).toEqual([
      `帖子 1 · 语言 中文 · 整体情感 负面 (-1.00) · 词典 ${version} · 仅规则`,
      `原文：${RUNAROUND}`,
      '渠道 (2)',
      '  客服 [customer_service]  负面  「客服」@0  判定词 「敷衍」@31',
      '  门店 [store]  负面  「门店」@4  判定词 「踢皮球」@17',
      '跨渠道断点 (1)',
      '  客服 ↔ 门店  互相推诿 [runaround]  线索 踢皮球 [passed_between]  「客服说去门店退，门店说找客服，来回踢皮球」@0',
      '品牌承诺描述词 (1)',
      '  尊贵服务 [premium_service]  负面  「敷衍」@31  关于 客服',
      '开放词（词典外的形容词、动词） (2)',
      '  门店  「来回」@15  动词',
      '  客服  「来回」@15  动词',
      '方面 (0)：无',
      '使用场景 (1)',
      '  冬天 (时间)  负面  「冬天」@21  关联 客服 「敷衍」@31',
      '提问：否',
    ]);
  });

  it('speaks English with --lang en, and labels a post it cannot read as language "other"', async () => {
    const text = 'The staff at the store were rude, but delivery was fast.';
    expect((await voc([text], { locale: 'en' })).split('\n')).toEqual([
      `Post 1 · language English · overall sentiment Mixed (0.00) · lexicon ${version} · rules only`,
      `Text: ${text}`,
      'Channels (2)',
      '  Store [store]  Negative  「store」@17  decided by 「rude」@28',
      '  Delivery [delivery]  Positive  「delivery」@38  decided by 「fast」@51',
      'Cross-channel breakpoints (0): none',
      'Brand-promise descriptors (1)',
      '  Premium service [premium_service]  Negative  「rude」@28  about Store',
      'Open words (adjectives and verbs outside the lexicon) (0): none',
      'Aspects (0): none',
      'Usage scenarios (0): none',
      'Question: no',
    ]);
    const garbage = await voc(['\u0001\u0002\uFFFD\u0007'], { locale: 'en' });
    expect(garbage.split('\n')[0]).toBe(`Post 1 · language other · overall sentiment Neutral (0.00) · lexicon ${version} · rules only`);
    expect(garbage).toContain('Channels (0): none');
  });

  it('never passes terminal control sequences of a post through, and marks a text cut for display', async () => {
    // Few enough control characters (under a tenth) for the post to be read as writing, not binary data.
    const hostile = '\u001b[31m客服态度很差，打了三次电话都没有人处理，门店也说管不了\u001b[0m\u202e！\u0007';
    const out = await voc([hostile]);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('客服 [customer_service]  负面');
    const long = '门店的服务很热情。'.repeat(200);
    const lines = (await voc([long])).split('\n');
    expect(lines[1]).toMatch(/^原文：门店的服务很热情。.*…（显示时截断，原文共 1800 个字符）$/);
    expect(lines[1]!.length).toBeLessThan(340);
  });

  it('reads each line of a file or of standard input as a post, numbered by its line, and prints JSON lines with --json', async () => {
    // A byte-order mark (Windows editors write one) is not part of the first post: offsets start at its text.
    const file = write('posts.txt', '\uFEFF客服态度很差\r\n\n   \n物流很快，包装很好\n');
    const rows = (await voc(['--file', file, '--json'])).split('\n').map((l) => JSON.parse(l) as { n: number; line: number; text: string; classification: Classification });
    expect(rows.map((r) => [r.n, r.line, r.text, r.classification.postId, r.classification.sentiment.label, r.classification.channels.map((c) => `${c.channel}:${c.polarity}:${c.evidence.start}`)])).toEqual([
      [1, 1, '客服态度很差', 'explain:1', 'neg', ['customer_service:neg:0']],
      [2, 4, '物流很快，包装很好', 'explain:4', 'pos', ['delivery:pos:0']],
    ]);
    expect(rows[0]!.classification.lexiconVersion).toBe(version);
    const piped = await voc(['--file', '-'], { stdin: '客服态度很差\n\n门店很热情\n' });
    expect(piped.split('\n').filter((l) => /^帖子 \d/.test(l)).map((l) => l.split(' · ')[0])).toEqual(['帖子 1（第 1 行）', '帖子 2（第 3 行）']);
    expect(piped).toContain('\n\n帖子 2（第 3 行） · ');
    const whole = (await voc(['-', '--json'], { stdin: '第一行\n客服态度很差\n' })).split('\n');
    expect(whole.length).toBe(1);
    expect(JSON.parse(whole[0]!)).toMatchObject({ n: 1, text: '第一行\n客服态度很差' });
    expect(JSON.parse(whole[0]!).line).toBeUndefined();
  });

  it('refuses a file that is not UTF-8 text, naming it, instead of classifying garbage', async () => {
    const utf16 = write('utf16.txt', '');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('客服态度很差\n', 'utf16le')]));
    expect(await vocError(['--file', utf16])).toBe(`--file: ${utf16} is not UTF-8 text; save it as UTF-8 (one post per line)`);
    const nul = write('nul.txt', 'abc\u0000def\n');
    expect(await vocError(['--file', nul])).toBe(`--file: ${nul} holds NUL bytes: a binary file, or UTF-16 text; save it as UTF-8 (one post per line)`);
    expect(await vocError(['-'], { stdin: Buffer.from([0xc3, 0x28]) })).toBe('explain: standard input is not UTF-8 text; save it as UTF-8 (one post per line)');
  });

  it('escapes in its JSON the controls and direction overrides a post may hold', async () => {
    const line = await voc(['客服\u202e态度\u0085很差', '--json']);
    expect(line).toContain('"text":"客服\\u202e态度\\u0085很差"');
    expect(line).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect(JSON.parse(line).text).toBe('客服\u202e态度\u0085很差');
  });

  it("classifies with the config: its brand's aspect taxonomy and its lexicon additions apply", async () => {
    const dir = join(tmp, 'brand');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'voc.config.yaml');
    writeFileSync(file, 'brands:\n  - { id: acme, name: 星驰, aspectTaxonomy: car }\nchannels:\n  store: { aliases: [体验中心] }\n');
    const { config } = loadConfig(file);
    const out = await voc(['体验中心的人很热情，这车油耗太高了'], { config });
    expect(out).toContain('门店 [store]  正面  「体验中心」@0  判定词 「热情」@7');
    expect(out).toContain('油耗续航 [fuel_economy]  负面  「油耗」@12');
    // The same text for a brand-less classification: the shipped lexicon has no 体验中心.
    expect(await voc(['体验中心的人很热情，这车油耗太高了', '--taxonomy', 'car'], { config: parseConfig({}) })).toContain('渠道 (0)：无');
  });

  it('uses the trained models the config names, unless --rules-only', async () => {
    const dir = join(tmp, 'models');
    mkdirSync(dir, { recursive: true });
    saveModel(trainSentimentModel(sentimentExamples().train), join(dir, 'sentiment.json'));
    const file = join(dir, 'voc.config.yaml');
    writeFileSync(file, 'models:\n  sentiment: sentiment.json\n');
    const { config } = loadConfig(file);
    // 退货 names a process the rules do not judge; in the model's training data it is a complaint.
    const text = '外卖退货，老板退货。';
    const withModel = (await voc([text], { config })).split('\n')[0]!;
    // The model's file hash joins the version (+m…); the score is the model's, not the rules' 0.00.
    expect(withModel).toMatch(new RegExp(`^帖子 1 · 语言 中文 · 整体情感 负面 \\(-0\\.99\\) · 词典 ${version.replace(/[.+]/g, '\\$&')}\\+m[0-9a-f]{8} · 模型：情感$`));
    expect((await voc([text, '--rules-only'], { config })).split('\n')[0]).toBe(`帖子 1 · 语言 中文 · 整体情感 中性 (0.00) · 词典 ${version} · 仅规则`);
  });

  it('says what to give when the input is missing or wrong', async () => {
    expect(await vocError([])).toBe('explain: give the post to classify: voc explain "客服态度很差", "-" to read it from standard input, or --file FILE with one post per line');
    expect(await vocError(['-'], { stdin: ' \n' })).toBe('explain: standard input was empty; pipe the post in (echo "客服态度很差" | voc explain -)');
    expect(await vocError(['x', '--file', 'a.txt'])).toBe('explain: give the post as text or with --file, not both');
    expect(await vocError(['--file', join(tmp, 'nope.txt')])).toBe(`--file not found: ${join(tmp, 'nope.txt')}; check the path`);
    expect(await vocError(['--file', tmp])).toBe(`--file ${tmp} is a folder; pass a file`);
    expect(await vocError(['--file', write('blank.txt', '\n  \n')])).toBe(`--file: ${join(tmp, 'blank.txt')} holds no text; write one post per line`);
    expect(await vocError(['x', '--taxonomy', 'boats'])).toBe('--taxonomy: unknown aspect taxonomy "boats"; expected one of: car, electronics, retail');
    const two = parseConfig({ brands: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B', aspectTaxonomy: 'car' }] });
    expect(await vocError(['x'], { config: two })).toBe('--brand: the config has 2 brands (a, b); name one with --brand, or pass --taxonomy for none');
    expect(await vocError(['x', '--brand', 'c'], { config: two })).toBe('unknown brand "c"; expected one of: a, b');
    expect(await vocError(['x', '--brand', 'b', '--taxonomy', 'retail'], { config: two })).toBe(
      '--taxonomy: not with --brand; brand "b" uses the aspect taxonomy "car" (brands[].aspectTaxonomy in the config)',
    );
    expect(await voc(['客服很好', '--brand', 'b'], { config: two })).toContain('客服 [customer_service]  正面');
  });

  it('names the breakpoint kinds and the sentiment labels as the report and the console do', () => {
    // 混合 (mixed) as the report's tables and the console's filter say it.
    expect(['pos', 'neg', 'neutral', 'mixed'].map((p) => sentimentLabel(p, 'zh-CN'))).toEqual(['pos', 'neg', 'neutral', 'mixed'].map((p) => CONSOLE_MESSAGES['zh-CN'].polarities[p]));
    expect(BREAKPOINT_KIND_LABELS['zh-CN']).toEqual({ inconsistency: '说法不一致', handoff: '交接断裂', runaround: '互相推诿' });
    for (const locale of ['zh-CN', 'en'] as const)
      for (const kind of BREAKPOINT_KINDS) {
        expect(reportKindLabel(kind, locale)).toBe(BREAKPOINT_KIND_LABELS[locale][kind]);
        expect(CONSOLE_MESSAGES[locale].breakpointKinds[kind]).toBe(BREAKPOINT_KIND_LABELS[locale][kind]);
      }
  });

  it('names every breakpoint cue of the default lexicon in both languages, and shows a cue it has no name for by its id', async () => {
    const ids = loadLexicons().cues.map((c) => c.id);
    expect(ids.length).toBe(13);
    for (const locale of ['zh-CN', 'en'] as const) expect(Object.keys(BREAKPOINT_CUE_LABELS[locale]).sort()).toEqual([...ids].sort());
    expect(breakpointCueLabel('transfer_refused', 'en')).toBe('refused to take over');
    // A brand's own cue (config lexicon additions) has no name: its id, and never a prototype key.
    expect(breakpointCueLabel('store_closed_early', 'zh-CN')).toBe('store_closed_early');
    expect(breakpointCueLabel('constructor', 'zh-CN')).toBe('constructor');
    const en = (await voc(['The store refused my return because I bought it on the website.'], { locale: 'en' })).split('\n');
    expect(en.filter((l) => l.includes('[handoff]'))).toEqual([
      '  Store ↔ Website  broken hand-off [handoff]  cue refused to take over [transfer_refused]  「The store refused my return because I bought it on the website」@0',
    ]);
  });

  it('stops quietly when the reader of its output goes away (voc explain --file F | head)', async () => {
    assertBuilt();
    const file = write('many.txt', '客服态度很差，门店很热情\n'.repeat(3000));
    const child = spawn(process.execPath, [VOC_BIN, 'explain', '--file', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(first).toMatch(/^帖子 1（第 1 行） · /);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
