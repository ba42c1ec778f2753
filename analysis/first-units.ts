/**
 * The first code units of a word list: a quick "can one of these words start here?" test that spares
 * the word look-ups at most offsets of a post (most characters start none of them).
 */
export interface FirstUnits {
  /** `units[c]` = 1 when some word starts with code unit c. */
  units: Uint8Array;
  /** Whether the list holds '' (which starts at every offset). */
  empty: boolean;
}

export function firstUnits(words: Iterable<string>): FirstUnits {
  const out: FirstUnits = { units: new Uint8Array(65536), empty: false };
  for (const w of words) {
    if (w.length) out.units[w.charCodeAt(0)] = 1;
    else out.empty = true;
  }
  return out;
}
