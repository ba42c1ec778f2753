/**
 * The trainable breakpoint detector: a logistic regression over character n-grams of the post plus
 * one signal from the rules (did a breakpoint cue fire), trained on the user's own channel gold
 * (part of the channel model of `voc train channels --gold FILE`). It answers "does this post describe a journey that broke
 * between channels?"; which two channels broke is then the rules' pair when a cue fired, else the
 * pair of detected channels that most often broke in the training posts.
 *
 * Why a model on top of the cues: the hand-written cues find breakpoints in the reviews they were
 * written from and few elsewhere (on reviews nobody had read, recall 0.17). The words around a
 * broken hand-off vary too much for a list; a linear model over characters, fitted to labelled
 * posts of the user's own kind, generalises better (EVALUATION.md has the figures).
 *
 * Decision: score > threshold adds a breakpoint; a rule breakpoint is kept unless the score is
 * below threshold - vetoMargin (the model is confident the cue misfired). The threshold is chosen
 * by 5-fold cross-validation inside the training posts, on the same per-post F1 that
 * `voc eval channels` reports, so it needs no held-out data of its own.
 */
import type { Breakpoint, BreakpointKind, ChannelId, Classification } from '../../core/types.js';
import { buildRows, DEFAULT_FEATURES, Vocabulary, type FeatureConfig, type SparseRows } from './features.js';
import { scoreColumns, trainBinary, type LinearModel } from './linear.js';

/** Character 1-2 grams only: no second segmentation per post, and as good as words on our data. */
export const BREAKPOINT_FEATURES: FeatureConfig = { ...DEFAULT_FEATURES, wordNgrams: 0, charNgrams: [1, 2], minDf: 2 };

/** The rule signals a model can use, in column order after the n-grams. */
export const BREAKPOINT_SIGNALS = ['rule_breakpoint'] as const;

const KINDS: readonly BreakpointKind[] = ['inconsistency', 'handoff', 'runaround'];

/** One labelled post: its text, the rules' classification of it, and the gold answer. */
export interface BreakpointExample {
  text: string;
  rules: Pick<Classification, 'channels' | 'breakpoints'>;
  breakpoint: boolean;
  /** Gold pair (two channel ids) of a breakpoint post. */
  channels?: readonly string[];
  kind?: BreakpointKind | null;
}

/** How often a pair of channels, both detected in a training post, was the pair that broke. */
export interface PairStats {
  /** Training posts in which the rules detected both channels. */
  seen: number;
  /** Of those, posts whose gold breakpoint is this pair. */
  broke: number;
  /** Gold kinds of those breakpoints. */
  kinds: Partial<Record<BreakpointKind, number>>;
}

export interface BreakpointModel {
  features: FeatureConfig;
  vocab: Vocabulary;
  signals: string[];
  linear: LinearModel;
  threshold: number;
  vetoMargin: number;
  /** "a+b" (sorted ids) -> statistics. */
  pairs: Record<string, PairStats>;
  /** Most frequent gold kind, for pairs never seen breaking. */
  defaultKind: BreakpointKind;
  training: { posts: number; breakpoints: number; l2: number; cvF1: number };
}

export interface BreakpointTrainOptions {
  l2?: number;
  /** Cross-validation folds for the threshold (default 5). */
  folds?: number;
  vetoMargin?: number;
}

/** Posts needed at the least: fewer breakpoint posts cannot teach anything or set a threshold. */
export const MIN_BREAKPOINT_POSTS = 10;

/** Fits the detector; throws a RangeError when there are too few breakpoint or other posts. */
export function trainBreakpointModel(examples: readonly BreakpointExample[], options: BreakpointTrainOptions = {}): BreakpointModel {
  const positives = examples.filter((e) => e.breakpoint).length;
  if (positives < MIN_BREAKPOINT_POSTS || examples.length - positives < MIN_BREAKPOINT_POSTS)
    throw new RangeError(
      `${positives} breakpoint post(s) and ${examples.length - positives} other(s); the model needs at least ${MIN_BREAKPOINT_POSTS} of each`,
    );
  const l2 = options.l2 ?? 1e-4;
  const folds = options.folds ?? 5;
  const vetoMargin = options.vetoMargin ?? 1;
  // Out-of-fold scores and pair statistics (fold = index mod folds, so the split is fixed by the
  // file order): the threshold is chosen on posts the scorer and the pair counts never saw.
  const outOfFold = new Float64Array(examples.length);
  const foldPairs: Array<Record<string, PairStats>> = [];
  for (let k = 0; k < folds; k++) {
    const part = examples.filter((_, i) => i % folds !== k);
    const scorer = fitScorer(part, l2);
    foldPairs.push(pairStatistics(part));
    examples.forEach((e, i) => {
      if (i % folds === k) outOfFold[i] = scorer(e);
    });
  }
  // The threshold whose neighbourhood (itself and the steps either side) has the best mean
  // cross-validated F1; ties, the middle one. The F1 curve over thresholds is noisy with a hundred
  // or so breakpoint posts, and its single highest point is often at the edge of a plateau, where
  // a small shift in new data falls off; the neighbourhood mean picks the middle of the plateau.
  const grid: Array<{ threshold: number; f1: number }> = [];
  for (let step = -12; step <= 12; step++) {
    const threshold = step / 4;
    grid.push({ threshold, f1: postF1(examples, (e, i) => decide({ pairs: foldPairs[i % folds]!, threshold, vetoMargin, defaultKind: 'handoff' }, outOfFold[i]!, e.text, e.rules)) });
  }
  const smoothed = grid.map((g, i) => {
    const near = grid.slice(Math.max(0, i - 1), i + 2);
    return { ...g, mean: near.reduce((a, n) => a + n.f1, 0) / near.length };
  });
  const bestMean = Math.max(...smoothed.map((g) => g.mean));
  const tied = smoothed.filter((g) => g.mean === bestMean);
  const best = tied[Math.floor((tied.length - 1) / 2)]!;
  const { vocab, linear } = fit(examples, l2);
  return {
    features: BREAKPOINT_FEATURES,
    vocab,
    signals: [...BREAKPOINT_SIGNALS],
    linear,
    threshold: best.threshold,
    vetoMargin,
    pairs: pairStatistics(examples),
    defaultKind: majorityKind(examples),
    training: { posts: examples.length, breakpoints: positives, l2, cvF1: Math.round(best.f1 * 1000) / 1000 },
  };
}

