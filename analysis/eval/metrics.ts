/**
 * Classification metrics, as pure functions over counts. Conventions (those of scikit-learn):
 * a ratio whose denominator is zero is 0; micro scores pool the counts of every label; macro F1 is
 * the unweighted mean of per-label F1 over the labels present in the gold data or the predictions.
 */

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Per-label figures as `voc eval --json` prints them. */
export interface LabelScore extends Prf {
  /** Gold occurrences of the label. */
  support: number;
}

/** True positives, false positives and false negatives of one label. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Precision, recall and F1 from counts; 0 where a denominator is 0. */
export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** a / b, or 0 when b is 0. */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/**
 * Counts set-valued predictions item by item: each label in both sets is a true positive, in the
 * prediction only a false positive, in the gold only a false negative (channels of a post,
 * aspects of a sentence, subject-sentiment pairs of a post).
 */
export class SetMatchCounter {
  private readonly counts = new Map<string, Counts>();

  /** Adds one item's gold and predicted labels (duplicates within a set count once); returns the
   *  item's own counts (for a bootstrap over items). */
  add(gold: Iterable<string>, predicted: Iterable<string>): Counts {
    const g = new Set(gold);
    const p = new Set(predicted);
    const item = { tp: 0, fp: 0, fn: 0 };
    for (const label of g) {
      const kind = p.has(label) ? 'tp' : 'fn';
      this.entry(label)[kind]++;
      item[kind]++;
    }
    for (const label of p)
      if (!g.has(label)) {
        this.entry(label).fp++;
        item.fp++;
      }
    return item;
  }

  /** Labels seen in gold or predictions, sorted. */
  labels(): string[] {
    return [...this.counts.keys()].sort();
  }

  countsOf(label: string): Counts {
    return { ...(this.counts.get(label) ?? { tp: 0, fp: 0, fn: 0 }) };
  }

  /** Pooled counts over all labels. */
  total(): Counts {
    const t = { tp: 0, fp: 0, fn: 0 };
    for (const c of this.counts.values()) {
      t.tp += c.tp;
      t.fp += c.fp;
      t.fn += c.fn;
    }
    return t;
  }

  micro(): Prf {
    const t = this.total();
    return prf(t.tp, t.fp, t.fn);
  }

  /** Mean F1 over the labels present in gold or predictions (0 when there are none). */
  macroF1(): number {
    const labels = this.labels();
    if (labels.length === 0) return 0;
    return labels.reduce((sum, l) => sum + this.scoreOf(l).f1, 0) / labels.length;
  }

  scoreOf(label: string): LabelScore {
    const c = this.counts.get(label) ?? { tp: 0, fp: 0, fn: 0 };
    return { ...prf(c.tp, c.fp, c.fn), support: c.tp + c.fn };
  }

  perLabel(): Record<string, LabelScore> {
    return Object.fromEntries(this.labels().map((l) => [l, this.scoreOf(l)]));
  }

  private entry(label: string): Counts {
    let c = this.counts.get(label);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0 };
      this.counts.set(label, c);
    }
    return c;
  }
}

/** Accuracy, macro F1 and per-label scores of single-label predictions (one label per item). */
export function singleLabelScores(gold: readonly string[], predicted: readonly string[]): {
  accuracy: number;
  macro_f1: number;
  per_label: Record<string, LabelScore>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
} {
  if (gold.length !== predicted.length) throw new RangeError(`gold has ${gold.length} items, predictions ${predicted.length}`);
  const counter = new SetMatchCounter();
  const confusion: Record<string, Record<string, number>> = {};
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g === p) correct++;
    counter.add([g], [p]);
    const row = (confusion[g] ??= {});
    row[p] = (row[p] ?? 0) + 1;
  });
  return { accuracy: ratio(correct, gold.length), macro_f1: counter.macroF1(), per_label: counter.perLabel(), confusion };
}

/** Binary precision / recall / F1 of a yes-no decision over items. */
export function binaryScores(gold: readonly boolean[], predicted: readonly boolean[]): Prf & { support: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g && p) tp++;
    else if (p) fp++;
    else if (g) fn++;
  });
  return { ...prf(tp, fp, fn), support: tp + fn };
}
