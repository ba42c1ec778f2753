/**
 * Text normalisation for analysis: full-width letters/digits -> ASCII, traditional -> simplified Chinese,
 * ASCII lower case, URLs and @mentions blanked out, control characters and broken surrogates
 * blanked. Every step maps one UTF-16 code unit to one, so an offset in the normalised text is the
 * same offset in the original: evidence spans found on the analysis text slice the post exactly.
 */
import * as OpenCC from 'opencc-js/t2cn';
import { isHiragana } from './lang.js';

/** Longest prefix of a post that is analysed; the rest of a 1 MB paste adds nothing but time. */
export const MAX_ANALYSED_CHARS = 20_000;

export interface Normalised {
  /** The analysis text; `text.length` <= the original's, offsets are shared with the original. */
  text: string;
  /** URLs blanked out (spam detection counts them). */
  urls: number;
}

// Traditional -> simplified, character variants and phrases ('t' -> 'cn' preset). The 'tw' preset
// also rewrites simplified characters (么 -> 幺), which would corrupt ordinary simplified posts.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Characters that exist only in traditional writing: a post without any skips the converter. A bit
 *  set (8 KB, not a 64 KB byte table): it is read at every character, right after the segmenter has
 *  filled the caches with its dictionary. */
const TRADITIONAL = buildTraditionalSet();

function isTraditional(c: number): boolean {
  return (TRADITIONAL[c >> 5]! & (1 << (c & 31))) !== 0;
}

function buildTraditionalSet(): Int32Array {
  const set = new Int32Array(2048);
  const dicts = (OpenCC as unknown as { Locale: { to: Record<string, unknown[]> } }).Locale.to.cn ?? [];
  const visit = (d: unknown): void => {
    if (typeof d === 'string') {
      for (const entry of d.split('|')) {
        const [from, to] = entry.split(' ');
        if (from && to && from.length === 1 && from !== to) {
          const c = from.charCodeAt(0);
          set[c >> 5] = set[c >> 5]! | (1 << (c & 31));
        }
      }
    } else if (Array.isArray(d)) d.forEach(visit);
  };
  visit(dicts);
  return set;
}

const UPPER = /[A-Z]+/g;
const URL_OR_MENTION = /(?:https?:\/\/|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff"'<>]+|@[\p{L}\p{N}_-]{1,20}/gu;

interface WellFormedString {
  isWellFormed?: (this: string) => boolean;
  toWellFormed?: (this: string) => string;
}
const wellFormed = String.prototype as unknown as WellFormedString;

/**
 * The same text as one flat string. A post built by concatenation is a rope (a tree of pieces), and
 * every `charCodeAt` on it walks the tree: the analysis reads each character several times, so it
 * pays to flatten once. `toWellFormed` returns the flat string itself when there is nothing to
 * replace; a text with broken surrogates is left as it is (its content must not change).
 */
export function flatten(text: string): string {
  const { isWellFormed, toWellFormed } = wellFormed;
  if (!isWellFormed || !toWellFormed || !isWellFormed.call(text)) return text;
  return toWellFormed.call(text);
}

/**
 * Han characters and Latin letters of a normalised text, counted by `normaliseCounting` during its
 * pass over the post so that language detection needs no second one; `han` is -1 when the text was
 * rewritten (URLs, mapped or traditional characters) and the counts must be taken on the result.
 */
export interface ScriptCounts {
  han: number;
  latin: number;
  /** Hiragana: Japanese shares its kanji with Chinese, its hiragana are its own (katakana are left
   *  out: Chinese posts use them in brand names and kaomoji, ヽ(✿ﾟ▽ﾟ)ノ). */
  hiragana: number;
}

/** A fresh sequential string with the same code units (no interned, sliced or rope form). */
export function plainCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** Normalises `original` (see module doc). Never throws; any string in, a same-offset text out. */
export function normalise(original: string): Normalised {
  return normaliseCounting(original, { han: 0, latin: 0, hiragana: 0 });
}

/** `normalise`, also filling `counts` (see ScriptCounts). */
export function normaliseCounting(original: string, counts: ScriptCounts): Normalised {
  let source = original;
  if (source.length > MAX_ANALYSED_CHARS) {
    let cut = MAX_ANALYSED_CHARS;
    if (isHighSurrogate(source.charCodeAt(cut - 1))) cut -= 1; // do not split a surrogate pair
    source = source.slice(0, cut);
  }

  // One pass decides what is needed; most posts need nothing or only lower-casing.
  let rewrite = false;
  let upper = false;
  let traditional = false;
  let maybeUrl = false;
  // Han characters and Latin letters (upper case counts: it is lower-cased below).
  let han = 0;
  let latin = 0;
  let hiragana = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) {
      // The common case: a CJK ideograph needs no mapping, only the traditional test.
      han++;
      if (isTraditional(c)) traditional = true;
    } else if (c < 128) {
      if (c >= 97 && c <= 122) latin++;
      else if (c >= 65 && c <= 90) {
        upper = true;
        latin++;
      } else if ((c < 32 && c !== 10) || c === 127) rewrite = true;
      else if (c === 64 /* @ */ || c === 47 /* / */ || c === 46 /* . */) maybeUrl = true;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = isHighSurrogate(c) ? isLowSurrogate(source.charCodeAt(i + 1)) : false;
      if (pair) i++;
      else rewrite = true;
    } else {
      if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) han++;
      else if (isHiragana(c)) hiragana++;
      if (isTraditional(c)) traditional = true;
      else if (needsMapping(c)) rewrite = true;
    }
  }
  counts.han = rewrite || traditional ? -1 : han;
  counts.latin = latin;
  counts.hiragana = hiragana;

  let text = source;
  let urls = 0;
  if (maybeUrl) {
    URL_OR_MENTION.lastIndex = 0;
    if (URL_OR_MENTION.test(text)) {
      counts.han = -1;
      text = text.replace(URL_OR_MENTION, (m) => {
        if (m[0] !== '@') urls++;
        return ' '.repeat(m.length);
      });
    }
  }
  if (rewrite) text = mapChars(text);
  else if (upper) text = text.replace(UPPER, (m) => m.toLowerCase());
  if (traditional) {
    const simplified = toSimplified(text);
    text = simplified.length === text.length ? simplified : convertPerCharacter(text);
  }
  return { text, urls };
}

