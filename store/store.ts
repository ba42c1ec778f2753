import type { Classification, Post, ReportSpec, Run, Target } from '../core/types.js';

/** Result of an idempotent bulk upsert keyed by (source, externalId). */
export interface UpsertResult {
  inserted: number;
  /** Existing posts whose content hash changed (edited): text updated, `updatedAt` set. */
  updated: number;
  /** Existing posts with the same content hash: nothing written. */
  unchanged: number;
  /** Ids of inserted or updated posts (the ones that need classifying). */
  changedIds: string[];
}

export interface PostQuery {
  brand?: string;
  /** Inclusive lower bound on publishedAt (ISO UTC). */
  from?: string;
  /** Exclusive upper bound on publishedAt (ISO UTC). */
  to?: string;
  targetId?: string;
}

/** Incremental crawl state of one target, kept between runs and across crashes. */
export interface CrawlState {
  targetId: string;
  /** Newest publishedAt seen on this target. */
  watermark?: string;
  /** Conditional-request validators per URL. */
  etags?: Record<string, { etag?: string; lastModified?: string }>;
  updatedAt: string;
}

/** A rendered report, archived with the data snapshot it was built from. */
export interface ReportRecord {
  id: string;
  brand: string;
  period: string;
  from: string;
  to: string;
  timeZone: string;
  locale: string;
  lexiconVersion: string;
  createdAt: string;
  postCount: number;
  /** Files written, with sha256 checksums. */
  files: Array<{ format: string; path: string; sha256: string; bytes: number }>;
  /** Post ids the figures were computed from (the snapshot). */
  postIds: string[];
  /** The spec the report was rendered from, with its sections (for `voc reports rerender`). */
  spec?: ReportSpec & { sections?: string[] };
  /** The rest of the data snapshot: counts, and the posts behind the comparison figures. */
  snapshot?: ReportSnapshot;
  /** sha256 of the figures as JSON: a re-render from the snapshot can prove it gives the same numbers. */
  figuresSha256?: string;
  /** Scheduled report this record was produced by (`reports[].id` of the config). */
  scheduleId?: string;
  /** Every delivery attempt's outcome, in order (`voc reports show`). */
  deliveries?: DeliveryRecord[];
}

export interface ReportSnapshot {
  postsClassified: number;
  postsAnalysed: number;
  /** Posts excluded as spam (ads, templated reviews). */
  postsExcludedSpam: number;
  /** Posts excluded as near-duplicates of another post (absent in records made before 2026-12-05,
   *  whose `postsExcludedSpam` counted both). */
  postsExcludedNearDuplicates?: number;
  postsUnclassified: number;
  /** Posts of the period excluded as spam or duplicates. */
  excludedPostIds: string[];
  /** Analysed posts of the previous period. */
  previousPostIds: string[];
  /** Analysed posts of each tracked competitor: brand id -> current and previous period. */
  competitorPostIds?: Record<string, { current: string[]; previous: string[] }>;
}

/** The post counts of a snapshot, without its id lists (what `voc reports show` and webhooks print). */
export function snapshotCounts(s: ReportSnapshot) {
  return {
    postsClassified: s.postsClassified,
    postsAnalysed: s.postsAnalysed,
    postsExcludedSpam: s.postsExcludedSpam,
    ...(s.postsExcludedNearDuplicates !== undefined ? { postsExcludedNearDuplicates: s.postsExcludedNearDuplicates } : {}),
    postsUnclassified: s.postsUnclassified,
  };
}

export interface DeliveryRecord {
  channel: 'email' | 'webhook' | 'folder';
  /** Recipients, URL or folder. */
  target: string;
  status: 'sent' | 'failed';
  attempts: number;
  /** One line: why the last attempt failed. */
  error?: string;
  /** The same in Chinese, when its raiser wrote one (`voc reports show` in Chinese). */
  errorZh?: string;
  /** When the delivery finished (ISO UTC). */
  at: string;
  /** Who asked for it: the schedule id, or `manual`; a schedule never sends one key twice. */
  key: string;
}

/** Roles of the analyst console: admin (everything), analyst (targets, crawls, posts, reports), viewer (reports). */
export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A console account. The password is kept only as a scrypt hash (server/passwords.ts). */
export interface UserRecord {
  /** Unique login name, `[a-z0-9][a-z0-9._-]*`. */
  username: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  passwordHash: string;
  createdAt: string;
}

/** A bearer token for the API. Only the sha256 of the secret is stored; the secret is shown once. */
export interface ApiTokenRecord {
  /** Short public id (`voc tokens revoke ID`). */
  id: string;
  username: string;
  /** Free label (what the token is for). */
  name: string;
  /** sha256 hex of the secret. */
  tokenHash: string;
  createdAt: string;
  /** ISO UTC; absent = never expires. */
  expiresAt?: string;
}

/** A console login session (cookie). Only the sha256 of the cookie value is stored. */
export interface SessionRecord {
  /** sha256 hex of the session secret sent in the cookie. */
  idHash: string;
  username: string;
  /** Token the UI echoes in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * The one storage interface. `EmbeddedStore` (SQLite in WAL mode under a data directory) is the
 * zero-setup default; `MongoStore` is for production. Both pass `test/store.contract.test.ts`.
 * Every write is idempotent so that any job can be re-run after a crash.
 */
export interface Store {
  readonly kind: 'embedded' | 'mongo';

  upsertPosts(posts: Post[]): Promise<UpsertResult>;
  getPosts(ids: string[]): Promise<Post[]>;
  /** Posts matching the query ordered by (publishedAt, id). */
  queryPosts(query: PostQuery): Promise<Post[]>;
  countPosts(query: PostQuery): Promise<number>;

  /** Replaces the classification of each post (one per post). */
  saveClassifications(items: Classification[]): Promise<void>;
  getClassifications(postIds: string[]): Promise<Classification[]>;
  /** Ids of posts (optionally of one brand) with no classification at this lexicon version. */
  listUnclassified(lexiconVersion: string, brand?: string, limit?: number): Promise<string[]>;

  saveTarget(target: Target): Promise<void>;
  getTarget(id: string): Promise<Target | undefined>;
  listTargets(): Promise<Target[]>;
  removeTarget(id: string): Promise<boolean>;

  getCrawlState(targetId: string): Promise<CrawlState | undefined>;
  saveCrawlState(state: CrawlState): Promise<void>;

  saveRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  listRuns(limit?: number): Promise<Run[]>;

  saveReport(report: ReportRecord): Promise<void>;
  getReport(id: string): Promise<ReportRecord | undefined>;
  listReports(brand?: string): Promise<ReportRecord[]>;

  /** Accounts of the analyst console (issue 7); saveUser replaces a user of the same name. */
  saveUser(user: UserRecord): Promise<void>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** Users ordered by username. */
  listUsers(): Promise<UserRecord[]>;
  /** Removes the user with their tokens and sessions; false when there was no such user. */
  removeUser(username: string): Promise<boolean>;

  saveApiToken(token: ApiTokenRecord): Promise<void>;
  getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** Tokens (of one user, or all) ordered by createdAt then id. */
  listApiTokens(username?: string): Promise<ApiTokenRecord[]>;
  /** False when there was no such token. */
  removeApiToken(id: string): Promise<boolean>;

  saveSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  removeSession(idHash: string): Promise<boolean>;
  /** Deletes sessions whose expiresAt <= now; returns how many. */
  removeExpiredSessions(now: string): Promise<number>;

  close(): Promise<void>;
}
