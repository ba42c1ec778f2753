/**
 * What each sentiment word is about. Anchors are the channel mentions and the product-side nouns
 * (products, brand names, subject nouns, aspects) of a clause. A sentiment word belongs to:
 *
 *   - the product-side noun right before it (车机黑屏, 续航掉得厉害, 动力确实足): not a channel;
 *   - else the nearest channel mentioned before it in the clause (客服态度很好, 去4S店问个配置都要等半天),
 *     with the channels joined to it by 和/与 (客服和售后都很差);
 *   - else the channel right after it (态度冷淡的销售), unless the channel has a predicate of its own
 *     (不满意物流倒是很快);
 *   - else the channels carried over from the previous clauses of the sentence (客服，态度太差了).
 *
 * Carry-over stops at a clause naming a channel or opening with a product-side subject
 * (App很好用，车子开起来也稳 -> 稳 is the car's). A noun the channel owns (App的远程控车, 京东的东西)
 * stays with the channel. A place of purchase (在京东买的) carries only into
 * clauses about price or the deal (比门店便宜), not into product judgements (很好用).
 *
 * Aspects are attributed the same way, from aspect nouns: the one right before the word, the one
 * opening the clause, the one right after (很好的动力), or carried over.
 */
import { blanksAndDe, type Structure } from './clauses.js';
import { scratch } from './scratch.js';
import type { Mention } from './channels.js';
import { NOT_ANCHOR, SENT_EMOTICON, SENT_FORWARD, SENT_MODIFIER, SENT_VALUED, TOPIC_ACTION, TOPIC_DEAL, type Hit, type TermTable } from './terms.js';

interface Anchor {
  start: number;
  end: number;
  channel: string | undefined;
  /** Aspect id of the post's taxonomy. */
  aspect: string | undefined;
  /** Channel attribute (price): an aspect that leaves the channel as the subject. */
  attribute: boolean;
  /** Object of 把/将 (快递把鸡蛋摔碎了): it does not take the verb's judgement. */
  object: boolean;
  /** A noun (门店, 客服), not a process word (送来, 退货): only nouns own what follows them. */
  noun: boolean;
}

const BA = '把'.charCodeAt(0);
const DE = '的'.charCodeAt(0);
const JIANG = '将'.charCodeAt(0);

export interface Attribution {
  /** Channels each sentiment hit is about. */
  hitChannels: string[][];
  /** Aspects each sentiment hit is about. */
  hitAspects: string[][];
  /** Channels a judging word at [start, end) of `clause` outside the lexicon is about (the rules of
   *  the sentiment words: 门店很冷清 -> store, 车机卡顿 -> none). Read only. */
  channelsOfWord(clause: number, start: number, end: number): readonly string[];
  /** Whether any word of `clause` can be about a channel (one is named there or carried into it):
   *  a cheap test before channelsOfWord. */
  clauseReachesChannel(clause: number): boolean;
  /** Aspects named in a clause or carried into it (what a breakpoint cue there is about: 价格不一样). */
  clauseAspects(clause: number): string[];
  /** First mention of each aspect (for evidence), in text order. */
  aspectMentions: Array<{ aspect: string; start: number; end: number }>;
}

export interface AttributionContext {
  text: string;
  st: Structure;
  table: TermTable;
  sentHits: Hit[];
  topicHits: Hit[];
  mentions: Mention[];
  taxonomy: string;
  brand: string;
  /** Whether text[from, to) is only lead words, so the noun after it opens the clause. */
  opensClause: (text: string, from: number, to: number) => boolean;
  /** Whether the text at a clause start is an opener after which the previous clause's aspect does
   *  not carry on (就是, 但是). */
  breaksTopic: (pos: number) => boolean;
}

/** Shared empty result: most words are about no channel; no need for a new array each time. */
const NONE: string[] = [];
/** Shared anchor list of the clauses without anchors (read only). */
const NO_ANCHORS: Anchor[] = [];

/** Shared one-element results per channel or aspect id (read only, like NONE): most words are about
 *  one target, and a new array for each of them is garbage for the collector. */
const SINGLES = new Map<string, string[]>();
function single(id: string): string[] {
  let list = SINGLES.get(id);
  if (!list) {
    list = [id];
    SINGLES.set(id, list);
  }
  return list;
}

