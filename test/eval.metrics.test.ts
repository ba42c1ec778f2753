import { describe, expect, it } from 'vitest';
import { binaryScores, prf, SetMatchCounter, singleLabelScores } from '../analysis/eval/metrics.js';

describe('prf', () => {
  it('computes precision, recall and F1 from counts', () => {
    // 6 right, 2 wrong guesses, 4 missed: P = 6/8, R = 6/10, F1 = 2PR/(P+R) = 0.9/1.35 = 2/3.
    const s = prf(6, 2, 4);
    expect(s.precision).toBe(0.75);
    expect(s.recall).toBe(0.6);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });

  it('gives 0 instead of dividing by zero', () => {
    expect(prf(0, 0, 0)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(prf(0, 3, 0)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(prf(0, 0, 5)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('SetMatchCounter', () => {
  // Three posts: {a,b} vs {a}; {b} vs {b,c}; {} vs {c}.
  //   a: tp 1            -> P 1,   R 1,   F1 1
  //   b: tp 1, fn 1      -> P 1,   R 0.5, F1 2/3
  //   c: fp 2            -> P 0,   R 0,   F1 0
  //   micro: tp 2, fp 2, fn 1 -> P 0.5, R 2/3, F1 4/7; macro F1 = (1 + 2/3 + 0) / 3 = 5/9
  const counter = new SetMatchCounter();
  counter.add(['a', 'b'], ['a']);
  counter.add(['b'], ['b', 'c']);
  counter.add([], ['c']);

  it('scores each label', () => {
    expect(counter.perLabel()).toEqual({
      a: { precision: 1, recall: 1, f1: 1, support: 1 },
      b: { precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 12), support: 2 },
      c: { precision: 0, recall: 0, f1: 0, support: 0 },
    });
  });

  it('pools counts for micro scores and averages F1 for macro', () => {
    expect(counter.total()).toEqual({ tp: 2, fp: 2, fn: 1 });
    const micro = counter.micro();
    expect(micro.precision).toBe(0.5);
    expect(micro.recall).toBeCloseTo(2 / 3, 12);
    expect(micro.f1).toBeCloseTo(4 / 7, 12);
    expect(counter.macroF1()).toBeCloseTo(5 / 9, 12);
  });

  it('counts a label repeated in one set once', () => {
    const c = new SetMatchCounter();
    c.add(['x', 'x'], ['x', 'x', 'x']);
    expect(c.countsOf('x')).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('has macro F1 0 when nothing was seen', () => {
    expect(new SetMatchCounter().macroF1()).toBe(0);
  });
});

describe('singleLabelScores', () => {
  it('gives accuracy, macro F1, per-label scores and the confusion matrix', () => {
    // gold  1 1 1 0 0 0 0 0
    // pred  1 1 0 0 0 0 1 1
    // accuracy 5/8; label 1: tp 2 fp 2 fn 1 -> P 0.5 R 2/3 F1 4/7; label 0: tp 3 fp 1 fn 2 -> P 0.75 R 0.6 F1 2/3
    const s = singleLabelScores(['1', '1', '1', '0', '0', '0', '0', '0'], ['1', '1', '0', '0', '0', '0', '1', '1']);
    expect(s.accuracy).toBe(0.625);
    expect(s.per_label['1']).toEqual({ precision: 0.5, recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(4 / 7, 12), support: 3 });
    expect(s.per_label['0']).toEqual({ precision: 0.75, recall: 0.6, f1: expect.closeTo(2 / 3, 12), support: 5 });
    expect(s.macro_f1).toBeCloseTo((4 / 7 + 2 / 3) / 2, 12);
    expect(s.confusion).toEqual({ '1': { '1': 2, '0': 1 }, '0': { '0': 3, '1': 2 } });
  });

  it('refuses lists of different lengths', () => {
    expect(() => singleLabelScores(['1'], [])).toThrow(RangeError);
  });
});

describe('binaryScores', () => {
  it('scores a yes/no decision', () => {
    // gold T T F F T, pred T F T F T: tp 2, fp 1, fn 1
    const s = binaryScores([true, true, false, false, true], [true, false, true, false, true]);
    expect(s).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(2 / 3, 12), support: 3 });
  });
});
