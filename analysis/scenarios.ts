/**
 * Usage scenarios of a post (scenarios.yaml): each scenario id once, with the stance of its sentence
 * and what that sentence judges. Keywords that date a purchase, name where a parcel went, a hotel's
 * rooms, an activity the reviewer does not do or a call to a touchpoint are no usage context.
 */
import type { Polarity, ScenarioHit, Span } from '../core/types.js';
import type { Mention } from './channels.js';
import type { Structure } from './clauses.js';
import type { Judgement } from './judgement.js';
import { polarityOf } from './sentiment.js';
import { TOPIC_SCENARIO, type TermTable } from './terms.js';

/**
 * Stance toward one target from its clauses' [score, contrast weight] pairs: contrast weights
 * decide between clauses, but a target judged in one discounted clause keeps its full stance
 * (虽然价格有点贵，但是… -> price negative).
 */
export function stanceScore(parts: Array<[number, number]>): number {
  let sum = 0;
  let maxWeight = 0;
  for (const [score, weight] of parts) {
    sum += score * weight;
    if (score !== 0) maxWeight = Math.max(maxWeight, weight);
  }
  return maxWeight > 0 ? sum / maxWeight : 0;
}

export function scenarios(
  text: string,
  hits: ReturnType<TermTable['match']>['topic'],
  table: TermTable,
  st: Structure,
  clauseSums: Float64Array,
  judgements: readonly Judgement[],
  span: (s: number, e: number) => Span,
  mentions: readonly Mention[],
  /** Words that name a facility of the reviewed place, not a context (a hotel's 卫生间); asked only
   *  when the post has a scenario. */
  facilitiesOf: () => ReadonlySet<string>,
  /** Words of an order's journey (scenarios.yaml orderJourney). */
  orderJourney: readonly string[] = [],
): ScenarioHit[] {
  const out: ScenarioHit[] = [];
  const seen = new Set<string>();
  let facilities: ReadonlySet<string> | undefined;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    if ((table.topicFlags[h.role]! & TOPIC_SCENARIO) === 0) continue;
    const sc = table.topic[h.role]!.scenario;
    if (!sc || seen.has(sc.id)) continue;
    // A time right before an order verb (晚上下单, 周日下的单) dates the purchase, not a usage context.
    if (sc.type === 'time' && orderVerbAt(hits, i, h.end, table)) continue;
    const c = st.clauseAt[h.start]!;
    if (c < 0) continue;
    if ((facilities ??= facilitiesOf()).size && facilities.has(table.topicSurface[h.role]!)) continue;
    // An activity the reviewer does not do (我不玩游戏, 没玩游戏) is no context of theirs.
    if (sc.type === 'activity' && negatedBefore(text, h.start)) continue;
    // So does a time in the clause of an order or a delivery (头一天晚上拍的, 中午订货，晚上送到家, 结果
    // 晚上8点快递小哥给我送了过来): it dates the purchase's journey, not the use of what was bought.
    if (sc.id === 'night' && datesOrder(hits, mentions, c, table.topicSurface[h.role] === ATTRIBUTIVE_NIGHT ? h.end : -1, st, table)) continue;
    // ...and a night in the clause of the order's own words (昨晚下的订单, 晚上十点多了还在送快递, 结果晚上
    // 送的), where no delivery channel or order verb was named; 夜间 still names a night service.
    if (sc.id === 'night' && table.topicSurface[h.role] !== ATTRIBUTIVE_NIGHT && inClause(text, st.clauses[c]!, orderJourney)) continue;
    // A place in the clause of a delivery (送到家门口, 放到楼下小卖铺, 小区不让进) is where the parcel went,
    // not where the product is used.
    if (sc.type === 'place' && DELIVERY_PLACES.has(sc.id) && mentions.some((m) => m.clause === c && m.channel === 'delivery')) continue;
    // A call to a touchpoint (给客服打电话时一直占线) is a contact, not a use of the phone.
    if (CONTACT_SCENARIOS.has(sc.id) && mentions.some((m) => m.clause === c)) continue;
    seen.add(sc.id);
    const sent = st.sentences[st.clauses[c]!.sentence]!;
    const parts: Array<[number, number]> = [];
    for (let k = sent.firstClause; k < sent.endClause; k++) parts.push([clauseSums[k]!, st.clauses[k]!.weight]);
    const polarity = polarityOf(stanceScore(parts));
    out.push({ scenario: sc.id, type: sc.type, polarity, evidence: span(h.start, h.end), linked: linkedJudgements(judgements, st, c, polarity, span) });
  }
  return out;
}

