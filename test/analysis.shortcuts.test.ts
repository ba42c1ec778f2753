/**
 * The classifier's speed shortcuts (filters, compact tables) agree with the plain computation they
 * stand in for: each is checked exhaustively on the shipped lexicon, or on the matches of a few
 * hundred benchmark posts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import { buildEffectiveLexicon } from '../analysis/effective.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { normalise } from '../analysis/normalise.js';
import { ensureSegmenterWords, segment } from '../analysis/segment.js';
import { Candidates, leftmostLongest, NOT_ANCHOR, partKeyBit, SENT_DESCRIPTOR, SENT_TOPIC, TermTable, TOPIC_DEAL, type Hit, type PartRoles } from '../analysis/terms.js';
import { benchmarkPosts } from '../bench/classify.js';
import { AhoCorasick, compact, MatchBuffer } from '../analysis/aho-corasick.js';
import { matchGapPatterns, type CueMatch } from '../analysis/breakpoints.js';
import { punctuationSets, splitStructure, type Structure } from '../analysis/clauses.js';
import type { GapPattern, PartHits } from '../analysis/terms.js';

const brands = [{ id: 'shop', name: '优品汇', aliases: ['YPH'], promises: ['convenience'], aspectTaxonomy: 'retail', products: ['净化器X1'] }];
let table: TermTable;
/** What a match gave, copied (match() reuses its arrays): hits of the selecting layers, and the
 *  pattern-part occurrences as [start, end, roles]. */
interface Copied {
  sent: Hit[];
  chan: Hit[];
  topic: Hit[];
  question: Array<[number, number, PartRoles]>;
  cue: Array<[number, number, PartRoles]>;
}
let matches: Array<{ text: string; m: Copied }>;

beforeAll(() => {
  table = new TermTable(buildEffectiveLexicon(loadLexicons(), parseConfig({ brands }, 'test config')));
  ensureSegmenterWords(table.dictionaryWords());
  const texts = [...benchmarkPosts(300, 11), '客服让我找售后，售后又让我找客服', '页面上写着买就送耳机，问了客服却说没有这个活动。这不是忽悠人吗？'];
  // match() reuses its arrays: copy what later checks read.
  matches = texts.map((t) => {
    const text = normalise(t).text;
    const m = table.match(text, segment(text));
    const parts = (p: typeof m.cue) => Array.from({ length: p.length }, (_, i): [number, number, PartRoles] => [p.starts[i]!, p.ends[i]!, p.roles[i]!]);
    return { text, m: { sent: [...m.sent], chan: [...m.chan], topic: [...m.topic], question: parts(m.question), cue: parts(m.cue) } };
  });
});

