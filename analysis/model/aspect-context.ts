/**
 * The words around a subject, for the aspect model's per-subject sentiment. A post often judges
 * several subjects differently ("动力不错，油耗太高"), and a bag of the whole post's n-grams is the
 * same for all of them. Here each subject is located by its anchor terms (the terms its presence
 * model weighs most), and the clauses holding an anchor, plus `spread` clauses on either side,
 * become that subject's context. Context terms are featurised like the post (features.ts), then
 * kept twice: as they are (sentiment words shared by all subjects) and conjoined with the subject
 * (高 is bad for 价格 and 油耗 but good for 配置).
 */
import { forEachTerm, type FeatureConfig, type Vocabulary } from './features.js';

/** Clause breaks: sentence ends, commas and the like (ASCII and full-width), line breaks, spaces. */
const BREAK = /[，,。.！!？?；;：:、\n\r\t …~～]/;

export interface ClauseSpan {
  start: number;
  end: number;
}

/** The clauses of `text`, separators left out (UTF-16 offsets, end exclusive). */
export function clauses(text: string): ClauseSpan[] {
  const out: ClauseSpan[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || BREAK.test(text[i]!)) {
      if (i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

/**
 * The `count` vocabulary columns with the largest positive presence weight of each subject: the
 * terms that name it (油耗, 空间, 方向盘...), learnt rather than listed.
 */
export function anchorColumns(presenceWeights: Float32Array[], count: number): Int32Array[] {
  return presenceWeights.map((w) => {
    const cols: number[] = [];
    for (let j = 0; j < w.length; j++) if (w[j]! > 0) cols.push(j);
    cols.sort((a, b) => w[b]! - w[a]! || a - b);
    return Int32Array.from(cols.slice(0, count));
  });
}

/**
 * Clause spans forming the context of each subject of `wanted`: the clauses where one of its anchor
 * terms occurs, widened by `spread` clauses on each side. A subject named by no anchor gets every
 * clause (the whole post is its best guess).
 */
export function subjectContexts(
  text: string,
  cfg: FeatureConfig,
  vocab: Vocabulary,
  anchors: Int32Array[],
  wanted: number[],
  spread: number,
): ClauseSpan[][] {
  const cl = clauses(text);
  const clauseAt = new Int32Array(text.length).fill(-1);
  cl.forEach((c, k) => clauseAt.fill(k, c.start, c.end));
  const anchorSets = wanted.map((i) => new Set(anchors[i]));
  const hit = wanted.map(() => new Uint8Array(cl.length));
  forEachTerm(text, cfg, (bucket, start) => {
    const col = vocab.columnOf(bucket);
    if (col === undefined) return;
    const k = clauseAt[start]!;
    if (k < 0) return;
    anchorSets.forEach((s, w) => {
      if (s.has(col)) hit[w]![k] = 1;
    });
  });
  return hit.map((h) => {
    const keep = new Uint8Array(cl.length);
    let any = false;
    h.forEach((v, k) => {
      if (!v) return;
      any = true;
      for (let j = Math.max(0, k - spread); j <= Math.min(cl.length - 1, k + spread); j++) keep[j] = 1;
    });
    return cl.filter((_, k) => !any || keep[k]);
  });
}

/** Mixes a subject number into a term bucket (one more FNV-1a step), within 2^hashBits. */
export function conjoin(bucket: number, subject: number, hashBits: number): number {
  const h = Math.imul((bucket ^ 0x9e3779b9 ^ (subject + 1)) >>> 0, 0x01000193) >>> 0;
  return (h ^ (h >>> hashBits)) & ((1 << hashBits) - 1);
}

/**
 * Distinct context buckets of one subject: each term of its clauses, plain and conjoined with the
 * subject (when `conjoined`). N-grams never cross a clause boundary.
 */
export function contextBuckets(text: string, spans: ClauseSpan[], subject: number, cfg: FeatureConfig, conjoined: boolean): number[] {
  const seen = new Set<number>();
  for (const c of spans) {
    forEachTerm(text.slice(c.start, c.end), cfg, (b) => {
      seen.add(b);
      if (conjoined) seen.add(conjoin(b, subject, cfg.hashBits) | (1 << cfg.hashBits));
    });
  }
  return [...seen];
}
