/**
 * `voc eval channels|sentiment|aspects|semeval` and `voc train sentiment|aspects|channels`: measure the
 * classifier on labelled files and train the linear models. Tables in zh-CN or English, or one
 * JSON object with `--json`; notes (which part of a file was scored, unmapped categories) go to
 * stderr so that stdout stays machine-readable. Bad input is one InputError line (exit code 2)
 * naming the file, line or column to fix.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { checkFraction } from '../analysis/eval/split.js';
import { runAspectsEval, runChannelsEval, runSemevalEval, runSentimentEval, evalClassifier, EVAL_BRAND, type EvalNote } from '../analysis/eval/run.js';
import { formatAspectsTable, formatChannelsTable, formatSemevalTable, formatSentimentTable, formatTrainSummary, terminalSafe } from '../analysis/eval/table.js';
import { trainAspectsFile, trainChannelsFile, trainSentimentFile } from '../analysis/model/train.js';
import { evaluationRun, saveEvaluationRun, type EvalKind } from '../analysis/eval/saved.js';
import { jsonText } from './json.js';

export { readSavedEvaluation } from '../analysis/eval/saved.js';

export interface EvalCommandContext {
  readConfig(): VocConfig;
  locale(config?: VocConfig): Locale;
  /** Where results go (default process.stdout). */
  stdout?: (text: string) => void;
  /** Where notes go (default process.stderr). */
  stderr?: (text: string) => void;
}

interface CommonEvalOptions {
  json?: boolean;
  /** false with --no-save: leave <dataDir>/evaluation.json alone. */
  save?: boolean;
}

