/**
 * Train / held-out splits shared by `voc train` and `voc eval`, so that both commands, given the
 * same `--holdout` and `--seed`, cut a file in exactly the same place.
 */
import { InputError } from '../../core/errors.js';
import { shuffled } from '../model/random.js';

export interface HoldoutSpec {
  /** Share of the items held out for evaluation, 0 < fraction < 1. */
  fraction: number;
  /** With a seed the items are shuffled first; without, the LAST `fraction` of the file is held out. */
  seed?: number;
}

/**
 * Splits `items` into a training part and a held-out part. The held-out part has
 * `round(n * fraction)` items; a seeded split shuffles indices, an ordered one keeps file order.
 */
export function splitHoldout<T>(items: readonly T[], spec: HoldoutSpec): { train: T[]; heldOut: T[] } {
  checkFraction(spec.fraction);
  const n = items.length;
  const held = Math.round(n * spec.fraction);
  const order = spec.seed === undefined ? items.map((_, i) => i) : shuffled(items.map((_, i) => i), spec.seed);
  const heldSet = new Set(order.slice(n - held));
  return {
    train: items.filter((_, i) => !heldSet.has(i)),
    heldOut: items.filter((_, i) => heldSet.has(i)),
  };
}

/** Throws an InputError unless 0 < fraction < 1. */
export function checkFraction(fraction: number, flag = '--holdout'): void {
  if (!(fraction > 0 && fraction < 1))
    throw new InputError({
      en: `${flag}: expected a share between 0 and 1 such as 0.5 or 0.2, got ${fraction}`,
      zh: `${flag}：应为 0 到 1 之间的比例，例如 0.5 或 0.2，实际为 ${fraction}`,
    });
}
