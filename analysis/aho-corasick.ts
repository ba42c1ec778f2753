/**
 * Aho-Corasick automaton over UTF-16 code units: finds every occurrence of thousands of lexicon
 * entries in one pass over a post, instead of one search per entry. Root transitions are a direct
 * table (most characters of a post lead nowhere); deeper ones are each node's edges, sorted by code
 * unit in small typed arrays (most nodes have one or two), which keeps the scan free of
 * allocations and its memory small enough to stay in cache next to the segmenter's dictionary.
 */
import { VocError } from '../core/errors.js';
import { grownInt32 } from './scratch.js';

export class AhoCorasick {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** Pattern ids ending at each node, including those reachable by failure links. */
  private readonly outputs: number[][] = [[]];
  private readonly lengths: Int32Array;
  /** Root transitions by code unit (0 = stay at the root), as a two-level table: a page per high
   *  byte that has any transition. Small tables stay in cache next to the segmenter's dictionary. */
  private readonly rootPage = new Uint16Array(256);
  private rootPages: Uint16Array = new Uint16Array(256);
  /** Edges of every node: node n owns [edgeStart[n], edgeStart[n + 1]) of `edges`, sorted by code
   *  unit; an edge is (code unit << 16) | child, so a probe reads one array, not two. */
  private edgeStart: Int32Array = new Int32Array(1);
  private edges: Int32Array = new Int32Array(0);
  /** Two interleaved bitmaps, byte 2k for code units 8k..8k+7 and byte 2k+1 next to it (one cache
   *  line for both tests):
   *  - CONTINUES: code units that continue some pattern (have a non-root transition): the others
   *    send any state straight back to the root's transition, without a hash probe;
   *  - STARTS (at +1): code units with a root transition (start some pattern): from the root, the
   *    others stay at the root, which has no outputs, without reading the root table. */
  private readonly charBits = new Uint8Array(16384);
  /** Outputs of all nodes, flattened (see nodeData). Like nodeData, 16-bit when the ids fit. */
  private outFlat: Uint16Array | Int32Array = new Uint16Array(0);
  /** What the scan reads of node n, side by side (one cache line, not one per array):
   *  [4n] first edge, [4n + 1] end of its edges (`edges`), [4n + 2] failure link,
   *  [4n + 3] first output in outFlat; its outputs end where node n + 1's begin (a sentinel node
   *  closes the list). 16-bit when every value fits (the shipped lexicon needs ~9,400 nodes): half the
   *  bytes in cache, where the segmenter's dictionary evicts the automaton between posts. */
  private nodeData: Uint16Array | Int32Array = new Uint16Array(8);

