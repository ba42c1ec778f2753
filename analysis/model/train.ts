/**
 * `voc train sentiment|aspects|channels`: read a labelled file, optionally hold part of it out, fit the
 * model, score it on the held-out part and write model.json.
 *
 * Splits: sentiment files are shuffled with a seed (default 1) before the last `holdout` share is
 * held out (the public corpora are sorted by label); aspect files are held out by post, keeping
 * file order (the last share of posts), unless a seed is given; channel gold files are shuffled with
 * a seed (default 1), as they are often grouped by sample. `voc eval` uses the same rule, so
 * `--holdout` and `--seed` given to both cut the file in the same place.
 */
import { basename } from 'node:path';
import { errorText, InputError } from '../../core/errors.js';
import type { Classification } from '../../core/types.js';
import type { Classifier } from '../classifier.js';
import { evalAspects, type AspectEvalResult } from '../eval/aspects.js';
import { compareWithRules, scoreChannels, type ChannelEvalResult, type RulesComparison } from '../eval/channels.js';
import { readAspectsCsv, readChannelGold, readInputFile, readSentimentCsv } from '../eval/readers.js';
import { evalSentiment, type SentimentEvalResult } from '../eval/sentiment.js';
import { splitHoldout, type HoldoutSpec } from '../eval/split.js';
import { predictAspects, trainAspectModel, type AspectModel } from './aspect-model.js';
import { applyChannelModel, trainChannelModel, type ChannelModel, type SkippedPart } from './channel-model.js';
import { saveModel, sha256, type TrainingNote } from './serialize.js';
import { predictSentiment, trainSentimentModel, type SentimentModel } from './sentiment-model.js';

/** Seed of the sentiment split when none is given. */
export const DEFAULT_SENTIMENT_SEED = 1;

export interface TrainFileOptions {
  /** Labelled CSV. */
  data: string;
  /** Where model.json goes. */
  out: string;
  /** Share held out for evaluation (0 < h < 1); none = train on everything. */
  holdout?: number;
  seed?: number;
  /** Lexicon version of this process (recorded in the model). */
  lexiconVersion?: string;
  /** Brand id the rule classifier classifies for (channels only). */
  brand?: string;
}

export interface TrainReport<R> {
  task: 'sentiment' | 'aspects' | 'channels';
  out: string;
  /** Rows (sentiment) or posts (aspects) trained on. */
  trained: number;
  heldOut: number;
  /** Vocabulary size (features kept). */
  features: number;
  seconds: number;
  /** Scores on the held-out part, when there is one. */
  evaluation?: R;
  holdout?: HoldoutSpec;
}

/** The split rule of sentiment files (seeded shuffle, default seed 1). */
export function sentimentHoldout(fraction: number, seed?: number): HoldoutSpec {
  return { fraction, seed: seed ?? DEFAULT_SENTIMENT_SEED };
}

/** The split rule of aspect files (file order unless a seed is given). */
export function aspectsHoldout(fraction: number, seed?: number): HoldoutSpec {
  return seed === undefined ? { fraction } : { fraction, seed };
}

/** Trains a sentiment model from a `label,review` CSV and writes it to `out`. */
export function trainSentimentFile(opts: TrainFileOptions): TrainReport<SentimentEvalResult> & { model: SentimentModel } {
  const started = process.hrtime.bigint();
  const { rows } = readSentimentCsv(opts.data);
  const holdout = opts.holdout !== undefined ? sentimentHoldout(opts.holdout, opts.seed) : undefined;
  const { train, heldOut } = holdout ? splitHoldout(rows, holdout) : { train: rows, heldOut: [] };
  const labels = [...new Set(train.map((r) => r.label))];
  if (labels.length < 2)
    throw new InputError({
      en: `${opts.data}: the training part has ${labels.length ? `only the label "${labels[0]}"` : 'no rows'}; a sentiment model needs reviews of at least two labels (1 and 0)`,
      zh: `${opts.data}：训练部分${labels.length ? `只有标签“${labels[0]}”` : '没有数据行'}；情感模型需要至少两种标签（1 和 0）的评论`,
    });
  const model = trainSentimentModel(train.map((r) => ({ text: r.text, label: r.label })));
  return finishTraining('sentiment', opts, started, model, holdout, train.length, heldOut, (part) =>
    evalSentiment(
      part,
      part.map((r) => predictSentiment(model, r.text).label),
    ),
  );
}

/** Trains an aspect model from a `content_id,content,subject,sentiment_value` CSV and writes it to `out`. */
export function trainAspectsFile(opts: TrainFileOptions): TrainReport<AspectEvalResult> & { model: AspectModel } {
  const started = process.hrtime.bigint();
  const { posts } = readAspectsCsv(opts.data);
  const holdout = opts.holdout !== undefined ? aspectsHoldout(opts.holdout, opts.seed) : undefined;
  const { train, heldOut } = holdout ? splitHoldout(posts, holdout) : { train: posts, heldOut: [] };
  if (train.length < 2)
    throw new InputError({
      en: `${opts.data}: the training part has ${train.length} post(s); an aspect model needs more labelled posts`,
      zh: `${opts.data}：训练部分只有 ${train.length} 条帖子；方面模型需要更多已标注的帖子`,
    });
  const model = trainAspectModel(train.map((p) => ({ text: p.text, labels: p.labels.map((l) => ({ subject: l.subject, sentiment: l.sentiment })) })));
  return finishTraining('aspects', opts, started, model, holdout, train.length, heldOut, (part) =>
    evalAspects(
      part,
      part.map((p) => predictAspects(model, p.text).map((a) => ({ subject: a.subject, sentiment: a.sentiment }))),
    ),
  );
}

