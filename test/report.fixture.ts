/**
 * A synthetic brand and two periods of hand-classified posts whose figures are worked out by
 * hand below, so the report tests can assert exact values.
 *
 * Current period (2026-10, Asia/Shanghai): 40 posts, p37-p40 spam -> 36 analysed.
 *   sentiment: pos 14 (p01-p10, p31-p34), neg 12 (p11-p22), mixed 4 (p23-p26), neutral 6 (p27-p30, p35-p36)
 *   NSS = (14 - 12) / 26 = +0.076923
 *   channel stances per post:
 *     website           p01-p10 pos, p17-p20 neg                    -> 14 mentions, pos 10 neg 4, NSS +0.428571
 *     store             p11-p16 neg, p23-p26 pos                    -> 10 mentions, pos 4 neg 6,  NSS -0.2
 *     customer_service  p17-p20 neg, p22 neg, p21 pos+neg (mixed), p27 neutral
 *                                                                   ->  7 mentions, neg 5 mixed 1 neutral 1, NSS -1
 *     delivery          p23-p26 neg                                 ->  4 mentions, neg 4, NSS -1
 *     app               p27-p30 neutral                             ->  4 mentions, NSS undefined
 *   all channel mentions 39; pos 14, neg 19 -> channel NSS = -5/33 = -0.151515
 *   drag = share x (NSS_c - NSS_all):
 *     website  14/39 x (0.428571 + 0.151515) = +0.208236
 *     store    10/39 x (-0.2 + 0.151515)     = -0.012432
 *     cs        7/39 x (-1 + 0.151515)       = -0.152292   <- drags most
 *     delivery  4/39 x (-1 + 0.151515)       = -0.087024
 *   descriptor hits (channel-attributed, 33): website 方便x10 高效x3 (convenience +), 混乱x2 (transparency -);
 *     store 排队x6 (convenience -), 热情x2 (premium_service +); customer_service 敷衍x6 (premium_service -);
 *     delivery 慢x4 (convenience -); unattributed 高端x1 (p31).
 *   breakpoints: customer_service|website p17-p20 (inconsistency x4, handoff also on p20),
 *     delivery|store p23-p25 (handoff), app|customer_service p27 (runaround); spam p37 has one too.
 * Previous period (2026-09): 11 posts, q11 spam -> 10 analysed: neg 5, pos 3, neutral 2 -> NSS -0.25;
 *   breakpoints customer_service|website q01, delivery|store q02-q06.
 *
 * Departments (current, spam excluded):
 *   aspects: price p01-p08 praise, p11-p14 complaint (12 posts, 8 / 4); packaging p09-p10 praise,
 *     p23-p26 complaint (6, 2 / 4); quality p31-p34 praise, p35 complaint (5, 4 / 1); promotion
 *     p28-p30 neutral (3). 26 posts with an aspect. Pooled shares: praise 14/26, complaint 9/26 ->
 *     price and quality are safe bets, packaging a hotspot, promotion too small (< 5 posts).
 *     Previous: price q07-q08 praise.
 *   scenarios: weekend p01-p02 pos, p11-p14 neg (pain points: price 4, store 4; quote p14);
 *     with_kids p23-p24 neg (pain points: packaging 2, delivery 2; quote p23).
 *   questions: 会员卡 p15 p16 p18 p21 p32, promotion p28 p29 -> 7 questions; previous 会员卡 q09 q10.
 *   campaign 会员日 on 2026-10-15 (features 会员卡): window Oct 15-21 has 4 questions and 4
 *     complaints (p15 p16 p18 p21, all negative), the 28-day baseline Sep 17 - Oct 14 has 2
 *     questions (q09 q10, neutral) and no complaint.
 *   trend: p31-p36 all on Oct 26 (6 posts against a baseline of 13 posts in Oct 12-25): the one spike.
 */
import type { BrandConfig } from '../core/config.js';
import type { BreakpointKind, ChannelMention, Classification, DescriptorHit, Polarity, Post, SentimentLabel } from '../core/types.js';
import type { ReportItem } from '../reports/aggregate.js';
import type { ReportRequest } from '../reports/generate.js';
import { labelsFromTables, DEFAULT_CHANNEL_LABELS, DEFAULT_PROMISE_LABELS, type Labels } from '../reports/labels.js';

export const BRAND: BrandConfig = {
  id: 'acme',
  name: '艾克美 Acme',
  aliases: [],
  competitors: [],
  promises: ['convenience', 'premium_service', 'reliable_quality'],
  aspectTaxonomy: 'retail',
  products: [],
};

