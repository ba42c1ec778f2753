import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { readSavedEvaluation, registerEvalCommands } from '../cli/eval-commands.js';
import { textSha256 } from '../analysis/eval/readers.js';
import { aspectExamples, sentimentCsv, sentimentExamples } from './model.data.js';
import type { AspectExample } from '../analysis/model/aspect-model.js';
import { breakpointGold, goldJsonl } from './model.channels.data.js';

const FIX = join(import.meta.dirname, 'fixtures', 'eval');
const tmp = mkdtempSync(join(tmpdir(), 'voc-eval-cli-'));

/** Runs `voc <args>` in-process on a fresh program with the eval commands registered. */
async function voc(args: string[], locale: Locale = 'en', dataDir = join(tmp, 'data')): Promise<{ stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command().name('voc').exitOverride();
  registerEvalCommands(program, {
    readConfig: () => parseConfig({ dataDir }),
    locale: () => locale,
    stdout: (s) => stdout.push(s),
    stderr: (s) => stderr.push(s),
  });
  await program.parseAsync(['node', 'voc', ...args]);
  return { stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function vocError(args: string[]): Promise<InputError> {
  try {
    await voc(args);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    return err as InputError;
  }
  throw new Error(`expected voc ${args.join(' ')} to fail`);
}

function write(name: string, content: string): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

function aspectsCsv(posts: AspectExample[]): string {
  const rows = ['content_id,content,subject,sentiment_value'];
  posts.forEach((p, i) => {
    for (const l of p.labels) rows.push(`post${i},"${p.text}",${l.subject},${l.sentiment}`);
  });
  return rows.join('\n') + '\n';
}

describe('voc train sentiment + voc eval sentiment', () => {
  const { train, test } = sentimentExamples();
  const trainCsv = write('train.csv', sentimentCsv(train));
  const testCsv = write('test.csv', sentimentCsv(test));
  const model = join(tmp, 'sentiment.json');
  let trained: Record<string, unknown>;
  beforeAll(async () => {
    trained = JSON.parse((await voc(['train', 'sentiment', '--data', trainCsv, '--out', model, '--json'])).stdout) as Record<string, unknown>;
  });

  it('trains, then scores unseen reviews exactly (18 of 20 right: two are mislabelled)', async () => {
    expect(trained).toMatchObject({ task: 'sentiment', trained: 60, heldOut: 0 });
    expect(JSON.parse(readFileSync(model, 'utf8'))).toMatchObject({ format: 'voc-model', note: { dataFile: 'train.csv' }, training: { rows: 60 } });

    const { stdout } = await voc(['eval', 'sentiment', '--data', testCsv, '--model', model, '--json']);
    const r = JSON.parse(stdout) as Record<string, unknown>;
    // label 1: tp 10, fp 2 -> P 0.8333, R 1, F1 0.9091; label 0: tp 8, fn 2 -> P 1, R 0.8, F1 0.8889
    expect(r).toMatchObject({
      n: 20,
      accuracy: 0.9,
      macro_f1: 0.899,
      per_label: {
        '1': { precision: 0.8333, recall: 1, f1: 0.9091, support: 10 },
        '0': { precision: 1, recall: 0.8, f1: 0.8889, support: 10 },
      },
      confusion: { '1': { '1': 10 }, '0': { '0': 8, '1': 2 } },
    });
  });

  it('holds out a seeded share, and eval scores that same share by itself', async () => {
    const all = write('all.csv', sentimentCsv([...train, ...test.slice(0, 18)]));
    const heldModel = join(tmp, 'held.json');
    const trained = JSON.parse((await voc(['train', 'sentiment', '--data', all, '--out', heldModel, '--holdout', '0.25', '--seed', '3', '--json'])).stdout) as {
      trained: number;
      heldOut: number;
      evaluation: { n: number; accuracy: number };
    };
    expect(trained.trained + trained.heldOut).toBe(78);
    expect(trained.heldOut).toBe(20);
    expect(trained.evaluation).toMatchObject({ n: 20, accuracy: 1 });

    const auto = await voc(['eval', 'sentiment', '--data', all, '--model', heldModel, '--json', '--no-save']);
    expect(JSON.parse(auto.stdout)).toMatchObject({ n: 20, accuracy: 1, holdout: { fraction: 0.25, seed: 3 } });
    expect(auto.stderr).toBe("note: the model was trained on this file; scoring only the part it held out (--holdout 0.25 --seed 3)");
    const explicit = await voc(['eval', 'sentiment', '--data', all, '--model', heldModel, '--holdout', '0.25', '--seed', '3', '--json']);
    expect(JSON.parse(explicit.stdout)).toEqual(JSON.parse(auto.stdout));
  });

  it('prints per-label tables in English and Chinese', async () => {
    const en = (await voc(['eval', 'sentiment', '--data', testCsv, '--model', model], 'en')).stdout;
    // The label column is as wide as its longest entry ("macro avg"); figures are right-aligned.
    expect(en.split('\n').slice(0, 3)).toEqual(['20 items', 'label      precision  recall      F1  support', '---------  ---------  ------  ------  -------']);
    expect(en).toMatch(/^1             0\.8333  1\.0000  0\.9091       10$/m);
    expect(en).toMatch(/^accuracy +0\.9000 +20$/m);
    const zh = (await voc(['eval', 'sentiment', '--data', testCsv, '--model', model], 'zh-CN')).stdout;
    expect(zh.split('\n')[0]).toBe('共 20 条');
    expect(zh).toMatch(/^标签 +精确率 +召回率 +F1 +样本数$/m);
    expect(zh).toMatch(/^准确率 +0\.9000 +20$/m);
    // 18 of 20 right: the interval of the accuracy under the table.
    expect(en).toContain('95% interval of the accuracy (bootstrap over the items, 1000 draws): [0.7500, 1.0000]');
    expect(zh).toContain('准确率的 95% 区间（按条目自助重抽样 1000 次）：[0.7500, 1.0000]');
    // Which label was taken for which: the two errors are negatives read as positive.
    expect(en).toContain(['confusion matrix (rows: labelled, columns: predicted)', 'labelled \\ predicted  0   1   Σ', '--------------------  -  --  --', '0                     8   2  10', '1                     0  10  10'].join('\n'));
    expect(zh).toContain(['混淆矩阵（行：标注标签，列：预测标签）', '标注 \\ 预测  0   1   Σ', '-----------  -  --  --', '0            8   2  10', '1            0  10  10'].join('\n'));
    // A model has no post labels of the rules to show.
    expect(en).not.toContain("the rules' post labels");
  });

  it('names the file and the missing column of a CSV without "review"', async () => {
    const bad = write('no-review.csv', 'label,text\n1,好吃\n');
    const e = await vocError(['eval', 'sentiment', '--data', bad]);
    expect(e.message).toBe(`${bad}: no "review" column (columns found: label, text); a sentiment file needs a "label" column (1 positive, 0 negative) and a "review" column`);
  });

  it('refuses bad options and an --out folder that does not exist, writing nothing', async () => {
    expect((await vocError(['eval', 'sentiment', '--data', testCsv, '--holdout', '1.5'])).message).toBe(
      '--holdout: expected a share between 0 and 1 such as 0.5 or 0.2, got 1.5',
    );
    expect((await vocError(['eval', 'sentiment', '--data', testCsv, '--neutral-as', 'maybe'])).message).toBe('--neutral-as: expected neg or pos, got "maybe"');
    const out = join(tmp, 'missing-folder', 'model.json');
    expect((await vocError(['train', 'sentiment', '--data', trainCsv, '--out', out])).message).toBe(
      `--out: folder ${join(tmp, 'missing-folder')} does not exist; create it or choose another path`,
    );
    expect((await vocError(['eval', 'aspects', '--data', testCsv, '--model', model])).message).toMatch(/no "content_id" column/);
    const oneLabel = write('one-label.csv', 'label,review\n1,好吃\n1,不错\n');
    expect((await vocError(['train', 'sentiment', '--data', oneLabel, '--out', join(tmp, 'one.json')])).message).toBe(
      `${oneLabel}: the training part has only the label "1"; a sentiment model needs reviews of at least two labels (1 and 0)`,
    );
    expect(existsSync(join(tmp, 'one.json'))).toBe(false);
    // Two labels, but no character twice: a model that could only answer its prior is refused.
    const nothingShared = write('nothing-shared.csv', 'label,review\n1,好\n0,坏\n');
    const e = await vocError(['train', 'sentiment', '--data', nothingShared, '--out', join(tmp, 'nothing.json')]);
    expect(e.message).toBe(`${nothingShared}: no word or character occurs in 2 or more of the 2 training row(s), so the model would learn nothing; label more reviews`);
    expect(e.zh).toBe(`${nothingShared}：2 条训练数据中，没有任何词或字出现在 2 条及以上，模型学不到东西；请标注更多评论`);
    expect(existsSync(join(tmp, 'nothing.json'))).toBe(false);
  });

  it('scores the rule classifier when no model is given', async () => {
    const r = JSON.parse((await voc(['eval', 'sentiment', '--data', join(FIX, 'sentiment.csv'), '--json'])).stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ n: 4, skipped: 1 });
    expect(Object.keys(r).slice(0, 4)).toEqual(['n', 'accuracy', 'macro_f1', 'per_label']);
    expect(String(r.predictor)).toMatch(/^rules \d+\.\d+\.\d+\+[0-9a-f]{8}$/);
    expect(r).toMatchObject({ confusion: { '0': { '0': 2 }, '1': { '1': 2 } }, rule_labels: { '0': { neg: 2 }, '1': { pos: 2 } }, neutral_as: 'neg' });
    // The text output shows the rules' own post labels (pos/neg/mixed/neutral) per labelled label.
    const zh = (await voc(['eval', 'sentiment', '--data', join(FIX, 'sentiment.csv'), '--no-save'], 'zh-CN')).stdout;
    expect(zh).toContain(['规则给出的帖子标签（行：标注标签；混合按分数正负计，中性计为负面）', '标注 \\ 预测  正面  负面  混合  中性  Σ', '-----------  ----  ----  ----  ----  -', '0               0     2     0     0  2', '1               2     0     0     0  2'].join('\n'));
  });
});

describe('voc train aspects + voc eval aspects', () => {
  it('trains on labelled posts and scores unseen ones (every subject and sentiment right)', async () => {
    const { train, test } = aspectExamples();
    const trainCsv = write('aspects-train.csv', aspectsCsv(train));
    const testCsv = write('aspects-test.csv', aspectsCsv(test));
    const model = join(tmp, 'aspects.json');
    const trained = JSON.parse((await voc(['train', 'aspects', '--data', trainCsv, '--out', model, '--json'])).stdout) as Record<string, unknown>;
    expect(trained).toMatchObject({ task: 'aspects', trained: 120 });
    const r = JSON.parse((await voc(['eval', 'aspects', '--data', testCsv, '--model', model, '--json'])).stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ n: 9, rows: 12, subject: { micro_f1: 1 }, subject_sentiment: { micro_f1: 1 } });
    expect(Object.keys(r.per_label as object).sort()).toEqual(['价格', '动力', '外观']);
    // Every post right: every draw of the posts scores 1.
    expect(r.ci95).toEqual({ subject_micro_f1: [1, 1], subject_sentiment_micro_f1: [1, 1] });
    const table = (await voc(['eval', 'aspects', '--data', testCsv, '--model', model, '--no-save'], 'en')).stdout.split('\n');
    expect(table).toContain('95% interval of the subject+sentiment (micro, competition metric) (bootstrap over the items, 1000 draws): [1.0000, 1.0000]');    // 12 subjects found rightly, each with its sentiment.
    expect(r.sentiment_on_found).toMatchObject({ accuracy: 1, n: 12 });
    expect(table).toContain('sentiment on the subjects found rightly (12, accuracy 1.0000; rows: labelled, columns: predicted)');
  });

  it('scores the rule classifier with the car taxonomy, and names an unknown taxonomy', async () => {
    const r = JSON.parse((await voc(['eval', 'aspects', '--data', join(FIX, 'aspects.csv'), '--json'])).stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ n: 3, rows: 6 });
    expect(r).toHaveProperty('subject.micro_f1');
    expect(r).toHaveProperty('subject_sentiment.micro_f1');
    expect((await vocError(['eval', 'aspects', '--data', join(FIX, 'aspects.csv'), '--taxonomy', 'boats'])).message).toMatch(
      /^--taxonomy: unknown aspect taxonomy "boats"; expected one of .*car/,
    );
  });
});

