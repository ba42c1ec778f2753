/**
 * The 95% intervals of `voc eval` (analysis/eval/bootstrap.ts): a percentile bootstrap over the
 * items scored, seeded, so the same scores always give the same interval.
 */
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_SEED, pairedDifferenceInterval, RatioItems, ratioInterval } from '../analysis/eval/bootstrap.js';

const ones = (n: number) => new Array<number>(n).fill(1);

describe('bootstrap intervals', () => {
  it('agrees with the normal approximation for independent items: 320 of 400 right', () => {
    // 0.8 ± 1.96·√(0.8·0.2/400) = [0.761, 0.839]
    const right = [...ones(320), ...new Array<number>(80).fill(0)];
    expect(ratioInterval(right, ones(400))).toEqual([0.7625, 0.835]);
  });

  it('resamples items, not labels: ten channels of a post judged as one are as wide as one post', () => {
    // 50 posts of 10 labels each, 40 posts all right and 10 all wrong: 400 of 500 labels right, as
    // above, but with 50 independent readings the interval is about three times as wide.
    const [lower, upper] = ratioInterval([...new Array<number>(40).fill(10), ...new Array<number>(10).fill(0)], new Array<number>(50).fill(10));
    expect([lower, upper]).toEqual([0.68, 0.9]);
    expect(upper - lower).toBeGreaterThan(3 * (0.839 - 0.761) - 0.02);
  });

  it('is the same on every run, another seed giving another draw', () => {
    const right = [...ones(18), 0, 0];
    expect(ratioInterval(right, ones(20))).toEqual([0.75, 1]);
    expect(ratioInterval(right, ones(20))).toEqual([0.75, 1]);
    const many = [...ones(320), ...new Array<number>(80).fill(0)];
    expect(ratioInterval(many, ones(400), { seed: BOOTSTRAP_SEED + 1 })).not.toEqual(ratioInterval(many, ones(400)));
  });

  it('has no width when every item scores alike, and [0, 0] with nothing scored', () => {
    expect(ratioInterval([1, 1, 1], [1, 1, 1])).toEqual([1, 1]);
    expect(ratioInterval([0, 0], [1, 1])).toEqual([0, 0]);
    expect(ratioInterval([], [])).toEqual([0, 0]);
    // A draw of items with nothing to score (no labelled channel) counts as 0, as the figures do.
    expect(ratioInterval([0, 1], [0, 1])[0]).toBe(0);
  });

  it('computes a micro F1 from per-item counts: 2 tp / (2 tp + fp + fn)', () => {
    const counts = new RatioItems();
    for (let i = 0; i < 30; i++) counts.addCounts(1, 0, 0);
    expect(counts.interval()).toEqual([1, 1]);
    counts.addCounts(0, 1, 1);
    const [lower, upper] = counts.interval();
    // The figure itself: 60 / 62.
    expect(lower).toBeLessThan(60 / 62);
    expect(upper).toBe(1);
    expect(ratioInterval([...new Array<number>(30).fill(2), 0], [...new Array<number>(30).fill(2), 2])).toEqual([lower, upper]);
  });

  it('a paired difference shares the draws: what two predictors share cancels out', () => {
    // 400 items; the rules are right on 320, a model on the same 320 plus 20 more.
    const rules = new RatioItems();
    const model = new RatioItems();
    for (let i = 0; i < 400; i++) {
      rules.add(i < 320 ? 1 : 0, 1);
      model.add(i < 340 ? 1 : 0, 1);
    }
    // +0.05: the 20 items the two disagree on decide it, ±1.96·√(0.05·0.95/400) ≈ ±0.021, where each
    // figure alone spans about ±0.037 (the first test).
    expect(pairedDifferenceInterval(rules, model)).toEqual([0.03, 0.07]);
    expect(pairedDifferenceInterval(rules, rules)).toEqual([0, 0]);
  });

  it('refuses counts that do not line up', () => {
    expect(() => ratioInterval([1, 2], [1])).toThrow('2 numerators but 1 denominators');
    const one = new RatioItems();
    one.add(1, 1);
    expect(() => pairedDifferenceInterval(one, new RatioItems())).toThrow('1 items before but 0 after');
  });
});
