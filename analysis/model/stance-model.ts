/**
 * The trainable channel-stance calibration: for each channel the rules detected, a softmax over
 * pos / neg / neutral whose only inputs are the rules' own outputs: the channel's stance from the
 * clauses about it, the post's sentiment, the channel itself, and their combinations (no text).
 *
 * Why: people who label reviews read a channel's stance partly from the whole review. When the
 * clauses about 客服 are neutral but the review is a complaint, some label sets call 客服 negative
 * and others neutral; the store praised in a glowing review may be labelled neutral. Which of the
 * rules' two readings a label set follows depends on the channel and on the label set, so it is
 * learnt from the user's own channel gold rather than written into the lexicon (EVALUATION.md:
 * on reviews nobody tuned on, polarity 0.821 -> about 0.85).
 */
import type { ChannelMention, Classification, Polarity } from '../../core/types.js';
import { buildRows } from './features.js';
import { scoreColumns, trainSoftmax, type LinearModel } from './linear.js';

export const STANCE_LABELS: readonly Polarity[] = ['pos', 'neg', 'neutral'];

/** One detected channel with its gold stance. */
export interface StanceExample {
  rules: Pick<Classification, 'channels' | 'sentiment'>;
  mention: ChannelMention;
  gold: Polarity;
}

export interface StanceModel {
  /** The signal tokens seen in training, in column order. */
  tokens: string[];
  /** Softmax over STANCE_LABELS. */
  linear: LinearModel;
  training: { mentions: number; l2: number; ruleAccuracy: number; cvAccuracy: number };
}

/** Fewer labelled mentions teach nothing reliable about three classes. */
export const MIN_STANCE_MENTIONS = 20;

/** Fits the calibration; throws a RangeError below MIN_STANCE_MENTIONS examples. */
export function trainStanceModel(examples: readonly StanceExample[], options: { l2?: number; folds?: number } = {}): StanceModel {
  if (examples.length < MIN_STANCE_MENTIONS)
    throw new RangeError(`${examples.length} labelled channel(s) the rules also detected; the stance model needs at least ${MIN_STANCE_MENTIONS}`);
  // 1e-3 was the best of 1e-3 / 1e-4 in 5-fold cross-validation on the tuning data (0.850 vs 0.849).
  const l2 = options.l2 ?? 1e-3;
  const folds = options.folds ?? 5;
  let right = 0;
  for (let k = 0; k < folds; k++) {
    const part = fit(
      examples.filter((_, i) => i % folds !== k),
      l2,
    );
    examples.forEach((e, i) => {
      if (i % folds === k && predictStance(part, e.rules, e.mention) === e.gold) right++;
    });
  }
  const model = fit(examples, l2);
  const ruleRight = examples.filter((e) => e.mention.polarity === e.gold).length;
  model.training.ruleAccuracy = round(ruleRight / examples.length);
  model.training.cvAccuracy = round(right / examples.length);
  return model;
}

/** The calibrated stance of one detected channel. */
export function predictStance(model: StanceModel, rules: Pick<Classification, 'channels' | 'sentiment'>, mention: ChannelMention): Polarity {
  // The answer depends on four small values only, so it is computed once per combination.
  const channels = new Set(rules.channels.map((x) => x.channel)).size;
  const key = `${mention.channel}\u0001${mention.polarity}\u0001${rules.sentiment.label}\u0001${Math.min(channels, 3)}`;
  let memo = answers.get(model);
  if (!memo) answers.set(model, (memo = new Map()));
  let answer = memo.get(key);
  if (answer === undefined) memo.set(key, (answer = computeStance(model, rules, mention)));
  return answer;
}

const answers = new WeakMap<StanceModel, Map<string, Polarity>>();

function computeStance(model: StanceModel, rules: Pick<Classification, 'channels' | 'sentiment'>, mention: ChannelMention): Polarity {
  const index = tokenIndex(model);
  const columns: number[] = [];
  for (const t of signalTokens(rules, mention)) {
    const c = index.get(t);
    if (c !== undefined) columns.push(c);
  }
  const scores = scoreColumns(model.linear, columns);
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return STANCE_LABELS[best]!;
}

const indexes = new WeakMap<StanceModel, Map<string, number>>();

function tokenIndex(model: StanceModel): Map<string, number> {
  let index = indexes.get(model);
  if (!index) indexes.set(model, (index = new Map(model.tokens.map((t, i) => [t, i]))));
  return index;
}

/**
 * The channels of a classification with calibrated stances. A mention whose stance changes loses
 * its `stanceEvidence`: the deciding word no longer decided it.
 */
export function calibrateStances(model: StanceModel, rules: Pick<Classification, 'channels' | 'sentiment'>): ChannelMention[] {
  return rules.channels.map((m) => {
    const polarity = predictStance(model, rules, m);
    if (polarity === m.polarity) return m;
    const { stanceEvidence: _dropped, ...rest } = m;
    return { ...rest, polarity };
  });
}

/** The rules' outputs a stance is read from, as tokens (`R:` rule stance, `P:` post label...). */
function signalTokens(rules: Pick<Classification, 'channels' | 'sentiment'>, m: ChannelMention): string[] {
  const post = rules.sentiment.label;
  const channels = new Set(rules.channels.map((x) => x.channel)).size;
  return [`R:${m.polarity}`, `P:${post}`, `C:${m.channel}|${m.polarity}`, `CP:${m.channel}|${post}`, `RP:${m.polarity}|${post}`, `N:${Math.min(channels, 3)}`];
}

function fit(examples: readonly StanceExample[], l2: number): StanceModel {
  const index = new Map<string, number>();
  const lists = examples.map((e) =>
    signalTokens(e.rules, e.mention).map((t) => {
      let c = index.get(t);
      if (c === undefined) index.set(t, (c = index.size));
      return c;
    }),
  );
  const x = buildRows(lists, index.size);
  const labels = Int32Array.from(examples, (e) => STANCE_LABELS.indexOf(e.gold));
  const linear = trainSoftmax(x, labels, STANCE_LABELS.length, { l2 });
  return { tokens: [...index.keys()], linear, training: { mentions: examples.length, l2, ruleAccuracy: 0, cvAccuracy: 0 } };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
