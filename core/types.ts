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

/** Kinds of usage context a scenario is (lexicons/scenarios.yaml, config lexicon.scenarios). */
export const SCENARIO_TYPES = ['time', 'weather', 'place', 'companion', 'activity'] as const;

// ---------------------------------------------------------------------------------------------
// Targets: what to crawl and how to extract posts from it.
// ---------------------------------------------------------------------------------------------

/**
 * How a page prints its times: `iso` (default; also accepts `YYYY-MM-DD HH:mm`, `2026年10月3日`,
 * relative times such as `3小时前` / `2 hours ago`), `unix` / `unix_ms`, or a pattern of the tokens
 * YYYY MM M DD D HH H mm m ss s (`DD/MM/YYYY HH:mm`), read in the target's time zone.
 */
export type TimeFormat = 'iso' | 'unix' | 'unix_ms' | (string & {});

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
  /** How to read `time` (see `TimeFormat`). */
  timeFormat?: TimeFormat;
  link?: string;
  rating?: string;
  likes?: string;
  replies?: string;
  shares?: string;
  /** Selector of the "next page" link on the listing page (evaluated on the whole page). */
  nextPage?: string;
}

/**
 * The target kinds. `html`: listing pages read with CSS selectors; `browser`: the same, on the
 * DOM rendered by Chromium (JS-only pages, infinite scroll); `feed`: RSS 2.0, Atom, JSON Feed;
 * `json`: a public JSON endpoint read with a field mapping; `sitemap`: post URLs discovered in
 * sitemap.xml, each page read with the `detail` selectors.
 */
