import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  chiSquareSurvival,
  familyZ,
  gammaP,
  gammaQ,
  homogeneityTest,
  logGamma,
  logOddsDirichlet,
  netSentiment,
  normalQuantile,
  PERMUTATIONS,
  poissonUpperTail,
  twoProportionTest,
  twoSidedP,
  wilsonInterval,
  Z95,
} from '../reports/stats.js';

describe('wilsonInterval', () => {
  it('8/10: p = 0.8, interval [0.4902, 0.9433]', () => {
    // z^2 = 3.841459; denom = 1 + z^2/10 = 1.3841459
    // centre = (0.8 + z^2/20) / denom = 0.99207295 / 1.3841459 = 0.716740
    // margin = z * sqrt(0.8*0.2/10 + z^2/400) / denom = 1.959964 * sqrt(0.0256036) / 1.3841459 = 0.226578
    const w = wilsonInterval(8, 10);
    expect(w.estimate).toBe(0.8);
    expect(w.n).toBe(10);
    expect(w.lower).toBeCloseTo(0.490162, 5);
    expect(w.upper).toBeCloseTo(0.943318, 5);
  });

  it('0/0 has no estimate and the whole [0, 1] interval', () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, lower: 0, upper: 1, n: 0 });
  });

  it('0/5 and 5/5 stay inside [0, 1]', () => {
    // 0/5: centre = margin = (z^2/10) / (1 + z^2/5) = 0.384146 / 1.768292 = 0.217241 -> [0, 0.434482]
    const none = wilsonInterval(0, 5);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(0.434482, 5);
    const all = wilsonInterval(5, 5);
    expect(all.upper).toBe(1);
    // Exactly 0 and 1, not floating-point dust (13/13 once printed an upper bound of 0.9999999999999999).
    expect(wilsonInterval(13, 13).upper).toBe(1);
    expect(wilsonInterval(0, 6).lower).toBe(0);
    expect(all.lower).toBeCloseTo(1 - 0.434482, 5);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});

describe('netSentiment', () => {
  it('is 2p - 1 with the Wilson interval mapped', () => {
    // 8 pos, 2 neg: NSS = 6/10 = 0.6; interval 2 x [0.490162, 0.943318] - 1 = [-0.019676, 0.886636]
    const nss = netSentiment(8, 2);
    expect(nss.estimate).toBeCloseTo(0.6, 12);
    expect(nss.lower).toBeCloseTo(-0.019676, 5);
    expect(nss.upper).toBeCloseTo(0.886636, 5);
    expect(nss.n).toBe(10);
  });

  it('is undefined with no positive or negative post', () => {
    expect(netSentiment(0, 0)).toEqual({ estimate: null, lower: -1, upper: 1, n: 0 });
  });
});

