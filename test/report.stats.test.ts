import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, logOddsDirichlet, netSentiment, twoSidedP, wilsonInterval, Z95 } from '../reports/stats.js';

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