/** Characters that may sit between a noun and its predicate word (动力确实足, 车是真不错). */
const FILLERS = new Set([...' 的得地是也都还又就挺'].map((c) => c.charCodeAt(0)));
/** What may sit between a channel and a noun it owns (App的远程控车, 官网上的配置器). */
const POSSESSIVE = new Set(['', '的', '上的', '里的', '里面的']);
/** Most characters between a judging word and the channel after it that it describes (态度冷淡的销售). */
const AFTER_GAP = 4;
/** Joiners of a group of nouns (客服和售后, 动力与操控). */
const JOINERS = new Set(['和', '与', '跟', '及', '、', '还有', '以及', '或', '或者', '/', 'and']);

export function attribute(ctx: AttributionContext): Attribution {
  return new Attributor(ctx);
}

/**
 * The attribution of one post. A class rather than closures over `attribute`'s locals: the ~15
 * helpers the word look-ups need are methods of one object, where closures cost an allocation each
 * per post (the returned look-ups keep them all alive).
 */
class Attributor implements Attribution {
  hitChannels: string[][] = [];
  hitAspects: string[][] = [];
  aspectMentions: Attribution['aspectMentions'] = [];
  private readonly text: string;
  private readonly st: Structure;
  /** Anchors per clause. Most clauses hold none: they share NO_ANCHORS (never pushed to) until they get one. */
  private readonly anchors: Anchor[][];
  /** Modifier characters (很, 不, 有点): they count as fillers between a noun and its predicate. */
  private readonly modifier: Uint8Array;
  /** Purchase verbs (买的, 下单) in clauses: "X买的<noun>…" judges the noun. */
  private readonly purchases: Hit[] = [];
  /** The anchor opening each clause (see openingOf). */
  private readonly openings: Array<Anchor | undefined> = [];
  /** Channels and aspects carried over into each clause inside a sentence (NONE unless something carries). */
  private readonly carriedChannels: string[][];
  private readonly carriedAspects: string[][];
  /** The aspect group opening each clause (NONE when no aspect opens it). */
  private readonly openAspects: string[][];
  /** Starts of the judging words, and of the forward words (吐槽, 推荐), in text order. */
  private readonly valuedStarts: number[] = [];
  private readonly forwardStarts: number[] = [];

  constructor(ctx: AttributionContext) {
    const { text, st, table, sentHits } = ctx;
    this.text = text;
    this.st = st;
    const nClauses = st.clauses.length;

    const anchors: Anchor[][] = filled(nClauses, NO_ANCHORS);
    this.anchors = anchors;
    const dealClause = filled(nClauses, false);
    for (const m of ctx.mentions)
      if (!m.comparison) addAnchor(anchors, m.clause, { start: m.start, end: m.end, channel: m.channel, aspect: undefined, attribute: false, object: false, noun: m.kind !== 'activity' });
    const kinds = table.anchorKinds(ctx.taxonomy, ctx.brand);
    const aspectRefs = table.aspectRefs(ctx.taxonomy);
    const topicFlags = table.topicFlags;
    for (const h of ctx.topicHits) {
      const c = st.clauseAt[h.start]!;
      if (c < 0) continue;
      if (topicFlags[h.role]! & TOPIC_DEAL) dealClause[c] = true;
      const kind = kinds[h.role]!;
      if (kind === NOT_ANCHOR) continue;
      if (kind >= 0) {
        // The role's aspect of the taxonomy (aspects[kind]), from the flat per-taxonomy array.
        const a = aspectRefs[h.role]!;
        addAnchor(anchors, c, { start: h.start, end: h.end, channel: undefined, aspect: a.aspect, attribute: a.attribute, object: false, noun: true });
        if (!mentionsAspect(this.aspectMentions, a.aspect)) this.aspectMentions.push({ aspect: a.aspect, start: h.start, end: h.end });
      } else {
        addAnchor(anchors, c, { start: h.start, end: h.end, channel: undefined, aspect: undefined, attribute: false, object: false, noun: true });
      }
    }
    for (const list of anchors) {
      if (list.length > 1) sortByStart(list);
      for (const a of list) {
        const before = a.start > 0 ? text.charCodeAt(a.start - 1) : 0;
        if (before === BA || before === JIANG) a.object = true;
      }
      // A product-side noun owned by the channel before it (App的远程控车, 京东的东西) is the channel's.
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const a = list[i]!;
        if (prev.channel !== undefined && prev.noun && a.channel === undefined && POSSESSIVE.has(text.slice(prev.end, a.start))) a.attribute = true;
      }
    }

