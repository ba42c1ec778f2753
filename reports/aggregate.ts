/**
 * Turns the classified posts of a period (and of the previous period) into the report's figures.
 * Pure and deterministic: the same input gives the same figures byte for byte (ties are broken by
 * id), so a re-rendered report only changes when the data does. Spam posts are left out of
 * every figure and only counted in the coverage.
 */
import type { BrandConfig } from '../core/config.js';
import {
  BREAKPOINT_KINDS,
  type BreakpointKind,
  type ChannelId,
  type Classification,
  type Polarity,
  type Post,
  type ReportSpec,
  type SentimentLabel,
  type Span,
} from '../core/types.js';
import { benjaminiHochberg, compareText, logOddsDirichlet, netSentiment, twoSidedP, wilsonInterval, Z95, type Interval } from './stats.js';

export interface ReportItem {
  post: Post;
  classification: Classification;
}

export interface AggregateInput {
  spec: ReportSpec;
  brand: Pick<BrandConfig, 'id' | 'name' | 'promises'>;
  items: readonly ReportItem[];
  previousItems: readonly ReportItem[];
  /** The range the previous items were read from (printed on the cover). */
  previousRange: { from: string; to: string };
  /** Posts of the period stored but not classified yet (they are not in `items`). */
  unclassifiedPosts?: number;
}

export interface SentimentCounts {
  pos: number;
  neg: number;
  mixed: number;
  neutral: number;
}

export interface PeriodFigures {
  /** Posts analysed (spam excluded). */
  posts: number;
  sentiment: SentimentCounts;
  nss: Interval;
}

export interface Coverage {
  sources: string[];
  targets: string[];
  /** Classified posts of the period, spam included. */
  postsClassified: number;
  postsAnalysed: number;
  postsExcludedSpam: number;
  postsUnclassified: number;
  /** publishedAt of the first and last analysed post (ISO UTC). */
  firstPostAt: string | null;
  lastPostAt: string | null;
  /** Lexicon versions the classifications were made with. */
  lexiconVersions: string[];
}

export interface ChannelFigure {
  channel: ChannelId;
  /** Posts that mention the channel. */
  mentions: number;
  /** mentions / all channel mentions of the period (the weight used for drag). */
  share: number;
  /** mentions / posts analysed. */
  postShare: number;
  pos: number;
  neg: number;
  neutral: number;
  /** Posts that speak of the channel both positively and negatively. */
  mixed: number;
  nss: Interval;
  /** share x (NSS of the channel - NSS over all channel mentions); negative pulls the brand down. */
  drag: number | null;
  previousMentions: number;
  previousNss: Interval;
}

export interface MatrixCell {
  channel: ChannelId;
  promise: string;
  pos: number;
  neg: number;
  /** pos / (pos + neg) with its Wilson interval; estimate null when n = 0. */
  fulfilment: Interval;
}

export interface PromiseMatrix {
  /** Row order (channels with at least one descriptor hit, in channel-table order). */
  channels: ChannelId[];
  /** Column order: the brand's promises as configured, then other promises seen, by id. */
  promises: string[];
  /** cells[row][column]. */
  cells: MatrixCell[][];
  /** Descriptor hits not attributed to any channel (left out of the matrix). */
  unattributedHits: number;
}

export interface DistinctiveWord {
  word: string;
  promise: string;
  polarity: 'pos' | 'neg';
  /** Uses of the word about this channel and about the other channels. */
  count: number;
  restCount: number;
  delta: number;
  z: number;
  p: number;
  /** Benjamini-Hochberg adjusted p over the channel's words. */
  q: number;
  /** z > 1.96: the word is typical of this channel at the 5% level (before correction). */
  flagged: boolean;
}

export interface ChannelDescriptors {
  channel: ChannelId;
  /** Descriptor hits attributed to the channel. */
  hits: number;
  /** Top words by z (at most DESCRIPTOR_TOP_N). */
  words: DistinctiveWord[];
}

export interface Quote {
  postId: string;
  text: string;
  /** Language of the post (the quote is printed with it, for the right punctuation widths). */
  lang: Post['lang'];
  url: string;
  source: string;
  publishedAt: string;
  likes: number;
}

