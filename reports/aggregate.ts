/**
 * Turns the classified posts of a period (and of the previous period) into the report's figures,
 * in two pure steps: `tallyReport` counts (one pass per concern over the posts) and
 * `computeFigures` turns the counts into statistics (intervals, tests, rankings, quotes).
 * `aggregateReport` is the two composed. Deterministic: the same input gives the same figures byte
 * for byte (ties are broken by id), so a re-rendered report only changes when the data does.
 * Spam posts (ads, templated reviews) and near-duplicates (reposts and copies of an earlier post,
 * `post.nearDuplicateOf`) are left out of every figure and only counted in the coverage, each
 * apart (the rule is `excludedReason` in exclusion.ts).
 */
import type { BrandConfig } from '../core/config.js';
import type { CampaignConfig } from '../core/report-config.js';
import {
  BREAKPOINT_KINDS,
  type BreakpointKind,
  type ChannelId,
  type Classification,
  type OpenWordHit,
  type Polarity,
  type Post,
  type ReportSpec,
  type SentimentLabel,
  type Span,
} from '../core/types.js';
import { competitorFigures, tallyCompetitors, type CompetitorFigures, type CompetitorInput, type CompetitorTally } from './competitors.js';
import {
  aspectFigures,
  questionFigures,
  scenarioFigures,
  tallyAspects,
  tallyQuestions,
  tallyScenarios,
  type AspectFigures,
  type AspectTally,
  type QuestionFigures,
  type QuestionTally,
  type ScenarioFigure,
  type ScenarioTally,
} from './departments.js';
import { findings, type Findings } from './findings.js';
import { promiseFigures, type PromiseFigures } from './promises.js';
import { dayKeyer } from './days.js';
import { countExcluded, isAnalysed } from './exclusion.js';
import { makeQuote, quoteOrder, type Quote } from './quotes.js';
import { benjaminiHochberg, compareText, logOddsDirichlet, netSentiment, twoProportionTest, twoSidedP, wilsonInterval, type Interval } from './stats.js';
import {
  campaignFigures,
  crawlGaps,
  tallyCampaigns,
  tallyTrend,
  trendFigures,
  type CampaignFigure,
  type CampaignTally,
  type CrawlGap,
  type TrendFigures,
  type TrendTally,
} from './trend.js';

export { quoteText, QUOTE_MAX_CHARS, type Quote } from './quotes.js';

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
  /** Ids of the brand's configured targets: one with no post at all in the period is a crawl gap too. */
  targets?: readonly string[];
  /** Campaigns from the config; only the brand's, launched inside the period, are tested. */
  campaigns?: readonly CampaignConfig[];
  /** The brand's competitors (config `competitors`), with their posts when they are tracked brands. */
  competitors?: readonly CompetitorInput[];
  /**
   * When the posts were read (ISO instant; an archived report's creation time when re-rendered).
   * Days after it are not over yet: they are no crawl gap, and the cover says the period is open.
   */
  dataUntil?: string;
}

export interface SentimentCounts {
  pos: number;
  neg: number;
  mixed: number;
  neutral: number;
}

export interface PeriodFigures {
  /** Posts analysed (spam and near-duplicates excluded). */
  posts: number;
  sentiment: SentimentCounts;
  nss: Interval;
}

