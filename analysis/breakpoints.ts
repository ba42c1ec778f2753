/**
 * Cross-channel breakpoints. A cue pattern (不认, 没有记录, 推来推去, 写着…实际) found in a sentence
 * becomes a breakpoint between two channels: the channel mentioned nearest to the cue and the
 * nearest different channel, looked for in the cue's sentence, then in the two sentences before
 * it (the journey is usually told in order), and for a written promise (写明…其实) in the sentence
 * after it (where the other channel takes it back). Only entity words (门店, 客服) name the two
 * touchpoints; process words (退货, 配送) do not, but a listing cue (页面写着…, 系统显示的骑手说…)
 * names the platform itself. No second channel, no breakpoint: a failure inside one channel is not a
 * breakpoint (nor is customer service refusing on behalf of its own platform), and neither is
 * praising one channel while criticising another (that has no cue).
 */
import type { BreakpointKind } from '../core/types.js';
import type { Structure } from './clauses.js';
import type { Mention } from './channels.js';
import { byStart, partKeyBit, type GapPattern, type PartHits } from './terms.js';
import { firstUnits, type FirstUnits } from './first-units.js';

export interface FoundBreakpoint {
  channels: [string, string];
  kind: BreakpointKind;
  cue: string;
  /** The sentence holding the cue (normalised offsets). */
  start: number;
  end: number;
  /** Where the cue ends, and the mention it is charged to (the channel that broke the journey). */
  cueEnd: number;
  /** Where the cue's last part starts (又让 of 让我找…又让): with cueEnd, the cue's own words. */
  cueLastPart: number;
  /** The cue's first part (页面 of 页面写着…说): what names a channel the cue implies. */
  cueStart: number;
  cueFirstEnd: number;
  blamed: Mention;
  /** Parts of the cue pattern (specificity). */
  parts: number;
}

export interface CueMatch {
  pattern: number;
  start: number;
  end: number;
  /** Start of the pattern's last part (让我去…门店: where 门店 starts). */
  lastPart: number;
  sentence: number;
}

/** Longest run of characters between two parts of a cue pattern (写着…实际), in a Chinese post. */
export const MAX_GAP = 25;
/** The same for an English post, whose words are several letters and a space each: the 25
 *  characters of 让我找售后，售后又让我找 are about 80 in "told me to contact after-sales, and after-sales told me to". */
export const MAX_GAP_ENGLISH = 80;

/** Per pattern list: the sentence generation in which each pattern last matched (see matchGapPatterns),
 *  and each pattern's number of parts (read for every pattern a hit opens: a typed array spares
 *  loading the pattern object and its parts array). */
interface Stamps {
  of: Int32Array;
  generation: number;
  parts: Int32Array;
}
const STAMPS = new WeakMap<object, Stamps>();
function stampsFor<K>(patterns: Array<GapPattern<K>>): Stamps {
  let stamps = STAMPS.get(patterns);
  if (!stamps || stamps.of.length !== patterns.length) {
    const parts = new Int32Array(patterns.length);
    for (let i = 0; i < patterns.length; i++) parts[i] = patterns[i]!.parts.length;
    stamps = { of: new Int32Array(patterns.length), generation: 0, parts };
    STAMPS.set(patterns, stamps);
  }
  return stamps;
}

