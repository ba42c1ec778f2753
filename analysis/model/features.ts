/**
 * Text features of the trainable models: word n-grams over jieba tokens (`cut(text, true)`, HMM on,
 * so Latin words such as iPhone stay whole) and character n-grams, which catch what segmentation
 * gets wrong (new words, typos, 不 + adjective cut differently).
 *
 * Terms are never built as strings: each n-gram is hashed (FNV-1a over UTF-16 units) into one of
 * 2^hashBits buckets as it is scanned, which keeps featurising 40k reviews to a few seconds. The
 * vocabulary is then the `maxFeatures` buckets with the highest document frequency (at least
 * `minDf`), saved with the model; buckets outside it are ignored at prediction time.
 *
 * Features are binary (present or not) and each document vector is L2-normalised, so long posts do
 * not dominate the loss. Every term knows its span in the text, which lets a model point at the
 * words behind a decision (the evidence of an aspect).
 */
import nodejieba from 'nodejieba';
import { simplifyTraditional } from '../normalise.js';

/** How text becomes features; saved in model.json so prediction featurises exactly as training did. */
export interface FeatureConfig {
  /** Word n-gram orders 1..wordNgrams over jieba tokens (0 = no word features). */
  wordNgrams: number;
  /** Character n-gram orders, inclusive range (e.g. [1, 3]); [0, 0] = none. */
  charNgrams: [number, number];
  /** Terms are hashed into 2^hashBits buckets (16..26). */
  hashBits: number;
  /** Buckets seen in fewer training documents are dropped. */
  minDf: number;
  /** Vocabulary cap: the buckets with the highest document frequency are kept. */
  maxFeatures: number;
  /**
   * Traditional characters are read as simplified ones (analysis/normalise.ts simplifyTraditional),
   * as the rule classifier reads them. Absent in model files written before this option: they
   * featurise the text as written, so they keep predicting exactly as they were trained to.
   */
  simplified?: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = { wordNgrams: 2, charNgrams: [1, 3], hashBits: 22, minDf: 2, maxFeatures: 200_000, simplified: true };

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Distinct starting states for word and character terms, so 好 the word is not 好 the character. */
const WORD_SEED = fnvUnit(FNV_OFFSET, 0x77);
const CHAR_SEED = fnvUnit(FNV_OFFSET, 0x63);
/** Joins the tokens of a word n-gram. */
const TOKEN_JOIN = 1;

function fnvUnit(h: number, unit: number): number {
  return Math.imul(h ^ unit, FNV_PRIME) >>> 0;
}

function fnvRange(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME) >>> 0;
  return h;
}

/**
 * Folds case and full-width forms unit by unit (Ａ -> a, ！ -> !, U+3000 -> space). The result has
 * the same length as the input, so term spans are spans of the original text.
 */
export function foldForFeatures(text: string): string {
  return FOLDABLE.test(text) ? text.replace(FOLDABLE_ALL, foldUnit) : text;
}

const FOLDABLE = /[A-Z\uFF01-\uFF5E\u3000]/;
const FOLDABLE_ALL = /[A-Z\uFF01-\uFF5E\u3000]/g;

function foldUnit(ch: string): string {
  let c = ch.charCodeAt(0);
  if (c === 0x3000) return ' ';
  if (c >= 0xff01) c -= 0xfee0;
  if (c >= 0x41 && c <= 0x5a) c += 0x20;
  return String.fromCharCode(c);
}

let cpStartBuffer = new Int32Array(1024);
let cpEndBuffer = new Int32Array(1024);
let charBuffersBusy = false;

/** Receives one term: its bucket and its span [start, end) in the text (UTF-16 offsets). */
export type TermSink = (bucket: number, start: number, end: number) => void;

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0;
}

/**
 * Calls `emit` for every feature term of `text`: word n-grams over the jieba tokens, then character
 * n-grams over the non-blank code points. A term may be emitted more than once; callers deduplicate.
 */