export interface Coverage {
  sources: string[];
  targets: string[];
  /** Classified posts of the period, spam and near-duplicates included. */
  postsClassified: number;
  postsAnalysed: number;
  /** Posts excluded as spam by the classifier: ads, templated reviews. */
  postsExcludedSpam: number;
  /** Posts excluded as near-duplicates of an earlier post (reposts, copies); spam ones count as spam only. */
  postsExcludedNearDuplicates: number;
  postsUnclassified: number;
  /** publishedAt of the first and last analysed post (ISO UTC). */
  firstPostAt: string | null;
  lastPostAt: string | null;
  /** Lexicon versions the classifications were made with. */
  lexiconVersions: string[];
  /** Local calendar days in the period. */
  days: number;
  /** Runs of at least GAP_MIN_DAYS days in which a target yielded no post (crawl or source outage). */
  gaps: CrawlGap[];
  /** When the period had not ended as the posts were read: that instant (ISO); null otherwise. */
  openUntil: string | null;
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

/** How typical a word is of one channel against the other channels (log-odds, Monroe et al. 2008). */
export interface DistinctiveStats {
  /** Uses of the word about this channel and about the other channels. */
  count: number;
  restCount: number;
  delta: number;
  z: number;
  p: number;
  /** Benjamini-Hochberg adjusted p over the channel's words. */
  q: number;
  /** Used significantly more in this channel than in the others: z > 0 and q < 0.05 (BH-corrected). */
  flagged: boolean;
}

export interface DistinctiveWord extends DistinctiveStats {
  word: string;
  promise: string;
  polarity: 'pos' | 'neg';
}

export interface ChannelDescriptors {
  channel: ChannelId;
  /** Descriptor hits attributed to the channel. */
  hits: number;
  /** Words the channel uses (tested), of which `words` shows the top ones. */
  vocabulary: number;
  /** Top words by z (at most DESCRIPTOR_TOP_N). */
  words: DistinctiveWord[];
}

/** An adjective or verb outside the lexicon, as used about one channel. */
export interface OpenWordFigure extends DistinctiveStats {
  word: string;
  pos: OpenWordHit['pos'];
  /** Said under a negator (不·冷清): counted apart from the plain word. */
  negated: boolean;
  /** The most-read post of the channel using the word (quoteOrder), quoted verbatim. */
  quote: Quote;
}

export interface ChannelOpenWords {
  channel: ChannelId;
  /** Word uses on the channel, each word counted once per post. */
  hits: number;
  /** Distinct words (a negated word is one of its own) the channel uses, all tested. */
  vocabulary: number;
  /** Top words by z (at most OPEN_WORDS_TOP_N). */
  words: OpenWordFigure[];
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
  /** 1 + the number of pairs with more posts: pairs with as many posts share a rank (1, 1, 3). */
  rank: number;
  /** Whether another pair has as many posts (the order between them is not a ranking). */
  tied: boolean;
  quotes: Quote[];
}

export interface BreakpointFigures {
  /** Channel pairs by posts; pairs with as many posts by their posts' likes, then pair id. */
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
    /** Two-sided p of that difference (two-proportion z-test on pos / (pos + neg)); null with nssPoints. */
    nssP: number | null;
  };
  channels: ChannelFigure[];
  /** NSS over all channel mentions (the reference of drag). */
  channelNss: Interval;
  /** The channel with the most negative drag, or null when no channel pulls the score down. */
  dragChannel: ChannelId | null;
  matrix: PromiseMatrix;
  descriptors: ChannelDescriptors[];
  /** Distinctive adjectives and verbs outside the lexicon, per channel (same statistics as `descriptors`). */
  openWords: ChannelOpenWords[];
  /** Verdicts per channel and promise, and how consistently each promise is kept across channels. */
  promises: PromiseFigures;
  breakpoints: BreakpointFigures;
  aspects: AspectFigures;
  scenarios: ScenarioFigure[];
  questions: QuestionFigures;
  trend: TrendFigures;
  campaigns: CampaignFigure[];
  /** Null when the brand has no competitor configured. */
  competitors: CompetitorFigures | null;
  /** Top risks and safe bets of the summary. */
  findings: Findings;
  /** True when the period has no analysed post. */
  empty: boolean;
}

export const DESCRIPTOR_TOP_N = 5;
export const OPEN_WORDS_TOP_N = 8;
export const QUOTES_PER_BREAKPOINT = 3;
/** q below which a descriptor is declared typical of its channel (false-discovery rate 5%). */
export const FDR_LEVEL = 0.05;

// ---------------------------------------------------------------------------------------------
// Tallies: counts only, one pass per concern.
// ---------------------------------------------------------------------------------------------

type PostStance = Polarity | 'mixed';
type StanceCounts = Record<PostStance, number>;

export interface CellTally {
  pos: number;
  neg: number;
  /** Best quote candidate per polarity (by quoteOrder), kept while counting. */
  best: { pos?: { item: ReportItem; evidence: Span }; neg?: { item: ReportItem; evidence: Span } };
}

export interface MatrixTally {
  /** channel -> promise -> counts. */
  cells: Map<ChannelId, Map<string, CellTally>>;
  promisesSeen: Set<string>;
  unattributedHits: number;
}

/** Posts and their local days (same index). */
export interface DatedItems {
  items: ReportItem[];
  days: string[];
}