/** Matches gap patterns sentence by sentence: every part in order, inside one sentence. */
export function matchGapPatterns<K>(hits: PartHits, patterns: Array<GapPattern<K>>, st: Structure, maxGap = MAX_GAP): CueMatch[] {
  const out: CueMatch[] = [];
  const count = hits.length;
  if (!count) return out;
  const { starts, ends, roles } = hits;
  const stamps = stampsFor(patterns);
  const partCounts = stamps.parts;
  let from = 0;
  for (let s = 0; s < st.sentences.length; s++) {
    const sent = st.sentences[s]!;
    while (from < count && starts[from]! < sent.start) from++;
    let to = from;
    while (to < count && starts[to]! < sent.end) to++;
    if (to === from) continue;
    // Patterns already matched in this sentence carry the sentence's generation (no per-sentence list).
    if (stamps.generation === 0x7fffffff) {
      stamps.of.fill(0);
      stamps.generation = 0;
    }
    const generation = ++stamps.generation;
    const done = stamps.of;
    for (let i = from; i < to; i++) {
      const firstEnd = ends[i]!;
      if (firstEnd > sent.end) continue;
      const last1 = i + 1 >= to; // no later hit: only one-part patterns can match
      const firsts = roles[i]!.firsts;
      for (let f = 0; f < firsts.length; f++) {
        const pattern = firsts[f]!;
        if (done[pattern] === generation) continue;
        const n = partCounts[pattern]!;
        if (n > 1 && last1) continue;
        let pos = firstEnd;
        let last = firstEnd;
        let lastPart = starts[i]!;
        let k = 1;
        let bit = partKeyBit(pattern, k);
        for (let j = i + 1; j < to && k < n; j++) {
          const start = starts[j]!;
          if (start < pos || ends[j]! > sent.end) continue;
          // Parts far apart in a long run-on sentence belong to different statements.
          if (start - pos > maxGap) break;
          // The mask rules out most hits without the Set look-up.
          const r = roles[j]!;
          if ((r.mask & bit) !== 0 && r.keys.has(pattern * 64 + k)) {
            k++;
            bit = partKeyBit(pattern, k);
            pos = last = ends[j]!;
            lastPart = start;
          }
        }
        if (k < n) continue;
        done[pattern] = generation;
        out.push({ pattern, start: starts[i]!, end: last, lastPart, sentence: s });
      }
    }
    from = to;
  }
  return byStart(out);
}

/** Verbs after a channel that make it the speaker of what follows; a directive (送餐员让我打客服电话)
 *  makes it the actor that sent the customer on. */
const SPEECH = ['说', '却说', '又说', '就说', '表示', '告诉', '回复', '答复', '称', '声称', '让我', '叫我', '要我'];

/** Alias of a channel named by the cue itself (see withImplied). */
const IMPLIED = '';

/** A touchpoint the cue implies (the page of 页面写着, the seller of 踢皮球, the delivery of 没送到). */
function impliedMention(channel: string, start: number, end: number, clause: number): Mention {
  return { channel, kind: 'entity', start, end, clause, alias: IMPLIED, comparison: false, locative: false, framed: false, intent: false, participle: false, beforePurchase: false };
}

/** `mentions` with `m` inserted in text order. */
function insertInOrder(mentions: readonly Mention[], m: Mention): Mention[] {
  let at = 0;
  while (at < mentions.length && mentions[at]!.start < m.start) at++;
  return [...mentions.slice(0, at), m, ...mentions.slice(at)];
}

/** Channels whose own page or screen a listing cue may be (App上显示…: then the App is named). */
const ONLINE = new Set(['website', 'app', 'marketplace']);

/**
 * Channels a customer service speaks for: a refusal or missing record between customer service and
 * the platform or its delivery (客服说不能退, 京东专员也说不能退; 客服说物流查不到) is one
 * organisation's failure, not a process that broke between two touchpoints.
 */
const SPOKEN_FOR = new Set(['marketplace', 'delivery']);

/** Whether a handoff between `a` and `b` stays inside one organisation (see SPOKEN_FOR). */
const oneOrganisation = (a: string, b: string) => (a === 'customer_service' && SPOKEN_FOR.has(b)) || (b === 'customer_service' && SPOKEN_FOR.has(a));

/**
 * Whether `channel` makes its own claim around the cue (快递员说已经放在快递柜了 … 客服说查不到): then
 * the platform's two sides contradict each other and the journey did break between them.
 */
function otherSideSpeaks(channel: string, cue: CueMatch, entities: Mention[], st: Structure, text: string): boolean {
  const from = st.sentences[Math.max(0, cue.sentence - 2)]!.start;
  const to = st.sentences[cue.sentence]!.end;
  for (const m of entities) if (m.channel === channel && m.start >= from && m.end <= to && speaks(text, m.end)) return true;
  return false;
}

// On a tie a general cue (写着…实际) beats one naming a channel itself (页面…说): it says better who
// broke the promise.
const rank = (p: GapPattern<BreakpointKind>) => p.parts.length * 10 + KIND_PRIORITY[p.kind] + (p.channel ? 0 : 0.5);

const KIND_PRIORITY: Record<BreakpointKind, number> = { runaround: 3, handoff: 2, inconsistency: 1 };

/** Whether a supposition lies inside text[from, to) (the clause up to a mention): the same as
 *  `text.slice(from, to).includes(w)` for some w, without the slice nor a scan per word. */
function supposed(text: string, from: number, to: number, suppositions: readonly string[]): boolean {
  const first = firstUnitsOf(suppositions);
  if (first.empty) return true;
  for (let i = from; i < to; i++) {
    if (first.units[text.charCodeAt(i)] !== 1) continue;
    for (const w of suppositions) if (i + w.length <= to && text.startsWith(w, i)) return true;
  }
  return false;
}

