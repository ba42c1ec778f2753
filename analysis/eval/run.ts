/**
 * File-to-figures runners behind `voc eval`: read the labelled file, build the rule classifier for
 * the config (with a brand whose aspect taxonomy fits the data), plug in a trained model when one is
 * given, classify every text and score. Notes worth telling the user (a model scored on its own
 * training data, unmapped categories) come back in `notes`.
 */
import { standInBrand, type AspectAddition } from '../../core/config.js';
import { InputError } from '../../core/errors.js';
import type { Classification } from '../../core/types.js';
import { createClassifier, type Classifier } from '../classifier.js';
import type { LexiconConfig } from '../effective.js';
import { loadLexicons } from '../lexicons.js';
import { predictAspects } from '../model/aspect-model.js';
import { applyChannelModel } from '../model/channel-model.js';
import { predictSentiment } from '../model/sentiment-model.js';
import { loadModel, sha256, type LoadedModel } from '../model/serialize.js';
import { aspectsHoldout, goldHoldout, sentimentHoldout } from '../model/train.js';
import { evalAspects, ruleSubjects, type AspectEvalResult, type SubjectPrediction } from './aspects.js';
import { compareWithRules, scoreChannels, type ChannelEvalResult, type RulesComparison } from './channels.js';
import { detectCategoryMap, loadCategoryMap, mapAspects, subjectAspectMap, type CategoryMap } from './maps.js';
import { readAspectsCsv, readChannelGold, readInputFile, readSentimentCsv } from './readers.js';
import { evalSemeval, readSemevalXml, sentenceSentiment, type SemevalEvalResult } from './semeval.js';
import { evalSentiment, labelStances, ruleLabel, type SentimentEvalResult } from './sentiment.js';
import { splitHoldout, type HoldoutSpec } from './split.js';

export type EvalConfig = LexiconConfig;

/** Id of the brand the eval adds to the config to pick an aspect taxonomy. */
export const EVAL_BRAND = 'voc-eval';

export interface RunOptions {
  config: EvalConfig;
  /** Lexicon folder (default: the shipped lexicons). */
  lexiconDir?: string;
}

/** Something the user should know about a run; the CLI words it in their language. */
export type EvalNote =
  | { code: 'holdout_from_model'; fraction: number; seed?: number }
  | { code: 'model_saw_all' }
  | { code: 'category_map'; name: string }
  | { code: 'unmapped_categories'; map: string; categories: string[] }
  | { code: 'unknown_subjects'; taxonomy: string; subjects: string[] }
  | { code: 'saved'; path: string };

export interface Noted<T> {
  result: T;
  notes: EvalNote[];
}

/** A classifier for `config` plus a brand using `taxonomy` (extra aspect keywords merged in). */
export function evalClassifier(opts: RunOptions, taxonomy: string, extraAspects: Record<string, AspectAddition> = {}): Classifier {
  const aspects = { ...opts.config.aspects };
  if (Object.keys(extraAspects).length) aspects[taxonomy] = { ...extraAspects, ...(aspects[taxonomy] ?? {}) };
  const brand = standInBrand(EVAL_BRAND, taxonomy);
  return createClassifier(
    {
      brands: [...opts.config.brands.filter((b) => b.id !== EVAL_BRAND), brand],
      channels: opts.config.channels,
      aspects,
      ...(opts.config.lexicon ? { lexicon: opts.config.lexicon } : {}),
    },
    opts.lexiconDir ? { lexiconDir: opts.lexiconDir } : {},
  );
}

function classifyAll(classifier: Classifier, texts: string[]): Classification[] {
  return texts.map((text, i) => classifier.classify({ id: `eval:${i}`, text, brand: EVAL_BRAND }));
}

// ---------------------------------------------------------------------------------------------

export interface ChannelRunOptions extends RunOptions {
  gold: string;
  /** Folder of the public corpora, for gold rows stored without their text (readChannelGold). */
  texts?: string;
  /** Error examples kept per error class. */
  examples?: number;
  /** model.json of `voc train channels`: channel stances and breakpoints on top of the rules. */
  model?: string;
  /** Score only the held-out part (the same split `voc train channels --holdout` makes). */
  holdout?: number;
  seed?: number;
}

