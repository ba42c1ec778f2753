/**
 * Channel mentions, after disambiguation:
 *   - a platform/place alias right before another channel's alias only qualifies it
 *     (京东快递, 京东的物流 -> delivery; 官网客服 -> customer_service);
 *   - a weak alias (打电话) yields to a person-like channel in its sentence (打电话给快递员 -> delivery);
 *   - a channel after 比/相比 (or inside 和…比) is a comparison object: mentioned, neutral;
 *   - a channel named before a purchase verb in a clause that judges nothing (在京东买的) is the place
 *     of purchase: later clauses judging the product do not judge it (see attribution.ts); so is, for
 *     the verdict, a channel addressed by a wish (希望京东多进货);
 *   - the merchant (商家) is the restaurant of a food-delivery post, the online shop elsewhere, and
 *     nothing of its own next to a named platform; a hotel's restaurant or room service is no channel;
 *   - a process word counting goods (却送来一份) or following an intent (懒得退货, 申请退货) names no
 *     process the customer judges.
 */
import type { Structure } from './clauses.js';
import type { Lexicons } from './lexicons.js';
import { normaliseEntry, SENT_WISH, TOPIC_ACTION, TOPIC_COMPARISON, type ChanRole, type Hit, type TermTable } from './terms.js';
import { firstUnits, type FirstUnits } from './first-units.js';

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
  /** A process word after an intent (申请退货, 懒得退): the customer's own (planned) action; framed too. */
  intent: boolean;
  /** A process word naming the goods it brought (送来的西瓜, 退回来的货); framed too. */
  participle: boolean;
  /** Named before a purchase in its clause (快递买的, 门店下单): the place of the purchase; framed too. */
  beforePurchase: boolean;
  // (All set when the mention is made, so every mention object has one shape for V8.)
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
  /** Words between a compared channel and the comparison word (跟超市的一样). */
  comparisonTail: readonly string[];
  /** Aliases of the website that mean the marketplace when the post names one (网站). */
  platformSites: Set<string>;
  domains: ReviewDomains;
}

/** Words that tell the kind of review and what merchants and facilities are in it (channels.yaml). */
export interface ReviewDomains {
  merchants: Set<string>;
  hotelFacilities: Set<string>;
  parcelDesks: Set<string>;
  referenceStores: Set<string>;
  foodDelivery: string[];
  foodOrder: string[];
  shop: string[];
  hotel: string[];
  device: string[];
  /** Finds which of the lists above a text mentions, in one pass (see DomainWords). */
  words: DomainWords;
}

/** The review-kind words of a lexicon, normalised as the text is. */
export function reviewDomains(lex: Lexicons): ReviewDomains {
  const norm = (list: string[]) => list.map(normaliseEntry);
  const foodDelivery = norm(lex.domains.foodDelivery);
  const foodOrder = norm(lex.domains.foodOrder);
  const shop = norm(lex.domains.shop);
  const hotel = norm(lex.domains.hotel);
  const device = norm(lex.domains.device);
  const lists: Record<DomainKind, string[]> = { foodDelivery, foodOrder, shop, hotel, device };
  return {
    merchants: new Set(norm(lex.merchants)),
    hotelFacilities: new Set(norm(lex.hotelFacilities)),
    parcelDesks: new Set(norm(lex.parcelDesks)),
    referenceStores: new Set(norm(lex.referenceStores)),
    foodDelivery,
    foodOrder,
    shop,
    hotel,
    device,
    words: new DomainWords(lists),
  };
}

type DomainKind = 'foodDelivery' | 'foodOrder' | 'shop' | 'hotel' | 'device';
const DOMAIN_BIT: Readonly<Record<DomainKind, number>> = { foodDelivery: 1, foodOrder: 2, shop: 4, hotel: 8, device: 16 };

