/**
 * What a crawl did, per target and summed per run: pages, posts new / updated / unchanged /
 * repeated / near-duplicate, an HTTP status histogram, retries, time spent waiting on politeness,
 * errors grouped by cause (with a sample message, a few URLs and the snapshot of a page that
 * failed extraction) and the drift alarm. Plain JSON, so a run record can carry it.
 */
import { inLocale, RefusedUrlError, VocError, type ErrorText } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { FetchError } from './fetch-error.js';
import { RetriesExhaustedError } from './retry.js';

/** Why a page failed, coarse enough to group: `http_404`, `timeout`, `robots`, `extraction`... */
export type ErrorCause = string;

export interface ErrorGroup {
  cause: ErrorCause;
  count: number;
  /** The first message of this cause, one line. */
  message: string;
  /** The same message in Chinese, when its raiser wrote one. */
  zh?: string;
  /** Up to five URLs that failed this way. */
  urls: string[];
  /** Saved HTML of a page that failed extraction (gzipped file). */
  snapshot?: string;
}

export interface DriftAlarm {
  /** Items extracted by earlier crawls (most recent last). */
  previousYields: number[];
  message: string;
  /** The message in Chinese (absent in alarms stored before it was added). */
  zh?: string;
  snapshot?: string;
}

export interface TargetStats {
  /** Pages fetched with a body (2xx). */
  pages: number;
  /** Conditional requests answered 304 Not Modified. */
  notModified: number;
  /** Items read off the pages, before de-duplication. */
  postsExtracted: number;
  /** Counts reported by the store for the posts handed over (see `CrawlTargetOptions.onPage`). */
  postsNew: number;
  postsUpdated: number;
  postsUnchanged: number;
  /** Posts met twice in one crawl (pinned posts, shifting pages): handed over once. */
  postsRepeated: number;
  /** Posts marked `nearDuplicateOf` another post. */
  nearDuplicates: number;
  /** Posts older than `--since`, dropped. */
  postsTooOld: number;
  /** HTTP status -> responses (every attempt, so a retried 503 counts each time). */
  statuses: Record<string, number>;
  /** Attempts after a failure (backoff retries and Retry-After waits). */
  retries: number;
  /** Time spent waiting for the host's token bucket, concurrency slot or Retry-After, ms. */
  politenessWaitMs: number;
  /** Time spent in backoff before a retry, ms. */
  backoffWaitMs: number;
  /** Body bytes received (decompressed). */
  bytes: number;
  errors: ErrorGroup[];
  drift?: DriftAlarm;
  startedAt: string;
  finishedAt?: string;
}

export function emptyTargetStats(startedAt: string): TargetStats {
  return {
    pages: 0,
    notModified: 0,
    postsExtracted: 0,
    postsNew: 0,
    postsUpdated: 0,
    postsUnchanged: 0,
    postsRepeated: 0,
    nearDuplicates: 0,
    postsTooOld: 0,
    statuses: {},
    retries: 0,
    politenessWaitMs: 0,
    backoffWaitMs: 0,
    bytes: 0,
    errors: [],
    startedAt,
  };
}

export function countStatus(stats: TargetStats, status: number): void {
  const key = String(status);
  stats.statuses[key] = (stats.statuses[key] ?? 0) + 1;
}

/** The grouping key of an error. */
export function errorCause(err: unknown): ErrorCause {
  if (err instanceof RetriesExhaustedError) return errorCause(err.last);
  if (err instanceof FetchError) {
    if (err.cause === 'http' && err.status !== undefined) return `http_${err.status}`;
    if (err.cause === 'refused' && err.original instanceof RefusedUrlError) return errorCause(err.original);
    return err.cause;
  }
  if (err instanceof RefusedUrlError) return /robots\.txt/.test(err.message) ? 'robots' : 'refused';
  if (err instanceof ExtractionError) return err.group;
  if (err instanceof VocError) return err.exitCode === 2 ? 'config' : 'error';
  if (err instanceof SyntaxError) return 'decode';
  return 'error';
}

/** The first line of an error's message (VocErrors are one-line user messages already). */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

/** An error group's (or a failed page's) message in `locale`: its Chinese text for zh-CN when it has one. */
export function groupMessage(group: Pick<ErrorGroup, 'message' | 'zh'>, locale: Locale): string {
  return inLocale(locale, group.message, group.zh);
}

/** A failed page's message in `locale`, led by its URL unless the message names it already. */
export function pageErrorText(page: { url: string; message: string; zh?: string }, locale: Locale): string {
  const text = groupMessage(page, locale);
  return text.includes(page.url) ? text : `${page.url}${locale === 'en' ? ': ' : '：'}${text}`;
}

