/**
 * Channel mentions, after disambiguation:
 *   - a platform/place alias right before another channel's alias only qualifies it
 *     (京东快递, 京东的物流 -> delivery; 官网客服 -> customer_service);
 *   - a weak alias (打电话) yields to a person-like channel in its sentence (打电话给快递员 -> delivery);
 *   - a channel after 比/相比 (or inside 和…比) is a comparison object: mentioned, neutral;
 *   - a channel named before a purchase verb in a clause that judges nothing (在京东买的) is the place
 *     of purchase: later clauses judging the product do not judge it (see attribution.ts).
 */
import type { Structure } from './clauses.js';
import { TOPIC_ACTION, TOPIC_COMPARISON, type ChanRole, type Hit, type TermTable } from './terms.js';

export interface Mention {
  channel: string;
  kind: ChanRole['kind'];
  start: number;
  end: number;
  clause: number;
  alias: string;
  comparison: boolean;
  locative: boolean;
  /**
   * Named as the place or means of an action (在App上点一下, 用小程序下单, 去门店买): it says where
   * something happened, not what the customer thinks of it.
   */
  framed: boolean;
}

export interface MentionContext {
  table: TermTable;
  st: Structure;
  text: string;
  chanHits: Hit[];
  topicHits: Hit[];
  qualifiers: Set<string>;
  weakSuppressedBy: Set<string>;
  /** Words allowed between 比 and the channel (比去门店). */
  comparisonGap: Set<string>;
  /** Aliases of the website that mean the marketplace when the post names one (网站). */
  platformSites: Set<string>;
}

/** Channel mentions that survive disambiguation, in text order. */
export function findMentions(ctx: MentionContext): Mention[] {
  const { table, st, text } = ctx;
  const raw: Mention[] = [];
  for (const h of ctx.chanHits) {
    const r = table.chan[h.role]!;
    if (!r.channel) continue;
    const clause = st.clauseAt[h.start]!;
    if (clause < 0) continue;
    raw.push({ channel: r.channel, kind: r.kind, start: h.start, end: h.end, clause, alias: table.chanSurface[h.role]!, comparison: false, locative: false, framed: false });
  }

  // 网站 on a platform's page is the platform.
  if (raw.some((m) => m.channel === 'marketplace' && m.kind === 'entity'))
    for (const m of raw) if (m.channel === 'website' && ctx.platformSites.has(m.alias)) m.channel = 'marketplace';

  // Qualifiers: 京东快递 / 京东的快递.
  const kept = raw.filter((m, i) => {
    const next = raw[i + 1];
    if (!next || m.kind !== 'entity' || !ctx.qualifiers.has(m.channel) || next.channel === m.channel) return true;
    const gap = text.slice(m.end, next.start);
    return !(gap === '' || gap === '的');
  });

  // Pages after another channel (App上的商品详情) belong to that channel.
  for (let i = kept.length - 1; i > 0; i--) {
    const m = kept[i]!;
    const prev = kept[i - 1]!;
    if (m.kind === 'part' && prev.channel !== m.channel && ['', '的', '上的', '里的', '上'].includes(text.slice(prev.end, m.start))) kept.splice(i, 1);
  }

  // Weak aliases.
  // A weak alias yields to a person-like channel named by an entity word in its sentence (打电话给快递员),
  // not to a process word (电话打不通，三个小时才送到 is still the hotline), and means nothing negated (不用打电话).
  const sentenceOf = (m: Mention) => st.clauses[m.clause]!.sentence;
  const negatedBefore = (m: Mention) => /(不用|无需|不必|不需要|没有|不想|没)$/.test(text.slice(Math.max(0, m.start - 3), m.start));
  const mentions = kept.filter(
    (m) =>
      m.kind !== 'weak' ||
      (!negatedBefore(m) &&
        !kept.some((o) => o !== m && sentenceOf(o) === sentenceOf(m) && o.kind === 'entity' && ctx.weakSuppressedBy.has(o.channel))),
  );

  // Comparison objects and places of purchase.
  const purchaseAt: number[] = [];
  const purchaseClause: number[] = [];
  const purchaseWords: number[] = [];
  let compPairEnd: Set<number> | undefined;
  let compAfterStart: Set<number> | undefined;
  let compBeforeEnd: Set<number> | undefined;
  const topicFlags = table.topicFlags;
  for (const h of ctx.topicHits) {
    if ((topicFlags[h.role]! & (TOPIC_ACTION | TOPIC_COMPARISON)) === 0) continue;
    const r = table.topic[h.role]!;
    const c = st.clauseAt[h.start]!;
    if (r.compBefore) (compBeforeEnd ??= new Set()).add(h.end);
    if (c < 0) continue;
    // A completed purchase (买的, 买了, 下的单) names a place; 去门店买东西 names a visit.
    if (r.action) {
      const done = text[h.end - 1] === '的' || text[h.end - 1] === '了' || text[h.end] === '的' || text[h.end] === '了';
      if (done) {
        purchaseAt.push(h.start);
        purchaseClause.push(c);
      }
      purchaseWords.push(h.start, h.end);
    }
    if (r.compPair) (compPairEnd ??= new Set()).add(h.end);
    if (r.compAfter) (compAfterStart ??= new Set()).add(h.start);
  }
  for (const m of mentions) {
    m.comparison =
      (compBeforeEnd !== undefined && isComparisonPrefix(text, m.start, compBeforeEnd, ctx.comparisonGap)) ||
      (compPairEnd !== undefined && compAfterStart !== undefined && compPairEnd.has(m.start) && compAfterStart.has(m.end));
    // 在京东买的 names where something was bought; 小程序下单特别方便 judges the channel itself.
    // An alias that is itself a purchase (网上买) is a place of purchase whatever the clause says.
    let locative = false;
    for (let k = 0; k < purchaseWords.length && !locative; k += 2) locative = purchaseWords[k]! < m.end && purchaseWords[k + 1]! > m.start;
    if (!locative && st.clauses[m.clause]!.score === 0)
      for (let k = 0; k < purchaseAt.length && !locative; k++) locative = purchaseClause[k] === m.clause && purchaseAt[k]! >= m.start;
    m.locative = locative;
    // A process word describing the goods (送来的西瓜, 退回来的货) is a participle, not the process judged.
    let framed =
      locative ||
      framedBefore(text, Math.max(st.clauses[m.clause]!.start, m.start - 6), m.start) ||
      isFrameAfter(text.charCodeAt(m.end)) ||
      (m.kind === 'activity' && text[m.end] === '的');
    for (let k = 0; k < purchaseWords.length && !framed; k += 2) framed = purchaseWords[k]! >= m.end && st.clauseAt[purchaseWords[k]!] === m.clause;
    m.framed = framed;
  }
  return mentions;
}