export const ZONE = 'Asia/Shanghai';
/** 2026-10 in Asia/Shanghai and the month before. */
export const OCTOBER = { from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' };
export const SEPTEMBER = { from: '2026-08-31T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' };

export function spec(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return { brand: 'acme', period: '2026-10', ...OCTOBER, timeZone: ZONE, locale: 'zh-CN', formats: ['html', 'pdf'], ...overrides };
}

/** The small fixed Labels the tests use (default tables, plus a transparency label). */
export const LABELS: Labels = labelsFromTables({
  channels: DEFAULT_CHANNEL_LABELS,
  promises: { ...DEFAULT_PROMISE_LABELS },
  aspects: {
    price: { 'zh-CN': '价格', en: 'Price' },
    packaging: { 'zh-CN': '包装', en: 'Packaging' },
    quality: { 'zh-CN': '质量', en: 'Quality' },
    promotion: { 'zh-CN': '促销', en: 'Promotions' },
  },
  scenarios: {
    weekend: { 'zh-CN': '周末', en: 'Weekend' },
    with_kids: { 'zh-CN': '带孩子', en: 'With children' },
  },
});

/** The campaign of the fixture: launched on 2026-10-15, promoting the membership card. */
export const CAMPAIGN = { brand: 'acme', name: '会员日', date: '2026-10-15', features: ['会员卡'] };

interface PostSpec {
  n: string;
  /** ISO UTC publishedAt. */
  at: string;
  text: string;
  likes?: number;
  source?: string;
  url?: string;
  sentiment: SentimentLabel;
  channels?: ReadonlyArray<readonly [string, Polarity, string]>;
  descriptors?: ReadonlyArray<readonly [string, string, 'pos' | 'neg', string | null]>;
  breakpoints?: ReadonlyArray<readonly [string, string, BreakpointKind, string]>;
  /** [aspect, polarity, evidence needle] */
  aspects?: ReadonlyArray<readonly [string, Polarity, string]>;
  /** [scenario, type, polarity, evidence needle] */
  scenarios?: ReadonlyArray<readonly [string, string, Polarity, string]>;
  /** Topics of a genuine question. */
  question?: string[];
  spam?: boolean;
}

function span(text: string, needle: string) {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`fixture: "${needle}" not in "${text}"`);
  return { start, end: start + needle.length, text: needle };
}

export function item(s: PostSpec): ReportItem {
  const source = s.source ?? 'demo-forum';
  const post: Post = {
    id: `${source}:${s.n}`,
    source,
    externalId: s.n,
    url: s.url ?? `https://forum.example.com/t/${s.n}`,
    text: s.text,
    lang: 'zh',
    publishedAt: s.at,
    collectedAt: '2026-11-01T00:00:00.000Z',
    engagement: s.likes === undefined ? {} : { likes: s.likes },
    contentHash: `hash-${s.n}`,
    targetId: source === 'weibo' ? 'acme-weibo' : 'acme-forum',
    brand: 'acme',
  };
  const channels: ChannelMention[] = (s.channels ?? []).map(([channel, polarity, alias]) => ({
    channel,
    polarity,
    alias,
    evidence: span(s.text, alias),
  }));
  const descriptors: DescriptorHit[] = (s.descriptors ?? []).map(([word, promise, polarity, channel]) => ({
    word,
    promise,
    polarity,
    channel,
    evidence: span(s.text, word),
  }));
  const classification: Classification = {
    postId: post.id,
    brand: 'acme',
    lang: 'zh',
    channels,
    descriptors,
    sentiment: { label: s.sentiment, score: s.sentiment === 'pos' ? 0.8 : s.sentiment === 'neg' ? -0.8 : 0 },
    aspects: (s.aspects ?? []).map(([aspect, polarity, needle]) => ({ aspect, polarity, evidence: span(s.text, needle) })),
    scenarios: (s.scenarios ?? []).map(([scenario, type, polarity, needle]) => ({ scenario, type, polarity, evidence: span(s.text, needle) })),
    question: { isQuestion: s.question !== undefined, about: s.question ?? [] },
    breakpoints: (s.breakpoints ?? []).map(([a, b, kind, cue]) => ({
      channels: (a < b ? [a, b] : [b, a]) as [string, string],
      kind,
      cue: `cue-${kind}`,
      evidence: span(s.text, cue),
    })),
    spam: s.spam ?? false,
    lexiconVersion: 'lex-test-1',
  };
  return { post, classification };
}

