/**
 * Open-vocabulary word use: the adjectives and verbs people use about a channel beyond the lexicon
 * (门店"冷清", 客服"推脱", App"卡顿"), so reports can compare word use between channels where the
 * descriptor lexicon has no entry. The part of speech is jieba's own tag for its dictionary words
 * (what `nodejieba.tag` answers), read from the dictionary nodejieba loads, so the classifier needs
 * no second jieba call per post: the words come from the one `cut` the classifier already makes.
 */
import { forEachDictionaryLine } from './jieba-dictionary.js';
import type { OpenWordHit, Span } from '../core/types.js';
import type { Structure } from './clauses.js';
import type { Tokens } from './segment.js';

export type OpenPos = OpenWordHit['pos'];

/** jieba tags of adjectives (a, ad adverbial, an nominal) and verbs (v, vd adverbial, vi
 *  intransitive). Verbal nouns (vn: 服务, 配送) are left out: they name things, not how they went. */
const TAG_FAMILY: Readonly<Record<string, OpenPos>> = { a: 'adj', ad: 'adj', an: 'adj', v: 'verb', vd: 'verb', vi: 'verb' };

/** jieba's tag families of its dictionary's adjectives and verbs, by word. */
export type OpenWordTags = ReadonlyMap<string, OpenPos>;

let tags: Map<string, OpenPos> | undefined;

/**
 * The adjectives and verbs of two or more Han characters in jieba's dictionary, with their tag
 * family; read once per process (about 38,000 words). Single characters (说, 好, 快) are left out:
 * they are either function words or sentiment words the lexicon already has.
 */
export function openWordTags(): OpenWordTags {
  if (tags) return tags;
  const table = new Map<string, OpenPos>();
  // Only the ~38,000 words kept become strings (see forEachDictionaryLine).
  forEachDictionaryLine(({ bytes, start, wordEnd, freqEnd, end }) => {
    if (freqEnd >= end) return;
    const family = TAG_FAMILY[bytes.toString('latin1', freqEnd + 1, end).trim()];
    if (!family) return;
    const word = bytes.toString('utf8', start, wordEnd);
    if (word.length >= 2 && allHan(word)) table.set(word, family);
  });
  tags = table;
  return table;
}

/** Bits of the tag filter (2^20 bits, 128 KB: a few percent of them set by the tag table's words). */
const FILTER_BITS = 20;

/** A multiplicative hash of `word` into FILTER_BITS bits. */
function filterSlot(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x9e3779b1);
  return h >>> (32 - FILTER_BITS);
}

/**
 * A bit per hash slot of the words of `tags`: a clear bit says a word is no adjective or verb. Most
 * words a post asks about are not (two in three are nouns, 包装, 物流), and one bit read is much
 * cheaper than a look-up in the 38,000-word table, whose entries are spread over the heap.
 */
export function openWordFilter(tags: OpenWordTags): Uint32Array {
  const bits = new Uint32Array(1 << (FILTER_BITS - 5));
  for (const word of tags.keys()) {
    const slot = filterSlot(word);
    bits[slot >>> 5]! |= 1 << (slot & 31);
  }
  return bits;
}

export function mayBeTagged(filter: Uint32Array, word: string): boolean {
  const slot = filterSlot(word);
  return (filter[slot >>> 5]! & (1 << (slot & 31))) !== 0;
}

function allHan(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 0x3400 || c > 0x9fff) return false;
  }
  return true;
}

export interface OpenWordContext {
  tokens: Tokens;
  st: Structure;
  tags: OpenWordTags;
  /** openWordFilter(tags), when the caller keeps one: words it rules out skip the table look-up. */
  tagFilter?: Uint32Array;
  /** Lexicon words (descriptors, sentiment words, channel aliases...): the lexicon speaks for them. */
  isLexiconWord: (word: string) => boolean;
  /** `lexiconRead()[i]` = 1 where a lexicon match covers offset i: a word holding one (太慢, 挺快) was
   *  read by the lexicon already. Called only when a post has a candidate word. */
  lexiconRead: () => Uint8Array;
  /** Words too general to tell channels apart (觉得, 没有, 可以), from syntax.yaml. */
  stoplist: ReadonlySet<string>;
  negators: ReadonlySet<string>;
  /** Degree words that may sit between a negator and the word (不太热情, 没那么方便). */
  degree: ReadonlySet<string>;
  /** Whether a word of `clause` can be about a channel at all (most clauses: no). */
  clauseReachesChannel: (clause: number) => boolean;
  /** The channels a word at [start, end) of clause `clause` is about (the sentiment words' rules). */
  channelsOf: (clause: number, start: number, end: number) => readonly string[];
  /** Whether the word at `pos` sits in a genuine question (what is asked is not a stance). */
  inQuestion: (pos: number) => boolean;
  span: (start: number, end: number) => Span;
}

/**
 * The open-vocabulary adjectives and verbs about a channel, once per word, channel and negation, in
 * text order. A word under a negator (不热情, 没及时) is marked `negated` so reports keep it apart.
 */
export function openWords(ctx: OpenWordContext): OpenWordHit[] {
  const { tokens, st, tags } = ctx;
  const words = tokens.words;
  let out: OpenWordHit[] | undefined;
  let lexiconRead: Uint8Array | undefined;
  // Cheapest tests first: a post has ~60 words and few of them sit in a clause about a channel.
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (word.length < 2) continue;
    const start = tokens.wordStarts[k]!;
    if (start < 0) continue;
    const clause = st.clauseAt[start]!;
    if (clause < 0 || !ctx.clauseReachesChannel(clause)) continue;
    // Most long words in such a clause are lexicon matches (客服, 态度): a look at the coverage
    // array spares the look-up in the large tag table.
    const end = start + word.length;
    if (readByLexicon((lexiconRead ??= ctx.lexiconRead()), start, end)) continue;
    if (ctx.tagFilter && !mayBeTagged(ctx.tagFilter, word)) continue;
    const pos = tags.get(word);
    if (pos === undefined || ctx.stoplist.has(word) || ctx.isLexiconWord(word) || ctx.inQuestion(start)) continue;
    const channels = ctx.channelsOf(clause, start, end);
    if (!channels.length) continue;
    const negated = isNegated(words, k, ctx.negators, ctx.degree);
    for (const channel of channels) {
      if (out !== undefined && hasOpenWord(out, word, channel, negated)) continue;
      (out ??= []).push({ word, pos, channel, negated, evidence: ctx.span(start, end) });
    }
  }
  return out ?? [];
}

/** Whether `out` holds `word` about `channel` with that negation. A helper, not an `out.some(...)`
 *  arrow: an arrow capturing the loop's `word` makes V8 allocate a context for every word of the
 *  post (~60), arrow called or not. */
function hasOpenWord(out: readonly OpenWordHit[], word: string, channel: string, negated: boolean): boolean {
  for (let i = 0; i < out.length; i++) {
    const h = out[i]!;
    if (h.word === word && h.channel === channel && h.negated === negated) return true;
  }
  return false;
}

function readByLexicon(read: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (read[i]) return true;
  return false;
}

/** The word right after a negator, or after a negator and a degree word (不太热情). */
function isNegated(words: readonly string[], k: number, negators: ReadonlySet<string>, degree: ReadonlySet<string>): boolean {
  const prev = words[k - 1];
  if (prev === undefined) return false;
  if (negators.has(prev)) return true;
  const before = words[k - 2];
  return before !== undefined && degree.has(prev) && negators.has(before);
}