export interface BreakpointPair {
  channels: [ChannelId, ChannelId];
  /** Posts with at least one breakpoint on the pair. */
  count: number;
  /** Posts per kind (a post with two kinds counts in both). */
  kinds: Record<BreakpointKind, number>;
  /** Posts with a breakpoint on the pair in the previous period. */
  previousCount: number;
  change: number;
  quotes: Quote[];
}

export interface BreakpointFigures {
  /** Channel pairs ranked by posts, then pair id. */
  pairs: BreakpointPair[];
  /** Posts with at least one breakpoint (on any pair). */
  posts: number;
}

export interface ReportFigures {
  spec: ReportSpec;
  brand: { id: string; name: string };
  period: { label: string; from: string; to: string; previous: { from: string; to: string } };
  coverage: Coverage;
  current: PeriodFigures;
  previous: PeriodFigures;
  change: {
    posts: number;
    /** (current - previous) / previous; null when the previous period had no post. */
    postsRelative: number | null;
    /** NSS difference in points (x100); null when either NSS is undefined. */
    nssPoints: number | null;
  };
  channels: ChannelFigure[];
  /** NSS over all channel mentions (the reference of drag). */
  channelNss: Interval;
  /** The channel with the most negative drag, or null when no channel pulls the score down. */
  dragChannel: ChannelId | null;
  matrix: PromiseMatrix;
  descriptors: ChannelDescriptors[];
  breakpoints: BreakpointFigures;
  /** True when the period has no analysed post. */
  empty: boolean;
}

export const DESCRIPTOR_TOP_N = 5;
export const QUOTES_PER_BREAKPOINT = 3;
export const QUOTE_MAX_CHARS = 120;

/** Computes every figure of the report from the classified posts of the period and the previous one. */
export function aggregateReport(input: AggregateInput): ReportFigures {
  const current = input.items.filter((i) => !i.classification.spam);
  const previous = input.previousItems.filter((i) => !i.classification.spam);
  const sortedCurrent = sortItems(current);

  const currentFigures = periodFigures(current);
  const previousFigures = periodFigures(previous);

  const channelStats = channelFigures(current, previous);
  const channelNss = netSentiment(
    channelStats.reduce((a, c) => a + c.pos, 0),
    channelStats.reduce((a, c) => a + c.neg, 0),
  );
  for (const c of channelStats) {
    c.drag = c.nss.estimate === null || channelNss.estimate === null ? null : c.share * (c.nss.estimate - channelNss.estimate);
  }
  const dragChannel =
    channelStats
      .filter((c) => c.drag !== null && c.drag < 0)
      .sort((a, b) => a.drag! - b.drag! || compareText(a.channel, b.channel))[0]?.channel ?? null;

  const channelOrder = channelStats.map((c) => c.channel);
  const published = sortedCurrent.map((i) => i.post.publishedAt).sort();

  return {
    spec: input.spec,
    brand: { id: input.brand.id, name: input.brand.name },
    period: { label: input.spec.period, from: input.spec.from, to: input.spec.to, previous: input.previousRange },
    coverage: {
      sources: uniqueSorted(current.map((i) => i.post.source)),
      targets: uniqueSorted(current.map((i) => i.post.targetId)),
      postsClassified: input.items.length,
      postsAnalysed: current.length,
      postsExcludedSpam: input.items.length - current.length,
      postsUnclassified: input.unclassifiedPosts ?? 0,
      firstPostAt: published[0] ?? null,
      lastPostAt: published[published.length - 1] ?? null,
      lexiconVersions: uniqueSorted(input.items.map((i) => i.classification.lexiconVersion)),
    },
    current: currentFigures,
    previous: previousFigures,
    change: {
      posts: currentFigures.posts - previousFigures.posts,
      postsRelative: previousFigures.posts === 0 ? null : (currentFigures.posts - previousFigures.posts) / previousFigures.posts,
      nssPoints:
        currentFigures.nss.estimate === null || previousFigures.nss.estimate === null
          ? null
          : (currentFigures.nss.estimate - previousFigures.nss.estimate) * 100,
    },
    channels: channelStats,
    channelNss,
    dragChannel,
    matrix: promiseMatrix(current, channelOrder, input.brand.promises),
    descriptors: distinctiveDescriptors(current, channelOrder),
    breakpoints: breakpointFigures(sortedCurrent, previous),
    empty: current.length === 0,
  };
}