/** First code units of each word list, kept per list. */
const FIRST_UNITS = new WeakMap<readonly string[], FirstUnits>();
function firstUnitsOf(words: readonly string[]): FirstUnits {
  let first = FIRST_UNITS.get(words);
  if (!first) FIRST_UNITS.set(words, (first = firstUnits(words)));
  return first;
}

/** Breakpoints of a post from its cue matches and channel mentions; one per channel pair. */
export function findBreakpoints(
  cues: CueMatch[],
  patterns: Array<GapPattern<BreakpointKind>>,
  mentions: Mention[],
  st: Structure,
  text: string,
  lookalikes: readonly string[],
  /** Openers of a supposition (要是, 就算: questions.yaml `hypotheticals`). */
  suppositions: readonly string[],
  /** The seller of the post (the restaurant of a food-delivery post, else the online shop; none in a
   *  hotel review): the other party of a two-party runaround that names only one (踢皮球). Asked
   *  only when such a cue fires. */
  sellerOf?: () => string | undefined,
): FoundBreakpoint[] {
  const out: FoundBreakpoint[] = [];
  const ranks: number[] = []; // rank of the cue behind each entry of `out`
  if (!cues.length) return out;
  // Touchpoints are named by entity words (门店, 客服); a process word (退货, 保修) next to one channel
  // is that channel's own failure (客服说不保修), not a second touchpoint.
  // A touchpoint only supposed (就算去水果摊买也得尝尝, 如果在实体店买) is not one the journey passed through.
  const named = mentions.filter((m) => m.kind !== 'activity' && !supposed(text, st.clauses[m.clause]!.start, m.start, suppositions));
  if (!named.length && !cues.some((c) => patterns[c.pattern]!.counterpart)) return out;
  for (const cue of cues) {
    const p = patterns[cue.pattern]!;
    if (isLookalike(text, cue, cue.pattern, patterns, lookalikes)) continue;
    // A failure only supposed (要是用不了可以给家人用, 如果不能退的话) did not happen.
    const cueClause = st.clauseAt[cue.start]!;
    if (cueClause >= 0 && supposed(text, st.clauses[cueClause]!.start, cue.start, suppositions)) continue;
    let entities = p.counterpart ? counterpartEntities(mentions, named, cue, p, st, text) : withImplied(named, cue, p, st);
    if (p.betweenParties && sellerOf) {
      const seller = sellerOf();
      if (seller) entities = withOtherParty(withProcessParty(entities, mentions, cue, st), cue, st, seller);
    }
    if (entities.length < 2) continue;
    const pair = pickPair(cue, entities, st, text, looksAhead(p));
    if (!pair) continue;
    const [a, b, blamed] = pair;
    const channels = (a < b ? [a, b] : [b, a]) as [string, string];
    // A refusal or a missing record is told about the channel that refuses (门店说不给保修): a cue
    // whose own sentence names no touchpoint (退单了还不能退，很气愤) is a complaint, not a break.
    if (p.kind !== 'runaround' && !entities.some((m) => st.clauses[m.clause]!.sentence === cue.sentence)) continue;
    if (p.kind === 'handoff' && !p.evenInsideOrganisation && oneOrganisation(a, b) && !otherSideSpeaks(a === 'customer_service' ? b : a, cue, entities, st, text)) continue;
    const sent = st.sentences[cue.sentence]!;
    const found: FoundBreakpoint = {
      channels,
      kind: p.kind,
      cue: p.id,
      start: sent.start,
      end: sent.end,
      cueEnd: cue.end,
      cueLastPart: cue.lastPart,
      cueStart: cue.start,
      cueFirstEnd: cue.start + p.parts[0]!.length,
      blamed,
      parts: p.parts.length,
    };
    const prev = out.findIndex((f) => f.channels[0] === channels[0] && f.channels[1] === channels[1]);
    // The most specific cue (most parts: 满…用不了 over 用不了) decides the kind, then the kind priority.
    if (prev < 0) {
      out.push(found);
      ranks.push(rank(p));
    } else if (rank(p) > ranks[prev]!) {
      out[prev] = found;
      ranks[prev] = rank(p);
    }
  }
  return out;
}