/**
 * Which review-kind lists a text mentions (a word of the list occurs anywhere in it). A post asks
 * several of them (the seller for every runaround cue, hotel facilities, the food order...): one
 * pass over the text answers all of them at the first question, instead of a full `includes` scan
 * of the text per word (about thirty per question). The answer is kept for the last text asked.
 */
export class DomainWords {
  /** Words by their first code unit, with the bits of the lists they are in. */
  private readonly byFirst = new Map<number, Array<{ word: string; bits: number }>>();
  /** Bit set of the first code units (8 KB): the scan reads it at every character of the post, right
   *  after the segmenter has filled the caches with its dictionary, and a 64 KB byte table spreads a
   *  Chinese post's characters over six times as many cache lines. */
  private readonly first = new Int32Array(2048);
  /** Lists holding an empty word: `includes('')` holds for every text. */
  private readonly always: number = 0;
  private lastText: string | undefined;
  private lastBits = 0;

  constructor(lists: Readonly<Record<DomainKind, readonly string[]>>) {
    const bitsOf = new Map<string, number>();
    for (const kind of Object.keys(lists) as DomainKind[]) for (const w of lists[kind]) bitsOf.set(w, (bitsOf.get(w) ?? 0) | DOMAIN_BIT[kind]);
    for (const [word, bits] of bitsOf) {
      if (!word.length) {
        this.always |= bits;
        continue;
      }
      const c = word.charCodeAt(0);
      this.first[c >> 5] = this.first[c >> 5]! | (1 << (c & 31));
      let list = this.byFirst.get(c);
      if (!list) this.byFirst.set(c, (list = []));
      list.push({ word, bits });
    }
  }

  /** Whether `text` holds a word of the list `kind`. */
  has(text: string, kind: DomainKind): boolean {
    if (text !== this.lastText) {
      this.lastBits = this.scan(text);
      this.lastText = text;
    }
    return (this.lastBits & DOMAIN_BIT[kind]) !== 0;
  }