export function forEachTerm(text: string, cfg: FeatureConfig, emit: TermSink): void {
  if (typeof text !== 'string' || text.length === 0) return;
  const folded = foldForFeatures(cfg.simplified ? simplifyTraditional(text) : text);
  const mask = (1 << cfg.hashBits) - 1;
  if (cfg.wordNgrams > 0 && /[\p{L}\p{N}]/u.test(folded)) {
    const starts: number[] = [];
    const ends: number[] = [];
    let pos = 0;
    for (const w of nodejieba.cut(folded, true)) {
      if (!w) continue;
      let at = folded.startsWith(w, pos) ? pos : folded.indexOf(w, pos);
      if (at < 0) continue; // jieba altered a character: drop the token rather than misplace it
      pos = at + w.length;
      let blank = true;
      for (let i = at; i < pos && blank; i++) blank = isBlank(folded.charCodeAt(i));
      if (blank) continue;
      starts.push(at);
      ends.push(pos);
    }
    for (let i = 0; i < starts.length; i++) {
      let h = fnvRange(WORD_SEED, folded, starts[i]!, ends[i]!);
      emit(h & mask, starts[i]!, ends[i]!);
      for (let n = 2; n <= cfg.wordNgrams && i + n <= starts.length; n++) {
        const k = i + n - 1;
        h = fnvRange(fnvUnit(h, TOKEN_JOIN), folded, starts[k]!, ends[k]!);
        emit(h & mask, starts[i]!, ends[k]!);
      }
    }
  }
  const [lo, hi] = cfg.charNgrams;
  if (lo > 0 && hi >= lo) {
    // Code points, not UTF-16 units: an emoji is one character, never half of a surrogate pair.
    // The boundaries go to shared buffers rather than fresh arrays per text; a call made from inside
    // `emit` (none is today) gets buffers of its own.
    const shared = !charBuffersBusy;
    if (shared && cpStartBuffer.length < folded.length) {
      cpStartBuffer = new Int32Array(folded.length * 2);
      cpEndBuffer = new Int32Array(folded.length * 2);
    }
    const cpStart = shared ? cpStartBuffer : new Int32Array(folded.length);
    const cpEnd = shared ? cpEndBuffer : new Int32Array(folded.length);
    if (shared) charBuffersBusy = true;
    try {
      let count = 0;
      for (let i = 0; i < folded.length; ) {
        const c = folded.charCodeAt(i);
        const next = folded.charCodeAt(i + 1);
        const end = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? i + 2 : i + 1;
        if (!isBlank(c)) {
          cpStart[count] = i;
          cpEnd[count++] = end;
        }
        i = end;
      }
      for (let i = 0; i < count; i++) {
        let h = CHAR_SEED;
        const start = cpStart[i]!;
        for (let n = 1; n <= hi && i + n <= count; n++) {
          const k = i + n - 1;
          const end = cpEnd[k]!;
          h = fnvRange(h, folded, cpStart[k]!, end);
          if (n >= lo) emit(h & mask, start, end);
        }
      }
    } finally {
      if (shared) charBuffersBusy = false;
    }
  }
}

/** Documents as a sparse row matrix (CSR): row i holds indices[indptr[i]..indptr[i+1]). */
export interface SparseRows {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Bucket -> column index, learnt from training documents. */
export class Vocabulary {
  /** The kept buckets, in column order. */
  readonly buckets: Int32Array;
  /**
   * Open-addressing table bucket -> column (keys hold bucket + 1, 0 = empty), at most half full:
   * prediction looks up every n-gram of a post, and a typed table is several times faster than a Map.
   */
  private readonly keys: Int32Array;
  private readonly cols: Int32Array;
  private readonly shift: number;
  /** Per-column stamp of the last `columns` call that saw it, to drop repeats without a Set. */
  private readonly seenIn: Int32Array;
  private call = 0;

  constructor(buckets: Int32Array) {
    this.buckets = buckets;
    let bits = 4;
    while (1 << bits < buckets.length * 2) bits++;
    this.keys = new Int32Array(1 << bits);
    this.cols = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    const mask = (1 << bits) - 1;
    buckets.forEach((b, col) => {
      let slot = this.slotOf(b);
      while (this.keys[slot] !== 0 && this.keys[slot] !== b + 1) slot = (slot + 1) & mask;
      if (this.keys[slot] === 0) {
        this.keys[slot] = b + 1;
        this.cols[slot] = col;
      }
    });
    this.seenIn = new Int32Array(buckets.length);
  }