    const modifier = scratch.u8('modifier', text.length);
    this.modifier = modifier;
    const flags = table.sentFlags;
    // One pass over the sentiment hits for what the word look-ups read of them: modifier characters,
    // and the starts of the judging and of the forward words (the look-ups run after this constructor).
    for (let k = 0; k < sentHits.length; k++) {
      const h = sentHits[k]!;
      const f = flags[h.role]!;
      if (f & SENT_MODIFIER) for (let i = h.start; i < h.end; i++) modifier[i] = 1;
      if (f & SENT_VALUED) this.valuedStarts.push(h.start);
      if (f & SENT_FORWARD) this.forwardStarts.push(h.start);
    }

    for (const h of ctx.topicHits) if (table.topicFlags[h.role]! & TOPIC_ACTION && st.clauseAt[h.start]! >= 0) this.purchases.push(h);
    for (let c = 0; c < nClauses; c++) this.openings.push(this.openingOf(c, ctx.opensClause));

    // Carry-over of channels and aspects inside a sentence (NONE unless something carries).
    const carriedChannels = filled(nClauses, NONE);
    const carriedAspects = filled(nClauses, NONE);
    const openAspects = filled(nClauses, NONE);
    this.carriedChannels = carriedChannels;
    this.carriedAspects = carriedAspects;
    this.openAspects = openAspects;
    for (let c = 0; c < nClauses; c++) {
      const open = this.openings[c];
      if (open?.aspect) openAspects[c] = this.aspectGroup(anchors[c]!, anchors[c]!.indexOf(open), 1);
      if (c === 0 || st.clauses[c - 1]!.sentence !== st.clauses[c]!.sentence) continue;
      const own = anchors[c]!.some((a) => a.channel !== undefined);
      const subjectOpens = open !== undefined && isProductSide(open);
      if (own || subjectOpens) continue;
      // Channels from the previous clause: its own mentions, or what it carried itself.
      // The previous clause's own channels carry on (a place of purchase only into price talk).
      let prevNamed = false;
      let carried: string[] | undefined;
      const mentions = ctx.mentions;
      for (let k = 0; k < mentions.length; k++) {
        const m = mentions[k]!;
        // Mentions come in text order, hence in clause order.
        if (m.clause >= c) break;
        if (m.clause !== c - 1 || m.comparison) continue;
        prevNamed = true;
        if ((!m.locative || dealClause[c]) && !carried?.includes(m.channel)) (carried ??= []).push(m.channel);
      }
      carriedChannels[c] = prevNamed ? (carried ?? NONE) : carriedChannels[c - 1]!;
      // Aspects carry one clause only (续航650公里，冬天只能跑400), and not past 就是/但是: the next
      // topic is usually new.
      const breaks = ctx.breaksTopic(st.clauses[c]!.start);
      if (!open && !breaks && !anchors[c]!.some((a) => a.aspect !== undefined) && openAspects[c - 1]!.length) {
        carriedAspects[c] = openAspects[c - 1]!;
      }
    }