// ---------------------------------------------------------------------------------------------

function periodFigures(items: readonly ReportItem[]): PeriodFigures {
  const sentiment: SentimentCounts = { pos: 0, neg: 0, mixed: 0, neutral: 0 };
  for (const i of items) sentiment[i.classification.sentiment.label satisfies SentimentLabel]++;
  return { posts: items.length, sentiment, nss: netSentiment(sentiment.pos, sentiment.neg) };
}

/** The stance of one post towards one channel, its mentions combined. */
type PostStance = Polarity | 'mixed';

function stancesByChannel(c: Classification): Map<ChannelId, PostStance> {
  const seen = new Map<ChannelId, Set<Polarity>>();
  for (const m of c.channels) {
    const set = seen.get(m.channel) ?? new Set<Polarity>();
    set.add(m.polarity);
    seen.set(m.channel, set);
  }
  const out = new Map<ChannelId, PostStance>();
  for (const [channel, set] of seen) {
    out.set(channel, set.has('pos') && set.has('neg') ? 'mixed' : set.has('neg') ? 'neg' : set.has('pos') ? 'pos' : 'neutral');
  }
  return out;
}

function channelFigures(current: readonly ReportItem[], previous: readonly ReportItem[]): ChannelFigure[] {
  const tally = (items: readonly ReportItem[]) => {
    const byChannel = new Map<ChannelId, Record<PostStance, number>>();
    for (const i of items) {
      for (const [channel, stance] of stancesByChannel(i.classification)) {
        const t = byChannel.get(channel) ?? { pos: 0, neg: 0, neutral: 0, mixed: 0 };
        t[stance]++;
        byChannel.set(channel, t);
      }
    }
    return byChannel;
  };
  const now = tally(current);
  const before = tally(previous);
  const total = (t: Record<PostStance, number>) => t.pos + t.neg + t.neutral + t.mixed;
  const allMentions = [...now.values()].reduce((a, t) => a + total(t), 0);
  const figures = [...now.entries()].map(([channel, t]): ChannelFigure => {
    const prev = before.get(channel);
    return {
      channel,
      mentions: total(t),
      share: allMentions === 0 ? 0 : total(t) / allMentions,
      postShare: current.length === 0 ? 0 : total(t) / current.length,
      pos: t.pos,
      neg: t.neg,
      neutral: t.neutral,
      mixed: t.mixed,
      // A mixed post counts on neither side, as mixed posts do in the overall NSS.
      nss: netSentiment(t.pos, t.neg),
      drag: null,
      previousMentions: prev ? total(prev) : 0,
      previousNss: netSentiment(prev?.pos ?? 0, prev?.neg ?? 0),
    };
  });
  return figures.sort((a, b) => b.mentions - a.mentions || compareText(a.channel, b.channel));
}

function promiseMatrix(items: readonly ReportItem[], channelOrder: readonly ChannelId[], brandPromises: readonly string[]): PromiseMatrix {
  const counts = new Map<string, { pos: number; neg: number }>();
  const channelsWithHits = new Set<ChannelId>();
  const promisesSeen = new Set<string>();
  let unattributedHits = 0;
  for (const i of items) {
    for (const d of i.classification.descriptors) {
      if (d.channel === null) {
        unattributedHits++;
        continue;
      }
      const key = `${d.channel}\u0000${d.promise}`;
      const cell = counts.get(key) ?? { pos: 0, neg: 0 };
      cell[d.polarity]++;
      counts.set(key, cell);
      channelsWithHits.add(d.channel);
      promisesSeen.add(d.promise);
    }
  }
  // A channel can carry descriptors without being a channel mention (rare); it goes last.
  const rows = [
    ...channelOrder.filter((c) => channelsWithHits.has(c)),
    ...[...channelsWithHits].filter((c) => !channelOrder.includes(c)).sort(compareText),
  ];
  const columns = [...new Set(brandPromises), ...[...promisesSeen].filter((p) => !brandPromises.includes(p)).sort(compareText)];
  const cells = rows.map((channel) =>
    columns.map((promise): MatrixCell => {
      const c = counts.get(`${channel}\u0000${promise}`) ?? { pos: 0, neg: 0 };
      return { channel, promise, pos: c.pos, neg: c.neg, fulfilment: wilsonInterval(c.pos, c.pos + c.neg) };
    }),
  );
  return { channels: rows, promises: columns, cells, unattributedHits };
}

