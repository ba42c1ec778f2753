/**
 * A small seeded PRNG (mulberry32) and the helpers built on it. Training, data splits and the
 * benchmark corpus must be reproducible from a seed, which Math.random cannot give.
 */

import { seededRandom } from '../../core/random.js';

export { seededRandom };

/** Fisher-Yates shuffle of a copy of `items` with the seeded generator. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const rand = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