/** `voc eval channels --gold FILE [--model M]`. */
export function runChannelsEval(opts: ChannelRunOptions): Noted<ChannelEvalResult & { predictor: string; holdout?: HoldoutSpec; compared_with_rules?: RulesComparison }> {
  const notes: EvalNote[] = [];
  const rows = readChannelGold(opts.gold, opts.texts ? { texts: opts.texts } : {});
  const model = opts.model ? loadModel(opts.model, 'channels') : undefined;
  const holdout = chooseHoldout({ ...opts, data: opts.gold }, model, notes, goldHoldout);
  const scored = holdout ? splitHoldout(rows, holdout).heldOut : rows;
  const classifier = evalClassifier(opts, 'retail');
  const rulesPredictions = classifyAll(
    classifier,
    scored.map((r) => r.text),
  );
  const withModel = model && model.task === 'channels' ? rulesPredictions.map((c, i) => applyChannelModel(model, scored[i]!.text, c)) : undefined;
  const predictor = model ? `rules ${classifier.lexiconVersion} + channel model ${opts.model}` : `rules ${classifier.lexiconVersion}`;
  const scoredPredictions = scoreChannels(scored, withModel ?? rulesPredictions, { examples: opts.examples ?? 0 });
  const { result } = scoredPredictions;
  // The model changes stances and breakpoints only: those two figures, against the rules on the same posts.
  const compared: RulesComparison | undefined = withModel ? compareWithRules(scoreChannels(scored, rulesPredictions), scoredPredictions) : undefined;
  return { result: { ...result, predictor, ...(holdout ? { holdout } : {}), ...(compared ? { compared_with_rules: compared } : {}) }, notes };
}

// ---------------------------------------------------------------------------------------------

export interface ModelRunOptions extends RunOptions {
  data: string;
  /** model.json of `voc train`; without it the rule classifier is scored. */
  model?: string;
  /** Score only the held-out part (the same split `voc train --holdout` makes). */
  holdout?: number;
  seed?: number;
}

export interface SentimentRunOptions extends ModelRunOptions {
  /** Label a neutral rule classification as this (files without a neutral label; default neg). */
  neutralAs?: 'pos' | 'neg';
}

export type SentimentRunResult = SentimentEvalResult & {
  skipped: number;
  predictor: string;
  holdout?: HoldoutSpec;
  /** Rules only: gold label -> the classifier's own post label (pos/neg/mixed/neutral) -> count. */
  rule_labels?: Record<string, Record<string, number>>;
  /** Rules only: the stance a neutral post counted as (`--neutral-as`). */
  neutral_as?: 'pos' | 'neg';
};

/** `voc eval sentiment --data FILE [--model M]`. */
export function runSentimentEval(opts: SentimentRunOptions): Noted<SentimentRunResult> {
  const notes: EvalNote[] = [];
  const { rows, skipped } = readSentimentCsv(opts.data);
  const model = opts.model ? loadModel(opts.model, 'sentiment') : undefined;
  const holdout = chooseHoldout(opts, model, notes, sentimentHoldout);
  const scored = holdout ? splitHoldout(rows, holdout).heldOut : rows;
  // The classifier is built even with a model: it teaches jieba the lexicon words, as in training.
  const classifier = evalClassifier(opts, 'retail');
  let predicted: string[];
  let ruleLabels: Record<string, Record<string, number>> | undefined;
  if (model && model.task === 'sentiment') {
    const known = new Set(model.labels);
    const foreign = [...new Set(scored.map((r) => r.label))].filter((l) => !known.has(l));
    if (foreign.length)
      throw new InputError({
        en: `${opts.data}: label ${foreign.map((l) => `"${l}"`).join(', ')} unknown to the model ${opts.model} (it knows ${model.labels.join(', ')})`,
        zh: `${opts.data}：模型 ${opts.model} 不认识标签 ${foreign.map((l) => `“${l}”`).join('、')}（它认识的标签：${model.labels.join('、')}）`,
      });
    predicted = scored.map((r) => predictSentiment(model, r.text).label);
  } else {
    const stances = labelStances(
      rows.map((r) => r.label),
      opts.data,
    );
    const classified = classifyAll(
      classifier,
      scored.map((r) => r.text),
    );
    predicted = classified.map((c) => ruleLabel(c, stances, opts.neutralAs ?? 'neg'));
    ruleLabels = {};
    classified.forEach((c, i) => {
      const row = (ruleLabels![scored[i]!.label] ??= {});
      row[c.sentiment.label] = (row[c.sentiment.label] ?? 0) + 1;
    });
  }
  const result: SentimentRunResult = {
    ...evalSentiment(scored, predicted),
    skipped,
    predictor: model ? `model ${opts.model}` : `rules ${classifier.lexiconVersion}`,
    ...(holdout ? { holdout } : {}),
    ...(ruleLabels ? { rule_labels: ruleLabels, neutral_as: opts.neutralAs ?? 'neg' } : {}),
  };
  return { result, notes };
}

// ---------------------------------------------------------------------------------------------

export interface AspectRunOptions extends ModelRunOptions {
  /** Aspect taxonomy of the rule classifier (default car). */
  taxonomy?: string;
}

export type AspectRunResult = AspectEvalResult & { rows: number; predictor: string; holdout?: HoldoutSpec };