/** Adds the `eval` and `train` command groups to `program`. */
export function registerEvalCommands(program: Command, ctx: EvalCommandContext): void {
  const out = ctx.stdout ?? ((s: string) => void process.stdout.write(s + '\n'));
  const err = ctx.stderr ?? ((s: string) => void process.stderr.write(s + '\n'));
  const note = (loc: Locale) => (n: EvalNote) => err(terminalSafe(noteText(n, loc)));
  /** Keeps the figures for the report's methods appendix (<dataDir>/evaluation.json). */
  const save = (
    config: VocConfig,
    loc: Locale,
    opts: CommonEvalOptions,
    kind: EvalKind,
    dataFile: string,
    result: Parameters<typeof evaluationRun>[2] & { holdout?: unknown },
    model: boolean,
  ) => {
    if (opts.save === false) return;
    const path = saveEvaluationRun(config.dataDir, evaluationRun(kind, dataFile, result, { model, heldOut: result.holdout !== undefined }), dataFile, model);
    note(loc)({ code: 'saved', path });
  };
  /** The body every `voc eval` subcommand shares: run, notes to stderr, record, print. */
  const evaluate = <R extends Parameters<typeof evaluationRun>[2] & { holdout?: unknown }>(
    kind: EvalKind,
    dataFile: string,
    opts: CommonEvalOptions,
    model: boolean,
    run: (config: VocConfig) => { result: R; notes: EvalNote[] },
    format: (result: R, loc: Locale) => string,
  ) => {
    const config = ctx.readConfig();
    const loc = ctx.locale(config);
    const { result, notes } = run(config);
    notes.forEach(note(loc));
    save(config, loc, opts, kind, dataFile, result, model);
    out(opts.json ? toJson(result) : format(result, loc));
  };
  const noSave = '--no-save';
  const noSaveHelp = 'do not record the figures in <dataDir>/evaluation.json (the report methods appendix)';

  const evalCmd = program.command('eval').description('measure the classifier on labelled data (precision / recall / F1 per label and overall)');

  evalCmd
    .command('channels')
    .description('channel detection, channel polarity, breakpoints, questions and scenarios against a gold JSONL file')
    .requiredOption('--gold <file>', 'gold JSON lines (text, channels[{channel, polarity}], breakpoint, breakpoint_channels, scenarios, question)')
    .option('--texts <dir>', 'folder holding the public corpora (../shared/data), for gold rows stored without their text (pool, id, text_sha256)')
    .option('--errors <n>', 'also list up to N examples of each error class', nonNegativeInt('--errors'))
    .option('--model <file>', 'model.json of `voc train channels` (default: the rules alone)')
    .option('--holdout <share>', 'score only the held-out share that `voc train channels --holdout` left out (same --seed)', fraction('--holdout'))
    .option('--seed <n>', 'seed of the held-out split (default 1)', nonNegativeInt('--seed'))
    .option('--json', 'print one JSON object')
    .option(noSave, noSaveHelp)
    .action((opts: CommonEvalOptions & { gold: string; texts?: string; errors?: number; model?: string; holdout?: number; seed?: number }) =>
      evaluate(
        'channels',
        opts.gold,
        opts,
        opts.model !== undefined,
        (config) =>
          runChannelsEval({
            config,
            gold: opts.gold,
            ...optional({ texts: opts.texts, examples: opts.errors || undefined, model: opts.model, holdout: opts.holdout, seed: opts.seed }),
          }),
        (result, loc) =>
          [
            formatChannelsTable(result, loc),
            ...(result.errors.examples ?? []).map((e) =>
              loc === 'en' ? `  [${e.kind}] line ${e.line}: ${oneLine(e.detail)} | ${oneLine(e.text)}` : `  [${e.kind}] 第 ${e.line} 行：${oneLine(e.detail_zh)} | ${oneLine(e.text)}`,
            ),
          ].join('\n'),
      ),
    );

  evalCmd
    .command('sentiment')
    .description('post sentiment against a CSV with "label" (1 positive, 0 negative) and "review" columns')
    .requiredOption('--data <file>', 'labelled CSV')
    .option('--model <file>', 'model.json of `voc train sentiment` (default: the lexicon rules)')
    .option('--holdout <share>', 'score only the held-out share that `voc train --holdout` left out (same --seed)', fraction('--holdout'))
    .option('--seed <n>', 'seed of the held-out split (default 1)', nonNegativeInt('--seed'))
    .option('--neutral-as <label>', 'rules only: a post without evaluative words counts as neg (default) or pos', neutralAs)
    .option('--json', 'print one JSON object')
    .option(noSave, noSaveHelp)
    .action((opts: CommonEvalOptions & { data: string; model?: string; holdout?: number; seed?: number; neutralAs?: 'pos' | 'neg' }) =>
      evaluate(
        'sentiment',
        opts.data,
        opts,
        opts.model !== undefined,
        (config) => runSentimentEval({ config, data: opts.data, ...optional({ model: opts.model, holdout: opts.holdout, seed: opts.seed, neutralAs: opts.neutralAs }) }),
        formatSentimentTable,
      ),
    );

  evalCmd
    .command('aspects')
    .description('subject and subject+sentiment micro-F1 against a CSV content_id,content,subject,sentiment_value')
    .requiredOption('--data <file>', 'labelled CSV, one row per post and subject')
    .option('--model <file>', 'model.json of `voc train aspects` (default: the lexicon rules)')
    .option('--holdout <share>', 'score only the held-out share of posts (the last share of the file, or shuffled with --seed)', fraction('--holdout'))
    .option('--seed <n>', 'shuffle posts with this seed before holding out', nonNegativeInt('--seed'))
    .option('--taxonomy <id>', 'rules only: aspect taxonomy (default car)')
    .option('--json', 'print one JSON object')
    .option(noSave, noSaveHelp)
    .action((opts: CommonEvalOptions & { data: string; model?: string; holdout?: number; seed?: number; taxonomy?: string }) =>
      evaluate(
        'aspects',
        opts.data,
        opts,
        opts.model !== undefined,
        (config) => runAspectsEval({ config, data: opts.data, ...optional({ model: opts.model, holdout: opts.holdout, seed: opts.seed, taxonomy: opts.taxonomy }) }),
        formatAspectsTable,
      ),
    );

  evalCmd
    .command('semeval')
    .description('aspect-category F1 on a SemEval-2014/2016 XML file')
    .requiredOption('--data <file>', 'SemEval XML file')
    .option('--map <file>', 'category map: phone, camera, laptop, restaurant or a YAML file (CATEGORY: aspect_id); default: detected')
    .option('--json', 'print one JSON object')
    .option(noSave, noSaveHelp)
    .action((opts: CommonEvalOptions & { data: string; map?: string }) =>
      evaluate('semeval', opts.data, opts, false, (config) => runSemevalEval({ config, data: opts.data, ...optional({ map: opts.map }) }), formatSemevalTable),
    );

  const trainCmd = program.command('train').description('train a linear model on your own labelled data (never ship one trained on third-party corpora)');
  for (const task of ['sentiment', 'aspects'] as const) {
    trainCmd
      .command(task)
      .description(
        task === 'sentiment'
          ? 'logistic regression over word and character n-grams from a CSV with "label" and "review" columns'
          : 'per-subject presence and sentiment models from a CSV content_id,content,subject,sentiment_value',
      )
      .requiredOption('--data <file>', 'labelled CSV')
      .requiredOption('--out <file>', 'where to write model.json')
      .option('--holdout <share>', 'leave this share out of training and report scores on it', fraction('--holdout'))
      .option('--seed <n>', task === 'sentiment' ? 'seed of the held-out split (default 1)' : 'shuffle posts with this seed before holding out (default: the last share of the file)', nonNegativeInt('--seed'))
      .option('--json', 'print one JSON object')
      .action((opts: CommonEvalOptions & { data: string; out: string; holdout?: number; seed?: number }) => {
        const config = ctx.readConfig();
        const loc = ctx.locale(config);
        const outPath = checkedOut(opts.out);
        // The classifier teaches jieba the lexicon words, so training tokenises as classification will.
        const lexiconVersion = evalClassifier({ config }, 'retail').lexiconVersion;
        const train = task === 'sentiment' ? trainSentimentFile : trainAspectsFile;
        const { model: _model, ...report } = train({ data: opts.data, out: outPath, lexiconVersion, ...optional({ holdout: opts.holdout, seed: opts.seed }) });
        out(opts.json ? toJson(report) : formatTrainSummary(report, loc));
      });
  }
  trainCmd
    .command('channels')
    .description('channel stances and a breakpoint detector on top of the rules, from channel gold JSON lines (as `voc eval channels` reads)')
    .requiredOption('--gold <file>', 'channel gold JSON lines: channels[{channel, polarity}], breakpoint, breakpoint_channels, breakpoint_kind')
    .option('--texts <dir>', 'folder holding the public corpora, for gold rows stored without their text (pool, id, text_sha256)')
    .requiredOption('--out <file>', 'where to write model.json')
    .option('--holdout <share>', 'leave this share out of training and report scores on it', fraction('--holdout'))
    .option('--seed <n>', 'seed of the held-out split (default 1)', nonNegativeInt('--seed'))
    .option('--json', 'print one JSON object')
    .action((opts: CommonEvalOptions & { gold: string; texts?: string; out: string; holdout?: number; seed?: number }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const outPath = checkedOut(opts.out);
      const classifier = evalClassifier({ config }, 'retail');
      const { model: _model, ...report } = trainChannelsFile({
        data: opts.gold,
        out: outPath,
        classifier,
        brand: EVAL_BRAND,
        lexiconVersion: classifier.lexiconVersion,
        ...optional({ texts: opts.texts, holdout: opts.holdout, seed: opts.seed }),
      });
      out(opts.json ? toJson(report) : formatTrainSummary(report, loc));
    });
}