/**
 * Whether a cue may find its second channel in the next sentence: only a written promise and what
 * happened instead (写明…其实, 原定…实际), whose taker-back often speaks next (前台经理说只送一瓶). A
 * one-part cue (却给我) tells the whole contradiction in its own sentence, and a spoken promise
 * (说好的赠品…没有) is mostly a gift missing from the parcel, not a second channel contradicting it.
 */
function looksAhead(p: GapPattern<BreakpointKind>): boolean {
  if (p.kind !== 'inconsistency' || p.parts.length < 2) return false;
  const first = p.parts[0]!;
  return !first.includes('说') && !first.includes('显示');
}

/**
 * Whether the cue's first or last part sits inside a look-alike word (breakpoints.yaml `lookalikes`:
 * 不认识路 is not 不认, 有没有人 is not 没有, 说明 is not 说).
 */
function isLookalike(text: string, cue: CueMatch, pattern: number, patterns: Array<GapPattern<BreakpointKind>>, lookalikes: readonly string[]): boolean {
  const { first, last } = lookalikesOf(pattern, patterns, lookalikes);
  for (const { word, at } of first) if (cue.start >= at && text.startsWith(word, cue.start - at)) return true;
  for (const { word, at } of last) if (cue.lastPart >= at && text.startsWith(word, cue.lastPart - at)) return true;
  return false;
}

/** A look-alike word holding a cue part, and where the part first occurs in it. */
interface Lookalike {
  word: string;
  at: number;
}
/** The look-alikes holding a pattern's first part, and (patterns of two or more parts) its last part. */
interface PatternLookalikes {
  first: Lookalike[];
  last: Lookalike[];
}

/**
 * Per pattern list, the look-alike words of each pattern, worked out the first time a cue of the
 * pattern matches (the `indexOf` of every look-alike in the cue's parts, which isLookalike would
 * otherwise repeat for every cue).
 */
const LOOKALIKES = new WeakMap<object, { lookalikes: readonly string[]; of: Array<PatternLookalikes | undefined> }>();
function lookalikesOf(pattern: number, patterns: Array<GapPattern<BreakpointKind>>, lookalikes: readonly string[]): PatternLookalikes {
  let cache = LOOKALIKES.get(patterns);
  if (!cache || cache.lookalikes !== lookalikes) {
    cache = { lookalikes, of: [] };
    LOOKALIKES.set(patterns, cache);
  }
  let found = cache.of[pattern];
  if (!found) {
    const p = patterns[pattern]!;
    const firstPart = p.parts[0]!;
    const lastPart = p.parts[p.parts.length - 1]!;
    found = { first: [], last: [] };
    for (const word of lookalikes) {
      const i = word.indexOf(firstPart);
      if (i >= 0) found.first.push({ word, at: i });
      const j = p.parts.length < 2 ? -1 : word.indexOf(lastPart);
      if (j >= 0) found.last.push({ word, at: j });
    }
    cache.of[pattern] = found;
  }
  return found;
}

/**
 * The named touchpoints plus, for a listing cue (页面…说), the channel the cue names itself, placed at
 * the cue's first part. When the sentence names the page's owner (天猫旗舰店的页面, 系统显示, App页面)
 * nothing is implied: the named owner is the touchpoint.
 */
function withImplied(named: Mention[], cue: CueMatch, p: GapPattern<BreakpointKind>, st: Structure): Mention[] {
  const channel = p.channel;
  if (!channel) return named;
  const sent = st.sentences[cue.sentence]!;
  for (const m of named) if (m.start >= sent.start && m.end <= sent.end && ONLINE.has(m.channel)) return named;
  const clause = st.clauseAt[cue.start]!;
  if (clause < 0) return named;
  return insertInOrder(named, impliedMention(channel, cue.start, cue.start + p.parts[0]!.length, clause));
}

/**
 * For a two-party runaround cue: the process pushed around in the cue's own sentence (退款推来推去,
 * 处理个退款订单…推来推去) names the department that owns it, when no touchpoint of that channel is
 * named around the cue. Elsewhere a process word is no second touchpoint (see findBreakpoints). Only
 * returns and refunds: a slow delivery before the cue (送餐速度巨慢，客服…推来推去) is not what is pushed.
 */
const PROCESS_PARTY = 'after_sales';
function withProcessParty(entities: Mention[], mentions: Mention[], cue: CueMatch, st: Structure): Mention[] {
  let out = entities;
  for (const m of mentions) {
    if (m.kind !== 'activity' || m.channel !== PROCESS_PARTY || st.clauses[m.clause]!.sentence !== cue.sentence) continue;
    if (out.some((e) => e.channel === m.channel && st.clauses[e.clause]!.sentence <= cue.sentence && st.clauses[e.clause]!.sentence >= cue.sentence - 2)) continue;
    out = insertInOrder(out, m);
  }
  return out;
}