/** A preposition of place or means shortly before a channel (在优品汇App, 用小程序, 通过携程). */
const FRAME_ONE = new Set([...'在用从去到离上'].map((c) => c.charCodeAt(0)));
const TONG = '通'.charCodeAt(0);
const GUO = '过'.charCodeAt(0);
const FRAME_STOP = new Set([...'，。！？,.!?'].map((c) => c.charCodeAt(0)));

/**
 * `/(在|用|通过|从|去|到|离|上)[^，。！？,.!?\s]{0,4}$/.test(text.slice(from, to))` without the slice
 * and the regular expression (it runs for every mention): a preposition, then at most four
 * characters up to `to`, none of them punctuation or blank.
 */
function framedBefore(text: string, from: number, to: number): boolean {
  // The characters after the preposition must be clean: find where the clean run before `to` starts.
  let clean = to;
  while (clean > from && to - clean < 4) {
    const c = text.charCodeAt(clean - 1);
    if (FRAME_STOP.has(c) || isRegExpSpace(c)) break;
    clean--;
  }
  // A preposition ending anywhere from the start of that run to `to`.
  for (let end = Math.max(clean, from + 1); end <= to; end++) {
    const c = text.charCodeAt(end - 1);
    if (FRAME_ONE.has(c)) return true;
    if (c === GUO && end - 2 >= from && text.charCodeAt(end - 2) === TONG) return true;
  }
  return false;
}

/** `\s` of a regular expression (ECMAScript WhiteSpace and LineTerminator). */
function isRegExpSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
/** …or a place word right after it (App上显示, 网店里). */
const SHANG = '上'.charCodeAt(0);
const LI = '里'.charCodeAt(0);
const isFrameAfter = (c: number) => c === SHANG || c === LI;

/** Whether a comparison word (比, 相比) ends right before `pos`, optionally followed by a gap word (比去门店). */
function isComparisonPrefix(text: string, pos: number, compBeforeEnd: Set<number>, gaps: Set<string>): boolean {
  if (compBeforeEnd.has(pos)) return true;
  for (const g of gaps) if (compBeforeEnd.has(pos - g.length) && text.startsWith(g, pos - g.length)) return true;
  return false;
}