/** The absolute --out path, refused when its folder is missing or it names a folder. */
function checkedOut(out: string): string {
  const outPath = resolve(out);
  if (!existsSync(dirname(outPath)))
    throw new InputError({
      en: `--out: folder ${dirname(outPath)} does not exist; create it or choose another path`,
      zh: `--out：文件夹 ${dirname(outPath)} 不存在；请先创建，或换一个路径`,
    });
  if (existsSync(outPath) && statSync(outPath).isDirectory())
    throw new InputError({
      en: `--out: ${out} is a folder; give a file name such as ${out}/model.json`,
      zh: `--out：${out} 是一个文件夹；请给出文件名，例如 ${out}/model.json`,
    });
  return outPath;
}

/** A run note as one line in the user's language. */
export function noteText(n: EvalNote, loc: Locale): string {
  const zh = loc !== 'en';
  const split = (fraction: number, seed?: number) => `--holdout ${fraction}${seed !== undefined ? ` --seed ${seed}` : ''}`;
  switch (n.code) {
    case 'holdout_from_model':
      return zh
        ? `提示：模型是用此文件训练的，只对训练时留出的部分计分（${split(n.fraction, n.seed)}）`
        : `note: the model was trained on this file; scoring only the part it held out (${split(n.fraction, n.seed)})`;
    case 'model_saw_all':
      return zh
        ? '警告：模型是用此文件的全部数据训练的，这些数字衡量的是记忆而不是准确率；请用 --holdout 训练'
        : 'warning: the model was trained on all of this file: these figures measure memory, not accuracy; train with --holdout';
    case 'category_map':
      return zh ? `提示：使用内置类别映射 ${n.name}（--map 文件 可指定其他映射）` : `note: using the built-in category map ${n.name} (--map FILE for another)`;
    case 'unmapped_categories':
      return zh
        ? `提示：映射 ${n.map} 不跟踪这些类别，未计入分数：${n.categories.join('、')}`
        : `note: categories not tracked by map ${n.map}, left out of the scores: ${n.categories.join(', ')}`;
    case 'saved':
      return zh ? `提示：结果已记入 ${n.path}（报告的方法附录使用）` : `note: figures recorded in ${n.path} (for the report's methods appendix)`;
    case 'unknown_subjects':
      return zh
        ? `提示：这些主题在方面分类 ${n.taxonomy} 中没有对应方面，规则永远不会预测它们：${n.subjects.join('、')}`
        : `note: subjects with no aspect in taxonomy ${n.taxonomy}, never predicted by the rules: ${n.subjects.join(', ')}`;
  }
}