  get size(): number {
    return this.buckets.length;
  }

  private slotOf(bucket: number): number {
    return Math.imul(bucket, 0x9e3779b1) >>> this.shift;
  }

  /** Column of a bucket, or undefined when the bucket is not in the vocabulary. */
  columnOf(bucket: number): number | undefined {
    const mask = this.keys.length - 1;
    for (let slot = this.slotOf(bucket); ; slot = (slot + 1) & mask) {
      const k = this.keys[slot]!;
      if (k === 0) return undefined;
      if (k === bucket + 1) return this.cols[slot];
    }
  }

  /**
   * Learns the vocabulary of `texts` and returns it with the texts already vectorised, so training
   * featurises each text once.
   */
  static fit(texts: string[], cfg: FeatureConfig): { vocab: Vocabulary; matrix: SparseRows } {
    const size = 1 << cfg.hashBits;
    const df = new Int32Array(size);
    const lastDoc = new Int32Array(size).fill(-1);
    const docs: Int32Array[] = texts.map((text, doc) => {
      const ids: number[] = [];
      forEachTerm(text, cfg, (b) => {
        if (lastDoc[b] === doc) return;
        lastDoc[b] = doc;
        df[b]!++;
        ids.push(b);
      });
      return Int32Array.from(ids);
    });
    const kept: number[] = [];
    for (let b = 0; b < size; b++) if (df[b]! >= Math.max(1, cfg.minDf)) kept.push(b);
    // Most frequent first; ties by bucket number, so the vocabulary is fully determined by the data.
    kept.sort((a, b) => df[b]! - df[a]! || a - b);
    const vocab = new Vocabulary(Int32Array.from(kept.slice(0, cfg.maxFeatures)));
    const remap = lastDoc.fill(-1); // reused: bucket -> column
    vocab.buckets.forEach((b, col) => (remap[b] = col));
    const matrix = buildRows(
      docs.map((ids) => {
        const cols: number[] = [];
        for (const b of ids) if (remap[b]! >= 0) cols.push(remap[b]!);
        return cols;
      }),
      vocab.size,
    );
    return { vocab, matrix };
  }

  /** Column indices of the known, distinct terms of one text, in the order they first occur. */
  columns(text: string, cfg: FeatureConfig): number[] {
    const cols: number[] = [];
    // A new stamp per call; on wrap-around (after 2^31 calls) the stamps start over from clean.
    if (++this.call === 0x7fffffff) {
      this.seenIn.fill(0);
      this.call = 1;
    }
    const call = this.call;
    forEachTerm(text, cfg, (b) => {
      const c = this.columnOf(b);
      if (c !== undefined && this.seenIn[c] !== call) {
        this.seenIn[c] = call;
        cols.push(c);
      }
    });
    return cols;
  }

  /** Vectorises texts against this vocabulary. */
  transform(texts: string[], cfg: FeatureConfig): SparseRows {
    return buildRows(
      texts.map((t) => this.columns(t, cfg)),
      this.size,
    );
  }
}

/** Builds L2-normalised binary rows from per-document column lists. */
export function buildRows(columnLists: number[][], cols: number): SparseRows {
  const indptr = new Int32Array(columnLists.length + 1);
  let nnz = 0;
  columnLists.forEach((c, i) => {
    nnz += c.length;
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  columnLists.forEach((c, i) => {
    const sorted = Int32Array.from(c).sort();
    const v = sorted.length ? 1 / Math.sqrt(sorted.length) : 0;
    indices.set(sorted, indptr[i]!);
    values.fill(v, indptr[i]!, indptr[i + 1]!);
  });
  return { rows: columnLists.length, cols, indptr, indices, values };
}

/** Selects some rows of a matrix (a training subset). */
export function selectRows(m: SparseRows, rows: number[]): SparseRows {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    nnz += m.indptr[r + 1]! - m.indptr[r]!;
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((r, i) => {
    indices.set(m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!), indptr[i]!);
    values.set(m.values.subarray(m.indptr[r]!, m.indptr[r + 1]!), indptr[i]!);
  });
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}