/** The original text of a normalised range (offsets are shared; end exclusive). */
export function toOriginalSpan(original: string, start: number, end: number): { start: number; end: number; text: string } {
  if (end <= start) return { start: 0, end: 0, text: '' };
  let e = Math.min(end, original.length);
  // Never cut an emoji in half.
  if (e < original.length && isHighSurrogate(original.charCodeAt(e - 1)) && isLowSurrogate(original.charCodeAt(e))) e += 1;
  return { start, end: e, text: original.slice(start, e) };
}

/** Full-width letters and digits (ＡＰＰ, ４Ｓ店) become ASCII; full-width punctuation (，。？) stays, the
 *  punctuation tables know both forms, and leaving it spares most Chinese posts a rewrite. */
function isFullWidthAlnum(c: number): boolean {
  return (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

function needsMapping(c: number): boolean {
  return isFullWidthAlnum(c) || c === 0x3000 || c === 0xa0 || (c >= 0x80 && c < 0xa0) || c === 0xfffe || c === 0xffff || c === 0xfffd || c === 0xfeff || c === 0x2018 || c === 0x2019;
}

function mapChars(text: string): string {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(i + 1))) {
      out[i] = c;
      out[i + 1] = text.charCodeAt(i + 1);
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 32; // lone surrogate: garbage
    else if (isFullWidthAlnum(c)) c -= 0xfee0; // full-width letters and digits -> ASCII
    else if (c === 0x3000 || c === 0xa0 || c === 0x9 || c === 0xd) c = 32;
    else if ((c < 32 && c !== 10) || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0xfffe || c === 0xffff || c === 0xfffd || c === 0xfeff) c = 32;
    else if (c === 0x2018 || c === 0x2019) c = 39; // curly apostrophes -> ' (don’t)
    if (c >= 65 && c <= 90) c += 32; // ASCII lower case keeps the length
    out[i] = c;
  }
  let s = '';
  // Chunks keep the argument list of fromCharCode far below engine limits.
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode.apply(null, out.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

/**
 * `text` with traditional characters written in simplified form and nothing else changed (same
 * length, so offsets stay those of `text`); a text without traditional characters is returned as
 * it is. The trainable models read posts this way, so a model trained on simplified posts reads
 * traditional ones (說明書 -> 说明书) as the rule classifier does.
 */
export function simplifyTraditional(text: string): string {
  let traditional = false;
  for (let i = 0; i < text.length && !traditional; i++) traditional = isTraditional(text.charCodeAt(i));
  if (!traditional) return text;
  const simplified = toSimplified(text);
  return simplified.length === text.length ? simplified : convertPerCharacter(text);
}

function convertPerCharacter(text: string): string {
  let result = '';
  for (const ch of text) {
    const conv = toSimplified(ch);
    result += conv.length === ch.length ? conv : ch;
  }
  return result;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
