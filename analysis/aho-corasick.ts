/**
 * Aho-Corasick automaton over UTF-16 code units: finds every occurrence of thousands of lexicon
 * entries in one pass over a post, instead of one search per entry. Root transitions are a direct
 * table (most characters of a post lead nowhere); deeper ones live in one open-addressing hash of
 * (node, code unit) -> node in typed arrays, which keeps the scan free of allocations.
 */
import { VocError } from '../core/errors.js';

export class AhoCorasick {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** Pattern ids ending at each node, including those reachable by failure links. */
  private readonly outputs: number[][] = [[]];
  private readonly lengths: Int32Array;
  /** Root transitions by code unit (0 = stay at the root); small node ids keep it compact. */
  private readonly rootNext = new Uint16Array(65536);
  /** Hashed transitions of the other nodes, key and child side by side in one array for cache
   *  locality: [key0, child0, key1, child1, ...], key = node * 65536 + code unit, -1 = empty. */
  private hash: Int32Array = new Int32Array(2);
  private hashMask = 0;
  /** Code units that continue some pattern (have a non-root transition): the others send any
   *  state straight back to the root's transition, without a hash probe. */
  private readonly continues = new Uint8Array(65536);
  /** Outputs flattened: node -> [outStart, outStart + outCount) of outFlat. */
  private outStart: Int32Array = new Int32Array(1);
  private outCount: Int32Array = new Int32Array(1);
  private outFlat: Int32Array = new Int32Array(0);

  /** Builds the automaton; pattern i is reported with id i. Empty patterns are ignored. */
  constructor(patterns: readonly string[]) {
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    patterns.forEach((p, id) => {
      if (!p) return;
      if (this.next.length > 65000) throw new VocError('the lexicon is too large (more than 65000 automaton states); remove aliases or keywords from voc.config.yaml');
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let child = this.next[node]!.get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.outputs.push([]);
          this.next[node]!.set(c, child);
        }
        node = child;
      }
      this.outputs[node]!.push(id);
    });
    for (const [c, child] of this.next[0]!) this.rootNext[c] = child;
    this.buildFailureLinks();
    this.buildTables();
  }

  private buildTables(): void {
    let transitions = 0;
    for (let n = 1; n < this.next.length; n++) transitions += this.next[n]!.size;
    let size = 16;
    while (size < transitions * 2) size *= 2;
    this.hash = new Int32Array(size * 2).fill(-1);
    this.hashMask = size - 1;
    for (let n = 1; n < this.next.length; n++) {
      for (const [c, child] of this.next[n]!) {
        this.continues[c] = 1;
        const key = n * 65536 + c;
        let slot = hashSlot(key) & this.hashMask;
        while (this.hash[slot * 2] !== -1) slot = (slot + 1) & this.hashMask;
        this.hash[slot * 2] = key;
        this.hash[slot * 2 + 1] = child;
      }
    }
    const nodes = this.next.length;
    this.outStart = new Int32Array(nodes);
    this.outCount = new Int32Array(nodes);
    const flat: number[] = [];
    for (let n = 0; n < nodes; n++) {
      this.outStart[n] = flat.length;
      this.outCount[n] = this.outputs[n]!.length;
      flat.push(...this.outputs[n]!);
    }
    this.outFlat = Int32Array.from(flat);
  }

  /** Child of `node` (not the root) on `c`, or -1. */
  private child(node: number, c: number): number {
    const key = node * 65536 + c;
    const hash = this.hash;
    const mask = this.hashMask;
    let slot = hashSlot(key) & mask;
    for (;;) {
      const k = hash[slot * 2]!;
      if (k === key) return hash[slot * 2 + 1]!;
      if (k === -1) return -1;
      slot = (slot + 1) & mask;
    }
  }

  private buildFailureLinks(): void {
    this.fail = new Int32Array(this.next.length);
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      for (const [c, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = f === 0 ? this.rootNext[c]! : this.next[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.outputs[this.fail[child]!]!;
        if (inherited.length) this.outputs[child] = this.outputs[child]!.concat(inherited);
        queue.push(child);
      }
    }
  }

  /**
   * Every occurrence in `text`, in order of end: `out.ids[k]`, `out.ends[k]` (exclusive) for
   * k < the returned count. `out` is reused between calls to spare the garbage collector.
   */
  scan(text: string, out: MatchBuffer): number {
    const fail = this.fail;
    const rootNext = this.rootNext;
    const outStart = this.outStart;
    const outCount = this.outCount;
    const outFlat = this.outFlat;
    const continues = this.continues;
    let node = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let target = -1;
      if (continues[c] === 0) node = 0;
      while (node !== 0) {
        target = this.child(node, c);
        if (target !== -1) break;
        node = fail[node]!;
      }
      node = node === 0 ? rootNext[c]! : target;
      const n = outCount[node]!;
      if (n === 0) continue;
      const from = outStart[node]!;
      if (count + n > out.ids.length) out.grow(count + n);
      for (let k = 0; k < n; k++) {
        out.ids[count] = outFlat[from + k]!;
        out.ends[count] = i + 1;
        count++;
      }
    }
    return count;
  }

  /** Length of pattern `id`. */
  length(id: number): number {
    return this.lengths[id]!;
  }
}

/** Reusable output arrays of `AhoCorasick.scan`. */
export class MatchBuffer {
  ids = new Int32Array(256);
  ends = new Int32Array(256);
  grow(atLeast = 0): void {
    let size = this.ids.length * 2;
    while (size < atLeast) size *= 2;
    const ids = new Int32Array(size);
    ids.set(this.ids);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ids = ids;
    this.ends = ends;
  }
}

/** Multiplicative hash (Knuth) of a non-negative int key. */
function hashSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 7;
}
