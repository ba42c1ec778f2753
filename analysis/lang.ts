/**
 * Language detection by script: Chinese when Han characters carry the post (a few Latin letters
 * such as App or S7 do not change that), English when Latin words are recognisable English (common
 * words or lexicon entries), else `other` (emoji only, numbers, binary garbage, other scripts).
 */
import type { Lang } from '../core/types.js';

/** `isEnglishWord` tells whether a lower-case Latin word is common English or a lexicon entry. */
export function detectLang(text: string, isEnglishWord: (w: string) => boolean): Lang {
  let han = 0;
  let latin = 0;
  let hiragana = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) han++;
    else if (c >= 97 && c <= 122) latin++;
    else if (isHiragana(c)) hiragana++;
  }
  return langOfCounts(han, latin, text, isEnglishWord, hiragana);
}

/** Hiragana (ぁ-ゖ): written in every Japanese sentence, in Chinese only as a borrowed の or っ. */
export const isHiragana = (c: number) => c >= 0x3041 && c <= 0x3096;

/** Hiragana a text needs before it can read as Japanese (a kaomoji's っ or a borrowed の do not). */
const JAPANESE_MIN_HIRAGANA = 3;

/**
 * `detectLang` from the counts of Han characters, lower-case Latin letters and hiragana of `text`.
 * Japanese (three or more hiragana, a third or more of its Han and hiragana; a Chinese post borrowing
 * の, a katakana brand name or a kaomoji such as ヽ(✿ﾟ▽ﾟ)ノ stays Chinese) is `other`: the Chinese
 * lexicons would read its kanji wrongly.
 */
export function langOfCounts(han: number, latin: number, text: string, isEnglishWord: (w: string) => boolean, hiragana: number): Lang {
  if (hiragana >= JAPANESE_MIN_HIRAGANA && hiragana * 3 >= han + hiragana) return 'other';
  if (han > 0 && han * 4 >= latin) return 'zh';
  if (latin >= 2) {
    const words = text.match(/[a-z][a-z']*/g) ?? [];
    const english = words.filter(isEnglishWord).length;
    if (english >= 2 || (english >= 1 && english * 3 >= words.length)) return 'en';
  }
  return han > 0 ? 'zh' : 'other';
}

/**
 * Whether `text` is binary data read as text rather than writing: at least a tenth of its code
 * units are controls, U+FFFD (bytes that were no UTF-8), lone surrogates or non-characters
 * (private-use characters are not noise: old phone emoji live there). Such a post gets lang
 * `other` and no labels (random bytes would otherwise hit short English words and sentiment
 * entries by chance). Short texts are never judged binary.
 */
export function looksBinary(text: string): boolean {
  if (text.length < 16) return false;
  let noise = 0;
  let blank = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) blank++;
    else if (c < 32 || (c >= 0x7f && c <= 0x9f) || c === 0xfffd || c === 0xfffe || c === 0xffff) noise++;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const paired = c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (paired) i++;
      else noise++;
    }
  }
  return noise * 10 >= text.length - blank;
}