/** `voc eval aspects --data FILE [--model M]`. */
export function runAspectsEval(opts: AspectRunOptions): Noted<AspectRunResult> {
  const notes: EvalNote[] = [];
  const { posts, rows } = readAspectsCsv(opts.data);
  const model = opts.model ? loadModel(opts.model, 'aspects') : undefined;
  const holdout = chooseHoldout(opts, model, notes, aspectsHoldout);
  const scored = holdout ? splitHoldout(posts, holdout).heldOut : posts;
  const taxonomy = opts.taxonomy ?? 'car';
  const classifier = evalClassifier(opts, taxonomy);
  let predicted: SubjectPrediction[][];
  if (model && model.task === 'aspects') {
    predicted = scored.map((p) => predictAspects(model, p.text).map((a) => ({ subject: a.subject, sentiment: a.sentiment })));
  } else {
    const known = classifier.lexicons.aspects[taxonomy];
    if (!known)
      throw new InputError({
        en: `--taxonomy: unknown aspect taxonomy "${taxonomy}"; expected one of ${Object.keys(classifier.lexicons.aspects).join(', ')}`,
        zh: `--taxonomy：未知的方面分类“${taxonomy}”；应为以下之一：${Object.keys(classifier.lexicons.aspects).join('、')}`,
      });
    const subjects = [...new Set(posts.flatMap((p) => p.labels.map((l) => l.subject)))];
    const toAspect = subjectAspectMap(subjects, classifier.lexicons, taxonomy);
    const unknown = subjects.filter((s) => !known[toAspect.get(s)!]);
    if (unknown.length) notes.push({ code: 'unknown_subjects', taxonomy, subjects: unknown });
    const toSubject = new Map([...toAspect].map(([s, a]) => [a, s]));
    predicted = classifyAll(
      classifier,
      scored.map((p) => p.text),
    ).map((c) => ruleSubjects(c, toSubject));
  }
  const result: AspectRunResult = {
    ...evalAspects(scored, predicted),
    rows,
    predictor: model ? `model ${opts.model}` : `rules ${classifier.lexiconVersion} (taxonomy ${taxonomy})`,
    ...(holdout ? { holdout } : {}),
  };
  return { result, notes };
}

// ---------------------------------------------------------------------------------------------

export interface SemevalRunOptions extends RunOptions {
  data: string;
  /** Built-in map name (phone, camera, laptop, restaurant) or YAML file. */
  map?: string;
}

/** `voc eval semeval --data FILE.xml [--map FILE]`. */
export function runSemevalEval(opts: SemevalRunOptions): Noted<SemevalEvalResult> {
  const notes: EvalNote[] = [];
  const sentences = readSemevalXml(opts.data);
  const categories = [...new Set(sentences.flatMap((s) => s.categories.map((c) => c.category)))];
  const detected = detectCategoryMap(categories);
  let map: CategoryMap;
  if (opts.map) {
    map = loadCategoryMap(opts.map, detected);
  } else if (detected) {
    map = detected;
    notes.push({ code: 'category_map', name: detected.name });
  } else {
    throw new InputError({
      en: `${opts.data}: no aspect categories voc has a map for; pass --map phone|camera|laptop|restaurant or --map FILE.yaml (CATEGORY: aspect_id)`,
      zh: `${opts.data}：其中的方面类别 voc 都没有对应的映射；请指定 --map phone|camera|laptop|restaurant，或 --map FILE.yaml（CATEGORY: aspect_id）`,
    });
  }
  const classifier = evalClassifier(opts, map.taxonomy, mapAspects(map, loadLexicons(opts.lexiconDir)));
  const classified = classifyAll(
    classifier,
    sentences.map((s) => s.text),
  );
  const result = {
    ...evalSemeval(
      sentences,
      classified.map((c) => c.aspects),
      map,
    ),
    sentence_sentiment: sentenceSentiment(
      sentences,
      classified.map((c) => c.sentiment.label),
    ),
  };
  const unmapped = Object.keys(result.unmapped);
  if (unmapped.length) notes.push({ code: 'unmapped_categories', map: map.name, categories: unmapped });
  return { result, notes };
}

// ---------------------------------------------------------------------------------------------

/**
 * The part of the file to score. An explicit --holdout wins; else, when the model was trained on
 * this very file with a held-out part, that part is scored (and said so); else everything, with a
 * warning when the model saw all of it.
 */
function chooseHoldout(
  opts: ModelRunOptions,
  model: LoadedModel | undefined,
  notes: EvalNote[],
  rule: (fraction: number, seed?: number) => HoldoutSpec,
): HoldoutSpec | undefined {
  if (opts.holdout !== undefined) return rule(opts.holdout, opts.seed);
  if (!model?.note.dataSha256) return undefined;
  const same = model.note.dataSha256 === sha256(readInputFile(opts.data, { en: 'data file', zh: '数据文件' }));
  if (!same) return undefined;
  if (model.note.holdout) {
    const h = model.note.holdout;
    notes.push({ code: 'holdout_from_model', fraction: h.fraction, ...(h.seed !== undefined ? { seed: h.seed } : {}) });
    return h;
  }
  notes.push({ code: 'model_saw_all' });
  return undefined;
}
