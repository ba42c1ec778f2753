/**
 * Inflected forms of English lexicon words. The lexicons list English words once (like, refund,
 * courier), but posts say liked, refunded, couriers; the segmenter keeps each English word whole and
 * a lexicon word only matches a whole token, so without its forms `like` never finds `liked`.
 * Generating them beats listing them: every lexicon and every brand config's own words get them.
 *
 * The rules are spelling rules, not a dictionary: they over-generate (`rudes`, `ruded`), which costs
 * an unused automaton entry, never a wrong match, because a form that is not a word never occurs. To
 * keep the automaton small (every post is scanned with it), phrases other than nouns are not
 * inflected (will be back, stopped working), a final consonant is doubled only in a one-syllable word
 * (stopped, but visited), and -er/-est only go to words of one or two syllables (ruder, not terribler). Forms that are words of another meaning (late -> later, hard -> hardly) are left out by the
 * lexicon's `syntax.uninflected` list.
 */

/** Which forms a word takes: a noun its plural; a verb -s, -ed, -ing; a sentiment word also -er,
 *  -est and -ly (slower, worst-ly aside, rudely). */
export type FormKind = 'noun' | 'verb' | 'any';

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const ENGLISH_ENTRY = /^[a-z][a-z' ]*[a-z]$/;

/**
 * The inflected forms of `entry` (normalised: lower case), the last word inflected (customer service
 * -> customer services). Empty for entries that are not plain English words or whose last word is
 * shorter than three letters.
 */
export function englishForms(entry: string, kind: FormKind): string[] {
  if (!ENGLISH_ENTRY.test(entry)) return [];
  const cut = entry.lastIndexOf(' ') + 1;
  const head = entry.slice(0, cut);
  const word = entry.slice(cut);
  if (word.length < 3 || word.includes("'") || (cut > 0 && kind !== 'noun')) return [];
  const forms = new Set<string>();
  plural(word, forms);
  if (kind !== 'noun') verbForms(word, forms);
  if (kind === 'any') adjectiveForms(word, forms);
  forms.delete(word);
  return [...forms].map((f) => head + f);
}

function consonantY(w: string): boolean {
  return w.endsWith('y') && !VOWELS.has(w[w.length - 2]!);
}

/** Vowel groups of `w`: its syllables, near enough (rude 2 by the silent e, which only errs upwards). */
function syllables(w: string): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (VOWELS.has(w[i]!) && (i === 0 || !VOWELS.has(w[i - 1]!))) n++;
  return n;
}

/** stop -> stopp (stopped, stopping): a one-syllable word ending in one vowel and one consonant.
 *  Longer words double only when the last syllable is stressed (preferred, but visited); they are
 *  left undoubled, which misses the few stressed ones. */
function doubled(w: string): string | undefined {
  const [a, b, c] = [w[w.length - 3]!, w[w.length - 2]!, w[w.length - 1]!];
  if (syllables(w) !== 1 || VOWELS.has(a) || !VOWELS.has(b) || VOWELS.has(c) || 'wxy'.includes(c)) return undefined;
  return w + c;
}

function plural(w: string, out: Set<string>): void {
  if (consonantY(w)) out.add(w.slice(0, -1) + 'ies');
  else if (/(s|x|z|ch|sh)$/.test(w)) out.add(w + 'es');
  else out.add(w + 's');
}

function verbForms(w: string, out: Set<string>): void {
  const d = doubled(w);
  if (d) {
    out.add(d + 'ed');
    out.add(d + 'ing');
  } else if (consonantY(w)) {
    out.add(w.slice(0, -1) + 'ied');
    out.add(w + 'ing');
  } else if (w.endsWith('e')) {
    out.add(w + 'd');
    out.add(w.endsWith('ee') ? w + 'ing' : w.slice(0, -1) + 'ing');
  } else {
    out.add(w + 'ed');
    out.add(w + 'ing');
  }
}

function adjectiveForms(w: string, out: Set<string>): void {
  const d = doubled(w);
  const compares = syllables(w) <= 2;
  if (consonantY(w)) {
    const stem = w.slice(0, -1);
    if (compares) {
      out.add(stem + 'ier');
      out.add(stem + 'iest');
    }
    out.add(stem + 'ily');
  } else if (w.endsWith('e')) {
    if (compares) {
      out.add(w + 'r');
      out.add(w + 'st');
    }
    // terrible -> terribly, but rude -> rudely
    out.add(w.endsWith('le') && !VOWELS.has(w[w.length - 3]!) ? w.slice(0, -1) + 'y' : w + 'ly');
  } else {
    if (compares) {
      out.add((d ?? w) + 'er');
      out.add((d ?? w) + 'est');
    }
    out.add(w.endsWith('ic') ? w + 'ally' : w.endsWith('ll') ? w + 'y' : w + 'ly');
  }
}