  private scan(text: string): number {
    let bits = this.always;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if ((this.first[c >> 5]! & (1 << (c & 31))) === 0) continue;
      const list = this.byFirst.get(c)!;
      for (let k = 0; k < list.length; k++) if ((bits & list[k]!.bits) !== list[k]!.bits && text.startsWith(list[k]!.word, i)) bits |= list[k]!.bits;
    }
    return bits;
  }
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
    raw.push({ channel: r.channel, kind: r.kind, start: h.start, end: h.end, clause, alias: table.chanSurface[h.role]!, comparison: false, locative: false, framed: false, intent: false, participle: false, beforePurchase: false });
  }

  // 网站 on a platform's page is the platform; so is the site where a delivered order was placed
  // (网站上就不要让消费者选择11点半之前配送): the brand's own website rarely delivers.
  if (raw.some((m) => (m.channel === 'marketplace' && m.kind === 'entity') || m.channel === 'delivery'))
    for (const m of raw) if (m.channel === 'website' && ctx.platformSites.has(m.alias)) m.channel = 'marketplace';

  dropHotelFacilities(raw, text, ctx.domains);
  dropParcelDesks(raw, text, ctx.domains);
  dropDeviceSoftware(raw, text, st, ctx.domains);

  // Qualifiers: 京东快递 / 京东的快递 / 京东的送货.
  const kept = raw.filter((m, i) => !qualifies(m, raw[i + 1], text, ctx.qualifiers));
  const sellerService = sellerServiceMentions(kept, text, ctx.domains);
  resolveMerchants(kept, text, ctx.domains);
  if (sellerService) addInTextOrder(kept, sellerService);

  // A process word counting what came (却送来一份, 发来两个) tells what was sent, not how.
  for (let i = kept.length - 1; i >= 0; i--) if (kept[i]!.kind === 'activity' && kept[i]!.channel === 'delivery' && countsGoods(text, kept[i]!.end)) kept.splice(i, 1);

  // Pages after another channel (App上的商品详情) belong to that channel.
  for (let i = kept.length - 1; i > 0; i--) {
    const m = kept[i]!;
    const prev = kept[i - 1]!;
    if (m.kind === 'part' && prev.channel !== m.channel && ['', '的', '上的', '里的', '上'].includes(text.slice(prev.end, m.start))) kept.splice(i, 1);
  }

  const calls = restaurantCalls(kept, text, st, ctx.domains);
  if (calls) addInTextOrder(kept, calls);

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
      (compPairEnd !== undefined && compAfterStart !== undefined && isPairComparison(text, m, compPairEnd, compAfterStart, ctx.comparisonGap, ctx.comparisonTail));
    // 在京东买的 names where something was bought; 小程序下单特别方便 judges the channel itself.
    // An alias that is itself a purchase (网上买) is a place of purchase whatever the clause says.
    let locative = false;
    for (let k = 0; k < purchaseWords.length && !locative; k += 2) locative = purchaseWords[k]! < m.end && purchaseWords[k + 1]! > m.start;
    if (!locative && st.clauses[m.clause]!.score === 0)
      for (let k = 0; k < purchaseAt.length && !locative; k++) locative = purchaseClause[k] === m.clause && purchaseAt[k]! >= m.start;
    // 希望京东多进点货: a channel addressed by a wish is not judged there.
    if (!locative && opensWithWish(ctx.table, text, st.clauses[m.clause]!.start, m.start)) locative = true;
    m.locative = locative;
    // A process word describing the goods (送来的西瓜, 退回来的货) is a participle, not the process judged.
    m.participle = m.kind === 'activity' && text[m.end] === '的';
    let framed =
      locative ||
      framedBefore(text, Math.max(st.clauses[m.clause]!.start, m.start - 6), m.start) ||
      isFrameAfter(text.charCodeAt(m.end)) ||
      m.participle;
    for (let k = 0; k < purchaseWords.length && !framed; k += 2) framed = m.beforePurchase = purchaseWords[k]! >= m.end && st.clauseAt[purchaseWords[k]!] === m.clause;
    // 不愿意退货, 懒得退: a process the customer did not go through is not judged; nor is one the
    // customer set out on (申请退货, 要退款, 坚决退货): it is their action, judged only by words about it.
    if (!framed && m.kind === 'activity') {
      const before = text.slice(Math.max(st.clauses[m.clause]!.start, m.start - 4), m.start);
      // 就没退货了, 不退货才怪: a return the customer did not make (unlike 不给退货, the shop's refusal).
      if (INTENT.test(before) || (NOT_TAKEN_PROCESSES.has(m.alias) && NOT_TAKEN.test(before))) framed = m.intent = true;
    }
    m.framed = framed;
  }
  return mentions;
}

/**
 * Whether `m` only qualifies the channel named right after it (京东快递, 京东的送货, 京东自己的送货员).
 * Not before a weak alias (给门店打电话: the place is called, it does not qualify a hotline).
 */
function qualifies(m: Mention, next: Mention | undefined, text: string, qualifiers: Set<string>): boolean {
  if (!next || m.kind !== 'entity' || next.kind === 'weak' || !qualifiers.has(m.channel) || next.channel === m.channel) return false;
  // 系统显示的送餐人: the platform's system is the subject of a verb there, it qualifies nothing.
  if (m.alias.endsWith('显示')) return false;
  // 京东不让退: a refusal is the platform's own act, not a qualified process.
  if (NEGATION_START.has(next.alias.charCodeAt(0))) return false;
  const gap = text.slice(m.end, next.start);
  // 京东服务好送货及时: the platform's own service is judged before the delivery.
  if (gap.includes('服务')) return false;
  if (gap === '' || gap === '的') return true;
  // 京东自己的送货员, 京东在快递送货时: a platform still qualifies the delivery a few characters on,
  // unless something was bought there (京东买的快递很快 names the place of purchase), it speaks
  // (京东说找物流) or it is where something shows (App上显示配送要延迟).
  return m.channel === 'marketplace' && next.channel === 'delivery' && gap.length <= 3 && !PURCHASE_OR_BREAK.test(gap);
}

