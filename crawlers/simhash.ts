/**
 * Near-duplicate detection with SimHash (Charikar): reposts and copy-paste spam differ from the
 * original by a few characters, so their 64-bit fingerprints differ in a few bits. Features are
 * three-token shingles (a token is a Han character or a lower-cased word), weighted by count;
 * each feature is hashed to two independent 32-bit halves.
 *
 * The index finds fingerprints within `maxDistance` bits with the pigeonhole trick: split the 64
 * bits into `maxDistance + 1` bands; two fingerprints that close agree exactly on at least one
 * band, so only posts sharing a band value are compared.
 */

/** Bits two fingerprints may differ by and still be near-duplicates. */
export const DEFAULT_MAX_DISTANCE = 5;
/** Texts with fewer shingles than this are too short to call near-duplicates ("好评", "+1"). */

/** Texts with fewer features than this are too short to call near-duplicates ("好评", "+1"). */
export const MIN_FEATURES = 8;

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);

/** Letters and digits that make up words (ASCII, Latin-1 and other alphabets; not punctuation or symbols). */
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, symbols, arrows, box drawing
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  if (c >= 0xfe30 && c <= 0xfe4f) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false; // surrogates (emoji): not words
  return c >= 0xc0;
}

/**
 * Bit-sliced counters of 32 votes (one per bit of a 32-bit word): adding a word costs a few bitwise
 * operations instead of 32 additions, which matters at tens of thousands of posts per minute.
 * Plane k holds bit k of the 32 counters. Words are added 16 at a time through a carry-save adder
 * tree (Harley and Seal's population count, done per bit position): partial sums of weight 1, 2,
 * 4 and 8 stay in registers and only the weight-16 carries ripple into the planes, about a third
 * of the work of rippling every word in. Counts are exact: the planes plus the partial sums
 * (`settle`) hold the same numbers as plain addition.
 */
const PLANES = 24;
const BLOCK = 16;

export class BitSlicedCounter {
  readonly planes = new Int32Array(PLANES);
  private readonly pending = new Int32Array(BLOCK);
  private n = 0;
  private ones = 0;
  private twos = 0;
  private fours = 0;
  private eights = 0;
  // Outputs of the last carry-save add (module-level would do too; fields keep it reentrant).
  private high = 0;
  private low = 0;

  reset(): void {
    this.planes.fill(0);
    this.n = this.ones = this.twos = this.fours = this.eights = 0;
  }

  add(word: number): void {
    this.pending[this.n++] = word;
    if (this.n === BLOCK) this.addBlock();
  }

  /** Moves everything still in registers into the planes; call before reading them. */
  settle(): void {
    for (let i = 0; i < this.n; i++) this.ripple(this.pending[i]!, 0);
    this.ripple(this.ones, 0);
    this.ripple(this.twos, 1);
    this.ripple(this.fours, 2);
    this.ripple(this.eights, 3);
    this.n = this.ones = this.twos = this.fours = this.eights = 0;
  }

  /** Full adder per bit: a + b + c = low + 2 * high. */
  private csa(a: number, b: number, c: number): void {
    const u = a ^ b;
    this.high = (a & b) | (u & c);
    this.low = u ^ c;
  }

  private addBlock(): void {
    this.csa(this.eights, this.addEight(0), this.addEight(8));
    this.eights = this.low;
    this.ripple(this.high, 4);
    this.n = 0;
  }

  /** Adds pending words `o`..`o + 7` into the partial sums; returns their weight-8 carries. */
  private addEight(o: number): number {
    const w = this.pending;
    this.csa(this.ones, w[o]!, w[o + 1]!);
    let twosA = this.high;
    this.ones = this.low;
    this.csa(this.ones, w[o + 2]!, w[o + 3]!);
    let twosB = this.high;
    this.ones = this.low;
    this.csa(this.twos, twosA, twosB);
    const foursA = this.high;
    this.twos = this.low;
    this.csa(this.ones, w[o + 4]!, w[o + 5]!);
    twosA = this.high;
    this.ones = this.low;
    this.csa(this.ones, w[o + 6]!, w[o + 7]!);
    twosB = this.high;
    this.ones = this.low;
    this.csa(this.twos, twosA, twosB);
    const foursB = this.high;
    this.twos = this.low;
    this.csa(this.fours, foursA, foursB);
    this.fours = this.low;
    return this.high;
  }

  /** Adds `word` at weight 2^from: bit-sliced ripple-carry through the planes. */
  private ripple(word: number, from: number): void {
    const p = this.planes;
    let carry = word | 0;
    for (let k = from; carry !== 0 && k < PLANES; k++) {
      const t = p[k]! & carry;
      p[k] = p[k]! ^ carry;
      carry = t;
    }
  }
}

const votesHi = new BitSlicedCounter();
const votesLo = new BitSlicedCounter();
let votes = 0;