/** The model's score (log-odds of "breakpoint") for a post the rules classified as `rules`. */
export function breakpointScore(model: Pick<BreakpointModel, 'features' | 'vocab' | 'signals' | 'linear'>, text: string, rules: BreakpointExample['rules']): number {
  return scoreColumns(model.linear, columnsOf(model, text, rules))[0]!;
}

/** The breakpoints of a post: the rules' (unless vetoed) or the model's own, or none. */
export function predictBreakpoints(model: BreakpointModel, text: string, rules: BreakpointExample['rules']): Breakpoint[] {
  // Nothing to keep or veto and no pair to add: the score could not change the answer.
  if (rules.breakpoints.length === 0 && !hasTwoChannels(rules.channels)) return [];
  return decide(model, breakpointScore(model, text, rules), text, rules);
}

function hasTwoChannels(mentions: Classification['channels']): boolean {
  for (const m of mentions) if (m.channel !== mentions[0]!.channel) return true;
  return false;
}

type Decider = Pick<BreakpointModel, 'pairs' | 'threshold' | 'vetoMargin' | 'defaultKind'>;

function decide(model: Decider, score: number, text: string, rules: BreakpointExample['rules']): Breakpoint[] {
  if (rules.breakpoints.length > 0) return score > model.threshold - model.vetoMargin ? rules.breakpoints : [];
  if (score <= model.threshold) return [];
  const pair = likeliestPair(model.pairs, rules.channels);
  if (!pair) return [];
  const stats = model.pairs[pair.join('+')];
  return [{ channels: pair, kind: majority(stats?.kinds) ?? model.defaultKind, cue: 'model', evidence: evidenceOf(text, rules.channels, pair) }];
}

/**
 * The detected pair that broke most often in training (smoothed), less a small amount per character
 * between the two channels' mentions: a hand-off is told in one breath (问了客服，客服让去门店), and
 * of two pairs that break about as often the closer one is more often the gold pair (57-59 of 77
 * against 51 of 77 by rate alone, cross-validated in the tuning data). Ties by first mention.
 */
function likeliestPair(pairs: Record<string, PairStats>, mentions: Classification['channels']): [ChannelId, ChannelId] | undefined {
  const first = new Map<ChannelId, number>();
  for (const m of mentions) if (!first.has(m.channel)) first.set(m.channel, m.evidence.start);
  const order = [...first.keys()];
  let best: { pair: [ChannelId, ChannelId]; rank: number } | undefined;
  for (let i = 0; i < order.length; i++)
    for (let j = i + 1; j < order.length; j++) {
      const pair = [order[i]!, order[j]!].sort() as [ChannelId, ChannelId];
      const s = pairs[pair.join('+')];
      // Add-half smoothing over a prior of five posts: an unseen pair ranks below any pair that broke.
      const rate = ((s?.broke ?? 0) + 0.5) / ((s?.seen ?? 0) + 5);
      const rank = rate - DISTANCE_PENALTY * Math.abs(first.get(order[i]!)! - first.get(order[j]!)!);
      if (!best || rank > best.rank) best = { pair, rank };
    }
  return best?.pair;
}

/** Rank lost per character between two mentions (0.3 per 100 characters). */
const DISTANCE_PENALTY = 0.003;

/**
 * The sentences from the first to the last of the two channels' closest mentions: the words a
 * reader needs to see the hand-off. Mentions give one span per channel, so this is that range,
 * widened to sentence ends and cut to 200 characters around the later mention when longer.
 */