/**
 * In a hotel review the restaurant, room service and the supermarket nearby are facilities, not
 * touchpoints of the customer's journey (unless the post is about a food-delivery order).
 */
function dropHotelFacilities(mentions: Mention[], text: string, d: ReviewDomains): void {
  if (!mentions.some((m) => d.hotelFacilities.has(m.alias)) || !d.words.has(text, 'hotel') || isFoodOrder(text, d)) return;
  for (let i = mentions.length - 1; i >= 0; i--) if (d.hotelFacilities.has(mentions[i]!.alias)) mentions.splice(i, 1);
}

/**
 * In a review of an online purchase that is no hotel's, the front desk (丢在公司前台, 往前台一扔) is
 * where the courier left the parcel, not a store the customer dealt with.
 */
function dropParcelDesks(mentions: Mention[], text: string, d: ReviewDomains): void {
  if (!mentions.some((m) => d.parcelDesks.has(m.alias)) || !d.words.has(text, 'shop') || d.words.has(text, 'hotel')) return;
  for (let i = mentions.length - 1; i >= 0; i--) if (d.parcelDesks.has(mentions[i]!.alias)) mentions.splice(i, 1);
}

/**
 * In a review of a device (平板, 手机, 电脑), a bare "app" is software on it (下载的App颜色不对, app运行卡顿,
 * 打开APP就闪退), not the brand's or the shop's app, unless its clause shops with it (在APP上搜, App下单,
 * 手机客户端才*) or the customer removes it in protest (果断删除APP, 卸载APP). Named apps (官方app, 小程序,
 * 客户端, a brand's own app alias) are never software here.
 */
function dropDeviceSoftware(mentions: Mention[], text: string, st: Structure, d: ReviewDomains): void {
  if (!mentions.some((m) => GENERIC_APP.has(m.alias)) || !d.words.has(text, 'device')) return;
  for (let i = mentions.length - 1; i >= 0; i--) {
    const m = mentions[i]!;
    if (!GENERIC_APP.has(m.alias)) continue;
    const clause = st.clauses[m.clause]!;
    if (APP_SHOPPING.test(text.slice(clause.start, clause.end)) || APP_REMOVED.test(text.slice(Math.max(clause.start, m.start - 4), m.start))) continue;
    mentions.splice(i, 1);
  }
}
/** App aliases that name no particular app. */
const GENERIC_APP: ReadonlySet<string> = new Set(['app', '应用程序']);
/** Shopping, booking or service with the app in its clause. */
const APP_SHOPPING = /下单|买|购|订|预约|预定|领券|优惠券|支付|付款|搜|客服|会员|价格|价钱|便宜|贵/;
/** Removing it (删除APP, 卸载了App): a protest against the shop, whose app it is. */
const APP_REMOVED = /(卸载|删除|删掉|删了|立删|删)(了)?$/;

/**
 * The merchant (商家, 店家): the restaurant of a food-delivery post (a store), also when the post names
 * the platform it was ordered on (在美团点的饭，联系商家半天没人理: the customer deals with the
 * restaurant, which the labelled reviews tag as the store); elsewhere, on a platform the post names
 * (在京东买的…商家发错货) a seller of that platform, no touchpoint of its own, or else the online shop
 * (the marketplace alias it is listed as).
 */
function resolveMerchants(mentions: Mention[], text: string, d: ReviewDomains): void {
  if (!mentions.some((m) => d.merchants.has(m.alias))) return;
  if (d.words.has(text, 'foodDelivery') && !d.words.has(text, 'shop')) {
    for (const m of mentions) if (d.merchants.has(m.alias)) m.channel = 'store';
  } else if (mentions.some((m) => m.channel === 'marketplace' && m.kind === 'entity' && !d.merchants.has(m.alias))) {
    for (let i = mentions.length - 1; i >= 0; i--) if (d.merchants.has(mentions[i]!.alias)) mentions.splice(i, 1);
  }
}