    const hitChannels = this.hitChannels;
    const hitAspects = this.hitAspects;
    let lastValued = -1;
    for (let i = 0; i < sentHits.length; i++) {
      const h = sentHits[i]!;
      const c = st.clauseAt[h.start]!;
      if (c < 0) {
        hitChannels.push(NONE);
        hitAspects.push(NONE);
        continue;
      }
      const f = flags[h.role]!;
      // An emoticon underlines what was just said in its clause (西瓜是坏的😡).
      if (f & SENT_EMOTICON && lastValued >= 0 && st.clauseAt[sentHits[lastValued]!.start] === c) {
        hitChannels.push(hitChannels[lastValued]!);
        hitAspects.push(hitAspects[lastValued]!);
        continue;
      }
      if (f & SENT_VALUED) lastValued = i;
      if (f & SENT_FORWARD) {
        hitChannels.push(this.forwardAt(c, h.start, h.end, table.sent[h.role]!.rating === true));
        hitAspects.push(NONE);
        continue;
      }
      hitChannels.push(this.channelsOfWord(c, h.start, h.end));
      hitAspects.push(this.aspectsAt(c, h.start, h.end));
    }
  }

  /** Whether text[from, to) holds only fillers and modifiers (false when from > to). */
  private onlyFillers(from: number, to: number): boolean {
    if (from > to) return false;
    const text = this.text;
    const modifier = this.modifier;
    for (let i = from; i < to; i++) if (!modifier[i] && !FILLERS.has(text.charCodeAt(i))) return false;
    return true;
  }

  private joined(from: number, to: number): boolean {
    return JOINERS.has(this.text.slice(from, to).trim());
  }

  /** Whether a purchase word between `from` and `to` is followed by its object (旗舰店买的电饭煲…). */
  private boughtObjectBetween(from: number, to: number): boolean {
    const text = this.text;
    // A loop, not purchases.some(arrow): the arrow captured from/to, a context for every call.
    const purchases = this.purchases;
    for (let i = 0; i < purchases.length; i++) {
      const p = purchases[i]!;
      // `from`..`to` lies inside one clause, so a purchase word inside it is in that clause.
      if (p.start < from || p.end > to) continue;
      let objStart = p.end;
      if (text[p.end - 1] !== '的') {
        if (text[p.end] !== '的') continue;
        objStart = p.end + 1;
      }
      if (!this.onlyFillers(objStart, to)) return true;
    }
    return false;
  }

  private openingOf(c: number, opensClause: AttributionContext['opensClause']): Anchor | undefined {
    const list = this.anchors[c]!;
    const first = list[0];
    if (!first || !opensClause(this.text, this.st.clauses[c]!.start, first.start)) return undefined;
    // 进口牛奶的价格比以前贵: the aspect after 的 heads the noun phrase.
    const next = list[1];
    if (first.aspect === undefined && first.channel === undefined && next?.aspect !== undefined && this.text.slice(first.end, next.start) === '的') return next;
    return first;
  }

  channelsOfWord(c: number, start: number, end: number): string[] {
    const list = this.anchors[c]!;
    const text = this.text;
    // A product-side noun right before the word (车机黑屏), the word itself (新鲜), or the noun the
    // word modifies (变质的酸奶) takes it.
    const prev = lastIndexBefore(list, start);
    const after = firstFrom(list, end);
    for (let i = prev + 1; i < list.length && list[i]!.start < end; i++) if (isProductSide(list[i]!)) return NONE; // inside the word
    if (after >= 0 && isProductSide(list[after]!) && text.charCodeAt(end) === DE && list[after]!.start === end + 1) return NONE;
    // The noun right before the word heads what it judges: a product-side head takes it (车机黑屏);
    // a channel attribute (品类, 价格) leaves it to the channel further back (门店的零食品类很全).
    if (prev >= 0) {
      const head = list[prev]!;
      if (head.channel === undefined && isProductSide(head) && (head.end > start || this.onlyFillers(head.end, start))) return NONE;
    }
    for (let i = prev; i >= 0; i--) {
      const a = list[i]!;
      if (a.channel === undefined) continue;
      // 旗舰店买的电饭煲有质量问题: what was bought there is judged, not the place; and what follows
      // 吐槽/推荐 is what others said (微博上好多人吐槽会员涨价).
      if (this.boughtObjectBetween(a.end, start) || startsBetween(this.forwardStarts, a.end, start)) return NONE;
      return this.channelGroup(list, i, -1);
    }
    // 态度冷淡的销售, 辛苦外卖小哥: the channel right after the word (a few characters at most), unless it
    // has a predicate of its own (非常不满意物流倒是很快: 不满意 is not about 物流).
    if (after >= 0 && list[after]!.channel !== undefined && prev < 0 && list[after]!.start - end <= AFTER_GAP && !startsBetween(this.valuedStarts, list[after]!.end, this.st.clauses[c]!.end))
      return this.channelGroup(list, after, 1);
    for (let i = 0; i < list.length; i++) if (list[i]!.channel !== undefined) return NONE;
    return this.carriedChannels[c]!;
  }

  private aspectsAt(c: number, start: number, end: number): string[] {
    const list = this.anchors[c]!;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.aspect !== undefined && a.start < end && a.end > start) return single(a.aspect);
    }
    const prev = lastIndexBefore(list, start);
    if (prev >= 0 && list[prev]!.aspect !== undefined && this.onlyFillers(list[prev]!.end, start)) return this.aspectGroup(list, prev, -1);
    const next = firstFrom(list, end);
    if (next >= 0 && list[next]!.aspect !== undefined && onlyBlanksAndDe(this.text, end, list[next]!.start)) return this.aspectGroup(list, next, 1);
    const open = this.openings[c];
    if (open?.aspect !== undefined && open.start < start) {
      let channelBetween = false;
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        if (a.channel !== undefined && a.start > open.start && a.start < start) channelBetween = true;
      }
      if (!channelBetween) return this.openAspects[c]!;
    }
    if (!list.length) return this.carriedAspects[c]!;
    return NONE;
  }

  /** The channels joined by 和/与 to the anchor at `from`, walking in `dir`. */
  private channelGroup(list: Anchor[], from: number, dir: 1 | -1): string[] {
    const first = list[from]!;
    let out: string[] | undefined;
    let edge = first;
    for (let i = from + dir; i >= 0 && i < list.length; i += dir) {
      const a = list[i]!;
      if (a.channel === undefined || !(dir < 0 ? this.joined(a.end, edge.start) : this.joined(edge.end, a.start))) break;
      if (a.channel !== first.channel && !(out ??= [first.channel!]).includes(a.channel)) out.push(a.channel);
      edge = a;
    }
    return out ?? single(first.channel!);
  }

  /** The aspects joined by 和/与 to the anchor at `from`, walking in `dir`. */
  private aspectGroup(list: Anchor[], from: number, dir: 1 | -1): string[] {
    const first = list[from]!;
    let out: string[] | undefined;
    let edge = first;
    for (let i = from + dir; i >= 0 && i < list.length; i += dir) {
      const a = list[i]!;
      if (a.aspect === undefined || !(dir < 0 ? this.joined(a.end, edge.start) : this.joined(edge.end, a.start))) break;
      if (a.aspect !== first.aspect && !(out ??= [first.aspect!]).includes(a.aspect)) out.push(a.aspect);
      edge = a;
    }
    return out ?? single(first.aspect!);
  }

  // 吐槽/推荐 judge their object: the first noun after them in the clause, when it is a channel. A
  // rating with nothing after it rates the channel right before it (京东客服差评, 快递好评), not one
  // further back (客服告知好评给差价, 京东这么多好评).
  private forwardAt(c: number, start: number, end: number, rating: boolean): string[] {
    const list = this.anchors[c]!;
    const i = firstFrom(list, end);
    if (i < 0) {
      const prev = rating ? lastIndexBefore(list, start) : -1;
      if (prev >= 0 && list[prev]!.channel !== undefined && this.onlyFillers(list[prev]!.end, start)) return this.channelGroup(list, prev, -1);
      return this.carriedChannels[c]!;
    }
    return list[i]!.channel !== undefined ? this.channelGroup(list, i, 1) : NONE;
  }

  clauseReachesChannel(clause: number): boolean {
    if (this.carriedChannels[clause]!.length) return true;
    const list = this.anchors[clause]!;
    for (let i = 0; i < list.length; i++) if (list[i]!.channel !== undefined) return true;
    return false;
  }

  clauseAspects(clause: number): string[] {
    const own = this.anchors[clause]!.filter((a) => a.aspect !== undefined).map((a) => a.aspect!);
    return [...new Set(own.length ? own : this.carriedAspects[clause]!)];
  }
}

