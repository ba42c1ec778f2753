/**
 * Sentences and clauses. Sentences end at 。！？!?；\n… (and an English full stop); clauses also
 * split at commas and similar marks, at a space between two CJK characters (新鲜 物流快) and before
 * a contrast word (但是, 不过, 却...). Contrast shifts weight: what precedes 但是 in the sentence (or a
 * clause opened by 虽然) counts half.
 */
import type { Lexicons } from './lexicons.js';
import { scratch } from './scratch.js';
import { normaliseEntry, SENT_CONTRAST, SENT_EMOTICON, type Matches, type TermTable } from './terms.js';

export interface Clause {
  start: number;
  end: number;
  sentence: number;
  /** Contrast weight: 0.5 before a 但是 / inside a 虽然 clause, else 1. */
  weight: number;
  /** Sum of the sentiment values inside the clause (set by the sentiment stage). */
  score: number;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index of the first clause and one past the last. */
  firstClause: number;
  endClause: number;
  /** The punctuation that ended it ('' at end of text). */
  terminator: string;
}

export interface Structure {
  sentences: Sentence[];
  clauses: Clause[];
  /** Clause index of every character (-1 on separators); scratch space valid for one post. */
  clauseAt: Int32Array;
}

/** Break class of every code unit: 2 = sentence end, 1 = clause separator, 0 = text. */
export interface PunctuationSets {
  kind: Uint8Array;
  /** Bit set of the code units whose `kind` is not 0: the split loop reads 8 KB at every character,
   *  not the 64 KB table (the segmenter's dictionary has just filled the caches). */
  breaks: Int32Array;
}

export function punctuationSets(lex: Lexicons): PunctuationSets {
  const kind = new Uint8Array(65536);
  for (const p of lex.syntax.clauseSeparators) for (const v of [p, normaliseEntry(p)]) if (v.length === 1) kind[v.charCodeAt(0)] = 1;
  for (const p of lex.syntax.sentenceEnds) for (const v of [p, normaliseEntry(p)]) if (v.length === 1) kind[v.charCodeAt(0)] = 2;
  const breaks = new Int32Array(2048);
  for (let c = 0; c < 65536; c++) if (kind[c] !== 0) breaks[c >> 5] = breaks[c >> 5]! | (1 << (c & 31));
  return { kind, breaks };
}

const CONTRAST_BEFORE = 1;
const CONTRAST_AFTER = 2;