/**
 * 店家服务态度很好, 此商家态度极其差劲: an online shop's attitude is that of the staff who answer its
 * customers, its customer service (in the labelled reviews 5 times out of 5), whether or not the post
 * names the platform the shop sells on (which makes the merchant itself no touchpoint, see
 * resolveMerchants). Not in a food-delivery post, where the merchant is the restaurant.
 */
function sellerServiceMentions(mentions: readonly Mention[], text: string, d: ReviewDomains): Mention[] | undefined {
  let out: Mention[] | undefined;
  for (const m of mentions) {
    if (!d.merchants.has(m.alias) || !SELLER_ATTITUDE.test(text.slice(m.end, m.end + 5))) continue;
    if (sellerOf(text, d) !== 'marketplace') return undefined;
    (out ??= []).push({ ...m, channel: 'customer_service', kind: 'entity' });
  }
  return out;
}
/** The attitude right after the merchant (店家态度, 商家的服务态度). */
const SELLER_ATTITUDE = /^(的)?(服务)?态度/;

/**
 * In a food-delivery post, a call that talks about the order being made (电话说是忘了我的订单,
 * 打电话那边才确认订单, 特地电话问我要发票抬头, 打电话说正在制作中) came from or went to the restaurant:
 * the labelled reviews tag the store there (6 of the 7 such reviews). A weak mention, so a courier or
 * hotline named in the sentence still takes the call (see the weak-alias rule); none inside or right
 * after another alias (客服电话, 百度外卖电话: that channel's line) or after a negation (没人给我打电话).
 */
function restaurantCalls(mentions: readonly Mention[], text: string, st: Structure, d: ReviewDomains): Mention[] | undefined {
  let out: Mention[] | undefined;
  for (let i = text.indexOf(CALL); i >= 0; i = text.indexOf(CALL, i + CALL.length)) {
    const clause = st.clauseAt[i]!;
    if (clause < 0) continue;
    // 客服电话 and 百度外卖电话 are that channel's line; 没人给我打电话 is no call.
    if (mentions.some((m) => m.start <= i && m.end >= i) || NO_CALL.test(text.slice(Math.max(st.clauses[clause]!.start, i - NO_CALL_REACH), i))) continue;
    const sentenceEnd = st.sentences[st.clauses[clause]!.sentence]!.end;
    if (!ORDER_TALK.test(text.slice(i + CALL.length, Math.min(sentenceEnd, i + CALL.length + ORDER_TALK_REACH)))) continue;
    if (sellerOf(text, d) !== 'store') return undefined;
    (out ??= []).push({ channel: 'store', kind: 'weak', start: i, end: i + CALL.length, clause, alias: CALL, comparison: false, locative: false, framed: false, intent: false, participle: false, beforePurchase: false });
  }
  return out;
}
const CALL = '电话';
/** A negation in the clause within NO_CALL_REACH characters before the call. */
const NO_CALL = /[没不未]/;
const NO_CALL_REACH = 5;
/** What the restaurant says or asks about the order on the call, within ORDER_TALK_REACH characters. */
const ORDER_TALK = /订单|制作|确认|发票|做好|没货|没有了|卖完|换菜|抱歉/;
const ORDER_TALK_REACH = 12;

/** Adds `extra` to `mentions` in place, keeping text order; a mention sharing a start goes after the one
 *  there (the customer service of 店家态度 after the merchant). breakpoints.ts insertInOrder copies instead. */
function addInTextOrder(mentions: Mention[], extra: readonly Mention[]): void {
  for (const e of extra) {
    let i = mentions.length;
    while (i > 0 && mentions[i - 1]!.start > e.start) i--;
    mentions.splice(i, 0, e);
  }
}

/** Whether the post is about a food-delivery order (channels.yaml domains.foodOrder). */
export function isFoodOrder(text: string, d: ReviewDomains): boolean {
  return d.words.has(text, 'foodOrder');
}