export const TARGET_KINDS = ['html', 'browser', 'feed', 'json', 'sitemap'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * How listing pages follow each other (html and browser kinds). Without it, the `nextPage`
 * link of the selectors is followed.
 *
 * - `next`: the `nextPage` selector's link (the default).
 * - `template`: numbered pages; `url` holds `{page}`, the target URL is page one and the
 *   following pages are `first`, `first + step`, ... (offsets work too: `?start={page}`, step 20).
 * - `loadMore`: the endpoint a "load more" button calls; `url` holds `{page}` or `{cursor}`. It
 *   answers an HTML fragment (`format: html`) or JSON holding one (`htmlPath`) and the next
 *   cursor (`cursorPath`); the first cursor is read from the page with `cursorSelector`.
 */
export interface PaginationSpec {
  type: 'next' | 'template' | 'loadMore';
  url?: string;
  first?: number;
  step?: number;
  format?: 'html' | 'json';
  htmlPath?: string;
  cursorPath?: string;
  cursorSelector?: string;
}

/**
 * A post's own page: the full text (listings often truncate) and the replies, which become posts
 * with `parentId`/`threadId` pointing at the post. Fetched for posts not seen before.
 */
export interface DetailSpec {
  /** Selector, inside the listing item, of the link to the post's page; defaults to `selectors.link`. */
  link?: string;
  /** The post on its page; `item` defaults to the whole page; fields given here win over the listing's. */
  post?: Omit<SelectorSpec, 'item' | 'nextPage'> & { item?: string };
  /** The replies on the post's page; `nextPage` follows the thread's own pagination (bounded by `maxDepth`). */
  replies?: SelectorSpec;
}

/**
 * A field mapping for a JSON endpoint. Paths are dot paths with `[n]` indexes and `[key=value]`
 * picks (`data.children`, `feed.link[rel=next].href`); an empty path is the document itself. A
 * value written with braces is a template (`https://www.reddit.com{data.permalink}`, `{uri|last}`).
 */
export interface JsonMapping {
  /** Path of the item array. */
  items: string;
  id: string;
  /** One path, or several joined by a newline (title and body). */
  text: string | string[];
  /** The text fields are HTML (Mastodon `content`): tags are stripped as the html kind does. */
  textIsHtml?: boolean;
  author?: string;
  time?: string;
  timeFormat?: TimeFormat;
  /** Path or template of the post URL, resolved against the request URL. */
  url?: string;
  rating?: string;
  likes?: string;
  replies?: string;
  shares?: string;
  /** Paths of the parent and thread root ids (on the same source) of a reply. */
  parentId?: string;
  threadId?: string;
  /** Items lacking this path are skipped (an App Store feed's app entry, deleted posts). */
  require?: string;
  /** Path of the next cursor in the response, sent back as the query parameter `cursorParam`. */
  cursorPath?: string;
  cursorParam?: string;
  /** Query parameter that takes the id of the LAST item of a page (`max_id` paging). */
  lastIdParam?: string;
  /** Path of the next page URL in the response. */
  nextUrlPath?: string;
  /** Follow the `Link: <...>; rel="next"` response header (Mastodon, GitHub). */
  nextFromLinkHeader?: boolean;
  /** Query parameter that takes the newest id already stored, so the source sends only newer items (`since_id`). */
  sinceIdParam?: string;
}

/** Which URLs of a sitemap (and its child sitemaps) are post pages worth fetching. */
export interface SitemapSpec {
  /** Regular expressions; a URL must match one (default: all). */
  include?: string[];
  /** Regular expressions; a URL matching one is skipped. */
  exclude?: string[];
  /** Skip URLs whose lastmod is older: an ISO date or a relative age such as `30d`. */
  lastmodAfter?: string;
}

/** Browser kind: what to wait for and how to reveal more items on a JS-rendered listing. */
export interface BrowserSpec {
  /** Selector to wait for before reading the page (default `selectors.item`). */
  waitFor?: string;
  /** Scroll to the bottom up to this many times, while new items keep appearing (default 0). */
  scrolls?: number;
  /** Selector of a "load more" button to click up to `scrolls` times instead of scrolling. */
  loadMore?: string;
  /** How long to wait for new items after a scroll or click, ms (default 5000). */
  settleMs?: number;
}

/** Named mappings for public sources that need no login (see crawlers/presets.ts). */
export const PRESET_NAMES = ['mastodon', 'mastodon-search', 'bluesky', 'reddit', 'appstore', 'forum'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
/** The kind each preset is a mapping on top of. */
export const PRESET_KINDS: Record<PresetName, TargetKind> = {
  mastodon: 'json',
  'mastodon-search': 'json',
  bluesky: 'json',
  reddit: 'json',
  appstore: 'json',
  forum: 'html',
};

export interface Target {
  /** Short unique id, `[a-z0-9][a-z0-9_-]*`. */
  id: string;
  kind: TargetKind;
  /** First listing page (html, browser), feed, endpoint or sitemap URL. */
  url: string;
  /** Brand id (from config) the posts of this target are about. */
  brand: string;
  /** Source name stored on each post (`demo-forum`, `reddit`...); part of the unique key. */
  source: string;
  /** Listing selectors (html, browser kinds; a preset may supply them). */
  selectors?: SelectorSpec;
  pagination?: PaginationSpec;
  detail?: DetailSpec;
  json?: JsonMapping;
  sitemap?: SitemapSpec;
  browser?: BrowserSpec;
  /** The preset this target uses; its mapping fills what the target leaves out. */
  preset?: PresetName;
  /** Page cap per crawl. */
  maxPages: number;
  /** Link depth cap: listing pages are depth 0, a post's page 1, its reply pages 2 and on (default 2). */
  maxDepth?: number;
  /** Minimum delay between two requests to the same host, ms (robots.txt Crawl-delay wins if larger). */
  delayMs: number;
  /** Request budget per minute on this target's host (a token bucket); the stricter of this and `delayMs` applies. */
  requestsPerMinute?: number;
  /** Requests in flight to this target's host at once (default `crawler.maxConcurrencyPerHost`). */
  maxConcurrency?: number;
  /** Stop paging at a page whose posts are all stored already (default true; off for oldest-first listings). */
  stopAtKnown?: boolean;
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
  /** Reposts, retweets, boosts. */
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
  /** Post id (`source:externalId`) of the thread's first post, for replies. */
  threadId?: string;
  /** Post id of the post this one answers, for replies. */
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
  /** 64-bit SimHash of the text, 16 hex digits (near-duplicate detection). */
  simhash?: string;
  /** Id of an earlier post this one nearly repeats (a repost, copy-paste spam). */
  nearDuplicateOf?: string;
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
  /**
   * The strongest judging word that gave the polarity (客服态度很`敷衍`), when words about the channel
   * decided it; absent for a neutral channel, one that takes the review's verdict, and in
   * classifications stored by voc before 2026-12-05.
   */
  stanceEvidence?: Span;
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

/**
 * An adjective or verb outside the lexicon (jieba's part of speech) in words about a channel: what
 * reports compare between channels beyond the descriptor lexicon (门店"冷清", 客服"推脱").
 */
export interface OpenWordHit {
  word: string;
  /** jieba's tag family: `adj` (a, ad, an) or `verb` (v, vd, vi). */
  pos: 'adj' | 'verb';
  channel: ChannelId;
  /** Right after a negator (不热情, 不太及时): counted apart from the plain word. */
  negated: boolean;
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
  /**
   * The pain point or praise itself: the aspects and channels the sentence's judging words of that
   * stance are about, and the strongest such word (null when the sentence judges nothing). Absent
   * in classifications stored by voc before 2026-12-05.
   */
  linked?: { aspects: string[]; channels: ChannelId[]; evidence: Span | null };
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
  /** Open-vocabulary adjectives and verbs per channel. Absent in classifications stored by voc
   *  before 2026-12-05 (read as none). */
  openWords?: OpenWordHit[];
  sentiment: { label: SentimentLabel; score: number };
  aspects: AspectHit[];
  scenarios: ScenarioHit[];
  question: { isQuestion: boolean; about: string[] };
  breakpoints: Breakpoint[];
  /** Ads, templated reviews: reports exclude these (and near-duplicates, Post.nearDuplicateOf). */
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
  /** The same lines in Chinese, index for index (a line whose raiser wrote no Chinese stays English). Absent in runs recorded before it was added. */
  errorsZh?: string[];
  /**
   * Crawl runs, once over: the targets that failed (errors, no post read, no 304), which is what
   * makes the run `failed` (workers/run-outcome.ts). Absent in runs recorded before it was added.
   */
  failedTargets?: string[];
}

/** A run's error lines in `locale`. */
export function runErrorLines(run: Pick<Run, 'errors' | 'errorsZh'>, locale: Locale): string[] {
  return locale !== 'en' && run.errorsZh?.length === run.errors.length ? run.errorsZh : run.errors;
}

export function emptyRunStats(): RunStats {
  return { pagesFetched: 0, postsNew: 0, postsUpdated: 0, postsUnchanged: 0, postsClassified: 0, errors: 0 };
}