export interface ReportTallies {
  input: AggregateInput;
  /** Analysed posts (spam and near-duplicates excluded), in input order: every figure is independent of that order. */
  current: ReportItem[];
  previous: ReportItem[];
  sentiment: { current: SentimentCounts; previous: SentimentCounts };
  channels: { current: Map<ChannelId, StanceCounts>; previous: Map<ChannelId, StanceCounts> };
  matrix: MatrixTally;
  descriptors: {
    perChannel: Map<ChannelId, Map<string, number>>;
    pooled: Map<string, number>;
    /** What each counted key stands for (see descriptorKey). */
    meaning: Map<string, { word: string; promise: string; polarity: 'pos' | 'neg' }>;
  };
  openWords: OpenWordTally;
  breakpoints: { current: Map<string, Map<ReportItem, { kinds: Set<BreakpointKind>; evidence: Span }>>; previous: Map<string, number>; posts: number };
  aspects: AspectTally;
  scenarios: ScenarioTally;
  questions: QuestionTally;
  trend: TrendTally;
  campaigns: CampaignTally[];
  competitors: CompetitorTally[] | null;
  /** publishedAt of the first and last analysed post. */
  firstPostAt: string | null;
  lastPostAt: string | null;
}

/** Step 1: counts every figure needs, from the input posts. */
export function tallyReport(input: AggregateInput): ReportTallies {
  // Each post's local day, computed once: the trend, gaps and campaign tallies all need it.
  const key = dayKeyer(input.spec.timeZone);
  const allDays = input.items.map((i) => key(i.post.publishedAt));
  const current: DatedItems = { items: [], days: [] };
  input.items.forEach((item, k) => {
    if (!isAnalysed(item)) return;
    current.items.push(item);
    current.days.push(allDays[k]!);
  });
  const previous: DatedItems = { items: [], days: [] };
  for (const item of input.previousItems) {
    if (!isAnalysed(item)) continue;
    previous.items.push(item);
    previous.days.push(key(item.post.publishedAt));
  }
  let firstPostAt: string | null = null;
  let lastPostAt: string | null = null;
  for (const item of current.items) {
    const at = item.post.publishedAt;
    if (firstPostAt === null || at < firstPostAt) firstPostAt = at;
    if (lastPostAt === null || at > lastPostAt) lastPostAt = at;
  }
  const now = current.items;
  const before = previous.items;
  return {
    input,
    current: now,
    previous: before,
    sentiment: { current: tallySentiment(now), previous: tallySentiment(before) },
    channels: { current: tallyChannels(now), previous: tallyChannels(before) },
    matrix: tallyMatrix(now),
    descriptors: tallyDescriptors(now),
    openWords: tallyOpenWords(now),
    breakpoints: tallyBreakpoints(now, before),
    aspects: tallyAspects(now, before),
    scenarios: tallyScenarios(now),
    questions: tallyQuestions(now, before),
    trend: tallyTrend(input, current, previous, allDays),
    campaigns: tallyCampaigns(input, [previous, current]),
    competitors: input.competitors?.length ? tallyCompetitors(input.competitors) : null,
    firstPostAt,
    lastPostAt,
  };
}

/** p of the NSS change between two periods: NSS is 2p - 1, so it is the test of p = pos / (pos + neg). */
function nssChangeP(current: SentimentCounts, previous: SentimentCounts): number | null {
  const test = twoProportionTest(current.pos, current.pos + current.neg, previous.pos, previous.neg + previous.pos);
  return test ? test.p : null;
}

