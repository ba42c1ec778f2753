/**
 * The statistics behind the report's figures, as pure functions with no dependency: proportions
 * with Wilson intervals, the net sentiment score, the "Fightin' Words" log-odds ratio and the
 * Benjamini-Hochberg correction. Every figure printed in a report goes through one of these, so
 * they are tested against hand-computed values (test/report.stats.test.ts).
 */

/** z of the two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  /** Point estimate; null when there is no observation to estimate from (n = 0). */
  estimate: number | null;
  lower: number;
  upper: number;
  /** Number of observations the estimate rests on. */
  n: number;
}

/**
 * Wilson score interval of a binomial proportion `successes / trials`. Unlike the normal
 * approximation it stays inside [0, 1] and behaves at 0/n and n/n, which matters for channels
 * with a handful of posts. With no trial the interval is the whole [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  assertCount(successes, 'successes');
  assertCount(trials, 'trials');
  if (successes > trials) throw new RangeError(`wilsonInterval: successes (${successes}) > trials (${trials})`);
  if (trials === 0) return { estimate: null, lower: 0, upper: 1, n: 0 };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  // Clamp only against floating-point dust; the interval is mathematically inside [0, 1].
  return { estimate: p, lower: Math.max(0, centre - margin), upper: Math.min(1, centre + margin), n: trials };
}

/**
 * Net sentiment score (pos - neg) / (pos + neg), in [-1, 1], with a 95% interval. NSS equals
 * 2p - 1 where p = pos / (pos + neg), so the Wilson interval of p is mapped by x -> 2x - 1.
 * Neutral and mixed posts do not enter the score.
 */
export function netSentiment(pos: number, neg: number, z = Z95): Interval {
  const w = wilsonInterval(pos, pos + neg, z);
  return {
    estimate: w.estimate === null ? null : 2 * w.estimate - 1,
    lower: 2 * w.lower - 1,
    upper: 2 * w.upper - 1,
    n: w.n,
  };
}

/** Complementary error function (Numerical Recipes `erfcc`, fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal z: P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) return 1;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * Benjamini-Hochberg adjusted p-values (q-values), returned in the input order. A word is
 * declared distinctive at false-discovery rate 5% when its q < 0.05.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 1;
  // Walk from the largest p down so that each q is the minimum over the ranks above it (monotone).
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

export interface LogOddsResult {
  word: string;
  /** Count of the word in the group and in the rest. */
  count: number;
  restCount: number;
  /** Log-odds ratio of the word, group vs rest, with the prior added (positive: typical of the group). */
  delta: number;
  variance: number;
  /** delta / sqrt(variance). */
  z: number;
}

/**
 * Log-odds ratio with an informative Dirichlet prior, one group vs the rest (Monroe, Colaresi &
 * Quinn 2008, "Fightin' Words", eq. 16-22):
 *
 *   delta_w = log((y_w^g + a_w) / (n^g + a_0 - y_w^g - a_w)) - log((y_w^r + a_w) / (n^r + a_0 - y_w^r - a_w))
 *   var(delta_w) ~= 1 / (y_w^g + a_w) + 1 / (y_w^r + a_w),   z_w = delta_w / sqrt(var)
 *
 * `prior` gives a_w per word (a_0 is their sum); words missing from it get no prior, and words
 * whose estimate is undefined (a single-word vocabulary, no prior and no use) get z = 0.
 * Results are sorted by z descending, ties by word.
 */
export function logOddsDirichlet(
  group: Readonly<Record<string, number>>,
  rest: Readonly<Record<string, number>>,
  prior: Readonly<Record<string, number>>,
): LogOddsResult[] {
  const words = [...new Set([...Object.keys(group), ...Object.keys(rest), ...Object.keys(prior)])];
  const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, b) => a + b, 0);
  const nGroup = sum(group);
  const nRest = sum(rest);
  const a0 = sum(prior);
  const results = words.map((word): LogOddsResult => {
    const yg = group[word] ?? 0;
    const yr = rest[word] ?? 0;
    const a = prior[word] ?? 0;
    const numG = yg + a;
    const denG = nGroup + a0 - yg - a;
    const numR = yr + a;
    const denR = nRest + a0 - yr - a;
    if (numG <= 0 || denG <= 0 || numR <= 0 || denR <= 0) {
      return { word, count: yg, restCount: yr, delta: 0, variance: Number.POSITIVE_INFINITY, z: 0 };
    }
    const delta = Math.log(numG / denG) - Math.log(numR / denR);
    const variance = 1 / numG + 1 / numR;
    return { word, count: yg, restCount: yr, delta, variance, z: delta / Math.sqrt(variance) };
  });
  return results.sort((x, y) => y.z - x.z || compareText(x.word, y.word));
}

/** Code-unit order, the same on every machine and locale (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