/** Whether the post reviews a hotel stay (channels.yaml domains.hotel). */
export function isHotelReview(text: string, d: ReviewDomains): boolean {
  return d.words.has(text, 'hotel');
}

/** The seller of a post: the restaurant (store) of a food-delivery post, the online shop (marketplace)
 *  of any other but a hotel review, which has no seller apart from the hotel it names. */
export function sellerOf(text: string, d: ReviewDomains): string | undefined {
  if (d.words.has(text, 'foodDelivery') && !d.words.has(text, 'shop')) return 'store';
  return isHotelReview(text, d) ? undefined : 'marketplace';
}

/**
 * Wish openers of each term table (希望, 建议), read once. Requests (请携程不要…) are left out: in a
 * complaint they blame the channel they address.
 */
interface WishWords {
  list: string[];
  /** First code units of the list (a clause opening with none of them opens with no wish). */
  first: FirstUnits;
}
const WISH_WORDS = new WeakMap<TermTable, WishWords>();
function wishWords(table: TermTable): WishWords {
  let wishes = WISH_WORDS.get(table);
  if (!wishes) {
    const list: string[] = [];
    for (let r = 0; r < table.sentFlags.length; r++) {
      const surface = table.sentSurface[r]!;
      if ((table.sentFlags[r]! & SENT_WISH) !== 0 && !surface.includes('请')) list.push(surface);
    }
    wishes = { list, first: firstUnits(list) };
    WISH_WORDS.set(table, wishes);
  }
  return wishes;
}
/** Subjects that may come before the wish word (我希望, 也希望). */
const WISH_SUBJECTS = ['我们', '我', '也', '还', '真心', '只'];
const WISH_SUBJECT_FIRST = new Set(WISH_SUBJECTS.map((s) => s.charCodeAt(0)));

/** Whether the clause starting at `start` opens with a wish that comes before `pos`. */
function opensWithWish(table: TermTable, text: string, start: number, pos: number): boolean {
  let i = start;
  while (i < pos && text.charCodeAt(i) === 32) i++;
  // Most clauses open with no subject word: the first unit spares the look-ups (runs for every mention).
  if (WISH_SUBJECT_FIRST.has(text.charCodeAt(i))) for (const s of WISH_SUBJECTS) if (text.startsWith(s, i)) i += s.length;
  const wishes = wishWords(table);
  if (!wishes.first.empty && wishes.first.units[text.charCodeAt(i)] !== 1) return false;
  for (const w of wishes.list) if (i + w.length <= pos && text.startsWith(w, i)) return true;
  return false;
}

const NUMERALS = new Set([...'一两二三四五六七八九十几半0123456789'].map((c) => c.charCodeAt(0)));
/** Measure words of goods (not of time: 送了7天 is the delivery itself). */
const GOODS_MEASURES = new Set([...'份个瓶盒袋杯碗箱件只包块条'].map((c) => c.charCodeAt(0)));
/** Whether a number and a measure word of goods follow `pos` (送来一份, 送来了两个). */
function countsGoods(text: string, pos: number): boolean {
  // 送来的是南瓜粥, 送来的只有三块, 送来的却是豆浆: what was brought, not how.
  if (text.charCodeAt(pos) === DE_UNIT && GOODS_AFTER.some((w) => text.startsWith(w, pos))) return true;
  let i = pos;
  if (text[i] === '了') i++;
  if (!NUMERALS.has(text.charCodeAt(i))) return false;
  while (NUMERALS.has(text.charCodeAt(i))) i++;
  // 个 also counts time (送餐3个小时).
  return GOODS_MEASURES.has(text.charCodeAt(i)) && !TIME_AFTER_MEASURE.has(text.charCodeAt(i + 1));
}
/** What follows a process word when it names the goods brought (送来的是…); all open with 的. */
const GOODS_AFTER = ['的是', '的却是', '的居然是', '的竟然是', '的只有', '的确实', '的东西是'];
const DE_UNIT = '的'.charCodeAt(0);
const TIME_AFTER_MEASURE = new Set([...'小钟月星礼多半'].map((c) => c.charCodeAt(0)));