const isCjk = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Splits `text` into sentences and clauses using the punctuation sets and the contrast words found. */
export function splitStructure(text: string, m: Matches, table: TermTable, p: PunctuationSets): Structure {
  const n = text.length;
  const breaks = p.breaks;
  // Contrast words open a new clause: their starts (in text order: the hits do not overlap) and
  // CONTRAST_BEFORE / CONTRAST_AFTER.
  const contrastStarts: number[] = [];
  const contrastKinds: number[] = [];
  const flags = table.sentFlags;
  for (const h of m.sent) {
    if ((flags[h.role]! & SENT_CONTRAST) === 0) continue;
    const c = table.sent[h.role]!.contrast;
    if (!c) continue;
    contrastStarts.push(h.start);
    contrastKinds.push(c === 'before' ? CONTRAST_BEFORE : CONTRAST_AFTER);
  }
  let nextContrast = 0;
  // An emoticon is one word: the punctuation it is drawn with (:) (╯‵□′)╯) splits nothing, else a
  // kaomoji that starts with a separator would sit outside every clause and never count. Its ranges
  // in text order (the hits do not overlap).
  let emoticons: number[] | undefined;
  for (const h of m.sent) if (flags[h.role]! & SENT_EMOTICON) (emoticons ??= []).push(h.start, h.end);
  let nextEmoticon = 0;

  const sentences: Sentence[] = [];
  const clauses: Clause[] = [];
  const clauseAt = scratch.i32('clauseAt', n, -1);
  let sentStart = -1;
  let clauseStart = -1;
  let clauseContrast = 0;
  const clauseContrasts: number[] = [];

  const closeClause = (end: number) => {
    if (clauseStart < 0) return;
    const idx = clauses.length;
    clauses.push({ start: clauseStart, end, sentence: sentences.length, weight: 1, score: 0 });
    clauseContrasts.push(clauseContrast);
    for (let i = clauseStart; i < end; i++) clauseAt[i] = idx;
    clauseStart = -1;
    clauseContrast = 0;
  };
  let sentFirstClause = 0;
  const closeSentence = (end: number, terminator: string) => {
    closeClause(end);
    if (sentStart < 0) return;
    sentences.push({ start: sentStart, end, firstClause: sentFirstClause, endClause: clauses.length, terminator });
    sentStart = -1;
    sentFirstClause = clauses.length;
  };

  let lastTerminator = -2;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    const breaking = (breaks[ch >> 5]! & (1 << (ch & 31))) !== 0;
    // Most characters continue an open clause: no break, no '.' or blank to look around, and no
    // contrast word starting here. Nothing changes for them.
    if (clauseStart >= 0 && !breaking && ch !== 46 && ch !== 32) {
      while (nextContrast < contrastStarts.length && contrastStarts[nextContrast]! < i) nextContrast++;
      if (nextContrast >= contrastStarts.length || contrastStarts[nextContrast] !== i) continue;
    }
    // Break class: 2 = sentence end, 1 = clause separator, 0 = text.
    let k = breaking ? p.kind[ch]! : 0;
    let drawn = false;
    if (emoticons !== undefined && (k !== 0 || ch === 46 || ch === 32)) {
      while (nextEmoticon < emoticons.length && emoticons[nextEmoticon + 1]! <= i) nextEmoticon += 2;
      drawn = nextEmoticon < emoticons.length && emoticons[nextEmoticon]! <= i;
      if (drawn) k = 0;
    }
    if (k === 0 && !drawn) {
      if (ch === 46 /* . */) {
        const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
        const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        k = isDigit(prev) && isDigit(next) ? 0 : 2;
      } else if (ch === 32) {
        let a = i - 1;
        while (a >= 0 && text.charCodeAt(a) === 32) a--;
        let b = i + 1;
        while (b < n && text.charCodeAt(b) === 32) b++;
        const left = a >= 0 ? text.charCodeAt(a) : 0;
        const right = b < n ? text.charCodeAt(b) : 0;
        k = isCjk(left) || isCjk(right) ? 1 : 0;
      }
    }
    if (k === 2) {
      // A run of terminators (？！) ends one sentence; all of them are its terminator.
      if (sentStart >= 0) closeSentence(i, text[i]!);
      else if (sentences.length && lastTerminator === i - 1) sentences[sentences.length - 1]!.terminator += text[i]!;
      lastTerminator = i;
      continue;
    }
    if (k === 1) {
      closeClause(i);
      continue;
    }
    if (ch === 32 && clauseStart < 0) continue;
    while (nextContrast < contrastStarts.length && contrastStarts[nextContrast]! < i) nextContrast++;
    const contrast = nextContrast < contrastStarts.length && contrastStarts[nextContrast] === i ? contrastKinds[nextContrast]! : 0;
    if (contrast !== 0 && clauseStart >= 0 && i > clauseStart) closeClause(i);
    if (sentStart < 0) {
      sentStart = i;
      sentFirstClause = clauses.length;
    }
    if (clauseStart < 0) {
      clauseStart = i;
      clauseContrast = contrast;
    }
  }
  closeSentence(n, '');

  // Contrast weights.
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s]!;
    for (let c = sent.firstClause; c < sent.endClause; c++) {
      const contrast = clauseContrasts[c];
      if (contrast === CONTRAST_BEFORE) clauses[c]!.weight = 0.5;
      if (contrast === CONTRAST_AFTER) {
        let from = sent.firstClause;
        // A sentence opening with 但是 discounts the previous sentence.
        if (c === sent.firstClause && s > 0) from = sentences[s - 1]!.firstClause;
        for (let k = from; k < c; k++) clauses[k]!.weight = 0.5;
      }
    }
  }
  return { sentences, clauses, clauseAt };
}

/** Index of the clause holding position `pos`, or of the nearest clause before it. */
export function clauseOf(st: Structure, pos: number): number {
  for (let i = Math.min(pos, st.clauseAt.length - 1); i >= 0; i--) {
    const c = st.clauseAt[i]!;
    if (c >= 0) return c;
  }
  return st.clauses.length ? 0 : -1;
}

/** How many 的 text[from, to) holds when it holds only blanks and 的, else -1 (极度的失望, 很好的动力). */
export function blanksAndDe(text: string, from: number, to: number): number {
  let de = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === DE) de++;
    else if (c !== 32) return -1;
  }
  return de;
}
const DE = '的'.charCodeAt(0);
