/**
 * Chinese word segmentation with nodejieba, loaded once per process. The user dictionary holds
 * every lexicon entry and brand/product name, so 4S店, 京东快递 or 星驰S7 stay one word and lexicon
 * matches can be checked against word boundaries (快 in 快递 is not "fast").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodejieba from 'nodejieba';
import { jiebaFrequencies } from './jieba-dictionary.js';
import { scratch } from './scratch.js';

let loaded = false;
const known = new Set<string>();

/** Frequency given to user-dictionary words: high enough to keep them whole, low enough not to
 *  break common longer words of jieba's own dictionary (不认识 stays one word). */
export const USER_WORD_FREQ = 3000;

function dictionaryWord(w: string): boolean {
  // jieba's dictionary format is space separated; single characters gain nothing.
  return w.length >= 2 && !/\s/.test(w) && /[\u3400-\u9fff]/.test(w);
}

/**
 * Makes sure the segmenter knows `words`. The first call loads jieba with a user dictionary written
 * to a temporary file; later calls (another classifier with more brands) insert only new words.
 */
export function ensureSegmenterWords(words: Iterable<string>): void {
  const candidates = [...new Set(words)].filter((w) => dictionaryWord(w) && !known.has(w));
  for (const w of candidates) known.add(w);
  // A user-dictionary entry replaces jieba's own one, frequency included: words jieba already
  // rates at least as high (不是, 没有, 系统 at 20,602) are left to it, or the user dictionary would
  // lower them and move its cut of the text around them (青笋也不是酸的 cut as 不 | 是).
  const own = candidates.length ? jiebaFrequencies(new Set(candidates)) : new Map<string, number>();
  const fresh = candidates.filter((w) => (own.get(w) ?? 0) < USER_WORD_FREQ);
  if (!loaded) {
    const dir = mkdtempSync(join(tmpdir(), 'voc-jieba-'));
    const file = join(dir, 'user.dict.utf8');
    writeFileSync(file, fresh.map((w) => `${w} ${USER_WORD_FREQ} n`).join('\n') + '\n');
    // jieba also loads a 6 MB IDF table for its keyword extractor, which voc never calls: a one-line
    // table (jieba refuses an empty one) saves a fifth of the load, 0.2-0.5 s per process.
    const idf = join(dir, 'idf.utf8');
    writeFileSync(idf, '的 1.0\n');
    try {
      nodejieba.load({ userDict: file, idfDict: idf });
    } finally {
      // jieba has read the file; leaving it would leave one folder in the temp dir per process.
      rmSync(dir, { recursive: true, force: true });
    }
    loaded = true;
  } else {
    for (const w of fresh) nodejieba.insertWord(w, 'n');
  }
}

/**
 * Segmenter word boundaries: `starts[i]` = 1 when a token starts at offset i (and at the end). The
 * array is scratch space, valid until the next `segment` call.
 */
export interface Tokens {
  starts: Uint8Array;
  /** jieba's words in text order (the open-vocabulary pass reads their part of speech). */
  words: readonly string[];
  /** `wordStarts[k]` = offset of `words[k]` in the text, -1 when jieba altered the word beyond
   *  finding it (scratch, like `starts`). */
  wordStarts: Int32Array;
}

const NO_WORDS: readonly string[] = [];
const NO_STARTS: Int32Array = new Int32Array(0);

/**
 * Segments `text` once (jieba `cut` with HMM) and returns the word boundaries. Texts without any
 * letter or digit (emoji, punctuation, blanks) skip jieba: each character is a token.
 */
export function segment(text: string): Tokens {
  const n = text.length;
  const starts = scratch.u8('tokens', n + 1);
  starts[n] = 1;
  let pos = 0;
  let words = NO_WORDS;
  let wordStarts = NO_STARTS;
  if (hasLetterOrDigit(text)) {
    words = nodejieba.cut(text, true);
    wordStarts = scratch.i32('wordStarts', words.length, -1);
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      if (!w) continue;
      let start = pos;
      if (!startsAt(text, w, pos)) {
        // jieba may have altered a character; resynchronise on the next occurrence.
        const found = text.indexOf(w, pos);
        if (found < 0) continue;
        for (let i = pos; i < found; i++) starts[i] = 1;
        start = found;
      }
      // jieba splits an English word at a dictionary word inside it (app|etite, fun|ction): not a
      // boundary, or a lexicon word would match inside the English word.
      if (!latinInner(text, start)) starts[start] = 1;
      wordStarts[k] = start;
      pos = start + w.length;
    }
  }
  for (let i = pos; i < n; i++) starts[i] = 1;
  return { starts, words, wordStarts };
}

/** a-z (the text is normalised: lower case, half-width). */
function isLatinLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Whether offset `i` of normalised `text` falls between two letters of one English word: never a
 *  word boundary, wherever jieba or a lexicon word would put one. */
export function latinInner(text: string, i: number): boolean {
  return i > 0 && i < text.length && isLatinLetter(text.charCodeAt(i)) && isLatinLetter(text.charCodeAt(i - 1));
}

/** `text.startsWith(w, pos)` for a non-empty `w`, as a plain loop (cheaper for the short words
 *  of a segmentation, called ~100 times a post). */
function startsAt(text: string, w: string, pos: number): boolean {
  const len = w.length;
  if (pos + len > text.length) return false;
  for (let i = 0; i < len; i++) if (text.charCodeAt(pos + i) !== w.charCodeAt(i)) return false;
  return true;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
function hasLetterOrDigit(text: string): boolean {
  // Chinese posts answer on the first character; the regex is for the rest.
  for (let i = 0; i < text.length && i < 8; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return true;
  }
  return LETTER_OR_DIGIT.test(text);
}