describe('twoSidedP', () => {
  it('matches normal tables', () => {
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(Z95)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-Z95)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(1)).toBeCloseTo(0.317311, 6);
    expect(twoSidedP(3)).toBeCloseTo(0.0026998, 6);
    expect(twoSidedP(Number.NaN)).toBe(1);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts a known vector (input order kept)', () => {
    // sorted: 0.005 (x4/1 = 0.02), 0.01 (x4/2 = 0.02), 0.03 (x4/3 = 0.04), 0.04 (x4/4 = 0.04)
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(q.map((x) => Number(x.toFixed(10)))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('enforces monotonicity and caps at 1', () => {
    // p = [0.01, 0.02, 0.02, 0.5], m = 4; p*m/rank by rank: 0.04, 0.04, 0.02667, 0.5
    // running minimum from the top: 0.5, 0.02667, 0.02667, 0.02667 -> the smallest p is raised to 0.02667 too
    const q = benjaminiHochberg([0.01, 0.02, 0.02, 0.5]);
    expect(q[0]).toBeCloseTo(0.08 / 3, 10);
    expect(q[1]).toBeCloseTo(0.08 / 3, 10);
    expect(q[2]).toBeCloseTo(0.08 / 3, 10);
    expect(q[3]).toBeCloseTo(0.5, 10);
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('logOddsDirichlet', () => {
  it('matches a 2 x 3 table computed by hand', () => {
    // group A: w1 4, w2 1, w3 1 (n = 6); rest B: w1 1, w2 3, w3 2 (n = 6)
    // informative prior = pooled counts: a = {w1 5, w2 4, w3 3}, a0 = 12
    // w1: A: (4+5)/(6+12-4-5) = 9/9 = 1 -> log 0
    //     B: (1+5)/(6+12-1-5) = 6/12 -> log = -0.693147
    //     delta = 0.693147; var = 1/9 + 1/6 = 0.277778; z = 0.693147 / 0.527046 = 1.315154
    // w2: A: (1+4)/(6+12-1-4) = 5/13 -> -0.955511;  B: (3+4)/(6+12-3-4) = 7/11 -> -0.451985
    //     delta = -0.503526; var = 1/5 + 1/7 = 0.342857; z = -0.503526 / 0.585540 = -0.859935
    // w3: A: (1+3)/(6+12-1-3) = 4/14 -> -1.252763;  B: (2+3)/(6+12-2-3) = 5/13 -> -0.955511
    //     delta = -0.297252; var = 1/4 + 1/5 = 0.45; z = -0.297252 / 0.670820 = -0.443118
    const prior = { w1: 5, w2: 4, w3: 3 };
    const results = logOddsDirichlet({ w1: 4, w2: 1, w3: 1 }, { w1: 1, w2: 3, w3: 2 }, prior);
    expect(results.map((r) => r.word)).toEqual(['w1', 'w3', 'w2']);
    const byWord = Object.fromEntries(results.map((r) => [r.word, r]));
    expect(byWord.w1!.delta).toBeCloseTo(0.693147, 5);
    expect(byWord.w1!.variance).toBeCloseTo(0.277778, 5);
    expect(byWord.w1!.z).toBeCloseTo(1.315154, 5);
    expect(byWord.w2!.delta).toBeCloseTo(-0.503526, 5);
    expect(byWord.w2!.z).toBeCloseTo(-0.859935, 5);
    expect(byWord.w3!.delta).toBeCloseTo(-0.297252, 5);
    expect(byWord.w3!.z).toBeCloseTo(-0.443118, 5);
    expect(byWord.w1!.count).toBe(4);
    expect(byWord.w1!.restCount).toBe(1);
  });

  it('gives z = 0 when the estimate is undefined (a one-word vocabulary)', () => {
    const [only] = logOddsDirichlet({ w: 3 }, { w: 2 }, { w: 5 });
    expect(only!.z).toBe(0);
    expect(only!.delta).toBe(0);
  });
});

describe('logGamma and the incomplete gamma functions', () => {
  it('match closed forms', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    // P(1, x) = 1 - e^-x; Q(2, x) = e^-x (1 + x)
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(gammaQ(2, 3)).toBeCloseTo(Math.exp(-3) * 4, 12);
    // Both branches (series below a + 1, continued fraction above) agree with P + Q = 1.
    for (const [a, x] of [[3, 1], [3, 7], [0.5, 0.2], [10, 25]] as const) expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 12);
    expect(gammaP(2, 0)).toBe(0);
    expect(gammaQ(2, 0)).toBe(1);
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('poissonUpperTail', () => {
  it('is 1 - e^-lambda * sum_{i<k} lambda^i / i!', () => {
    // P(X >= 5 | 2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 1 - 7 e^-2 = 0.052653
    expect(poissonUpperTail(5, 2)).toBeCloseTo(1 - 7 * Math.exp(-2), 12);
    expect(poissonUpperTail(5, 2)).toBeCloseTo(0.052653, 6);
    // The fixture's campaign: 4 questions where 0.625 were expected.
    const l = 0.625;
    expect(poissonUpperTail(4, l)).toBeCloseTo(1 - Math.exp(-l) * (1 + l + l ** 2 / 2 + l ** 3 / 6), 12);
    expect(poissonUpperTail(1, 3)).toBeCloseTo(1 - Math.exp(-3), 12);
  });

  it('handles the edges', () => {
    expect(poissonUpperTail(0, 5)).toBe(1);
    expect(poissonUpperTail(3, 0)).toBe(0);
    expect(() => poissonUpperTail(-1, 1)).toThrow(RangeError);
    expect(() => poissonUpperTail(1.5, 1)).toThrow(RangeError);
  });
});

describe('chiSquareSurvival', () => {
  it('matches tables and the df = 2 closed form e^(-x/2)', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(8, 2)).toBeCloseTo(Math.exp(-4), 12);
    // df = 1: P(chi2 >= x) = P(|Z| >= sqrt(x))
    expect(chiSquareSurvival(7.2, 1)).toBeCloseTo(twoSidedP(Math.sqrt(7.2)), 6);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

describe('homogeneityTest (chi-square and Cramér V of a k x 2 table)', () => {
  it('2 groups: 8/10 vs 2/10', () => {
    // expected 5 and 5 in every cell: chi2 = 4 x 3^2 / 5 = 7.2; V = sqrt(7.2 / 20) = 0.6
    const t = homogeneityTest([
      { successes: 8, trials: 10 },
      { successes: 2, trials: 10 },
    ])!;
    expect(t.chiSquare).toBeCloseTo(7.2, 12);
    expect(t.df).toBe(1);
    expect(t.cramersV).toBeCloseTo(0.6, 12);
    expect(t.p).toBeCloseTo(twoSidedP(Math.sqrt(7.2)), 6);
    expect(t.n).toBe(20);
  });

  it('3 groups: 12/20, 6/20, 9/20', () => {
    // rate 27/60 = 0.45: expected 9 successes and 11 failures per group
    // chi2 = 9/9 + 9/11 + 9/9 + 9/11 + 0 + 0 = 2 + 18/11; df 2: p = e^(-chi2/2); V = sqrt(chi2 / 60)
    const t = homogeneityTest([
      { successes: 12, trials: 20 },
      { successes: 6, trials: 20 },
      { successes: 9, trials: 20 },
    ])!;
    const chi2 = 2 + 18 / 11;
    expect(t.chiSquare).toBeCloseTo(chi2, 12);
    expect(t.df).toBe(2);
    expect(t.p).toBeCloseTo(Math.exp(-chi2 / 2), 10);
    expect(t.cramersV).toBeCloseTo(Math.sqrt(chi2 / 60), 12);
  });

  it('identical rates everywhere give V = 0; one group gives nothing to compare', () => {
    expect(homogeneityTest([{ successes: 3, trials: 3 }, { successes: 5, trials: 5 }])).toEqual({ chiSquare: 0, df: 1, p: 1, method: 'chi_square', cramersV: 0, n: 8 });
    expect(homogeneityTest([{ successes: 3, trials: 6 }, { successes: 0, trials: 0 }])).toBeUndefined();
    // Perfect separation: chi2 = N, V = 1
    const split = homogeneityTest([{ successes: 13, trials: 13 }, { successes: 0, trials: 6 }, { successes: 0, trials: 4 }])!;
    expect(split.chiSquare).toBeCloseTo(23, 10);
    expect(split.cramersV).toBeCloseTo(1, 12);
  });

  it('small expected counts: p by a seeded permutation test, close to the exact conditional p', () => {
    // 3/3 vs 0/3: expected 1.5 per cell, where the chi-square approximation gives p = 0.0143.
    // Given 3 successes among 6, group 1 holds k of them with probability C(3,k) C(3,3-k) / 20 =
    // 1, 9, 9, 1 (/20); chi2 is 6 at k = 0 and 3, 2/3 otherwise: the exact p = 2/20 = 0.1.
    const t = homogeneityTest([
      { successes: 3, trials: 3 },
      { successes: 0, trials: 3 },
    ])!;
    expect(t.chiSquare).toBeCloseTo(6, 12);
    expect(t.method).toBe('permutation');
    expect(chiSquareSurvival(6, 1)).toBeCloseTo(0.0143, 4);
    // Monte Carlo standard error sqrt(0.1 x 0.9 / 10,000) = 0.003.
    expect(Math.abs(t.p - 0.1)).toBeLessThan(0.01);
    // Seeded: the same table gives the same p, digit for digit.
    expect(homogeneityTest([{ successes: 3, trials: 3 }, { successes: 0, trials: 3 }])!.p).toBe(t.p);
    // (1 + deals at least as extreme) / (1 + deals).
    expect(t.p * (PERMUTATIONS + 1)).toBeCloseTo(Math.round(t.p * (PERMUTATIONS + 1)), 6);
    // Enough in every cell (expected 5 and 5): the chi-square distribution, as before.
    expect(homogeneityTest([{ successes: 8, trials: 10 }, { successes: 2, trials: 10 }])!.method).toBe('chi_square');
  });
});

describe('normalQuantile and familyZ (Bonferroni)', () => {
  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
    expect(normalQuantile(1 - 1e-6)).toBeCloseTo(4.753424309, 7);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('gives the two-sided z that keeps 5% over the family', () => {
    expect(familyZ(1)).toBe(Z95);
    expect(familyZ(0)).toBe(Z95);
    // 1 - 0.05 / (2 x 8) = 0.996875
    expect(familyZ(8)).toBeCloseTo(2.734369, 5);
    expect(familyZ(4)).toBeCloseTo(2.497705, 5);
  });
});

describe('twoProportionTest', () => {
  it('pooled z of 9/12 vs 14/26', () => {
    const pooled = 23 / 38;
    const z = (9 / 12 - 14 / 26) / Math.sqrt(pooled * (1 - pooled) * (1 / 12 + 1 / 26));
    const t = twoProportionTest(9, 12, 14, 26)!;
    expect(t.difference).toBeCloseTo(9 / 12 - 14 / 26, 12);
    expect(t.z).toBeCloseTo(z, 12);
    expect(t.z).toBeCloseTo(1.240, 3);
    expect(t.p).toBeCloseTo(twoSidedP(z), 12);
  });

  it('is undefined for an empty sample and 0 when the pooled rate is 0 or 1', () => {
    expect(twoProportionTest(1, 2, 0, 0)).toBeUndefined();
    expect(twoProportionTest(3, 3, 5, 5)).toEqual({ difference: 0, z: 0, p: 1 });
  });
});
