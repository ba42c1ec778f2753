/**
 * The statistics behind the report's figures, as pure functions with no dependency: proportions
 * with Wilson intervals, the net sentiment score, the "Fightin' Words" log-odds ratio and the
 * Benjamini-Hochberg correction, the Poisson tail (spikes), the chi-square homogeneity test and
 * Cramér's V (consistency across channels), and the two-proportion z-test (versus competitors).
 * Every figure printed in a report goes through one of these, so
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
  // At 0/n and n/n the bound is exactly 0 or 1; elsewhere clamp only against floating-point dust.
  const lower = successes === 0 ? 0 : Math.max(0, centre - margin);
  const upper = successes === trials ? 1 : Math.min(1, centre + margin);
  return { estimate: p, lower, upper, n: trials };
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

/**
 * Quantile of the standard normal distribution (Acklam's rational approximation, relative error
 * below 1.15e-9): the z with P(Z <= z) = p, for 0 < p < 1.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // No refinement step: erfc here is good to 1.2e-7 only, and a step against it would lose the
  // 1.15e-9 the approximation already has.
  return x;
}

/**
 * The z of a two-sided interval that keeps the family-wise error at 5% over `tests` comparisons
 * (Bonferroni): 1.96 for one, 2.50 for five, 2.73 for eight. A report that calls one of eight
 * channels "significantly negative" must clear this bar, not 1.96 eight times.
 */
export function familyZ(tests: number): number {
  return tests <= 1 ? Z95 : normalQuantile(1 - 0.025 / tests);
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

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; relative error < 1e-13). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), by its series for x < a + 1 and
 * by the continued fraction of Q = 1 - P otherwise (Numerical Recipes 6.2), to ~1e-14.
 */
export function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaP: a must be > 0, got ${a}`);
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed without cancellation. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaQ: a must be > 0, got ${a}`);
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 1000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return Math.min(1, sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
}

function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(-x + a * Math.log(x) - logGamma(a)) * h);
}

/**
 * Upper tail of a Poisson count: P(X >= k) for X ~ Poisson(lambda). The p-value of "k events
 * where lambda were expected" (one-sided, for spikes). Uses P(X >= k) = P(k, lambda) for k >= 1.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  assertCount(k, 'k');
  if (!(lambda >= 0)) throw new RangeError(`poissonUpperTail: lambda must be >= 0, got ${lambda}`);
  if (k === 0) return 1;
  if (lambda === 0) return 0;
  return gammaP(k, lambda);
}

/** Survival function of the chi-square distribution: P(X >= x) with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSurvival: df must be > 0, got ${df}`);
  return x <= 0 ? 1 : gammaQ(df / 2, x / 2);
}

export interface HomogeneityTest {
  /** Pearson chi-square statistic of the k x 2 table. */
  chiSquare: number;
  df: number;
  p: number;
  /**
   * How p was found: from the chi-square distribution, or (when an expected count is under 5 and
   * that approximation fails) by a permutation test: PERMUTATIONS random tables with the same
   * margins, seeded, so the same table always gives the same p.
   */
  method: 'chi_square' | 'permutation';
  /** Cramér's V = sqrt(chi-square / N) for a k x 2 table: 0 = the same rate everywhere, 1 = all-or-nothing. */
  cramersV: number;
  /** Observations in the table. */
  n: number;
}

/**
 * Pearson chi-square test that k groups share one success rate (a k x 2 table of successes and
 * failures), with Cramér's V as the effect size. A table with an empty column (every group at
 * 0% or at 100%) has identical rates by definition: chi-square 0, p 1, V 0. Groups with no
 * observation are dropped; fewer than two groups leave nothing to compare (undefined).
 */