function evidenceOf(text: string, mentions: Classification['channels'], pair: [ChannelId, ChannelId]): Breakpoint['evidence'] {
  const spans = mentions.filter((m) => pair.includes(m.channel)).map((m) => m.evidence);
  let start = Math.min(...spans.map((s) => s.start));
  let end = Math.max(...spans.map((s) => s.end));
  while (start > 0 && !SENTENCE_END.test(text[start - 1]!)) start--;
  while (end < text.length && !SENTENCE_END.test(text[end - 1] ?? '')) end++;
  if (end - start > 200) start = Math.max(start, end - 200);
  return { start, end, text: text.slice(start, end) };
}

const SENTENCE_END = /[。！？!?；;\n]/;

function pairStatistics(examples: readonly BreakpointExample[]): Record<string, PairStats> {
  const out: Record<string, PairStats> = {};
  for (const e of examples) {
    const detected = [...new Set(e.rules.channels.map((m) => m.channel))].sort();
    const gold = e.breakpoint && e.channels?.length === 2 ? [...e.channels].sort().join('+') : undefined;
    for (let i = 0; i < detected.length; i++)
      for (let j = i + 1; j < detected.length; j++) {
        const key = `${detected[i]}+${detected[j]}`;
        const s = (out[key] ??= { seen: 0, broke: 0, kinds: {} });
        s.seen++;
        if (key === gold) {
          s.broke++;
          if (e.kind) s.kinds[e.kind] = (s.kinds[e.kind] ?? 0) + 1;
        }
      }
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}

function majority(kinds: Partial<Record<BreakpointKind, number>> | undefined): BreakpointKind | undefined {
  let best: BreakpointKind | undefined;
  for (const k of KINDS) if ((kinds?.[k] ?? 0) > 0 && (!best || kinds![k]! > kinds![best]!)) best = k;
  return best;
}

function majorityKind(examples: readonly BreakpointExample[]): BreakpointKind {
  const counts: Partial<Record<BreakpointKind, number>> = {};
  for (const e of examples) if (e.breakpoint && e.kind) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return majority(counts) ?? 'handoff';
}

/** Per-post breakpoint F1 as `voc eval channels` counts it (a hit needs the gold pair). */
function postF1(examples: readonly BreakpointExample[], predict: (e: BreakpointExample, i: number) => Breakpoint[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  examples.forEach((e, i) => {
    const predicted = predict(e, i);
    const gold = new Set(e.channels ?? []);
    const hit = e.breakpoint && predicted.some((b) => gold.has(b.channels[0]) && gold.has(b.channels[1]));
    if (hit) tp++;
    else {
      if (e.breakpoint) fn++;
      if (predicted.length) fp++;
    }
  });
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

function columnsOf(model: Pick<BreakpointModel, 'features' | 'vocab' | 'signals'>, text: string, rules: BreakpointExample['rules']): number[] {
  const cols = model.vocab.columns(text, model.features);
  model.signals.forEach((signal, k) => {
    if (signalFires(signal, rules)) cols.push(model.vocab.size + k);
  });
  return cols;
}

function signalFires(signal: string, rules: BreakpointExample['rules']): boolean {
  return signal === 'rule_breakpoint' && rules.breakpoints.length > 0;
}

function fit(examples: readonly BreakpointExample[], l2: number): { vocab: Vocabulary; linear: LinearModel } {
  const { vocab, matrix } = Vocabulary.fit(
    examples.map((e) => e.text),
    BREAKPOINT_FEATURES,
  );
  const signals = { features: BREAKPOINT_FEATURES, vocab, signals: [...BREAKPOINT_SIGNALS] };
  const x = withSignals(matrix, examples, signals);
  // Balanced classes: breakpoint posts are a few percent of reviews.
  const positives = examples.filter((e) => e.breakpoint).length;
  const n = examples.length;
  const weights = Float64Array.from(examples, (e) => (e.breakpoint ? n / (2 * positives) : n / (2 * (n - positives))));
  const linear = trainBinary(x, Uint8Array.from(examples, (e) => (e.breakpoint ? 1 : 0)), { l2, sampleWeights: weights });
  return { vocab, linear };
}

function fitScorer(examples: readonly BreakpointExample[], l2: number): (e: BreakpointExample) => number {
  const { vocab, linear } = fit(examples, l2);
  const model = { features: BREAKPOINT_FEATURES, vocab, signals: [...BREAKPOINT_SIGNALS], linear };
  return (e) => breakpointScore(model, e.text, e.rules);
}

/** The n-gram rows with the signal columns appended, re-normalised as Vocabulary rows are. */
function withSignals(m: SparseRows, examples: readonly BreakpointExample[], model: Pick<BreakpointModel, 'vocab' | 'signals'>): SparseRows {
  const lists = examples.map((e, i) => {
    const cols = Array.from(m.indices.subarray(m.indptr[i]!, m.indptr[i + 1]!));
    model.signals.forEach((signal, k) => {
      if (signalFires(signal, e.rules)) cols.push(model.vocab.size + k);
    });
    return cols;
  });
  return buildRows(lists, model.vocab.size + model.signals.length);
}
