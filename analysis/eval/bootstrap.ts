/**
 * 95% confidence intervals for the figures of `voc eval`, by the percentile bootstrap over the items
 * scored (posts, reviews): the items are drawn again with replacement, as many as there are, the
 * figure is recomputed on each draw, and the interval is the middle 95% of those figures. It says
 * how far a figure could move on another sample of the same kind and size, which a target check
 * needs ("0.840 against 0.85" means little if the sample cannot tell the two apart).
 *
 * Items, not labels, are resampled: the channels of one post are judged by one reading of it and
 * err together, so resampling labels would make the interval too narrow. The draw is seeded, so the
 * same scores give the same interval on every run.
 *
 * @example
 * // 3 posts: right on 2 of 3 labelled channels, 1 of 1, 0 of 2
 * ratioInterval([2, 1, 0], [3, 1, 2]);   // [lower, upper] around 3/6
 */
import { seededRandom } from '../../core/random.js';

/** [lower, upper], rounded to 4 decimals as `voc eval --json` prints figures. */
export type Interval95 = [number, number];

export interface BootstrapOptions {
  /** Draws (default 1000). */
  resamples?: number;
  seed?: number;
}

export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 20261207;

/**
 * The interval of a figure that is a ratio of per-item sums, Σ num[i] / Σ den[i]: an accuracy
 * (right, scored), a precision, or a micro F1 (2 tp, 2 tp + fp + fn). A draw with Σ den = 0 counts as
 * 0, as the figures do. No items: [0, 0].
 */
export function ratioInterval(num: ArrayLike<number>, den: ArrayLike<number>, options: BootstrapOptions = {}): Interval95 {
  if (den.length !== num.length) throw new RangeError(`${num.length} numerators but ${den.length} denominators`);
  return percentileInterval(num.length, options, (draw) => ratioOf(num, den, draw));
}

/**
 * The middle 95% of `figure` over the bootstrap draws of `n` items: each draw is `n` item indices
 * drawn with replacement (one buffer, refilled per draw). No items: [0, 0].
 */
function percentileInterval(n: number, options: BootstrapOptions, figure: (draw: Int32Array) => number): Interval95 {
  if (n === 0) return [0, 0];
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const rand = seededRandom(options.seed ?? BOOTSTRAP_SEED);
  const draw = new Int32Array(n);
  const figures = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) draw[k] = Math.floor(rand() * n);
    figures[r] = figure(draw);
  }
  figures.sort();
  return [round4(percentile(figures, 0.025)), round4(percentile(figures, 0.975))];
}

/** Σ num / Σ den over the items of one draw (0 when Σ den is 0). */
function ratioOf(num: ArrayLike<number>, den: ArrayLike<number>, draw: Int32Array): number {
  let top = 0;
  let bottom = 0;
  for (let k = 0; k < draw.length; k++) {
    top += num[draw[k]!]!;
    bottom += den[draw[k]!]!;
  }
  return bottom > 0 ? top / bottom : 0;
}

/** Linear interpolation between the order statistics of sorted `xs` (R's type 7, numpy's default). */
function percentile(xs: Float64Array, q: number): number {
  const at = q * (xs.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (at - lo);
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * A figure as per-item numerators and denominators (Σ num / Σ den), filled in item order: an
 * accuracy adds (right, scored) per item, a micro F1 adds its counts (2 tp, 2 tp + fp + fn).
 */
export class RatioItems {
  readonly num: number[] = [];
  readonly den: number[] = [];

  add(num: number, den: number): void {
    this.num.push(num);
    this.den.push(den);
  }

  /** One item's true positives, false positives and false negatives of an F1. */
  addCounts(tp: number, fp: number, fn: number): void {
    this.add(2 * tp, 2 * tp + fp + fn);
  }

  interval(options?: BootstrapOptions): Interval95 {
    return ratioInterval(this.num, this.den, options);
  }
}

/**
 * The interval of `after` minus `before`, two figures of the same items (the rules and a trained
 * model on the same posts): each draw resamples the items once and recomputes both, so what the
 * two predictors share cancels out and the interval is narrower than either figure's.
 */
export function pairedDifferenceInterval(before: RatioItems, after: RatioItems, options: BootstrapOptions = {}): Interval95 {
  const n = before.num.length;
  if (after.num.length !== n) throw new RangeError(`${n} items before but ${after.num.length} after`);
  return percentileInterval(n, options, (draw) => ratioOf(after.num, after.den, draw) - ratioOf(before.num, before.den, draw));
}