/**
 * A two-party runaround (客服态度不好，推来推去) whose sentence and the two before it name one touchpoint
 * only, other than the seller: the seller is the other party, placed at the cue.
 */
function withOtherParty(entities: Mention[], cue: CueMatch, st: Structure, seller: string): Mention[] {
  let only: string | undefined;
  for (const m of entities) {
    const s = st.clauses[m.clause]!.sentence;
    if (s > cue.sentence || s < cue.sentence - 2) continue;
    if (only !== undefined && only !== m.channel) return entities;
    only = m.channel;
  }
  if (only === undefined || only === seller) return entities;
  const clause = st.clauseAt[cue.start]!;
  if (clause < 0) return entities;
  return insertInOrder(entities, impliedMention(seller, cue.start, cue.end, clause));
}

/**
 * For a cue told against a counterpart (还显示已送达 against the delivery that never came): the
 * channel the cue names, and the counterpart's mentions, process words included (根本没给送货). Nothing
 * when the counterpart itself owns what is shown (物流显示已签收: the courier's own tracking, one channel).
 */
function counterpartEntities(mentions: Mention[], named: Mention[], cue: CueMatch, p: GapPattern<BreakpointKind>, st: Structure, text: string): Mention[] {
  const counterpart = p.counterpart!;
  // The status word may sit inside the cue (没收到货，物流显示已签收): its owner is named right before it.
  const shown = statusWordAt(text, cue, st.clauses[st.clauseAt[cue.start]!]?.start ?? cue.start);
  for (const m of named) if (m.channel === counterpart && m.end <= shown && shown - m.end <= OWNER_GAP) return [];
  const against = mentions.filter((m) => m.channel === counterpart);
  // 商品根本没送还显示已签收, 没有给送饭，还显示订单完成: the delivery that never came is told by its
  // failure alone, before the status in the cue's sentence or the one before it (a mention of it
  // elsewhere in the review, 还及时送货呢，扯吧, is too far to pair with the cue).
  const near = against.some((m) => st.clauses[m.clause]!.sentence <= cue.sentence && st.clauses[m.clause]!.sentence >= cue.sentence - 1);
  const re = near ? undefined : NOT_DELIVERED[counterpart];
  const failed = re ? failureBefore(text, cue, st, re) : -1;
  const clause = failed >= 0 ? st.clauseAt[failed]! : -1;
  if (clause >= 0) return withImplied(insertInOrder(against, impliedMention(counterpart, failed, failed + 1, clause)), cue, p, st);
  if (!against.length) return [];
  return withImplied(against, cue, p, st);
}

/** A failure of the counterpart told without naming it (没送, 没有给送饭, 还没收到): per counterpart channel. */
const NOT_DELIVERED: Record<string, RegExp> = {
  delivery: /(没|没有|未|并没|并没有)(给|有)?(我|我们)?(送|送货|送餐|送饭|派送|配送|收到|送到|到货)/g,
};

/** Where such a failure starts, in the cue's sentence before the cue or in the sentence before; -1 if none. */
function failureBefore(text: string, cue: CueMatch, st: Structure, re: RegExp): number {
  const from = st.sentences[Math.max(0, cue.sentence - 1)]!.start;
  re.lastIndex = from;
  const m = re.exec(text);
  return m && m.index < cue.start ? m.index : -1;
}

/** Characters between a channel and a status cue (物流信息显示) within which the channel owns the status. */
const OWNER_GAP = 3;

/** Words that show a status (显示); see statusWordAt. */
const STATUS_WORDS = ['显示', 'shows', 'marked'];

/** Where the cue's status word starts: inside the cue, or just before it in its clause (系统显示快递已取货:
 *  the system shows what the courier did); the cue's start when there is none. */
function statusWordAt(text: string, cue: CueMatch, clauseStart: number): number {
  const from = Math.max(clauseStart, cue.start - STATUS_LOOKBACK);
  for (const w of STATUS_WORDS) {
    const i = text.indexOf(w, from);
    if (i >= 0 && i < cue.end) return i;
  }
  return cue.start;
}
/** Characters before a cue within which its status word may stand (显示 + a courier's name). */
const STATUS_LOOKBACK = 6;