function addVote(h: number, l: number): void {
  votes++;
  votesHi.add(h | 0);
  votesLo.add(l | 0);
}

/** Bit b of the result is set when more than half of the votes had it set. */
function majority(planes: Int32Array): number {
  let word = 0;
  // A count never exceeds `votes`, so the planes above its highest bit are all zero.
  const used = Math.min(PLANES, 32 - Math.clz32(votes));
  for (let b = 0; b < 32; b++) {
    let n = 0;
    for (let k = 0; k < used; k++) n += ((planes[k]! >>> b) & 1) << k;
    if (2 * n > votes) word |= 1 << b;
  }
  return word >>> 0;
}

/**
 * SimHash of `text` as 16 hex digits, or undefined when the text is too short to compare.
 * Tokens are Han characters and words of letters/digits (ASCII case-folded, full-width forms
 * folded to ASCII); features are runs of three consecutive tokens (shingles), which keeps
 * unrelated posts of one domain (same brand, same words) far apart while a repost with a few
 * words added stays within a few bits. Each occurrence votes, so repeated shingles weigh more.
 */
export function simhash(text: string): string | undefined {
  votesHi.reset();
  votesLo.reset();
  votes = 0;
  // The hashes of the last two tokens (two independent 32-bit hashes per token).
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let tokens = 0;
  let w1 = 0;
  let w2 = 0;
  let inWord = false;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? text.charCodeAt(i) : 0x20;
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
    const han = isHan(c);
    const word = !han && isWordChar(c);
    if (word) {
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      if (!inWord) {
        w1 = 0x811c9dc5;
        w2 = 0x01000193;
        inWord = true;
      }
      w1 = Math.imul(w1 ^ c, 0x01000193);
      w2 = Math.imul(w2 ^ c, 0x5bd1e995);
      continue;
    }
    // A word ends here; then a Han character is a token of its own.
    for (let pass = 0; pass < 2; pass++) {
      let t1: number;
      let t2: number;
      if (pass === 0) {
        if (!inWord) continue;
        inWord = false;
        t1 = fmix32(w1);
        t2 = fmix32(w2);
      } else {
        if (!han) continue;
        t1 = fmix32(c ^ 0x5bd1e995);
        t2 = fmix32(Math.imul(c, 0x01000193) ^ 0x27d4eb2f);
      }
      if (++tokens >= 3)
        addVote(fmix32(Math.imul(a1, 0x9e3779b1) ^ Math.imul(b1, 0x85ebca77) ^ t1), fmix32(Math.imul(a2, 0xc2b2ae3d) ^ Math.imul(b2, 0x27d4eb2f) ^ t2));
      a1 = b1;
      a2 = b2;
      b1 = t1;
      b2 = t2;
    }
  }
  if (votes < MIN_FEATURES) return undefined;
  votesHi.settle();
  votesLo.settle();
  return majority(votesHi.planes).toString(16).padStart(8, '0') + majority(votesLo.planes).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit fingerprints. */
export function hammingDistance(a: string, b: string): number {
  return (
    popcount32((parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0) +
    popcount32((parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16)) >>> 0)
  );
}

export interface SimhashEntry {
  id: string;
  simhash: string;
  /** Used to pick the original among several matches: the earliest wins, then the smallest id. */
  publishedAt: string;
  /** Set when the entry is itself a copy: copies are never offered as originals. */
  nearDuplicateOf?: string;
}

/**
 * A bounded in-memory index of recent fingerprints (oldest inserted are evicted first).
 *
 * @example
 * const index = new NearDuplicateIndex();
 * index.add({ id: 'a', simhash: simhash(text1)!, publishedAt });
 * index.findOriginal({ id: 'b', simhash: simhash(text2)!, publishedAt }); // 'a' when text2 nearly repeats text1
 */
interface IndexedEntry {
  id: string;
  hi: number;
  lo: number;
  publishedAt: string;
  isCopy: boolean;
  keys: number[];
}

/**
 * The entries sharing one band value, with their fingerprints in contiguous typed arrays: a
 * lookup scans them without touching the entry objects (that pointer chasing, not the bit
 * counting, was the cost of a lookup).
 */
class Bucket {
  hi = new Int32Array(4);
  lo = new Int32Array(4);
  entries: IndexedEntry[] = [];

  push(e: IndexedEntry): void {
    const n = this.entries.length;
    if (n === this.hi.length) {
      const hi = new Int32Array(n * 2);
      hi.set(this.hi);
      this.hi = hi;
      const lo = new Int32Array(n * 2);
      lo.set(this.lo);
      this.lo = lo;
    }
    this.hi[n] = e.hi | 0;
    this.lo[n] = e.lo | 0;
    this.entries.push(e);
  }