/** The split rule of channel gold files: the sentiment rule (seeded shuffle, default seed 1), as
 *  gold files are often grouped by sample. */
export const goldHoldout = sentimentHoldout;

export interface ChannelTrainFileOptions extends TrainFileOptions {
  /** Folder of the public corpora, for gold rows stored without their text. */
  texts?: string;
  /** The rule classifier of this config: the model learns on top of its classifications. */
  classifier: Classifier;
}

/** Trains a channel model (stances, breakpoints) from a channel gold JSONL file. */
export function trainChannelsFile(opts: ChannelTrainFileOptions): TrainReport<ChannelEvalResult> & { model: ChannelModel; skipped: SkippedPart[]; rulesEvaluation?: ChannelEvalResult; compared_with_rules?: RulesComparison } {
  const started = process.hrtime.bigint();
  const rows = readChannelGold(opts.data, opts.texts ? { texts: opts.texts } : {});
  const holdout = opts.holdout !== undefined ? goldHoldout(opts.holdout, opts.seed) : undefined;
  const { train, heldOut } = holdout ? splitHoldout(rows, holdout) : { train: rows, heldOut: [] };
  const classify = (text: string, i: number): Classification => opts.classifier.classify({ id: `train:${i}`, text, brand: opts.brand ?? '' });
  let model: ChannelModel;
  try {
    model = trainChannelModel(
      train.map((r, i) => ({
        text: r.text,
        rules: classify(r.text, i),
        channels: r.channels,
        breakpoint: r.breakpoint,
        breakpointChannels: r.breakpoint_channels,
        breakpointKind: r.breakpoint_kind ?? null,
      })),
    );
  } catch (err) {
    if (err instanceof RangeError)
      throw new InputError({
        en: `${opts.data}: nothing to learn from the training part (${err.message}); label more posts, or hold out less`,
        zh: `${opts.data}：训练部分没有可学习的内容（${errorText(err, 'zh-CN')}）；请标注更多帖子，或调小 --holdout`,
      });
    throw err;
  }
  // The rules alone on the same held-out posts, so the report can say what the model added.
  let rules: ChannelEvalResult | undefined;
  let compared: RulesComparison | undefined;
  const report = finishTraining('channels', opts, started, model, holdout, train.length, heldOut, (part) => {
    const classified = part.map((r, i) => classify(r.text, i));
    const byRules = scoreChannels(part, classified);
    const byModel = scoreChannels(
      part,
      classified.map((c, i) => applyChannelModel(model, part[i]!.text, c)),
    );
    rules = byRules.result;
    compared = compareWithRules(byRules, byModel);
    return byModel.result;
  });
  return { ...report, skipped: model.skipped, ...(rules ? { rulesEvaluation: rules } : {}), ...(compared ? { compared_with_rules: compared } : {}) };
}

/** Writes the model, scores it on the held-out part (if any) and reports what was done. */
function finishTraining<M extends SentimentModel | AspectModel | ChannelModel, Row, R>(
  task: 'sentiment' | 'aspects' | 'channels',
  opts: TrainFileOptions,
  started: bigint,
  model: M,
  holdout: HoldoutSpec | undefined,
  trained: number,
  heldOut: Row[],
  score: (heldOut: Row[]) => R,
): TrainReport<R> & { model: M } {
  // A vocabulary keeps only n-grams found in at least `minDf` training rows; with none kept the
  // model could only ever answer its prior, so no file is written that looks like a trained model.
  if (model.task !== 'channels' && model.vocab.size === 0)
    throw new InputError({
      en: `${opts.data}: no word or character occurs in ${model.features.minDf} or more of the ${trained} training row(s), so the model would learn nothing; label more ${task === 'sentiment' ? 'reviews' : 'posts'}`,
      zh: `${opts.data}：${trained} 条训练数据中，没有任何词或字出现在 ${model.features.minDf} 条及以上，模型学不到东西；请标注更多${task === 'sentiment' ? '评论' : '帖子'}`,
    });
  saveModel(model, opts.out, note(opts, holdout));
  const evaluation = heldOut.length ? score(heldOut) : undefined;
  return {
    task,
    out: opts.out,
    trained,
    heldOut: heldOut.length,
    // A channel model's features: its breakpoint n-grams and the stance signals.
    features: model.task === 'channels' ? (model.breakpoints?.vocab.size ?? 0) + (model.stance?.tokens.length ?? 0) : model.vocab.size,
    seconds: seconds(started),
    ...(evaluation ? { evaluation } : {}),
    ...(holdout ? { holdout } : {}),
    model,
  };
}

function note(opts: TrainFileOptions, holdout: HoldoutSpec | undefined): TrainingNote {
  return {
    dataFile: basename(opts.data),
    dataSha256: sha256(readInputFile(opts.data, { en: 'training file', zh: '训练文件' })),
    ...(holdout ? { holdout } : {}),
    ...(opts.lexiconVersion ? { lexiconVersion: opts.lexiconVersion } : {}),
  };
}

function seconds(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
}