describe('voc eval semeval', () => {
  it('maps categories with a YAML map and reports untracked ones on stderr', async () => {
    const { stdout, stderr } = await voc(['eval', 'semeval', '--data', join(FIX, 'semeval2016.xml'), '--map', join(FIX, 'semeval-map.yaml'), '--json', '--no-save']);
    const r = JSON.parse(stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ n: 5, mode: 'categories', unmapped: { 'PHONE#GENERAL': 1, 'OS#OPERATION_PERFORMANCE': 1 } });
    expect(Object.keys(r.per_label as object).every((k) => ['design', 'battery', 'price', 'display'].includes(k))).toBe(true);
    expect(stderr).toBe(`note: categories not tracked by map ${join(FIX, 'semeval-map.yaml')}, left out of the scores: PHONE#GENERAL, OS#OPERATION_PERFORMANCE`);
    const [lower, upper] = (r.ci95 as { micro_f1: [number, number] }).micro_f1;
    const table = (await voc(['eval', 'semeval', '--data', join(FIX, 'semeval2016.xml'), '--map', join(FIX, 'semeval-map.yaml'), '--no-save'], 'en')).stdout.split('\n');
    expect(table).toContain(`95% interval of the micro avg (bootstrap over the items, 1000 draws): [${lower.toFixed(4)}, ${upper.toFixed(4)}]`);    const zh = await voc(['eval', 'semeval', '--data', join(FIX, 'semeval2016.xml'), '--map', join(FIX, 'semeval-map.yaml'), '--no-save'], 'zh-CN');
    expect(zh.stderr).toBe(`提示：映射 ${join(FIX, 'semeval-map.yaml')} 不跟踪这些类别，未计入分数：PHONE#GENERAL、OS#OPERATION_PERFORMANCE`);
  });

  it('detects the built-in map, and asks for one when a file has no categories', async () => {
    const { stdout: table, stderr } = await voc(['eval', 'semeval', '--data', join(FIX, 'semeval2014.xml')]);
    expect(stderr.split('\n')[0]).toBe('note: using the built-in category map restaurant (--map FILE for another)');
    // Sentences 11 (neutral) and 12 (positive) have one polarity; sentence 10 judges two ways.
    expect(table.trim().split('\n').at(-1)).toBe('sentence sentiment accuracy (2 sentences whose opinions agree): 1.0000');
    const json = JSON.parse((await voc(['eval', 'semeval', '--data', join(FIX, 'semeval2014.xml'), '--json', '--no-save'])).stdout) as Record<string, any>;
    expect(json.sentence_sentiment).toMatchObject({ n: 2, accuracy: 1 });
    const e = await vocError(['eval', 'semeval', '--data', join(FIX, 'semeval-terms.xml')]);
    expect(e.message).toBe(
      `${join(FIX, 'semeval-terms.xml')}: no aspect categories voc has a map for; pass --map phone|camera|laptop|restaurant or --map FILE.yaml (CATEGORY: aspect_id)`,
    );
    const terms = JSON.parse((await voc(['eval', 'semeval', '--data', join(FIX, 'semeval-terms.xml'), '--map', 'laptop', '--json'])).stdout) as Record<string, unknown>;
    expect(terms).toMatchObject({ n: 2, mode: 'terms', map: 'laptop' });
  });
});

