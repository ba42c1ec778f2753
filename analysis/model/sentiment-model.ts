/**
 * The trainable sentiment model: logistic regression (softmax for three labels or more) over word
 * and character n-grams. `voc train sentiment` fits it on the user's own labelled reviews; the
 * classifier (through `withModels`) then takes the post label from it instead of the lexicon.
 */
import { DEFAULT_FEATURES, Vocabulary, type FeatureConfig, type SparseRows } from './features.js';
import { probabilities, scoreColumns, trainBinary, trainSoftmax, type LinearModel } from './linear.js';

export interface SentimentExample {
  text: string;
  label: string;
}

export interface SentimentTrainOptions {
  features?: Partial<FeatureConfig>;
  /** L2 strength per example (default 1e-5). */
  l2?: number;
  /** Scale features by their naive-Bayes log-count ratio before fitting (NB-LR; binary only). */
  nbScaling?: boolean;
}

/** A trained sentiment model (in memory; see serialize.ts for model.json). */
export interface SentimentModel {
  task: 'sentiment';
  features: FeatureConfig;
  vocab: Vocabulary;
  /** Label values as in the training file, sorted; a binary model's positive class is labels[1]. */
  labels: string[];
  linear: LinearModel;
  training: { rows: number; labelCounts: Record<string, number>; l2: number };
}

export interface SentimentPrediction {
  label: string;
  /** Probability of each label, in `model.labels` order. */
  probabilities: number[];
}

export const DEFAULT_SENTIMENT_L2 = 1e-5;

/** Fits a sentiment model on labelled texts (at least two distinct labels). */
export function trainSentimentModel(examples: SentimentExample[], options: SentimentTrainOptions = {}): SentimentModel {
  const features = { ...DEFAULT_FEATURES, ...options.features };
  const l2 = options.l2 ?? DEFAULT_SENTIMENT_L2;
  const labels = sortLabels([...new Set(examples.map((e) => e.label))]);
  if (labels.length < 2) throw new RangeError(`sentiment training needs at least two labels, got ${labels.join(', ') || 'none'}`);
  const { vocab, matrix } = Vocabulary.fit(
    examples.map((e) => e.text),
    features,
  );
  const y = Int32Array.from(examples, (e) => labels.indexOf(e.label));
  let linear: LinearModel;
  if (labels.length === 2) {
    const yb = Uint8Array.from(y);
    const r = options.nbScaling ? nbRatios(matrix, yb, 1) : undefined;
    if (r) for (let k = 0; k < matrix.values.length; k++) matrix.values[k]! *= r[matrix.indices[k]!]!;
    linear = trainBinary(matrix, yb, { l2 });
    // Folding the ratios into the weights keeps prediction (and model.json) unchanged.
    if (r) for (let j = 0; j < r.length; j++) linear.weights[j]! *= r[j]!;
  } else {
    linear = trainSoftmax(matrix, y, labels.length, { l2 });
  }
  const labelCounts: Record<string, number> = {};
  for (const e of examples) labelCounts[e.label] = (labelCounts[e.label] ?? 0) + 1;
  return { task: 'sentiment', features, vocab, labels, linear, training: { rows: examples.length, labelCounts, l2 } };
}

/** Predicts the label of one text. */
export function predictSentiment(model: SentimentModel, text: string): SentimentPrediction {
  const cols = model.vocab.columns(text, model.features);
  const probs = probabilities(model.linear, scoreColumns(model.linear, cols));
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
  return { label: model.labels[best]!, probabilities: probs };
}

/**
 * Naive-Bayes log-count ratios (Wang & Manning 2012): log of how much more often a feature occurs
 * in positive than in negative documents, with add-`alpha` smoothing.
 */
function nbRatios(x: SparseRows, y: Uint8Array, alpha: number): Float64Array {
  const p = new Float64Array(x.cols).fill(alpha);
  const q = new Float64Array(x.cols).fill(alpha);
  for (let i = 0; i < x.rows; i++) {
    const target = y[i] ? p : q;
    for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) target[x.indices[k]!]! += 1;
  }
  const ps = p.reduce((a, b) => a + b, 0);
  const qs = q.reduce((a, b) => a + b, 0);
  return p.map((pj, j) => Math.log(pj / ps / (q[j]! / qs)));
}

/**
 * Labels in a stable order: numeric labels ascending (0 before 1, so 1 is the positive class of
 * a 0/1 file), others by code point.
 */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return labels.slice().sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}
