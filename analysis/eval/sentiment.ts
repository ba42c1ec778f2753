/**
 * `voc eval sentiment`: accuracy, macro F1 and per-label scores of post sentiment against a
 * labelled CSV (`label` 1/0, `review`). Predictions come from the rule classifier (its post label
 * mapped onto the file's label values) or from a trained model (its own labels).
 */
import { InputError } from '../../core/errors.js';
import type { Classification, SentimentLabel } from '../../core/types.js';
import { ratioInterval, type Interval95 } from './bootstrap.js';
import { singleLabelScores, type LabelScore } from './metrics.js';
import type { SentimentRow } from './readers.js';

export interface SentimentEvalResult {
  n: number;
  accuracy: number;
  macro_f1: number;
  per_label: Record<string, LabelScore>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
  /** 95% bootstrap interval of the accuracy over the reviews (bootstrap.ts). */
  ci95: { accuracy: Interval95 };
}

/** Scores predicted labels (in the file's label values) against the rows. */
export function evalSentiment(rows: readonly SentimentRow[], predicted: readonly string[]): SentimentEvalResult {
  const s = singleLabelScores(
    rows.map((r) => r.label),
    predicted,
  );
  const right = rows.map((r, i) => (r.label === predicted[i] ? 1 : 0));
  return { n: rows.length, ...s, ci95: { accuracy: ratioInterval(right, new Array<number>(rows.length).fill(1)) } };
}

/** What a label value of a file means. */
export type Stance = 'pos' | 'neg' | 'neutral';

const STANCE_OF: Record<string, Stance> = {
  '1': 'pos',
  pos: 'pos',
  positive: 'pos',
  '0': 'neg',
  '-1': 'neg',
  neg: 'neg',
  negative: 'neg',
  neutral: 'neutral',
  neu: 'neutral',
};

/**
 * How rule-classifier labels become the file's label values. `1`/`pos`/`positive` are positive,
 * `0`/`neg`/`negative` negative; in a file that also has `-1`, `-1` is negative and `0` neutral.
 * Unknown label values are an InputError naming the file.
 */
export function labelStances(labels: readonly string[], file: string): Map<string, Stance> {
  const distinct = [...new Set(labels)];
  const threeWay = distinct.includes('-1');
  const out = new Map<string, Stance>();
  for (const l of distinct) {
    const stance = threeWay && l === '0' ? 'neutral' : STANCE_OF[l.toLowerCase()];
    if (!stance)
      throw new InputError({
        en: `${file}: label "${l}" is not a sentiment; expected 1 (positive) and 0 (negative), or pos/neg/neutral`,
        zh: `${file}：标签“${l}”不是情感标签；应为 1（正面）和 0（负面），或 pos/neg/neutral`,
      });
    out.set(l, stance);
  }
  return out;
}

/**
 * Maps a post classification to one of the file's labels: pos and neg directly; mixed by the sign
 * of the score; neutral (no evaluative words found) to the file's neutral label when it has one,
 * else to `neutralAs`. Customer reviews that state facts without evaluative words ("等了两个小时",
 * "没有送水") are far more often complaints than praise, hence the default `neg`.
 */
export function ruleLabel(c: Pick<Classification, 'sentiment'>, stances: Map<string, Stance>, neutralAs: 'pos' | 'neg' = 'neg'): string {
  const byStance = new Map<Stance, string>();
  for (const [label, stance] of stances) if (!byStance.has(stance)) byStance.set(stance, label);
  let stance: Stance = decisive(c.sentiment.label, c.sentiment.score);
  if (stance === 'neutral' && !byStance.has('neutral')) stance = neutralAs;
  return byStance.get(stance) ?? byStance.get(neutralAs) ?? [...stances.keys()][0]!;
}

function decisive(label: SentimentLabel, score: number): Stance {
  if (label === 'pos' || label === 'neg') return label;
  if (label === 'mixed') return score > 0 ? 'pos' : score < 0 ? 'neg' : 'neutral';
  return 'neutral';
}