/** Step 2: statistics, rankings and quotes from the tallies. */
export function computeFigures(t: ReportTallies): ReportFigures {
  const { input } = t;
  const currentFigures = periodFigures(t.current.length, t.sentiment.current);
  const previousFigures = periodFigures(t.previous.length, t.sentiment.previous);

  const channelStats = channelFigures(t.channels.current, t.channels.previous, t.current.length);
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
  const matrix = promiseMatrix(t.matrix, channelOrder, input.brand.promises);
  const breakpoints = breakpointFigures(t.breakpoints);
  const aspects = aspectFigures(t.aspects);
  const campaigns = campaignFigures(t.campaigns);
  const trend = trendFigures(t.trend);
  const promises = promiseFigures(matrix, t.matrix, input.brand.promises);
  const competitors = t.competitors ? competitorFigures(input.brand, currentFigures, previousFigures, t.competitors) : null;

  const excluded = countExcluded(input.items);
  const figures: Omit<ReportFigures, 'findings'> = {
    spec: input.spec,
    brand: { id: input.brand.id, name: input.brand.name },
    period: { label: input.spec.period, from: input.spec.from, to: input.spec.to, previous: input.previousRange },
    coverage: {
      sources: uniqueSorted(t.current.map((i) => i.post.source)),
      targets: uniqueSorted(t.current.map((i) => i.post.targetId)),
      postsClassified: input.items.length,
      postsAnalysed: t.current.length,
      postsExcludedSpam: excluded.spam,
      postsExcludedNearDuplicates: excluded.nearDuplicate,
      postsUnclassified: input.unclassifiedPosts ?? 0,
      firstPostAt: t.firstPostAt,
      lastPostAt: t.lastPostAt,
      lexiconVersions: uniqueSorted(input.items.map((i) => i.classification.lexiconVersion)),
      days: t.trend.days.length,
      gaps: crawlGaps(t.trend, input.targets ?? []),
      openUntil: input.dataUntil !== undefined && Date.parse(input.dataUntil) < Date.parse(input.spec.to) ? input.dataUntil : null,
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
      nssP: nssChangeP(currentFigures.sentiment, previousFigures.sentiment),
    },
    channels: channelStats,
    channelNss,
    dragChannel,
    matrix,
    descriptors: distinctiveDescriptors(t.descriptors, channelOrder),
    openWords: distinctiveOpenWords(t.openWords, channelOrder),
    promises,
    breakpoints,
    aspects,
    scenarios: scenarioFigures(t.scenarios),
    questions: questionFigures(t.questions),
    trend,
    campaigns,
    competitors,
    empty: t.current.length === 0,
  };
  return { ...figures, findings: findings(figures) };
}

/** Computes every figure of the report from the classified posts of the period and the previous one. */
export function aggregateReport(input: AggregateInput): ReportFigures {
  return computeFigures(tallyReport(input));
}

// ---------------------------------------------------------------------------------------------

function tallySentiment(items: readonly ReportItem[]): SentimentCounts {
  const sentiment: SentimentCounts = { pos: 0, neg: 0, mixed: 0, neutral: 0 };
  for (const i of items) sentiment[i.classification.sentiment.label satisfies SentimentLabel]++;
  return sentiment;
}

function periodFigures(posts: number, sentiment: SentimentCounts): PeriodFigures {
  return { posts, sentiment, nss: netSentiment(sentiment.pos, sentiment.neg) };
}