/**
 * Words typical of each channel: log-odds of the channel's descriptor words vs the other
 * channels', with an informative Dirichlet prior equal to the pooled counts of the period
 * (Monroe et al. 2008), which shrinks rare words towards the overall rate.
 */
function distinctiveDescriptors(items: readonly ReportItem[], channelOrder: readonly ChannelId[]): ChannelDescriptors[] {
  const perChannel = new Map<ChannelId, Record<string, number>>();
  const pooled: Record<string, number> = {};
  const meaning = new Map<string, { promise: string; polarity: 'pos' | 'neg' }>();
  // Items sorted by id, so the promise/polarity recorded for a word does not depend on input order.
  for (const i of sortItems(items)) {
    for (const d of i.classification.descriptors) {
      if (d.channel === null) continue;
      const counts = perChannel.get(d.channel) ?? {};
      counts[d.word] = (counts[d.word] ?? 0) + 1;
      perChannel.set(d.channel, counts);
      pooled[d.word] = (pooled[d.word] ?? 0) + 1;
      if (!meaning.has(d.word)) meaning.set(d.word, { promise: d.promise, polarity: d.polarity });
    }
  }
  const order = [...channelOrder.filter((c) => perChannel.has(c)), ...[...perChannel.keys()].filter((c) => !channelOrder.includes(c)).sort(compareText)];
  return order.map((channel) => {
    const group = perChannel.get(channel)!;
    const rest: Record<string, number> = {};
    for (const [word, n] of Object.entries(pooled)) rest[word] = n - (group[word] ?? 0);
    // Only words the channel actually uses can be typical of it.
    const results = logOddsDirichlet(group, rest, pooled).filter((r) => r.count > 0);
    const pValues = results.map((r) => twoSidedP(r.z));
    const qValues = benjaminiHochberg(pValues);
    const words = results.map(
      (r, k): DistinctiveWord => ({
        word: r.word,
        promise: meaning.get(r.word)!.promise,
        polarity: meaning.get(r.word)!.polarity,
        count: r.count,
        restCount: r.restCount,
        delta: r.delta,
        z: r.z,
        p: pValues[k]!,
        q: qValues[k]!,
        flagged: r.z > Z95,
      }),
    );
    return { channel, hits: Object.values(group).reduce((a, b) => a + b, 0), words: words.slice(0, DESCRIPTOR_TOP_N) };
  });
}