/** A purchase, speech, a place or a break in a gap between a platform and the delivery it may qualify. */
const PURCHASE_OR_BREAK = /[买购订单说上里，。！？,.!?\s]/;
const NEGATION_START = new Set([...'不没'].map((c) => c.charCodeAt(0)));
/** An intent right before a process word, not acted on (不愿意退货, 懒得去退) or the customer's own
 *  pursuit (申请退货, 要退款, 坚决退货). Compiled once. */
const INTENT = /(不想|不愿|不愿意|懒得|不打算|没打算|申请|要|想|很想|坚决|果断|提交|准备|打算|想要|决定|只能|只好|必须|肯定|一定|肯定会|一定会)(了|去)?$/;
/** Processes the customer makes (a return, an exchange): 没退货 and 不退货 mean the customer kept the
 *  goods. Not refunds or repairs, which the shop makes (没退款, 不保修 are the shop failing), and not
 *  after 概/拒/绝 (概不退货, 拒不退换: the shop's refusal). */
const NOT_TAKEN_PROCESSES: ReadonlySet<string> = new Set(['退货', '换货', '退换', '退换货']);
const NOT_TAKEN = /(?<![概拒绝])(没有?|不)$/;

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
    if (FRAME_ONE.has(c) && !contactsBetween(text, end, to)) return true;
    if (c === GUO && end - 2 >= from && text.charCodeAt(end - 2) === TONG) return true;
  }
  return false;
}

/**
 * Whether a verb of contacting someone (找, 问, 联系, 咨询) stands between a preposition and the channel
 * (去找客服, 在问客服时): the channel is then the one addressed, not a place or means.
 */
function contactsBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (CONTACT.has(text.charCodeAt(i))) return true;
  return false;
}
const CONTACT = new Set([...'找问联咨'].map((c) => c.charCodeAt(0)));

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

/**
 * Whether `m` sits between a pair word and a comparison word (和实体店比, 跟超市的一样, 跟我在专卖店买的差不多):
 * 我/我们 and a gap word may come between the pair word and the channel, a tail word (的, 买的) after it.
 */
function isPairComparison(text: string, m: Mention, pairEnd: Set<number>, afterStart: Set<number>, gaps: Set<string>, tails: readonly string[]): boolean {
  let after = afterStart.has(m.end);
  for (let i = 0; i < tails.length && !after; i++) after = text.startsWith(tails[i]!, m.end) && afterStart.has(m.end + tails[i]!.length);
  if (!after) return false;
  if (pairBefore(text, m.start, pairEnd)) return true;
  for (const g of gaps) if (text.startsWith(g, m.start - g.length) && pairBefore(text, m.start - g.length, pairEnd)) return true;
  return false;
}

/** Whether a pair word ends at `pos`, or right before 我/我们 there (跟我在…). */
function pairBefore(text: string, pos: number, pairEnd: Set<number>): boolean {
  for (const who of PAIR_SUBJECTS) if (text.startsWith(who, pos - who.length) && pairEnd.has(pos - who.length)) return true;
  return false;
}

/** Who may stand between a pair word and the compared channel (跟我在专卖店买的…). */
const PAIR_SUBJECTS = ['', '我', '我们'];

/** Whether a comparison word (比, 相比) ends right before `pos`, optionally followed by a gap word (比去门店). */
function isComparisonPrefix(text: string, pos: number, compBeforeEnd: Set<number>, gaps: Set<string>): boolean {
  if (compBeforeEnd.has(pos)) return true;
  for (const g of gaps) if (compBeforeEnd.has(pos - g.length) && text.startsWith(g, pos - g.length)) return true;
  return false;
}