const oct = (day: number, hour = 4) => `2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const sep = (day: number) => `2026-09-${String(day).padStart(2, '0')}T04:00:00.000Z`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const id = (prefix: string, k: number) => `${prefix}${String(k).padStart(2, '0')}`;

/** The 40 posts of October (4 spam). */
export function currentItems(): ReportItem[] {
  const items: PostSpec[] = [];
  for (const k of range(1, 10)) {
    items.push({
      n: id('p', k),
      at: oct(k),
      text:
        (k <= 3 ? `官网下单很方便，页面高效清爽。第${k}次购买。` : `官网下单很方便。第${k}次购买。`) +
        (k <= 8 ? '价格实惠。' : '包装精美。') +
        (k <= 2 ? '周末下单也快。' : ''),
      sentiment: 'pos',
      source: k % 2 === 0 ? 'weibo' : 'demo-forum',
      channels: [['website', 'pos', '官网']],
      descriptors: [['方便', 'convenience', 'pos', 'website'], ...(k <= 3 ? ([['高效', 'convenience', 'pos', 'website']] as const) : [])],
      aspects: k <= 8 ? [['price', 'pos', '价格']] : [['packaging', 'pos', '包装']],
      scenarios: k <= 2 ? [['weekend', 'time', 'pos', '周末']] : [],
    });
  }
  for (const k of range(11, 16)) {
    items.push({
      n: id('p', k),
      at: oct(k),
      text: `门店排队太久了，等了一个小时。编号${k}。` + (k <= 14 ? '周末去的，价格也贵。' : '会员卡怎么办理？'),
      sentiment: 'neg',
      channels: [['store', 'neg', '门店']],
      descriptors: [['排队', 'convenience', 'neg', 'store']],
      ...(k <= 14
        ? { aspects: [['price', 'neg', '价格']] as Array<[string, Polarity, string]>, scenarios: [['weekend', 'time', 'neg', '周末']] as Array<[string, string, Polarity, string]> }
        : { question: ['会员卡'] }),
    });
  }
  const csTexts: Record<number, string> = {
    17: '官网写着七天无理由退货。客服却说活动商品不能退，说法完全不一致。态度也很敷衍，信息混乱。',
    18: '我在官网看到的价格是199元。客服却说那是旧价格，两边说法不一致！回复敷衍，页面混乱。会员卡怎么用？',
    19: '官网承诺24小时发货。客服却说要等一周，前后不一致。处理很敷衍。',
    20: '官网让我找客服。客服却说要回官网提交，来回转交不一致。回答敷衍。',
  };
  for (const k of range(17, 20)) {
    items.push({
      n: id('p', k),
      at: k === 19 ? oct(20) : oct(k === 17 ? 5 : k),
      likes: { 17: 5, 18: 12, 19: 5, 20: 0 }[k],
      text: csTexts[k]!,
      sentiment: 'neg',
      channels: [
        ['website', 'neg', '官网'],
        ['customer_service', 'neg', '客服'],
      ],
      descriptors: [
        ['敷衍', 'premium_service', 'neg', 'customer_service'],
        ...(k <= 18 ? ([['混乱', 'transparency', 'neg', 'website']] as const) : []),
      ],
      breakpoints: [
        ['customer_service', 'website', 'inconsistency', '不一致'],
        ...(k === 20 ? ([['website', 'customer_service', 'handoff', '转交']] as const) : []),
      ],
      ...(k === 18 ? { question: ['会员卡'] } : {}),
    });
  }
  items.push({
    n: 'p21',
    at: oct(21),
    text: '客服小王很耐心，但另一个客服很敷衍。会员卡积分去哪查？',
    sentiment: 'neg',
    question: ['会员卡'],
    channels: [
      ['customer_service', 'pos', '客服小王'],
      ['customer_service', 'neg', '另一个客服'],
    ],
    descriptors: [['敷衍', 'premium_service', 'neg', 'customer_service']],
  });
  items.push({
    n: 'p22',
    at: oct(22),
    text: '打了三次客服电话，回答都很敷衍。',
    sentiment: 'neg',
    channels: [['customer_service', 'neg', '客服']],
    descriptors: [['敷衍', 'premium_service', 'neg', 'customer_service']],
  });
  for (const k of range(23, 26)) {
    items.push({
      n: id('p', k),
      // p23 and p24 share a time (tie broken by id); p25 is the newest.
      at: k === 25 ? oct(28) : oct(23),
      text: `门店店员很热情。但是物流太慢，门店说已交给快递，快递说没收到货，交接出了问题。单号${k}。${k <= 24 ? '带孩子等了三天，' : ''}包装也破了。`,
      sentiment: 'mixed',
      aspects: [['packaging', 'neg', '包装']],
      scenarios: k <= 24 ? [['with_kids', 'companion', 'neg', '带孩子']] : [],
      channels: [
        ['store', 'pos', '门店'],
        ['delivery', 'neg', '物流'],
      ],
      descriptors: [
        ['慢', 'convenience', 'neg', 'delivery'],
        ...(k <= 24 ? ([['热情', 'premium_service', 'pos', 'store']] as const) : []),
      ],
      breakpoints: k <= 25 ? [['store', 'delivery', 'handoff', '交接出了问题']] : [],
    });
  }
  for (const k of range(27, 30)) {
    items.push({
      n: id('p', k),
      at: oct(k),
      text: k === 27 ? 'App 里提示联系客服，客服又让我去 App 里自助处理，被踢来踢去。' : `App 更新了新版本。版本${k}。活动规则看不懂？`,
      sentiment: 'neutral',
      aspects: k === 27 ? [] : [['promotion', 'neutral', '活动']],
      ...(k === 28 || k === 29 ? { question: ['promotion'] } : {}),
      channels: k === 27 ? [['app', 'neutral', 'App'], ['customer_service', 'neutral', '客服']] : [['app', 'neutral', 'App']],
      breakpoints: k === 27 ? [['app', 'customer_service', 'runaround', '踢来踢去']] : [],
    });
  }
  for (const k of range(31, 36)) {
    items.push({
      n: id('p', k),
      // All on Oct 26: the volume spike of the month.
      at: oct(26),
      text: (k === 31 ? '这个品牌看起来很高端。' : `整体体验记录${k}。`) + (k <= 34 ? '质量不错。' : k === 35 ? '质量一般。' : '') + (k === 32 ? '会员卡能退吗？' : ''),
      sentiment: k <= 34 ? 'pos' : 'neutral',
      descriptors: k === 31 ? [['高端', 'premium_service', 'pos', null]] : [],
      aspects: k <= 34 ? [['quality', 'pos', '质量']] : k === 35 ? [['quality', 'neg', '质量']] : [],
      ...(k === 32 ? { question: ['会员卡'] } : {}),
    });
  }
  for (const k of range(37, 40)) {
    items.push({
      n: id('p', k),
      at: oct(30),
      likes: 999,
      text: '官网下单超方便！客服却说不一致？加微信领券。',
      sentiment: 'pos',
      channels: [['website', 'pos', '官网']],
      descriptors: [['方便', 'convenience', 'pos', 'website']],
      breakpoints: k === 37 ? [['customer_service', 'website', 'inconsistency', '不一致']] : [],
      aspects: [['price', 'pos', '领券']],
      question: ['会员卡'],
      spam: true,
    });
  }
  return items.map(item);
}

/** The 11 posts of September (1 spam). */
export function previousItems(): ReportItem[] {
  const items: PostSpec[] = [];
  items.push({
    n: 'q01',
    at: sep(3),
    text: '官网和客服说法不一致。',
    sentiment: 'neg',
    channels: [
      ['website', 'neg', '官网'],
      ['customer_service', 'neg', '客服'],
    ],
    breakpoints: [['website', 'customer_service', 'inconsistency', '不一致']],
  });
  for (const k of range(2, 6)) {
    items.push({
      n: id('q', k),
      at: sep(k + 3),
      text: `门店说已发货，物流说没收到，交接出了问题。${k}`,
      sentiment: k <= 5 ? 'neg' : 'pos',
      channels: [
        ['store', 'neg', '门店'],
        ['delivery', 'neg', '物流'],
      ],
      breakpoints: [['delivery', 'store', 'handoff', '交接出了问题']],
    });
  }
  for (const k of range(7, 8))
    items.push({ n: id('q', k), at: sep(k + 10), text: `不错${k}，价格实惠。`, sentiment: 'pos', aspects: [['price', 'pos', '价格']] });
  for (const k of range(9, 10)) items.push({ n: id('q', k), at: sep(k + 10), text: `一般${k}。会员卡怎么办？`, sentiment: 'neutral', question: ['会员卡'] });
  items.push({ n: 'q11', at: sep(25), text: '广告', sentiment: 'pos', spam: true });
  return items.map(item);
}

/** The competitor as a brand of the config (so it is tracked). */
export const GLOBEX: BrandConfig = {
  id: 'globex',
  name: '环球 Globex',
  aliases: ['Globex'],
  competitors: [],
  promises: [],
  aspectTaxonomy: 'retail',
  products: [],
};

/**
 * A tracked competitor (环球 Globex): 14 posts in October (pos 9, neg 3, neutral 2, plus 1 spam
 * that is ignored) and 10 in September. With the brand's 36 and 10 posts: share of voice 36/50 now
 * and 10/20 before.
 */
export function competitorItems(): { items: ReportItem[]; previousItems: ReportItem[] } {
  const g = (n: string, at: string, sentiment: SentimentLabel, spam = false): ReportItem => {
    const i = item({ n, at, text: `环球超市的体验${n}。`, sentiment, source: 'globex-forum', spam });
    return { post: { ...i.post, brand: 'globex', targetId: 'globex-forum' }, classification: { ...i.classification, brand: 'globex' } };
  };
  const items = range(1, 14).map((k) => g(id('g', k), oct(k), k <= 9 ? 'pos' : k <= 12 ? 'neg' : 'neutral'));
  items.push(g('g15', oct(15), 'neg', true));
  const previousItems = range(1, 10).map((k) => g(id('h', k), sep(k), 'pos'));
  return { items, previousItems };
}