/** The sentence windows a cue's pair is looked for in: [first sentence, last sentence]. */
function windows(cue: CueMatch, st: Structure, forward: boolean): Array<[number, number]> {
  const s = cue.sentence;
  const out: Array<[number, number]> = [[s, s]];
  if (s >= 1) out.push([s - 1, s]);
  if (s >= 2) out.push([s - 2, s]);
  // A contradiction is often told in order: the promise (携程写明有礼品), then the other channel
  // taking it back in the next sentence (前台经理说只送一瓶).
  if (forward && s + 1 < st.sentences.length) out.push([s, s + 1]);
  return out;
}

function pickPair(cue: CueMatch, entities: Mention[], st: Structure, text: string, forward: boolean): [string, string, Mention] | undefined {
  // The cue's sentence first, then up to two sentences back, then (contradictions) the next one. A
  // mention is accepted when it lies in [from, to) and starts before `limit` (plain loops, not
  // predicates: this runs for every cue).
  for (const [a, b] of windows(cue, st, forward)) {
    const from = st.sentences[a]!.start;
    const to = st.sentences[b]!.end;
    // The journey so far: channels named up to the cue come first (…查不到积分，客服说… adds a commentator),
    // else any in the window.
    let limit = cue.end;
    if (!hasTwoChannels(entities, from, to, limit)) {
      limit = Infinity;
      if (!hasTwoChannels(entities, from, to, limit)) continue;
    }
    // The nearest mention, then the nearest one of another channel (earlier first on ties).
    let first: Mention | undefined;
    let firstDist = 0;
    for (const m of entities) {
      if (!accepted(m, from, to, limit)) continue;
      const d = distance(m, cue);
      if (!first || d < firstDist) {
        first = m;
        firstDist = d;
      }
    }
    let second: Mention | undefined;
    let secondDist = 0;
    for (const m of entities) {
      if (!accepted(m, from, to, limit) || m.channel === first!.channel) continue;
      const d = distance(m, cue);
      if (!second || d < secondDist) {
        second = m;
        secondDist = d;
      }
    }
    // The channel charged with the break: the one speaking or acting right before the cue's last part
    // (门店不认, 前台却说没有, 客服让我去…门店 -> 客服). A speaker in the cue's own clause
    // (店员说网上买的不给换) is charged rather than what it talks about.
    const cueClause = st.clauseAt[cue.lastPart]!;
    let latest: Mention | undefined;
    let speaker: Mention | undefined;
    for (const m of entities) {
      if (!accepted(m, from, to, limit) || (m.channel !== first!.channel && m.channel !== second!.channel) || m.end > cue.lastPart) continue;
      if (!latest || m.start > latest.start) latest = m;
      if (m.clause === cueClause && speaks(text, m.end) && (!speaker || m.start > speaker.start)) speaker = m;
    }
    // A contradiction found in the next sentence is that sentence's channel taking the promise back
    // (携程写明有礼品…前台经理说只送一瓶 -> 前台); a listing (页面写着…) is the promise, never the one
    // that broke it.
    const sentEnd = st.sentences[cue.sentence]!.end;
    const later = second!.start >= sentEnd ? second! : first!.start >= sentEnd ? first! : undefined;
    let blamed = later ?? speaker ?? latest ?? first!;
    if (blamed.alias === IMPLIED) blamed = blamed === first ? second! : first!;
    return [first!.channel, second!.channel, blamed];
  }
  return undefined;
}

function accepted(m: Mention, from: number, to: number, limit: number): boolean {
  return m.start >= from && m.end <= to && m.start < limit;
}

/** Characters between a mention and the cue (0 when they overlap). */
function distance(m: Mention, cue: CueMatch): number {
  return m.end <= cue.start ? cue.start - m.end : m.start >= cue.end ? m.start - cue.end : 0;
}

/** Whether a speech verb (说, 表示...) starts at `pos`. */
function speaks(text: string, pos: number): boolean {
  for (let i = 0; i < SPEECH.length; i++) if (text.startsWith(SPEECH[i]!, pos)) return true;
  return false;
}

/** Whether the accepted mentions (see pickPair) name at least two different channels. */
function hasTwoChannels(ms: Mention[], from: number, to: number, limit: number): boolean {
  let one: string | undefined;
  for (const m of ms) {
    if (!accepted(m, from, to, limit)) continue;
    if (one === undefined) one = m.channel;
    else if (m.channel !== one) return true;
  }
  return false;
}