  /** Removes `e` (order is not kept: the last entry takes its place). */
  remove(e: IndexedEntry): void {
    const i = this.entries.indexOf(e);
    if (i < 0) return;
    const last = this.entries.length - 1;
    this.entries[i] = this.entries[last]!;
    this.hi[i] = this.hi[last]!;
    this.lo[i] = this.lo[last]!;
    this.entries.pop();
  }
}

export class NearDuplicateIndex {
  /** Per band: band value -> the entries having it. */
  private readonly bands: Array<Map<number, Bucket>>;
  private readonly entries = new Map<string, IndexedEntry>();
  /** Bit offset and width of each band; together they tile the 64 bits exactly. */
  private readonly bandBits: Array<[number, number]>;

  /**
   * `maxDistance` 5 of 64 bits: a repost with a few words added ("转发：", "!!!") stays within it,
   * while unrelated posts differ by about 32 bits; the chance that two unrelated fingerprints come
   * that close is below one in ten million.
   */
  constructor(
    readonly maxDistance = DEFAULT_MAX_DISTANCE,
    readonly capacity = 200_000,
  ) {
    if (!Number.isInteger(maxDistance) || maxDistance < 3 || maxDistance > 15) throw new RangeError('maxDistance must be 3..15');
    const n = maxDistance + 1;
    this.bands = Array.from({ length: n }, () => new Map());
    this.bandBits = Array.from({ length: n }, (_, i) => {
      const start = Math.floor((i * 64) / n);
      return [start, Math.floor(((i + 1) * 64) / n) - start];
    });
  }

  get size(): number {
    return this.entries.size;
  }

  private keys(hi: number, lo: number): number[] {
    return this.bandBits.map(([start, width]) => bitsOf(hi, lo, start, width));
  }

  /** Adds or refreshes an entry. */
  add(entry: SimhashEntry): void {
    const old = this.entries.get(entry.id);
    if (old) this.remove(old);
    const { hi, lo } = halves(entry.simhash);
    const rec: IndexedEntry = { id: entry.id, hi, lo, publishedAt: entry.publishedAt, isCopy: Boolean(entry.nearDuplicateOf), keys: this.keys(hi, lo) };
    this.entries.set(entry.id, rec);
    rec.keys.forEach((k, i) => {
      let bucket = this.bands[i]!.get(k);
      if (!bucket) this.bands[i]!.set(k, (bucket = new Bucket()));
      bucket.push(rec);
    });
    if (this.entries.size > this.capacity) this.remove(this.entries.values().next().value!);
  }

  private remove(rec: IndexedEntry): void {
    this.entries.delete(rec.id);
    rec.keys.forEach((k, i) => {
      const bucket = this.bands[i]!.get(k);
      if (!bucket) return;
      bucket.remove(rec);
      if (bucket.entries.length === 0) this.bands[i]!.delete(k);
    });
  }

  /**
   * The id of the original `entry` nearly repeats: among the indexed posts within `maxDistance`
   * bits that are not copies themselves, the earliest published. Undefined when none; a post is
   * never its own duplicate.
   */
  findOriginal(entry: SimhashEntry): string | undefined {
    let best: IndexedEntry | undefined;
    const { hi, lo } = halves(entry.simhash);
    const h = hi | 0;
    const l = lo | 0;
    const max = this.maxDistance;
    for (let b = 0; b < this.bandBits.length; b++) {
      const [start, width] = this.bandBits[b]!;
      const bucket = this.bands[b]!.get(bitsOf(hi, lo, start, width));
      if (!bucket) continue;
      const his = bucket.hi;
      const los = bucket.lo;
      // A candidate found in several bands is checked several times: cheaper than remembering it.
      for (let i = 0, n = bucket.entries.length; i < n; i++) {
        if (popcount32(his[i]! ^ h) + popcount32(los[i]! ^ l) > max) continue;
        const other = bucket.entries[i]!;
        if (other.isCopy || other.id === entry.id) continue;
        if (!best || isEarlier(other, best)) best = other;
      }
    }
    return best?.id;
  }
}

/** Bits `start` .. `start + width - 1` (0 = most significant) of the 64-bit value hi:lo; width <= 16. */
function bitsOf(hi: number, lo: number, start: number, width: number): number {
  const end = start + width;
  if (end <= 32) return (hi >>> (32 - end)) & ((1 << width) - 1);
  if (start >= 32) return (lo >>> (64 - end)) & ((1 << width) - 1);
  const fromHi = hi & ((1 << (32 - start)) - 1);
  const loBits = end - 32;
  return (fromHi << loBits) | (lo >>> (32 - loBits));
}

function halves(simhash: string): { hi: number; lo: number } {
  return { hi: parseInt(simhash.slice(0, 8), 16), lo: parseInt(simhash.slice(8, 16), 16) };
}

function isEarlier(a: { id: string; publishedAt: string }, b: { id: string; publishedAt: string }): boolean {
  return a.publishedAt < b.publishedAt || (a.publishedAt === b.publishedAt && a.id < b.id);
}
