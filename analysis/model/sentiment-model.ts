/**
 * The trainable sentiment model: logistic regression (softmax for three labels or more) over word
 * and character n-grams; a binary model is by default the log-odds average of a plain and an NB-LR
 * regression (sentiment-ensemble.ts), which is again one linear model. `voc train sentiment` fits it
 * on the user's own labelled reviews; the classifier (through `withModels`) then takes the post
 * label from it instead of the lexicon.
 */
import { DEFAULT_FEATURES, Vocabulary, type FeatureConfig } from './features.js';
import { probabilities, scoreColumns, trainBinary, trainSoftmax, type LinearModel } from './linear.js';
import { trainBinaryEnsemble, trainNbLr } from './sentiment-ensemble.js';

export interface SentimentExample {
  text: string;
  label: string;
}

/**
 * How a binary model is fitted: `lr` plain logistic regression, `nblr` NB-LR only, `ensemble` (the
 * default) their average in log-odds (sentiment-ensemble.ts). Three labels or more always use a
 * plain softmax.
 */
export type SentimentMethod = 'lr' | 'nblr' | 'ensemble';

export interface SentimentTrainOptions {
  features?: Partial<FeatureConfig>;
  /** L2 strength per example of the plain model (default 1e-5). */
  l2?: number;
  /** Binary fitting method (default `ensemble`). */
  method?: SentimentMethod;
  /** L2 strength of the NB-LR model (default 3e-5). */
  nbL2?: number;
  /** Weight of NB-LR in the ensemble, 0..1 (default 0.5). */
  nbShare?: number;
}

/** A trained sentiment model (in memory; see serialize.ts for model.json). */
export interface SentimentModel {
  task: 'sentiment';
  features: FeatureConfig;
  vocab: Vocabulary;
  /** Label values as in the training file, sorted; a binary model's positive class is labels[1]. */
  labels: string[];
  linear: LinearModel;
  training: { rows: number; labelCounts: Record<string, number>; l2: number; method?: SentimentMethod; nbL2?: number; nbShare?: number };
}

export interface SentimentPrediction {
  label: string;
  /** Probability of each label, in `model.labels` order. */
  probabilities: number[];
}

export const DEFAULT_SENTIMENT_L2 = 1e-5;
/**
 * Defaults of the ensemble, chosen by 3-fold cross-validation inside the TRAINING half of the two
 * public corpora (waimai_10k, online_shopping_10_cats); the scored halves were not used to choose.
 */
export const DEFAULT_SENTIMENT_NB_L2 = 3e-5;
export const DEFAULT_SENTIMENT_NB_SHARE = 0.5;

/** Fits a sentiment model on labelled texts (at least two distinct labels). */
export function trainSentimentModel(examples: SentimentExample[], options: SentimentTrainOptions = {}): SentimentModel {
  const features = { ...DEFAULT_FEATURES, ...options.features };
  const l2 = options.l2 ?? DEFAULT_SENTIMENT_L2;
  const nbL2 = options.nbL2 ?? DEFAULT_SENTIMENT_NB_L2;
  const nbShare = options.nbShare ?? DEFAULT_SENTIMENT_NB_SHARE;
  const labels = sortLabels([...new Set(examples.map((e) => e.label))]);
  if (labels.length < 2) throw new RangeError(`sentiment training needs at least two labels, got ${labels.join(', ') || 'none'}`);
  const { vocab, matrix } = Vocabulary.fit(
    examples.map((e) => e.text),
    features,
  );
  const y = Int32Array.from(examples, (e) => labels.indexOf(e.label));
  let linear: LinearModel;
  let training: SentimentModel['training'] = { rows: examples.length, labelCounts: {}, l2 };
  if (labels.length === 2) {
    const yb = Uint8Array.from(y);
    const method: SentimentMethod = options.method ?? 'ensemble';
    if (method === 'lr') linear = trainBinary(matrix, yb, { l2 });
    else if (method === 'nblr') linear = trainNbLr(matrix, yb, nbL2);
    else {
      linear = trainBinaryEnsemble(matrix, yb, { l2, nbL2, nbShare });
      training = { ...training, nbL2, nbShare };
    }
    training.method = method;
  } else {
    linear = trainSoftmax(matrix, y, labels.length, { l2 });
  }
  for (const e of examples) training.labelCounts[e.label] = (training.labelCounts[e.label] ?? 0) + 1;
  return { task: 'sentiment', features, vocab, labels, linear, training };
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
 * Labels in a stable order: numeric labels ascending (0 before 1, so 1 is the positive class of
 * a 0/1 file), others by code point.
 */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return labels.slice().sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}