/** A page that was fetched but yielded nothing the target's spec could read. */
export class ExtractionError extends VocError {
  readonly url: string;
  /** The error group it is counted under: `extraction`, or what kept the page from being read (`not_html`, `empty_body`). */
  readonly group: ErrorCause;
  constructor(url: string, message: ErrorText, group: ErrorCause = 'extraction') {
    super(message, 1);
    this.name = 'ExtractionError';
    this.url = url;
    this.group = group;
  }
}

/** Adds one error to its cause's group. */
export function recordError(stats: TargetStats, cause: ErrorCause, url: string, message: string, snapshot?: string, zh?: string): ErrorGroup {
  let group = stats.errors.find((g) => g.cause === cause);
  if (!group) {
    group = { cause, count: 0, message, ...(zh !== undefined ? { zh } : {}), urls: [] };
    stats.errors.push(group);
  }
  group.count++;
  if (group.urls.length < 5 && !group.urls.includes(url)) group.urls.push(url);
  if (snapshot && !group.snapshot) group.snapshot = snapshot;
  return group;
}

/**
 * The drift alarm: a target that yielded posts on its last crawls (`yields`, oldest first) and
 * none now, although pages were fetched. The site changed its markup, or blocks us.
 */
export function driftAlarm(targetId: string, yields: readonly number[], pagesFetched: number, postsExtracted: number, snapshot?: string): DriftAlarm | undefined {
  const previous = yields.slice(-3);
  if (pagesFetched === 0 || postsExtracted > 0 || !previous.some((n) => n > 0)) return undefined;
  return {
    previousYields: previous,
    message: `target ${targetId} yielded no post this time after ${previous.join(', ')} on its last crawls; check its selectors or mapping against the site${snapshot ? `; the page is saved in ${snapshot}` : ''}`,
    zh: `抓取目标 ${targetId} 前几次抓取分别得到 ${previous.join('、')} 条帖子，这次一条也没有；请对照站点检查它的选择器或映射${snapshot ? `；页面已保存在 ${snapshot}` : ''}`,
    ...(snapshot ? { snapshot } : {}),
  };
}

/**
 * How one target's crawl ended, the unit a run's status is made of:
 *  - `ok`: it read posts (new or not; some pages may have failed, their errors are listed), or it
 *    read a page that holds none and is allowed to (an API with nothing new);
 *  - `unchanged`: its start page answered 304 Not Modified and nothing was read;
 *  - `failed`: it has errors, read no post and got no 304: a 404, a refusal, selectors that find
 *    nothing, a PDF where a listing was expected.
 */
export type TargetOutcome = 'ok' | 'unchanged' | 'failed';

export function targetOutcome(stats: Pick<TargetStats, 'errors' | 'postsExtracted' | 'notModified'>): TargetOutcome {
  if (stats.postsExtracted > 0) return 'ok';
  if (stats.notModified > 0) return 'unchanged';
  return stats.errors.length > 0 ? 'failed' : 'ok';
}

/** The counters of TargetStats that add up across pages, targets and runs. */
export const TARGET_COUNTERS = [
  'pages',
  'notModified',
  'postsExtracted',
  'postsNew',
  'postsUpdated',
  'postsUnchanged',
  'postsRepeated',
  'nearDuplicates',
  'postsTooOld',
  'retries',
  'politenessWaitMs',
  'backoffWaitMs',
  'bytes',
] as const satisfies ReadonlyArray<keyof TargetStats>;

/** Sums target stats into run totals (status histograms and error groups merged by key). */
export function mergeStats(all: readonly TargetStats[]): TargetStats {
  const total = emptyTargetStats(all.map((s) => s.startedAt).sort()[0] ?? new Date().toISOString());
  for (const s of all) {
    for (const key of TARGET_COUNTERS)
      total[key] += s[key];
    for (const [status, n] of Object.entries(s.statuses)) total.statuses[status] = (total.statuses[status] ?? 0) + n;
    for (const g of s.errors) {
      const group = recordError(total, g.cause, g.urls[0] ?? '', g.message, g.snapshot, g.zh);
      group.count += g.count - 1;
      for (const u of g.urls.slice(1)) if (group.urls.length < 5 && !group.urls.includes(u)) group.urls.push(u);
    }
  }
  const finished = all.map((s) => s.finishedAt).filter((x): x is string => Boolean(x)).sort();
  if (finished.length) total.finishedAt = finished.at(-1)!;
  return total;
}