  /** Builds the automaton; pattern i is reported with id i. Empty patterns are ignored. */
  constructor(patterns: readonly string[]) {
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    patterns.forEach((p, id) => {
      if (!p) return;
      if (this.next.length > 65000)
        throw new VocError({
          en: 'the lexicon is too large (more than 65000 automaton states); remove aliases or keywords from voc.config.yaml',
          zh: '词典过大（自动机状态超过 65000 个）；请从 voc.config.yaml 中删去一些别名或关键词',
        });
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
    this.buildRootTable();
    this.buildFailureLinks();
    this.buildTables();
  }

  private buildTables(): void {
    const nodes = this.next.length;
    let transitions = 0;
    for (let n = 1; n < nodes; n++) transitions += this.next[n]!.size;
    this.edgeStart = new Int32Array(nodes + 1);
    this.edges = new Int32Array(transitions);
    let e = 0;
    for (let n = 0; n < nodes; n++) {
      this.edgeStart[n] = e;
      if (n === 0) continue; // the root uses its page table
      for (const [c, child] of [...this.next[n]!].sort((x, y) => x[0] - y[0])) {
        this.charBits[(c >> 3) << 1] = this.charBits[(c >> 3) << 1]! | (1 << (c & 7));
        this.edges[e] = (c << 16) | child;
        e++;
      }
    }
    this.edgeStart[nodes] = e;
    const data = new Int32Array((nodes + 1) * 4);
    const flat: number[] = [];
    for (let n = 0; n < nodes; n++) {
      data[4 * n] = this.edgeStart[n]!;
      data[4 * n + 1] = this.edgeStart[n + 1]!;
      data[4 * n + 2] = this.fail[n]!;
      data[4 * n + 3] = flat.length;
      flat.push(...this.outputs[n]!);
    }
    data[4 * nodes + 3] = flat.length; // sentinel: where the last node's outputs end
    this.nodeData = compact(data);
    this.outFlat = compact(Int32Array.from(flat));
  }

  private buildRootTable(): void {
    const pages = new Map<number, number>();
    for (const c of this.next[0]!.keys()) if (!pages.has(c >> 8)) pages.set(c >> 8, pages.size + 1);
    this.rootPages = new Uint16Array((pages.size + 1) * 256); // page 0 = all zero
    for (const [high, page] of pages) this.rootPage[high] = page;
    for (const [c, child] of this.next[0]!) {
      this.rootPages[this.rootPage[c >> 8]! * 256 + (c & 255)] = child;
      this.charBits[((c >> 3) << 1) + 1] = this.charBits[((c >> 3) << 1) + 1]! | (1 << (c & 7));
    }
  }

  /** Root transition on `c` (0 = none). */
  private root(c: number): number {
    return this.rootPages[this.rootPage[c >> 8]! * 256 + (c & 255)]!;
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
        const target = f === 0 ? this.root(c) : this.next[f]!.get(c);
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
    const data = this.nodeData;
    const edges = this.edges;
    const rootPage = this.rootPage;
    const rootPages = this.rootPages;
    const outFlat = this.outFlat;
    const charBits = this.charBits;
    let ids = out.ids;
    let ends = out.ends;
    let node = 0;
    let count = 0;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      const bit = 1 << (c & 7);
      let target = -1;
      const at = (c >> 3) << 1;
      if ((charBits[at]! & bit) === 0) node = 0;
      while (node !== 0) {
        target = childOf(data, edges, node, c);
        if (target !== -1) break;
        node = data[4 * node + 2]!;
      }
      if (node === 0) {
        // No pattern starts with c: the state stays at the root, which has no outputs.
        if ((charBits[at + 1]! & bit) === 0) continue;
        node = rootPages[rootPage[c >> 8]! * 256 + (c & 255)]!;
      } else node = target;
      const from = data[4 * node + 3]!;
      const to = data[4 * node + 7]!;
      if (from === to) continue;
      if (count + to - from > ids.length) {
        out.grow(count + to - from);
        ids = out.ids;
        ends = out.ends;
      }
      for (let k = from; k < to; k++) {
        ids[count] = outFlat[k]!;
        ends[count] = i + 1;
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

/** `values` as 16-bit numbers when they all fit (0 to 0xffff), else as they are. */
export function compact(values: Int32Array): Uint16Array | Int32Array {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || values[i]! > 0xffff) return values;
  return Uint16Array.from(values);
}

/** Child of `node` (not the root) on `c`, or -1: a short scan, or a binary search for wide nodes. */
function childOf(data: Uint16Array | Int32Array, edges: Int32Array, node: number, c: number): number {
  let lo = data[4 * node]!;
  let hi = data[4 * node + 1]!;
  if (hi - lo <= 8) {
    for (; lo < hi; lo++) {
      const e = edges[lo]!;
      if (e >>> 16 === c) return e & 0xffff;
    }
    return -1;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = edges[mid]!;
    const m = e >>> 16;
    if (m === c) return e & 0xffff;
    if (m < c) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/** Reusable output arrays of `AhoCorasick.scan`. */
export class MatchBuffer {
  ids = new Int32Array(256);
  ends = new Int32Array(256);
  grow(atLeast = 0): void {
    this.ids = grownInt32(this.ids, atLeast);
    this.ends = grownInt32(this.ends, atLeast);
  }
}