/** Whether `list` has a mention of `aspect` (a loop, not an arrow capturing the topic loop's
 *  anchor: that would cost a context per topic hit). */
function mentionsAspect(list: Attribution['aspectMentions'], aspect: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i]!.aspect === aspect) return true;
  return false;
}

/** Adds anchor `a` to clause `c` (a clause's first anchor replaces the shared NO_ANCHORS). */
function addAnchor(anchors: Anchor[][], c: number, a: Anchor): void {
  if (anchors[c] === NO_ANCHORS) anchors[c] = [a];
  else anchors[c]!.push(a);
}

function isProductSide(a: Anchor): boolean {
  return a.channel === undefined && !a.attribute && !a.object;
}

/** Whether text[from, to) holds only blanks and at most one 的. */
function onlyBlanksAndDe(text: string, from: number, to: number): boolean {
  const de = blanksAndDe(text, from, to);
  return de >= 0 && de <= 1;
}

/** Whether one of `starts` lies in [from, to). */
function startsBetween(starts: readonly number[], from: number, to: number): boolean {
  for (let i = 0; i < starts.length; i++) if (starts[i]! >= from && starts[i]! < to) return true;
  return false;
}

/** First anchor starting at or after `pos`, or -1. */
function firstFrom(list: Anchor[], pos: number): number {
  for (let i = 0; i < list.length; i++) if (list[i]!.start >= pos) return i;
  return -1;
}

/** Last anchor starting at or before `pos` (an anchor may overlap the word: 售后服务 / 服务态度). */
function lastIndexBefore(list: Anchor[], pos: number): number {
  let idx = -1;
  for (let i = 0; i < list.length; i++) if (list[i]!.start <= pos) idx = i;
  return idx;
}

/** Stable sort by start (insertion sort: a clause has a handful of anchors, nearly in order). */
function sortByStart(list: Anchor[]): void {
  for (let i = 1; i < list.length; i++) {
    const a = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.start > a.start) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = a;
  }
}

/** `n` copies of `value` in a packed array (`new Array(n).fill` makes a slower holey one). */
function filled<T>(n: number, value: T): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(value);
  return out;
}
