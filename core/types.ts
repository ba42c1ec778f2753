/**
 * The domain types of voc, in one module. Every stage (crawlers -> store -> analysis -> reports)
 * speaks these shapes and nothing else, so a stage can be swapped (embedded store vs MongoDB,
 * in-process runner vs BullMQ) without touching the others.
 *
 * All instants are ISO-8601 strings in UTC (`2026-10-03T08:15:00.000Z`); time zones only matter
 * when a period is cut or a date is printed, and then the IANA zone is explicit.
 */

/** Channel ids of the default taxonomy; a brand's config may add more, hence `string`. */
export const DEFAULT_CHANNELS = [
  'website',
  'app',
  'marketplace',
  'store',
  'customer_service',
  'delivery',
  'after_sales',
  'social_media',
] as const;
export type DefaultChannel = (typeof DEFAULT_CHANNELS)[number];
export type ChannelId = string;

export type Polarity = 'pos' | 'neg' | 'neutral';
export type SentimentLabel = 'pos' | 'neg' | 'mixed' | 'neutral';
export type Lang = 'zh' | 'en' | 'other';
export type Locale = 'zh-CN' | 'en';

export const BREAKPOINT_KINDS = ['inconsistency', 'handoff', 'runaround'] as const;
export type BreakpointKind = (typeof BREAKPOINT_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Targets: what to crawl and how to extract posts from it.
// ---------------------------------------------------------------------------------------------

/**
 * CSS selectors (cheerio) that turn a listing page into posts. `item` selects one element per
 * post; the other selectors are evaluated inside that element. A selector may end in `@attr`
 * to read an attribute instead of the text (`a.permalink@href`, `time@datetime`).
 */
export interface SelectorSpec {
  item: string;
  text: string;
  /** Stable id of the post on its source; defaults to the canonical link, then a content hash. */
  id?: string;
  author?: string;
  time?: string;
  /** How to read `time`: `iso` (default; also accepts `YYYY-MM-DD HH:mm`), or `unix` / `unix_ms`. */
  timeFormat?: 'iso' | 'unix' | 'unix_ms';
  link?: string;
  rating?: string;
  likes?: string;
  replies?: string;
  /** Selector of the "next page" link on the listing page (evaluated on the whole page). */
  nextPage?: string;
}

export type TargetKind = 'html';

export interface Target {
  /** Short unique id, `[a-z0-9][a-z0-9_-]*`. */
  id: string;
  kind: TargetKind;
  /** First listing page. */
  url: string;
  /** Brand id (from config) the posts of this target are about. */
  brand: string;
  /** Source name stored on each post (`demo-forum`, `reddit`...); part of the unique key. */
  source: string;
  selectors: SelectorSpec;
  /** Page cap per crawl. */
  maxPages: number;
  /** Minimum delay between two requests to the same host, ms (robots.txt Crawl-delay wins if larger). */
  delayMs: number;
  /** Allow loopback/private addresses for this target (tests, demo, intranet sources). */
  allowPrivate: boolean;
  /** IANA zone used to read page times that carry no offset. */
  timeZone: string;
  /** Cron pattern for scheduled crawls (optional). */
  schedule?: string;
}

// ---------------------------------------------------------------------------------------------
// Posts: one common shape for every source.
// ---------------------------------------------------------------------------------------------

export interface Engagement {
  likes?: number;
  replies?: number;
  shares?: number;
  /** Star rating as printed by the source (1-5 usually). */
  rating?: number;
}

export interface Post {
  /** `${source}:${externalId}`, the unique key. */
  id: string;
  source: string;
  externalId: string;
  url: string;
  threadId?: string;
  parentId?: string;
  /** Keyed HMAC of the author handle; never the handle itself. */
  authorHash?: string;
  text: string;
  lang: Lang;
  publishedAt: string;
  collectedAt: string;
  /** Set when the content hash changed on a later crawl (an edited post). */
  updatedAt?: string;
  engagement: Engagement;
  /** sha256 of the normalised text; edits are detected by comparing it. */
  contentHash: string;
  targetId: string;
  brand: string;
}

// ---------------------------------------------------------------------------------------------
// Classification: what analysis says about one post. Every label carries its evidence.
// ---------------------------------------------------------------------------------------------

/** A span of `Post.text`, in UTF-16 code units (JavaScript string offsets), end exclusive. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

/** One entry per channel the post talks about, with the stance of the clauses about it. */
export interface ChannelMention {
  channel: ChannelId;
  polarity: Polarity;
  /** The alias that matched (`官网`, `客服`...). */
  alias: string;
  evidence: Span;
}

/** A brand-promise descriptor (`高效`, `排队`...) used about a channel (or about the brand in general). */
export interface DescriptorHit {
  word: string;
  /** Promise dimension id from the lexicon (`convenience`, `premium_service`...). */
  promise: string;
  polarity: 'pos' | 'neg';
  /** The channel the descriptor's clause talks about; null when no channel is in reach. */
  channel: ChannelId | null;
  evidence: Span;
}

export interface AspectHit {
  aspect: string;
  polarity: Polarity;
  evidence: Span;
}

export interface ScenarioHit {
  /** Scenario id from the lexicon (`winter`, `hands_full`...). */
  scenario: string;
  /** Kind of context: time, weather, place, companion, activity. */
  type: string;
  /** Stance of the sentence the scenario sits in (the pain point or praise it is linked to). */
  polarity: Polarity;
  evidence: Span;
}

export interface Breakpoint {
  /** The two channels, sorted by id so that a pair has one spelling. */
  channels: [ChannelId, ChannelId];
  kind: BreakpointKind;
  /** The cue that fired (lexicon entry id). */
  cue: string;
  evidence: Span;
}

export interface Classification {
  postId: string;
  brand: string;
  lang: Lang;
  channels: ChannelMention[];
  descriptors: DescriptorHit[];
  sentiment: { label: SentimentLabel; score: number };
  aspects: AspectHit[];
  scenarios: ScenarioHit[];
  question: { isQuestion: boolean; about: string[] };
  breakpoints: Breakpoint[];
  /** Ads, templated reviews, near-duplicates: reports exclude these. */
  spam: boolean;
  lexiconVersion: string;
}

// ---------------------------------------------------------------------------------------------
// Reports and runs.
// ---------------------------------------------------------------------------------------------

export interface ReportSpec {
  brand: string;
  /** Human label of the period (`2026-10`, or `2026-10-01..2026-10-15`). */
  period: string;
  /** Inclusive start and exclusive end, ISO UTC, already resolved from the period in `timeZone`. */
  from: string;
  to: string;
  timeZone: string;
  locale: Locale;
  formats: Array<'html' | 'pdf'>;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunStats {
  pagesFetched: number;
  postsNew: number;
  postsUpdated: number;
  postsUnchanged: number;
  postsClassified: number;
  errors: number;
}

export interface Run {
  id: string;
  kind: 'crawl' | 'classify' | 'report' | 'pipeline';
  targetIds: string[];
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  stats: RunStats;
  /** One line per error cause, for `voc runs show`. */
  errors: string[];
}

export function emptyRunStats(): RunStats {
  return { pagesFetched: 0, postsNew: 0, postsUpdated: 0, postsUnchanged: 0, postsClassified: 0, errors: 0 };
}