describe('voc eval channels', () => {
  it('classifies the gold texts with the rules and prints the documented JSON shape', async () => {
    const r = JSON.parse((await voc(['eval', 'channels', '--gold', join(FIX, 'channels-gold.jsonl'), '--json', '--errors', '2'])).stdout) as Record<string, any>;
    expect(r.n).toBe(30);
    for (const key of ['precision', 'recall', 'micro_f1', 'macro_f1', 'per_label']) expect(r.channels).toHaveProperty(key);
    expect(Object.keys(r.polarity)).toEqual(['accuracy', 'n', 'per_label']);
    for (const key of ['precision', 'recall', 'f1', 'support']) expect(r.breakpoints).toHaveProperty(key);
    for (const key of ['precision', 'recall', 'f1']) expect(r.questions).toHaveProperty(key);
    expect(r.scenarios).toHaveProperty('recall');
    expect(r.breakpoints.support).toBe(5);
    expect(r.questions.support).toBe(4);
    expect(r.scenarios.gold).toBe(7);
    // 95% intervals over the posts, each holding its figure.
    expect(Object.keys(r.ci95)).toEqual(['channels_micro_f1', 'polarity', 'breakpoints_f1', 'questions_f1', 'sentiment']);
    const figure = { channels_micro_f1: r.channels.micro_f1, polarity: r.polarity.accuracy, breakpoints_f1: r.breakpoints.f1, questions_f1: r.questions.f1, sentiment: r.sentiment.accuracy } as Record<string, number>;
    for (const [key, [lower, upper]] of Object.entries(r.ci95 as Record<string, [number, number]>)) {
      expect(lower).toBeLessThanOrEqual(figure[key]! + 1e-4);
      expect(upper).toBeGreaterThanOrEqual(figure[key]! - 1e-4);
    }
    for (const e of r.errors.examples) expect(e).toEqual({ kind: expect.any(String), line: expect.any(Number), id: expect.any(Number), detail: expect.any(String), detail_zh: expect.any(String), text: expect.any(String) });
    // The table lists the examples in the output language.
    const zhExamples = (await voc(['eval', 'channels', '--gold', join(FIX, 'channels-gold.jsonl'), '--errors', '1', '--no-save'], 'zh-CN')).stdout;
    expect(zhExamples).toContain('  [question_missed] 第 17 行：标注为提问，未识别 | 怎么联系人工客服？一直是机器人。');
    const enExamples = (await voc(['eval', 'channels', '--gold', join(FIX, 'channels-gold.jsonl'), '--errors', '1', '--no-save'], 'en')).stdout;
    expect(enExamples).toContain('  [question_missed] line 17: gold question, predicted none | 怎么联系人工客服？一直是机器人。');
  });

  it('prints the overall table with a 95% interval column, in English and Chinese', async () => {
    const gold = join(FIX, 'channels-gold.jsonl');
    const r = JSON.parse((await voc(['eval', 'channels', '--gold', gold, '--json', '--no-save'])).stdout) as Record<string, any>;
    const cell = ([lower, upper]: [number, number]) => `[${lower.toFixed(4)}, ${upper.toFixed(4)}]`;
    const en = (await voc(['eval', 'channels', '--gold', gold, '--no-save'], 'en')).stdout.split('\n');
    expect(en.find((l) => l.startsWith('task'))).toMatch(/^task +precision +recall +F1 \/ accuracy +95% interval +n$/);
    expect(en.find((l) => l.startsWith('channel polarity'))).toContain(`${r.polarity.accuracy.toFixed(4)}  ${cell(r.ci95.polarity)}`);
    const zh = (await voc(['eval', 'channels', '--gold', gold, '--no-save'], 'zh-CN')).stdout.split('\n');
    expect(zh.find((l) => l.startsWith('任务'))).toMatch(/^任务 +精确率 +召回率 +F1 \/ 准确率 +95% 区间 +数量$/);
    expect(zh.find((l) => l.startsWith('渠道识别（微平均）'))).toContain(`${r.channels.micro_f1.toFixed(4)}  ${cell(r.ci95.channels_micro_f1)}`);
    // Each channel's polarity accuracy beside its detection figures.
    expect(en.find((l) => l.startsWith('channel '))).toMatch(/^channel +precision +recall +F1 +support +polarity acc\. +polarity n$/);
    const store = r.polarity.per_label.store as { accuracy: number; n: number };
    expect(en.find((l) => l.startsWith('store '))).toMatch(new RegExp(` ${store.accuracy.toFixed(4)} +${store.n}$`));
    expect(zh.find((l) => l.startsWith('渠道 '))).toMatch(/^渠道 +精确率 +召回率 +F1 +样本数 +极性准确率 +极性样本数$/);
    // Breakpoint recall by labelled kind, under the overall table.
    const kinds = r.breakpoints.per_kind as Record<string, { recall: number; support: number }>;
    expect(Object.values(kinds).reduce((a, k) => a + k.support, 0)).toBe(5);
    expect(zh).toContain(`断点召回率（按标注类型）：交接断裂 ${kinds.handoff!.recall.toFixed(4)}（1 个）；说法不一致 ${kinds.inconsistency!.recall.toFixed(4)}（3 个）；互相推诿 ${kinds.runaround!.recall.toFixed(4)}（1 个）`);
    expect(en).toContain(`breakpoint recall by labelled kind: broken hand-off ${kinds.handoff!.recall.toFixed(4)} (1); inconsistency ${kinds.inconsistency!.recall.toFixed(4)} (3); runaround ${kinds.runaround!.recall.toFixed(4)} (1)`);
  });

  it('names the line of a bad gold row', async () => {
    const bad = write('bad.jsonl', '{"text":"x","channels":"store","breakpoint":false,"question":false}\n');
    expect((await vocError(['eval', 'channels', '--gold', bad])).message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: line 1: field channels: `));
  });

  it('joins gold rows stored without text from the corpus folder --texts names', async () => {
    const corpus = join(tmp, 'corpus');
    mkdirSync(join(corpus, 'sentiment'), { recursive: true });
    writeFileSync(join(corpus, 'sentiment', 'waimai_10k.csv'), 'label,review\n0,"骑手让我打客服电话，打了五次都打不通"\n1,送餐很快\n');
    const text = '骑手让我打客服电话，打了五次都打不通';
    const row = {
      pool: 'waimai',
      id: 0,
      text_sha256: textSha256(text).slice(0, 16),
      channels: [
        { channel: 'delivery', polarity: 'neutral' },
        { channel: 'customer_service', polarity: 'neg' },
      ],
      breakpoint: true,
      breakpoint_channels: ['customer_service', 'delivery'],
      breakpoint_kind: 'handoff',
      question: false,
    };
    const gold = write('text-free.jsonl', JSON.stringify(row) + '\n');
    const r = JSON.parse((await voc(['eval', 'channels', '--gold', gold, '--texts', corpus, '--json', '--no-save'])).stdout) as Record<string, any>;
    expect([r.n, r.channels.micro_f1, r.breakpoints.f1]).toEqual([1, 1, 1]);
    expect((await vocError(['eval', 'channels', '--gold', gold, '--no-save'])).message).toBe(
      `${gold}: line 1: no text; pass --texts with the folder holding sentiment/waimai_10k.csv (../shared/data)`,
    );
  });
});

describe('voc train channels + voc eval channels --model', () => {
  const { train, test } = breakpointGold();
  const trainGold = write('bp-train.jsonl', goldJsonl(train));
  const testGold = write('bp-test.jsonl', goldJsonl(test));
  const model = join(tmp, 'breakpoints.json');

  it('trains on channel gold and then finds the breakpoints the rules miss', async () => {
    const trained = JSON.parse((await voc(['train', 'channels', '--gold', trainGold, '--out', model, '--json'])).stdout) as Record<string, unknown>;
    expect(trained).toMatchObject({ task: 'channels', trained: 35, heldOut: 0, skipped: [] });
    expect(JSON.parse(readFileSync(model, 'utf8'))).toMatchObject({ format: 'voc-model', task: 'channels', note: { dataFile: 'bp-train.jsonl' } });
    // Three breakpoints in the test file; the rules' cues know one of them.
    const rules = JSON.parse((await voc(['eval', 'channels', '--gold', testGold, '--json', '--no-save'])).stdout) as Record<string, any>;
    expect(rules.breakpoints).toMatchObject({ precision: 1, recall: 0.3333, f1: 0.5, support: 3 });
    const withModel = JSON.parse((await voc(['eval', 'channels', '--gold', testGold, '--model', model, '--json', '--no-save'])).stdout) as Record<string, any>;
    expect(withModel.breakpoints).toEqual({ precision: 1, recall: 1, f1: 1, support: 3, kind_accuracy: 1, per_kind: { inconsistency: { recall: 1, support: 3 } } });
    expect(withModel.predictor).toBe(`${rules.predictor} + channel model ${model}`);
    // The stances of the test posts' 10 detected gold channels: the rules read the two channels of
    // each broken post as negative, the gold calls the website neutral there.
    expect([rules.polarity, withModel.polarity]).toMatchObject([
      { accuracy: 0.8, n: 10 },
      { accuracy: 1, n: 10 },
    ]);
    // The two misread stances are the website's.
    expect(rules.polarity.per_label.website.accuracy).toBeLessThan(1);
    expect(Object.values(rules.polarity.per_label as Record<string, { accuracy: number; n: number }>).reduce((a, x) => a + Math.round(x.accuracy * x.n), 0)).toBe(8);
    // Detection, questions and scenarios stay the rules'.
    expect([withModel.channels, withModel.questions, withModel.scenarios]).toEqual([rules.channels, rules.questions, rules.scenarios]);
    // What the model changed, against the rules on the same posts, with a paired interval.
    expect(withModel.compared_with_rules.polarity).toMatchObject({ rules: 0.8, difference: 0.2 });
    expect(withModel.compared_with_rules.breakpoints_f1).toMatchObject({ rules: 0.5, difference: 0.5 });
    for (const k of ['polarity', 'breakpoints_f1']) {
      const { difference, ci95 } = withModel.compared_with_rules[k] as { difference: number; ci95: [number, number] };
      expect(ci95[0]).toBeLessThanOrEqual(difference);
      expect(ci95[1]).toBeGreaterThanOrEqual(difference);
    }
    expect(rules.compared_with_rules).toBeUndefined();
    const table = (await voc(['eval', 'channels', '--gold', testGold, '--model', model, '--no-save'], 'en')).stdout.split('\n').at(-1)!;
    const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
    const ci = (k: string) => (withModel.compared_with_rules[k] as { ci95: [number, number] }).ci95.map(signed).join(', ');
    expect(table).toBe(
      `against the rules alone on the same posts (difference, paired bootstrap 95% interval): channel polarity 0.8000 → +0.2000 [${ci('polarity')}]; breakpoint F1 0.5000 → +0.5000 [${ci('breakpoints_f1')}]`,
    );
  });

  it("records the model's stance and breakpoint figures for the report under names that say so", async () => {
    const dataDir = join(tmp, 'saved-channels');
    await voc(['eval', 'channels', '--gold', testGold, '--model', model, '--json'], 'en', dataDir);
    expect(readSavedEvaluation(dataDir, 'en')!.metrics).toEqual([
      // Every stance and breakpoint right: every resample of the posts scores 1 too.
      { name: 'channel polarity accuracy (trained channel model) · bp-test.jsonl', value: 1, n: 10, ci95: [1, 1] },
      { name: 'breakpoint F1 (trained channel model) · bp-test.jsonl', value: 1, n: 3, ci95: [1, 1] },
      // The three labelled breakpoints are inconsistencies, all found.
      { name: 'breakpoint recall, inconsistencies (trained channel model) · bp-test.jsonl', value: 1, n: 3 },
    ]);
    expect(readSavedEvaluation(dataDir)!.metrics.map((m) => m.name)).toEqual([
      '渠道褒贬准确率（训练的渠道模型） · bp-test.jsonl',
      '断点 F1（训练的渠道模型） · bp-test.jsonl',
      '断点召回率（说法不一致，训练的渠道模型） · bp-test.jsonl',
    ]);
  });

  it('holds out a seeded share, and eval on the same file scores that share by itself', async () => {
    const all = write('bp-all.jsonl', goldJsonl([...train, ...test]));
    const held = join(tmp, 'breakpoints-held.json');
    const trained = JSON.parse((await voc(['train', 'channels', '--gold', all, '--out', held, '--holdout', '0.2', '--json'])).stdout) as Record<string, any>;
    expect([trained.trained, trained.heldOut, trained.holdout]).toEqual([32, 8, { fraction: 0.2, seed: 1 }]);
    const auto = await voc(['eval', 'channels', '--gold', all, '--model', held, '--json', '--no-save']);
    const scored = JSON.parse(auto.stdout) as Record<string, any>;
    expect(auto.stderr).toBe('note: the model was trained on this file; scoring only the part it held out (--holdout 0.2 --seed 1)');
    expect(scored.n).toBe(8);
    expect(scored.breakpoints).toEqual(trained.evaluation.breakpoints);
    const table = (await voc(['train', 'channels', '--gold', all, '--out', held, '--holdout', '0.2'], 'zh-CN')).stdout;
    expect(table.split('\n')[0]).toMatch(/^已训练渠道模型：32 条训练样本/);
    // On the 8 held-out posts (4 breakpoints, 16 detected gold channels) the model gets every stance
    // and breakpoint right; the rules alone, on the same posts, 13 of 16 stances and 1 breakpoint.
    expect([trained.evaluation.polarity, trained.evaluation.breakpoints.f1]).toMatchObject([{ accuracy: 1, n: 16 }, 1]);
    expect([trained.rulesEvaluation.n, trained.rulesEvaluation.polarity, trained.rulesEvaluation.breakpoints.f1]).toEqual([8, { accuracy: 0.8125, n: 16, per_label: { store: { accuracy: 0.875, n: 8 }, website: { accuracy: 0.75, n: 8 } } }, 0.4]);
    // Training prints the model's gain over the rules on the held-out posts as eval --model does, with paired intervals.
    const versus = table.split('\n').filter((l) => l.startsWith('相对仅用规则'));
    expect(versus).toEqual(['相对仅用规则（同一批帖子，差值及配对自助法 95% 区间）：渠道极性 0.8125 → +0.1875 [+0.0625, +0.3750]；断点 F1 0.4000 → +0.6000 [+0.1429, +1.0000]']);
    expect(trained.compared_with_rules).toEqual(scored.compared_with_rules);
    const evalTable = (await voc(['eval', 'channels', '--gold', all, '--model', held, '--no-save'], 'zh-CN')).stdout;
    expect(evalTable.split('\n').filter((l) => l.startsWith('相对仅用规则'))).toEqual(versus);
  });

  it('says which part too few breakpoints left out, and refuses a file too small for any part, writing no model', async () => {
    const few = write('bp-few.jsonl', goldJsonl(train.filter((r) => !r.breakpoint).concat(train.filter((r) => r.breakpoint).slice(0, 4))));
    const stanceOnly = join(tmp, 'stance-only.json');
    const en = (await voc(['train', 'channels', '--gold', few, '--out', stanceOnly])).stdout.split('\n');
    expect(en[1]).toBe('breakpoint part not trained: 4 breakpoint (or other) post(s), at least 10 of each needed');
    const zh = (await voc(['train', 'channels', '--gold', few, '--out', stanceOnly], 'zh-CN')).stdout.split('\n');
    expect(zh[1]).toBe('未训练断点部分：断点帖或非断点帖只有 4 条，两类各至少需要 10 条');
    const tiny = write('bp-tiny.jsonl', goldJsonl(train.slice(0, 3)));
    const out = join(tmp, 'never.json');
    expect((await vocError(['train', 'channels', '--gold', tiny, '--out', out])).message).toBe(
      `${tiny}: nothing to learn from the training part (6 labelled channel(s) the rules also detected (at least 20 needed) and 2 post(s) with "breakpoint": true against 1 without (at least 10 of each needed)); label more posts, or hold out less`,
    );
    expect(existsSync(out)).toBe(false);
    expect((await vocError(['eval', 'channels', '--gold', testGold, '--model', join(tmp, 'sentiment.json')])).message).toMatch(/this is a sentiment model; this command needs one made by `voc train channels`$/);
  });
});

describe('evaluation.json for the report methods appendix', () => {
  const dataDir = join(tmp, 'saved');
  const { train, test } = sentimentExamples();
  const trainCsv = write('saved-train.csv', sentimentCsv(train));
  const testCsv = write('saved-test.csv', sentimentCsv(test));
  const model = join(tmp, 'saved-model.json');
  const file = join(dataDir, 'evaluation.json');

  it('is absent until voc eval runs', () => {
    expect(readSavedEvaluation(dataDir)).toBeUndefined();
  });

  it('records each eval kind, replaces a re-run and words the metrics in the report language', async () => {
    await voc(['train', 'sentiment', '--data', trainCsv, '--out', model, '--json'], 'en', dataDir);
    const first = await voc(['eval', 'sentiment', '--data', testCsv, '--model', model, '--json'], 'en', dataDir);
    const firstCi = (JSON.parse(first.stdout) as { ci95: { accuracy: [number, number] } }).ci95.accuracy;
    expect(first.stderr).toBe(`note: figures recorded in ${file} (for the report's methods appendix)`);
    const gold = JSON.parse((await voc(['eval', 'channels', '--gold', join(FIX, 'channels-gold.jsonl'), '--json'], 'en', dataDir)).stdout) as Record<string, any>;
    // The same sentiment eval again replaces its entry instead of adding one.
    await voc(['eval', 'sentiment', '--data', testCsv, '--model', model, '--json'], 'en', dataDir);

    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    expect(Object.keys(saved.runs)).toEqual(['channels:channels-gold.jsonl:rules', 'sentiment:saved-test.csv:model']);
    expect(saved.corpus).toBe('channels-gold.jsonl (30 posts); saved-test.csv (20 reviews)');
    expect(Date.parse(saved.measuredAt)).toBeGreaterThan(Date.now() - 60_000);

    const en = readSavedEvaluation(dataDir, 'en')!;
    expect(en.measuredAt).toBe(saved.measuredAt);
    expect(en.metrics).toEqual([
      { name: 'channel detection F1 · channels-gold.jsonl', value: gold.channels.micro_f1, n: 30, ci95: gold.ci95.channels_micro_f1 },
      { name: 'channel polarity accuracy · channels-gold.jsonl', value: gold.polarity.accuracy, n: gold.polarity.n, ci95: gold.ci95.polarity },
      { name: 'breakpoint F1 · channels-gold.jsonl', value: gold.breakpoints.f1, n: 5, ci95: gold.ci95.breakpoints_f1 },
      // The five labelled breakpoints by kind: one hand-off, three inconsistencies, one runaround.
      { name: 'breakpoint recall, broken hand-offs · channels-gold.jsonl', value: gold.breakpoints.per_kind.handoff.recall, n: 1 },
      { name: 'breakpoint recall, inconsistencies · channels-gold.jsonl', value: gold.breakpoints.per_kind.inconsistency.recall, n: 3 },
      { name: 'breakpoint recall, runarounds · channels-gold.jsonl', value: gold.breakpoints.per_kind.runaround.recall, n: 1 },
      { name: 'question F1 · channels-gold.jsonl', value: gold.questions.f1, n: 4, ci95: gold.ci95.questions_f1 },
      // 6 of the 7 labelled scenario phrases found, and all 6 scenarios found are labelled ones.
      { name: 'usage scenario recall · channels-gold.jsonl', value: 0.8571, n: 7 },
      { name: 'usage scenario precision · channels-gold.jsonl', value: 1, n: 6 },
      { name: 'post sentiment accuracy · channels-gold.jsonl', value: gold.sentiment.accuracy, n: 30, ci95: gold.ci95.sentiment },
      // 18 of the 20 unseen reviews right (see the train + eval test above)
      { name: 'sentiment accuracy (trained model) · saved-test.csv', value: 0.9, n: 20, ci95: firstCi },
    ]);
    expect(readSavedEvaluation(dataDir)!.metrics.map((m) => m.name)).toEqual([
      '渠道识别 F1 · channels-gold.jsonl',
      '渠道褒贬准确率 · channels-gold.jsonl',
      '断点 F1 · channels-gold.jsonl',
      '断点召回率（交接断裂） · channels-gold.jsonl',
      '断点召回率（说法不一致） · channels-gold.jsonl',
      '断点召回率（互相推诿） · channels-gold.jsonl',
      '提问识别 F1 · channels-gold.jsonl',
      '使用场景召回率 · channels-gold.jsonl',
      '使用场景精确率 · channels-gold.jsonl',
      '帖子情感准确率 · channels-gold.jsonl',
      '情感准确率（训练模型） · saved-test.csv',
    ]);
  });

  it('--no-save leaves the file alone', async () => {
    const before = readFileSync(file, 'utf8');
    const { stderr } = await voc(['eval', 'sentiment', '--data', trainCsv, '--json', '--no-save'], 'en', dataDir);
    expect(stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a damaged file is one clear error naming it', () => {
    const broken = join(tmp, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'evaluation.json'), '{"measuredAt": "x", "runs": {"a": {"kind": "channels"}}}');
    let error: unknown;
    try {
      readSavedEvaluation(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${join(broken, 'evaluation.json')}: runs.a: expected { kind, measuredAt, corpus, metrics: [{ name, value 0..1, n, ci95?: [lower, upper] }] }; delete it and run voc eval again`,
    );
    // An interval that is no interval is refused too; a file saved before voc kept intervals still loads.
    const run = (ci95?: unknown) => ({ kind: 'sentiment', measuredAt: '2026-12-01T00:00:00.000Z', corpus: 'x.csv (20 reviews)', metrics: [{ id: 'sentiment_rules', name: 'sentiment accuracy (lexicon) · x.csv', file: 'x.csv', value: 0.9, n: 20, ...(ci95 ? { ci95 } : {}) }] });
    const saved = (r: object) => JSON.stringify({ measuredAt: '2026-12-01T00:00:00.000Z', corpus: 'x.csv (20 reviews)', metrics: (r as { metrics: unknown[] }).metrics, runs: { 'sentiment:x.csv:rules': r } });
    writeFileSync(join(broken, 'evaluation.json'), saved(run([0.95, 0.8])));
    expect(() => readSavedEvaluation(broken)).toThrow(/runs\.sentiment:x\.csv:rules: expected/);
    writeFileSync(join(broken, 'evaluation.json'), saved(run()));
    expect(readSavedEvaluation(broken, 'en')!.metrics).toEqual([{ name: 'sentiment accuracy (lexicon) · x.csv', value: 0.9, n: 20 }]);
    writeFileSync(join(broken, 'evaluation.json'), 'not json');
    expect(() => readSavedEvaluation(broken)).toThrow(`${join(broken, 'evaluation.json')}: not valid JSON; delete it and run voc eval again`);
  });
});