/**
 * Whether clause `c` holds an order placed online (syntax.yaml actionVerbs other than 买/购, which may
 * be a visit to a shop: 晚上去门店买东西 is the store at night) or a delivery's process word (送到, 到货)
 * other than one right after `attributiveEnd` (夜间配送 names a night service; -1 for none).
 */
function datesOrder(hits: ReturnType<TermTable['match']>['topic'], mentions: readonly Mention[], c: number, attributiveEnd: number, st: Structure, table: TermTable): boolean {
  for (const m of mentions) if (m.clause === c && m.channel === 'delivery' && m.kind === 'activity' && m.start !== attributiveEnd) return true;
  const clause = st.clauses[c]!;
  for (const h of hits) {
    if (h.start < clause.start || h.end > clause.end || !table.topic[h.role]!.action) continue;
    if (!IN_SHOP_PURCHASE.has(table.topicSurface[h.role]!.charAt(0))) return true;
  }
  return false;
}

/** Whether the clause's text holds one of `words`. */
function inClause(text: string, clause: { start: number; end: number }, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const part = text.slice(clause.start, clause.end);
  return words.some((w) => part.includes(w));
}

/** No facility words (a post that reviews no hotel). */
export const NO_WORDS: ReadonlySet<string> = new Set();

/** A negation right before `pos` (不, 没, 没有, 不太, 不怎么, 很少, 从不). */
function negatedBefore(text: string, pos: number): boolean {
  const before = text.slice(Math.max(0, pos - 3), pos);
  return ACTIVITY_NEGATIONS.some((w) => before.endsWith(w));
}
const ACTIVITY_NEGATIONS = ['不', '没', '没有', '不太', '不常', '不会', '不再', '不怎么', '很少', '从不', '从没'];

/** Scenarios that are contacts when a touchpoint is named with them (scenarios.yaml ids). */
const CONTACT_SCENARIOS = new Set(['calls']);
/** Places a parcel is taken to (scenarios.yaml ids). */
const DELIVERY_PLACES = new Set(['neighbourhood']);
/** The night word that qualifies a service noun (夜间配送) rather than dating an event. */
const ATTRIBUTIVE_NIGHT = '夜间';
/** First characters of purchase verbs that may be a visit to a shop (买, 购买). */
const IN_SHOP_PURCHASE = new Set(['买', '购']);

/** Whether a topic hit after `hits[i]` that starts at `pos` is an order verb (syntax.yaml actionVerbs). */
function orderVerbAt(hits: ReturnType<TermTable['match']>['topic'], i: number, pos: number, table: TermTable): boolean {
  for (let k = i + 1; k < hits.length && hits[k]!.start <= pos; k++) if (hits[k]!.start === pos && table.topic[hits[k]!.role]!.action) return true;
  return false;
}

/**
 * What the sentence of clause `clause` judges with the scenario's stance (双手提着购物袋，门店的自动门
 * 却打不开 -> the store): the aspects and channels of its judging words of that sign, and the
 * strongest of them as evidence. A neutral sentence links nothing.
 */
function linkedJudgements(
  judgements: readonly Judgement[],
  st: Structure,
  clause: number,
  polarity: Polarity,
  span: (s: number, e: number) => Span,
): NonNullable<ScenarioHit['linked']> {
  const aspects: string[] = [];
  const channels: string[] = [];
  let strongest: Judgement | undefined;
  const sentence = st.clauses[clause]!.sentence;
  const sign = polarity === 'pos' ? 1 : polarity === 'neg' ? -1 : 0;
  if (sign !== 0) {
    for (const j of judgements) {
      if (st.clauses[j.clause]!.sentence !== sentence || Math.sign(j.value) !== sign) continue;
      for (const a of j.aspects) if (!aspects.includes(a)) aspects.push(a);
      for (const ch of j.channels) if (!channels.includes(ch)) channels.push(ch);
      if (!strongest || Math.abs(j.value) > Math.abs(strongest.value)) strongest = j;
    }
  }
  return { aspects, channels, evidence: strongest ? span(strongest.start, strongest.end) : null };
}