function breakpointFigures(current: readonly ReportItem[], previous: readonly ReportItem[]): BreakpointFigures {
  const pairKey = (a: ChannelId, b: ChannelId) => (compareText(a, b) <= 0 ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const postsByPair = (items: readonly ReportItem[]) => {
    const map = new Map<string, Map<ReportItem, { kinds: Set<BreakpointKind>; evidence: Span }>>();
    for (const item of items) {
      for (const bp of item.classification.breakpoints) {
        const key = pairKey(bp.channels[0], bp.channels[1]);
        const posts = map.get(key) ?? new Map();
        const entry = posts.get(item) ?? { kinds: new Set<BreakpointKind>(), evidence: bp.evidence };
        entry.kinds.add(bp.kind);
        posts.set(item, entry);
        map.set(key, posts);
      }
    }
    return map;
  };
  const now = postsByPair(current);
  const before = postsByPair(previous);
  const pairs = [...now.entries()].map(([key, posts]): BreakpointPair => {
    const [a, b] = key.split('\u0000') as [ChannelId, ChannelId];
    const kinds = Object.fromEntries(BREAKPOINT_KINDS.map((k) => [k, 0])) as Record<BreakpointKind, number>;
    for (const { kinds: ks } of posts.values()) for (const k of ks) kinds[k]++;
    const previousCount = before.get(key)?.size ?? 0;
    const quotes = [...posts.entries()]
      .sort(([x], [y]) => quoteOrder(x.post, y.post))
      .slice(0, QUOTES_PER_BREAKPOINT)
      .map(([item, { evidence }]) => ({
        postId: item.post.id,
        text: quoteText(item.post.text, evidence),
        lang: item.post.lang,
        url: item.post.url,
        source: item.post.source,
        publishedAt: item.post.publishedAt,
        likes: item.post.engagement.likes ?? 0,
      }));
    return { channels: [a, b], count: posts.size, kinds, previousCount, change: posts.size - previousCount, quotes };
  });
  pairs.sort((x, y) => y.count - x.count || compareText(x.channels.join('\u0000'), y.channels.join('\u0000')));
  return { pairs, posts: current.filter((i) => i.classification.breakpoints.length > 0).length };
}

/** Most liked first, then newest, then by id: the quote a reader is most likely to have seen. */
function quoteOrder(a: Post, b: Post): number {
  return (
    (b.engagement.likes ?? 0) - (a.engagement.likes ?? 0) || compareText(b.publishedAt, a.publishedAt) || compareText(a.id, b.id)
  );
}

const SENTENCE_END = /[。！？!?；;\n]/;

/** Whether `text[i]` ends a sentence: CJK/Latin terminators, or a full stop followed by a space. */
function endsSentence(text: string, i: number): boolean {
  const ch = text[i]!;
  return SENTENCE_END.test(ch) || (ch === '.' && (i + 1 >= text.length || /\s/.test(text[i + 1]!)));
}

/**
 * The sentence of `text` that holds the evidence span, cut to QUOTE_MAX_CHARS around the
 * evidence. When the span does not match the text (the post was edited since it was
 * classified), the start of the whole post is quoted instead.
 */
export function quoteText(text: string, evidence: Span, maxChars = QUOTE_MAX_CHARS): string {
  let start = evidence.start;
  let end = evidence.end;
  if (text.slice(start, end) !== evidence.text || start >= end) {
    const found = evidence.text ? text.indexOf(evidence.text) : -1;
    if (found < 0) return truncate(collapse(text), maxChars);
    start = found;
    end = found + evidence.text.length;
  }
  let sentenceStart = start;
  while (sentenceStart > 0 && !endsSentence(text, sentenceStart - 1)) sentenceStart--;
  let sentenceEnd = end;
  while (sentenceEnd < text.length && !endsSentence(text, sentenceEnd - 1)) sentenceEnd++;
  const sentence = text.slice(sentenceStart, sentenceEnd);
  if (sentence.length <= maxChars) return collapse(sentence);
  // Too long: a window centred on the evidence, marked with ellipses where it was cut.
  const spare = Math.max(0, maxChars - (end - start));
  let from = Math.max(sentenceStart, start - Math.floor(spare / 2));
  const to = Math.min(sentenceEnd, from + maxChars);
  from = Math.max(sentenceStart, to - maxChars);
  const window = safeSlice(text, from, to);
  return collapse(`${from > sentenceStart ? '…' : ''}${window}${to < sentenceEnd ? '…' : ''}`);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${safeSlice(text, 0, maxChars)}…`;
}

/** Slice that never splits a surrogate pair (an emoji cut in half prints as a box). */
function safeSlice(text: string, from: number, to: number): string {
  const isLow = (i: number) => i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]!);
  if (isLow(from)) from++;
  if (isLow(to)) to--;
  return text.slice(from, to);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sortItems(items: readonly ReportItem[]): ReportItem[] {
  return [...items].sort((a, b) => compareText(a.post.id, b.post.id));
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}
