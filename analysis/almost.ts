/**
 * 快 before a number means "almost" (等了快两个小时, 快11点才到, 快一半), not "fast": the sentiment hit is
 * dropped. The lexicon's neutral phrases cannot say so, because jieba glues the number to what follows
 * (快|两个|小时), so a phrase 快两 never sits on word boundaries.
 */
import type { Hit } from './terms.js';

const FAST = '快'.charCodeAt(0);
/** Digits (half-width after normalisation) and Chinese numerals that can follow 快 as "almost". */
const NUMERALS = new Set([...'0123456789一二两三四五六七八九十百半几'].map((c) => c.charCodeAt(0)));

/** 快一点, 快一些 are "a bit faster" (物流快一点, 希望发货快一点), not "almost". */
const A_BIT = new Set(['一点', '一些', '一下', '一丢', '一步', '一倍']);

/** `hits` without the 快 that stand before a number; the same array when there is none (the usual case). */
export function withoutAlmost(text: string, hits: Hit[]): Hit[] {
  let out: Hit[] | undefined;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const almost = h.end - h.start === 1 && text.charCodeAt(h.start) === FAST && NUMERALS.has(text.charCodeAt(h.end)) && !A_BIT.has(text.slice(h.end, h.end + 2));
    if (almost && !out) out = hits.slice(0, i);
    else if (!almost && out) out.push(h);
  }
  return out ?? hits;
}