/** JSON with figures rounded to 4 decimals (counts stay integers). */
function toJson(value: unknown): string {
  return jsonText(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e4) / 1e4 : v));
}

/** One terminal-safe line of at most 120 characters (crawled text may hold escape sequences). */
function oneLine(text: string): string {
  const flat = terminalSafe(text.replace(/\s+/g, ' '));
  return flat.length > 120 ? flat.slice(0, 119) + '…' : flat;
}

function optional<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fraction(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n))
      throw new InputError({
        en: `${flag}: expected a share between 0 and 1 such as 0.5 or 0.2, got "${v}"`,
        zh: `${flag}：应为 0 到 1 之间的比例，例如 0.5 或 0.2，实际为“${v}”`,
      });
    checkFraction(n, flag);
    return n;
  };
}

function nonNegativeInt(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InputError({ en: `${flag}: expected a whole number >= 0, got "${v}"`, zh: `${flag}：应为不小于 0 的整数，实际为“${v}”` });
    return n;
  };
}

function neutralAs(v: string): 'pos' | 'neg' {
  if (v !== 'pos' && v !== 'neg') throw new InputError({ en: `--neutral-as: expected neg or pos, got "${v}"`, zh: `--neutral-as：应为 neg 或 pos，实际为“${v}”` });
  return v;
}
