/**
 * "Did you mean …?" for ids a user typed: the known id within a small edit distance of a typo
 * (`retial` -> retail, `stroe` -> store, `txt` -> text), so an error can offer the fix.
 */

/** Levenshtein distance with adjacent swaps counted as one edit (stroe/store is a swap). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  return rows[a.length]![b.length]!;
}

/** The candidate nearest to `value` within `maxDistance` edits (case-insensitive); the first one on a tie. */
export function nearest(value: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(value.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d < Math.max(value.length, 1)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