/** The stance of one post towards one channel, its mentions combined. */
export function stancesByChannel(c: Classification): Map<ChannelId, PostStance> {
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

function tallyChannels(items: readonly ReportItem[]): Map<ChannelId, StanceCounts> {
  const byChannel = new Map<ChannelId, StanceCounts>();
  const add = (channel: ChannelId, stance: PostStance) => {
    let t = byChannel.get(channel);
    if (!t) byChannel.set(channel, (t = { pos: 0, neg: 0, neutral: 0, mixed: 0 }));
    t[stance]++;
  };
  for (const i of items) {
    const mentions = i.classification.channels;
    if (mentions.length === 0) continue;
    // Most posts name one channel once: no intermediate map for them (this runs 100k times).
    if (mentions.length === 1) add(mentions[0]!.channel, mentions[0]!.polarity);
    else for (const [channel, stance] of stancesByChannel(i.classification)) add(channel, stance);
  }
  return byChannel;
}

function channelFigures(now: Map<ChannelId, StanceCounts>, before: Map<ChannelId, StanceCounts>, posts: number): ChannelFigure[] {
  const total = (t: StanceCounts) => t.pos + t.neg + t.neutral + t.mixed;
  const allMentions = [...now.values()].reduce((a, t) => a + total(t), 0);
  const figures = [...now.entries()].map(([channel, t]): ChannelFigure => {
    const prev = before.get(channel);
    return {
      channel,
      mentions: total(t),
      share: allMentions === 0 ? 0 : total(t) / allMentions,
      postShare: posts === 0 ? 0 : total(t) / posts,
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

/** The counts of a (channel, promise) cell, if it has any. */
export function cellOf(tally: MatrixTally, channel: ChannelId, promise: string): CellTally | undefined {
  return tally.cells.get(channel)?.get(promise);
}

function tallyMatrix(items: readonly ReportItem[]): MatrixTally {
  const tally: MatrixTally = { cells: new Map(), promisesSeen: new Set(), unattributedHits: 0 };
  for (const item of items) {
    // A post counts once per channel, promise and polarity: 有礼貌 and 周到 in one post are one
    // customer's view, and the intervals and tests built on these counts assume independent votes.
    // A post praising and faulting the same promise on a channel counts on both sides.
    const seen = new Set<string>();
    for (const d of item.classification.descriptors) {
      if (d.channel === null) {
        tally.unattributedHits++;
        continue;
      }
      let row = tally.cells.get(d.channel);
      if (!row) tally.cells.set(d.channel, (row = new Map()));
      let cell = row.get(d.promise);
      if (!cell) {
        row.set(d.promise, (cell = { pos: 0, neg: 0, best: {} }));
        tally.promisesSeen.add(d.promise);
      }
      const once = `${d.channel}\u0000${d.promise}\u0000${d.polarity}`;
      if (!seen.has(once)) {
        seen.add(once);
        cell[d.polarity]++;
      }
      const best = cell.best[d.polarity];
      if (!best || (best.item !== item && quoteOrder(item.post, best.item.post) < 0)) cell.best[d.polarity] = { item, evidence: d.evidence };
    }
  }
  return tally;
}

function promiseMatrix(tally: MatrixTally, channelOrder: readonly ChannelId[], brandPromises: readonly string[]): PromiseMatrix {
  // A channel can carry descriptors without being a channel mention (rare); it goes last.
  const withHits = [...tally.cells.keys()];
  const rows = [...channelOrder.filter((c) => tally.cells.has(c)), ...withHits.filter((c) => !channelOrder.includes(c)).sort(compareText)];
  const columns = [...new Set(brandPromises), ...[...tally.promisesSeen].filter((p) => !brandPromises.includes(p)).sort(compareText)];
  const cells = rows.map((channel) =>
    columns.map((promise): MatrixCell => {
      const c = cellOf(tally, channel, promise) ?? { pos: 0, neg: 0 };
      return { channel, promise, pos: c.pos, neg: c.neg, fulfilment: wilsonInterval(c.pos, c.pos + c.neg) };
    }),
  );
  return { channels: rows, promises: columns, cells, unattributedHits: tally.unattributedHits };
}

/**
 * A descriptor is counted per word, promise and polarity, once per post and channel: 效率 praised (效率很高) and 效率 negated
 * (效率太低) are different uses, and one row labelled with either polarity would misreport the other.
 */
function descriptorKey(word: string, promise: string, polarity: 'pos' | 'neg'): string {
  return `${word}\u0000${promise}\u0000${polarity}`;
}

function tallyDescriptors(items: readonly ReportItem[]): ReportTallies['descriptors'] {
  const counts: WordCounts = { perChannel: new Map(), pooled: new Map() };
  const meaning: ReportTallies['descriptors']['meaning'] = new Map();
  for (const i of items) {
    // Once per post and channel, as the open words: a post repeating 方便 is one voice, not three.
    const seen = new Set<string>();
    for (const d of i.classification.descriptors) {
      if (d.channel === null) continue;
      const key = descriptorKey(d.word, d.promise, d.polarity);
      const once = `${d.channel}\u0000${key}`;
      if (seen.has(once)) continue;
      seen.add(once);
      countWord(counts, d.channel, key);
      if (!meaning.has(key)) meaning.set(key, { word: d.word, promise: d.promise, polarity: d.polarity });
    }
  }
  return { ...counts, meaning };
}

/** Word counts per channel and pooled over the channels: the input of `distinctiveWordsPerChannel`. */
export interface WordCounts {
  perChannel: Map<ChannelId, Map<string, number>>;
  pooled: Map<string, number>;
}

/**
 * Words typical of each channel: log-odds of the channel's words vs the other channels', with an
 * informative Dirichlet prior equal to the pooled counts of the period (Monroe et al. 2008), which
 * shrinks rare words towards the overall rate; BH-corrected over the channel's words. Shared by
 * the descriptors and the open words, so both sections rest on one implementation; `describe`
 * turns a counted key and its statistics into the section's word. Channels come in
 * `channelOrder`, then any other by id; words by z, ties by key (logOddsDirichlet).
 */
function distinctiveWordsPerChannel<W>(
  counts: WordCounts,
  channelOrder: readonly ChannelId[],
  topN: number,
  describe: (key: string, stats: DistinctiveStats, channel: ChannelId) => W,
): Array<{ channel: ChannelId; hits: number; vocabulary: number; words: W[] }> {
  const { perChannel } = counts;
  const pooled = Object.fromEntries(counts.pooled);
  const order = [...channelOrder.filter((c) => perChannel.has(c)), ...[...perChannel.keys()].filter((c) => !channelOrder.includes(c)).sort(compareText)];
  return order.map((channel) => {
    const group = Object.fromEntries(perChannel.get(channel)!);
    const rest: Record<string, number> = {};
    for (const [word, n] of Object.entries(pooled)) rest[word] = n - (group[word] ?? 0);
    // Only words the channel actually uses can be typical of it.
    const results = logOddsDirichlet(group, rest, pooled).filter((r) => r.count > 0);
    const pValues = results.map((r) => twoSidedP(r.z));
    const qValues = benjaminiHochberg(pValues);
    // Only the printed words are described (an open word builds its quote there).
    const words = results.slice(0, topN).map((r, k) => {
      const q = qValues[k]!;
      const stats: DistinctiveStats = { count: r.count, restCount: r.restCount, delta: r.delta, z: r.z, p: pValues[k]!, q, flagged: r.z > 0 && q < FDR_LEVEL };
      return describe(r.word, stats, channel);
    });
    return { channel, hits: Object.values(group).reduce((a, b) => a + b, 0), vocabulary: results.length, words };
  });
}

/** Adds one use of `key` on `channel` to the counts. */
function countWord(counts: WordCounts, channel: ChannelId, key: string): void {
  let row = counts.perChannel.get(channel);
  if (!row) counts.perChannel.set(channel, (row = new Map()));
  row.set(key, (row.get(key) ?? 0) + 1);
  counts.pooled.set(key, (counts.pooled.get(key) ?? 0) + 1);
}

function distinctiveDescriptors(tally: ReportTallies['descriptors'], channelOrder: readonly ChannelId[]): ChannelDescriptors[] {
  return distinctiveWordsPerChannel(tally, channelOrder, DESCRIPTOR_TOP_N, (key, stats): DistinctiveWord => {
    const { word, promise, polarity } = tally.meaning.get(key)!;
    return { word, promise, polarity, ...stats };
  });
}

export interface OpenWordTally extends WordCounts {
  /** What each key stands for: the word, its negation, and its tag from the post with the smallest id. */
  meaning: Map<string, { postId: string; word: string; negated: boolean; pos: OpenWordHit['pos'] }>;
  /** channel -> key -> the best quote candidate (by quoteOrder), kept while counting. */
  best: Map<ChannelId, Map<string, { item: ReportItem; evidence: Span }>>;
}

/**
 * The counting key of an open word: the word, or the word and a negation mark. "\u0000" sorts
 * before every character, so keys order by word and then plain before negated.
 */
function openWordKey(word: string, negated: boolean): string {
  return negated ? `${word}\u0000not` : word;
}

/** Open words per channel, each (word, negation) counted once per post and channel. */
function tallyOpenWords(items: readonly ReportItem[]): OpenWordTally {
  const tally: OpenWordTally = { perChannel: new Map(), pooled: new Map(), meaning: new Map(), best: new Map() };
  for (const item of items) {
    // Classifications stored before open words existed carry none.
    const hits = item.classification.openWords ?? [];
    const seen = new Set<string>();
    for (const hit of hits) {
      const key = openWordKey(hit.word, hit.negated);
      const once = `${hit.channel}\u0000${key}`;
      if (seen.has(once)) continue;
      seen.add(once);
      countWord(tally, hit.channel, key);
      rememberOpenWord(tally, item, hit, key);
    }
  }
  return tally;
}

/** Keeps the meaning of the key (order-independent) and the channel's best quote for it. */
function rememberOpenWord(tally: OpenWordTally, item: ReportItem, hit: OpenWordHit, key: string): void {
  const postId = item.post.id;
  const known = tally.meaning.get(key);
  if (!known || compareText(postId, known.postId) < 0) tally.meaning.set(key, { postId, word: hit.word, negated: hit.negated, pos: hit.pos });
  let row = tally.best.get(hit.channel);
  if (!row) tally.best.set(hit.channel, (row = new Map()));
  const best = row.get(key);
  if (!best || quoteOrder(item.post, best.item.post) < 0) row.set(key, { item, evidence: hit.evidence });
}

function distinctiveOpenWords(tally: OpenWordTally, channelOrder: readonly ChannelId[]): ChannelOpenWords[] {
  return distinctiveWordsPerChannel(tally, channelOrder, OPEN_WORDS_TOP_N, (key, stats, channel): OpenWordFigure => {
    const { word, negated, pos } = tally.meaning.get(key)!;
    const best = tally.best.get(channel)!.get(key)!;
    return { word, pos, negated, ...stats, quote: makeQuote(best.item, best.evidence) };
  });
}

/** Key of a channel pair, in id order. */
export function pairKey(a: ChannelId, b: ChannelId): string {
  return compareText(a, b) <= 0 ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function tallyBreakpoints(current: readonly ReportItem[], previous: readonly ReportItem[]): ReportTallies['breakpoints'] {
  const postsByPair = new Map<string, Map<ReportItem, { kinds: Set<BreakpointKind>; evidence: Span }>>();
  for (const item of current) {
    for (const bp of item.classification.breakpoints) {
      const key = pairKey(bp.channels[0], bp.channels[1]);
      const posts = postsByPair.get(key) ?? new Map();
      const entry = posts.get(item) ?? { kinds: new Set<BreakpointKind>(), evidence: bp.evidence };
      entry.kinds.add(bp.kind);
      posts.set(item, entry);
      postsByPair.set(key, posts);
    }
  }
  const before = new Map<string, number>();
  for (const item of previous) {
    const keys = new Set(item.classification.breakpoints.map((bp) => pairKey(bp.channels[0], bp.channels[1])));
    for (const key of keys) before.set(key, (before.get(key) ?? 0) + 1);
  }
  return { current: postsByPair, previous: before, posts: current.filter((i) => i.classification.breakpoints.length > 0).length };
}

function breakpointFigures(tally: ReportTallies['breakpoints']): BreakpointFigures {
  const likes = new Map<string, number>();
  const unranked = [...tally.current.entries()].map(([key, posts]): Omit<BreakpointPair, 'rank' | 'tied'> => {
    let sum = 0;
    for (const item of posts.keys()) sum += item.post.engagement.likes ?? 0;
    likes.set(key, sum);
    const [a, b] = key.split('\u0000') as [ChannelId, ChannelId];
    const kinds = Object.fromEntries(BREAKPOINT_KINDS.map((k) => [k, 0])) as Record<BreakpointKind, number>;
    for (const { kinds: ks } of posts.values()) for (const k of ks) kinds[k]++;
    const previousCount = tally.previous.get(key) ?? 0;
    const quotes = [...posts.entries()]
      .sort(([x], [y]) => quoteOrder(x.post, y.post))
      .slice(0, QUOTES_PER_BREAKPOINT)
      .map(([item, { evidence }]) => makeQuote(item, evidence));
    return { channels: [a, b], count: posts.size, kinds, previousCount, change: posts.size - previousCount, quotes };
  });
  const likesOf = (p: { channels: [ChannelId, ChannelId] }) => likes.get(pairKey(p.channels[0], p.channels[1]))!;
  // Equal counts are a tie, not a ranking: they share a rank, and the likes of their posts only
  // decide which is printed first.
  unranked.sort((x, y) => y.count - x.count || likesOf(y) - likesOf(x) || compareText(x.channels.join('\u0000'), y.channels.join('\u0000')));
  const pairs = unranked.map((p, i, all): BreakpointPair => {
    let first = i;
    while (first > 0 && all[first - 1]!.count === p.count) first--;
    const tied = (i > 0 && all[i - 1]!.count === p.count) || (i + 1 < all.length && all[i + 1]!.count === p.count);
    return { ...p, rank: first + 1, tied };
  });
  return { pairs, posts: tally.posts };
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}