export function homogeneityTest(groups: ReadonlyArray<{ successes: number; trials: number }>): HomogeneityTest | undefined {
  const used = groups.filter((g) => g.trials > 0);
  for (const g of used) {
    assertCount(g.successes, 'successes');
    assertCount(g.trials, 'trials');
    if (g.successes > g.trials) throw new RangeError(`homogeneityTest: successes (${g.successes}) > trials (${g.trials})`);
  }
  if (used.length < 2) return undefined;
  const n = used.reduce((a, g) => a + g.trials, 0);
  const s = used.reduce((a, g) => a + g.successes, 0);
  const df = used.length - 1;
  if (s === 0 || s === n) return { chiSquare: 0, df, p: 1, method: 'chi_square', cramersV: 0, n };
  const sizes = used.map((g) => g.trials);
  const chiSquare = pearsonChiSquare(
    used.map((g) => g.successes),
    sizes,
    s,
    n,
  );
  const smallExpected = sizes.some((t) => (t * Math.min(s, n - s)) / n < 5);
  const p = smallExpected ? permutationP(chiSquare, sizes, s, n) : chiSquareSurvival(chiSquare, df);
  return { chiSquare, df, p, method: smallExpected ? 'permutation' : 'chi_square', cramersV: Math.min(1, Math.sqrt(chiSquare / n)), n };
}

/** Random tables a permutation p-value is estimated from (its standard error is at most 0.005). */
export const PERMUTATIONS = 10_000;

function pearsonChiSquare(successes: readonly number[], sizes: readonly number[], s: number, n: number): number {
  let chi = 0;
  for (let i = 0; i < sizes.length; i++) {
    const expectedS = (sizes[i]! * s) / n;
    const expectedF = (sizes[i]! * (n - s)) / n;
    chi += (successes[i]! - expectedS) ** 2 / expectedS + (sizes[i]! - successes[i]! - expectedF) ** 2 / expectedF;
  }
  return chi;
}

/**
 * P(chi-square >= observed) when the s successes are dealt at random among the groups (sizes
 * fixed): the conditional test of Fisher's exact test, estimated by PERMUTATIONS deals with a
 * fixed seed, (1 + hits) / (1 + deals) so it is never 0.
 */
function permutationP(observed: number, sizes: readonly number[], s: number, n: number): number {
  let state = 0x9e3779b9;
  // mulberry32: small, fast and fully determined by the seed.
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // The group each of the n trials belongs to, and the rarer outcome: each deal picks that many
  // trials at random (Floyd's sampling), so a deal costs min(s, n - s), not n, random numbers.
  const groupOf = new Int32Array(n);
  for (let g = 0, at = 0; g < sizes.length; g++) for (let k = 0; k < sizes[g]!; k++) groupOf[at++] = g;
  const rare = Math.min(s, n - s);
  const rareAreSuccesses = rare === s;
  const picked = new Uint8Array(n);
  const chosen = new Int32Array(rare);
  const dealt = new Array<number>(sizes.length);
  const tolerance = 1e-9 * Math.max(1, observed);
  let atLeast = 0;
  for (let r = 0; r < PERMUTATIONS; r++) {
    dealt.fill(0);
    for (let j = n - rare, c = 0; j < n; j++, c++) {
      const t = Math.floor(random() * (j + 1));
      const pick = picked[t] ? j : t;
      picked[pick] = 1;
      chosen[c] = pick;
      dealt[groupOf[pick]!]++;
    }
    for (let c = 0; c < rare; c++) picked[chosen[c]!] = 0;
    if (!rareAreSuccesses) for (let g = 0; g < sizes.length; g++) dealt[g] = sizes[g]! - dealt[g]!;
    if (pearsonChiSquare(dealt, sizes, s, n) >= observed - tolerance) atLeast++;
  }
  return (1 + atLeast) / (1 + PERMUTATIONS);
}

export interface TwoProportionTest {
  /** p1 - p2. */
  difference: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Two-proportion z-test with the pooled variance: are x1/n1 and x2/n2 different? Undefined when
 * either sample is empty; z = 0 (p = 1) when the pooled rate is 0 or 1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest | undefined {
  for (const [v, name] of [[x1, 'x1'], [n1, 'n1'], [x2, 'x2'], [n2, 'n2']] as const) assertCount(v, name);
  if (x1 > n1 || x2 > n2) throw new RangeError('twoProportionTest: successes > trials');
  if (n1 === 0 || n2 === 0) return undefined;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { difference: p1 - p2, z: 0, p: 1 };
  const z = (p1 - p2) / se;
  return { difference: p1 - p2, z, p: twoSidedP(z) };
}

/** Code-unit order, the same on every machine and locale (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
