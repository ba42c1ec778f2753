import type { Classification, Post, Run, Target } from '../core/types.js';

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

  close(): Promise<void>;
}