describe('gap-pattern part roles', () => {
  it('the mask filter never rules out a key its Set holds', () => {
    let checked = 0;
    const seen = new Set<object>();
    for (const { m } of matches) {
      for (const [, , roles] of [...m.question, ...m.cue]) {
        if (seen.has(roles)) continue;
        seen.add(roles);
        for (const key of roles.keys) {
          expect(roles.mask & partKeyBit(Math.floor(key / 64), key % 64)).not.toBe(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

/** Gap-pattern matching without any filter (no masks, no later-part bits): every part in order inside
 *  one sentence, at most 25 characters apart, each pattern once per sentence. */
function plainGapMatches<K>(hits: PartHits, patterns: Array<GapPattern<K>>, st: Structure): CueMatch[] {
  const out: CueMatch[] = [];
  st.sentences.forEach((sent, s) => {
    const inSentence: number[] = [];
    for (let i = 0; i < hits.length; i++) if (hits.starts[i]! >= sent.start && hits.starts[i]! < sent.end) inSentence.push(i);
    const done = new Set<number>();
    inSentence.forEach((i, at) => {
      if (hits.ends[i]! > sent.end) return;
      for (const pattern of hits.roles[i]!.firsts) {
        if (done.has(pattern)) continue;
        const n = patterns[pattern]!.parts.length;
        let pos = hits.ends[i]!;
        let last = pos;
        let lastPart = hits.starts[i]!;
        let k = 1;
        for (const j of inSentence.slice(at + 1)) {
          if (k >= n) break;
          if (hits.starts[j]! < pos || hits.ends[j]! > sent.end) continue;
          if (hits.starts[j]! - pos > 25) break;
          if (hits.roles[j]!.keys.has(pattern * 64 + k)) {
            k++;
            pos = last = hits.ends[j]!;
            lastPart = hits.starts[j]!;
          }
        }
        if (k < n) continue;
        done.add(pattern);
        out.push({ pattern, start: hits.starts[i]!, end: last, lastPart, sentence: s });
      }
    });
  });
  // byStart's order: start, then end, stably.
  return out.map((m, i) => ({ m, i })).sort((a, b) => a.m.start - b.m.start || a.m.end - b.m.end || a.i - b.i).map((x) => x.m);
}

describe('gap-pattern matching', () => {
  it('matchGapPatterns (with its mask filter) finds what the plain matching finds', () => {
    const punct = punctuationSets(loadLexicons());
    const texts = [
      ...benchmarkPosts(600, 23),
      '客服让我找售后，售后又让我找客服，来回推了好几次。门店说官网的价格不算数，官网上写着有赠品，到手却没有。',
      '页面上写着买就送耳机，问了客服却说没有这个活动。这不是忽悠人吗？请问有没有人遇到同样的问题？怎么解决的？',
      '说好的赠品呢？凭什么不给退？快递员说放驿站了，结果驿站说没有收到，物流显示已签收，客服让我自己去找快递。',
    ];
    let found = 0;
    for (const t of texts) {
      const text = normalise(t).text;
      const m = table.match(text, segment(text));
      const st = splitStructure(text, m, table, punct);
      for (const [hits, patterns] of [[m.question, table.questionPatterns], [m.cue, table.cuePatterns]] as const) {
        const fast = matchGapPatterns(hits, patterns as Array<GapPattern<unknown>>, st);
        expect(fast).toEqual(plainGapMatches(hits, patterns as Array<GapPattern<unknown>>, st));
        found += fast.length;
      }
    }
    expect(found).toBeGreaterThan(500);
  });
});

describe('match', () => {
  it('pattern-part occurrences are in start order, then end order', () => {
    let checked = 0;
    for (const { m } of matches) {
      for (const list of [m.question, m.cue]) {
        for (let i = 1; i < list.length; i++) {
          const [s0, e0] = list[i - 1]!;
          const [s1, e1] = list[i]!;
          expect(s0 < s1 || (s0 === s1 && e0 < e1)).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('the selection on candidate numbers (Candidates) keeps what leftmostLongest keeps of Hit objects', () => {
    // Random candidate lists like a layer's: distinct (start, end) pairs, reported in order of end.
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const candidates = new Candidates();
    for (let round = 0; round < 2000; round++) {
      const seen = new Set<number>();
      const hits: Hit[] = [];
      for (let k = rand(40); k > 0; k--) {
        const start = rand(60);
        const end = start + 1 + rand(5);
        if (seen.has(start * 100 + end)) continue;
        seen.add(start * 100 + end);
        hits.push({ start, end, role: rand(1000) });
      }
      hits.sort((a, b) => a.end - b.end || b.start - a.start);
      for (const h of hits) candidates.add(h.start, h.end, h.role);
      expect(candidates.leftmostLongest()).toEqual(leftmostLongest(hits.map((h) => ({ ...h }))));
    }
  });

  it('kept hits of a layer do not overlap', () => {
    for (const { m } of matches) {
      for (const hits of [m.sent, m.chan, m.topic]) {
        for (let i = 1; i < hits.length; i++) expect(hits[i]!.start).toBeGreaterThanOrEqual(hits[i - 1]!.end);
      }
    }
  });
});

describe('automaton tables', () => {
  /** Every (pattern id, end) a plain search finds, sorted. */
  const plain = (patterns: string[], text: string) => {
    const out: Array<[number, number]> = [];
    for (let end = 1; end <= text.length; end++) patterns.forEach((p, id) => p && end >= p.length && text.startsWith(p, end - p.length) && out.push([id, end]));
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  };
  const scanned = (ac: AhoCorasick, text: string) => {
    const buf = new MatchBuffer();
    const n = ac.scan(text, buf);
    const out: Array<[number, number]> = [];
    for (let k = 0; k < n; k++) out.push([buf.ids[k]!, buf.ends[k]!]);
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  };
  const tables = (ac: AhoCorasick) => (ac as unknown as { nodeData: ArrayLike<number>; outFlat: ArrayLike<number> });

  it('16-bit tables (a small lexicon) find what a plain search finds', () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => 'ab客服好'[rand(5)]).join('');
    const patterns = Array.from({ length: 300 }, () => word(1 + rand(5)));
    const ac = new AhoCorasick(patterns);
    expect(tables(ac).nodeData).toBeInstanceOf(Uint16Array);
    expect(tables(ac).outFlat).toBeInstanceOf(Uint16Array);
    for (let t = 0; t < 50; t++) {
      const text = word(80);
      expect(scanned(ac, text)).toEqual(plain(patterns, text));
    }
  });

  it('32-bit node tables (output offsets beyond 16 bits) find what a plain search finds', () => {
    // a, aa, aaa...: the node of a^k outputs k patterns, 80,200 outputs in all.
    const patterns = Array.from({ length: 400 }, (_, k) => 'a'.repeat(k + 1));
    const ac = new AhoCorasick(patterns);
    expect(tables(ac).nodeData).toBeInstanceOf(Int32Array);
    for (const text of ['a'.repeat(450), 'baab' + 'a'.repeat(30) + 'b']) expect(scanned(ac, text)).toEqual(plain(patterns, text));
  });
});

describe('compact tables', () => {
  it('become 16-bit only when every value fits, keeping the values', () => {
    const small = Int32Array.from([0, 1, 4206, 0xffff]);
    expect(compact(small)).toBeInstanceOf(Uint16Array);
    expect([...compact(small)]).toEqual([...small]);
    for (const wide of [Int32Array.from([0, 0x10000]), Int32Array.from([5, -1])]) expect(compact(wide)).toBe(wide);
  });
});

describe('sentiment roles', () => {
  it('the flat descriptor and topic promises say what the role objects say, as the flags do', () => {
    let descriptors = 0;
    let topics = 0;
    table.sent.forEach((r, role) => {
      expect(table.sentDescriptorPromise[role]).toBe(r.descriptor ? r.descriptor.promise : null);
      expect(table.sentTopicPromise[role]).toBe(r.topic ? r.topic.promise : null);
      expect((table.sentFlags[role]! & SENT_DESCRIPTOR) !== 0).toBe(r.descriptor !== undefined);
      expect((table.sentFlags[role]! & SENT_TOPIC) !== 0).toBe(r.topic !== undefined);
      if (r.descriptor) descriptors++;
      if (r.topic) topics++;
    });
    expect(descriptors).toBeGreaterThan(50);
    expect(topics).toBeGreaterThan(5);
  });
});

describe('topic roles', () => {
  it('anchorKinds and the deal flag say what the role objects say, for any taxonomy and brand', () => {
    for (const [taxonomy, brand] of [['retail', 'shop'], ['car', 'shop'], ['retail', 'no-such-brand'], ['', '']]) {
      const kinds = table.anchorKinds(taxonomy!, brand!);
      expect(table.anchorKinds(taxonomy!, brand!)).toBe(kinds);
      table.topic.forEach((r, role) => {
        const k = r.aspects.findIndex((a) => a.taxonomy === taxonomy);
        const plain = k >= 0 ? k : r.subject || r.products.has(brand!) || r.brandNames.size > 0 ? -1 : NOT_ANCHOR;
        expect(kinds[role]).toBe(plain);
        expect((table.topicFlags[role]! & TOPIC_DEAL) !== 0).toBe(r.deal);
      });
    }
  });

  it("aspectRefs gives each role's first aspect of the taxonomy, the one anchorKinds indexes", () => {
    let aspects = 0;
    for (const taxonomy of ['retail', 'car', 'no-such-taxonomy', '']) {
      const refs = table.aspectRefs(taxonomy);
      expect(table.aspectRefs(taxonomy)).toBe(refs);
      expect(refs.length).toBe(table.topic.length);
      const kinds = table.anchorKinds(taxonomy, 'shop');
      table.topic.forEach((r, role) => {
        expect(refs[role]).toBe(r.aspects.find((a) => a.taxonomy === taxonomy) ?? null);
        if (kinds[role]! >= 0) expect(refs[role]).toBe(r.aspects[kinds[role]!]);
        if (refs[role]) aspects++;
      });
    }
    expect(aspects).toBeGreaterThan(100);
  });

  it("productRoles flags exactly the roles naming one of the brand's products, for any brand", () => {
    let products = 0;
    for (const brand of ['shop', 'no-such-brand', '']) {
      const flags = table.productRoles(brand);
      expect(table.productRoles(brand)).toBe(flags);
      expect(flags.length).toBe(table.topic.length);
      table.topic.forEach((r, role) => {
        expect(flags[role] === 1).toBe(r.products.has(brand));
        if (flags[role] === 1) products++;
      });
    }
    expect(products).toBeGreaterThan(0);
  });

  it('the per-brand tables start over past 64 brands and still answer as the role objects do', () => {
    const first = table.productRoles('shop');
    for (let i = 0; i < 70; i++) table.productRoles(`brand-${i}`);
    const again = table.productRoles('shop');
    expect(again).not.toBe(first); // worked out anew after the cache started over
    expect(Array.from(again)).toEqual(Array.from(first));
    const kinds = table.anchorKinds('retail', 'shop');
    for (let i = 0; i < 70; i++) table.anchorKinds('retail', `brand-${i}`);
    expect(Array.from(table.anchorKinds('retail', 'shop'))).toEqual(Array.from(kinds));
  });
});
