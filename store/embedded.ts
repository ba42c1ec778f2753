/**
 * The zero-setup Store: one SQLite file (`voc.sqlite`) under the data directory, via better-sqlite3.
 *
 * Several voc processes (a CLI run and two workers, say) may open the same data directory at
 * once. WAL mode lets readers run beside the single writer; every write takes the write lock up
 * front (`BEGIN IMMEDIATE`) and waits up to BUSY_TIMEOUT_MS for it, so normal contention queues
 * instead of failing with SQLITE_BUSY. Each bulk write is one transaction: a process killed
 * mid-batch leaves the batch entirely absent, never half-written.
 *
 * better-sqlite3 is synchronous; the methods are `async` only to match the Store interface (and
 * so that a thrown error reaches the caller as a rejected promise).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InputError, VocError } from '../core/errors.js';
import type { Classification, Post, Run, Target } from '../core/types.js';
import type { ApiTokenRecord, CrawlState, PostQuery, ReportRecord, SessionRecord, Store, UpsertResult, UserRecord } from './store.js';
import { planUpsert, type StoredVersion } from './upsert-plan.js';
import { checkClassifications, checkLimit, inIdOrder, normalizeQuery, preparePosts, requireId, uniqueIds } from './validate.js';
import { ensureDataDir } from '../core/dirs.js';

/** File name of the database inside the data directory. */
export const EMBEDDED_DB_FILE = 'voc.sqlite';

/**
 * How long a write waits for another process to release the lock before failing (default of
 * `openEmbeddedStore`'s `busyTimeoutMs`). Generous on purpose: a 10k-post batch of another worker
 * holds the lock for well under a second, and a crawl that waits is better than one that fails.
 */
export const BUSY_TIMEOUT_MS = 30_000;

export interface EmbeddedStoreOptions {
  /** How long an open or a write waits for another process's lock (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

type Db = Database.Database;

/**
 * Schema migrations, index i bringing the schema from version i to i + 1 (`PRAGMA user_version`).
 * Append only: never edit a released step, add a new one that alters what came before.
 */
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE posts (
        id           TEXT PRIMARY KEY,
        source       TEXT NOT NULL,
        external_id  TEXT NOT NULL,
        brand        TEXT NOT NULL,
        published_at TEXT NOT NULL,
        target_id    TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        collected_at TEXT NOT NULL,
        updated_at   TEXT,
        data         TEXT NOT NULL,  -- JSON: every other Post field (text, url, engagement...)
        UNIQUE (source, external_id)
      );
      CREATE INDEX posts_brand_published ON posts (brand, published_at, id);
      CREATE INDEX posts_published ON posts (published_at, id);
      CREATE INDEX posts_target_published ON posts (target_id, published_at, id);

      CREATE TABLE classifications (
        post_id         TEXT PRIMARY KEY,
        lexicon_version TEXT NOT NULL,
        brand           TEXT NOT NULL,
        doc             TEXT NOT NULL
      );

      CREATE TABLE targets (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE crawl_state (target_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      -- started_at / brand / created_at duplicate JSON fields so listings sort and filter on an index.
      CREATE TABLE runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX runs_started ON runs (started_at DESC, id DESC);
      CREATE TABLE reports (id TEXT PRIMARY KEY, brand TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX reports_brand_created ON reports (brand, created_at DESC, id DESC);
    `),
  // Issue 7: console accounts, API tokens (sha256 of the secret) and login sessions.
  (db) =>
    db.exec(`
      CREATE TABLE users (username TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE api_tokens (id TEXT PRIMARY KEY, username TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX api_tokens_user ON api_tokens (username, created_at, id);
      CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX sessions_user ON sessions (username);
      CREATE INDEX sessions_expires ON sessions (expires_at);
    `),
];

/** Schema version this code reads and writes. */
export const EMBEDDED_SCHEMA_VERSION = MIGRATIONS.length;

interface PostRow {
  id: string;
  source: string;
  external_id: string;
  brand: string;
  published_at: string;
  target_id: string;
  content_hash: string;
  collected_at: string;
  updated_at: string | null;
  data: string;
}

/**
 * A post's columns in POST_COLUMNS order, bound by position: better-sqlite3 binds an array of
 * values with less work than an object of named parameters (a property lookup per name), and
 * this runs for every stored post.
 */
type PostParams = [
  id: string,
  source: string,
  externalId: string,
  brand: string,
  publishedAt: string,
  targetId: string,
  contentHash: string,
  collectedAt: string,
  updatedAt: string | null,
  data: string,
];

const POST_COLUMNS = 'id, source, external_id, brand, published_at, target_id, content_hash, collected_at, updated_at, data';

function postToParams(post: Post): PostParams {
  const { id, source, externalId, brand, publishedAt, targetId, contentHash, collectedAt, updatedAt, ...rest } = post;
  return [id, source, externalId, brand, publishedAt, targetId, contentHash, collectedAt, updatedAt ?? null, JSON.stringify(rest)];
}

type UpdateParams = Array<string | null>;

/** The values of the UPDATE statement: the replaced columns, then the key columns. */
function updateParams([id, source, externalId, ...replaced]: PostParams): UpdateParams {
  return [...replaced, id, source, externalId];
}

function rowToPost(row: PostRow): Post {
  const rest = JSON.parse(row.data) as Omit<Post, 'id' | 'source' | 'externalId'>;
  const post: Post = {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    ...rest,
    publishedAt: row.published_at,
    collectedAt: row.collected_at,
    contentHash: row.content_hash,
    targetId: row.target_id,
    brand: row.brand,
  };
  if (row.updated_at !== null) post.updatedAt = row.updated_at;
  return post;
}

/** Store on a SQLite file; create it with `openEmbeddedStore(dataDir)`. */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  /** Path of the SQLite file. */
  readonly file: string;
  private readonly db: Db;
  private readonly busyTimeoutMs: number;
  private readonly queryCache = new Map<string, Database.Statement>();

  private readonly stmt;
  private readonly upsertTx;
  private readonly saveClassificationsTx;

  /** Wraps an opened, migrated database; use `openEmbeddedStore` rather than calling this. */
  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
    // What the connection waits for a lock (openEmbeddedStore sets it), read back for the message.
    this.busyTimeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
    // Prepared once: better-sqlite3 statements are reusable and preparing is the costly part.
    this.stmt = {
      storedVersions: db.prepare<[string], { id: string; content_hash: string; collected_at: string }>(
        'SELECT id, content_hash, collected_at FROM posts WHERE id IN (SELECT value FROM json_each(?))',
      ),
      insertPost: db.prepare<PostParams>(`INSERT INTO posts (${POST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // The same values, key columns last (see updateParams).
      updatePost: db.prepare<UpdateParams>(
        `UPDATE posts SET brand = ?, published_at = ?, target_id = ?, content_hash = ?, collected_at = ?, updated_at = ?, data = ?
         WHERE id = ? AND source = ? AND external_id = ?`,
      ),
      postsByIds: db.prepare<[string], PostRow>(
        `SELECT ${POST_COLUMNS} FROM posts WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      deleteClassification: db.prepare<[string]>('DELETE FROM classifications WHERE post_id = ?'),
      saveClassification: db.prepare<[{ postId: string; lexiconVersion: string; brand: string; doc: string }]>(
        `INSERT INTO classifications (post_id, lexicon_version, brand, doc) VALUES (@postId, @lexiconVersion, @brand, @doc)
         ON CONFLICT (post_id) DO UPDATE SET lexicon_version = excluded.lexicon_version, brand = excluded.brand, doc = excluded.doc`,
      ),
      classificationsByIds: db.prepare<[string], { doc: string }>(
        'SELECT doc FROM classifications WHERE post_id IN (SELECT value FROM json_each(?))',
      ),
      unclassified: db.prepare<[{ lexiconVersion: string; limit: number }], { id: string }>(
        `SELECT p.id FROM posts p
         LEFT JOIN classifications c ON c.post_id = p.id AND c.lexicon_version = @lexiconVersion
         WHERE c.post_id IS NULL ORDER BY p.published_at, p.id LIMIT @limit`,
      ),
      unclassifiedOfBrand: db.prepare<[{ lexiconVersion: string; brand: string; limit: number }], { id: string }>(
        `SELECT p.id FROM posts p
         LEFT JOIN classifications c ON c.post_id = p.id AND c.lexicon_version = @lexiconVersion
         WHERE p.brand = @brand AND c.post_id IS NULL ORDER BY p.published_at, p.id LIMIT @limit`,
      ),
      saveTarget: db.prepare<[string, string]>(
        'INSERT INTO targets (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
      ),
      getTarget: db.prepare<[string], { doc: string }>('SELECT doc FROM targets WHERE id = ?'),
      listTargets: db.prepare<[], { doc: string }>('SELECT doc FROM targets ORDER BY id'),
      removeTarget: db.prepare<[string]>('DELETE FROM targets WHERE id = ?'),
      removeCrawlState: db.prepare<[string]>('DELETE FROM crawl_state WHERE target_id = ?'),
      saveCrawlState: db.prepare<[string, string]>(
        'INSERT INTO crawl_state (target_id, doc) VALUES (?, ?) ON CONFLICT (target_id) DO UPDATE SET doc = excluded.doc',
      ),
      getCrawlState: db.prepare<[string], { doc: string }>('SELECT doc FROM crawl_state WHERE target_id = ?'),
      saveRun: db.prepare<[string, string, string]>(
        `INSERT INTO runs (id, started_at, doc) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, doc = excluded.doc`,
      ),
      getRun: db.prepare<[string], { doc: string }>('SELECT doc FROM runs WHERE id = ?'),
      listRuns: db.prepare<[number], { doc: string }>('SELECT doc FROM runs ORDER BY started_at DESC, id DESC LIMIT ?'),
      saveReport: db.prepare<[string, string, string, string]>(
        `INSERT INTO reports (id, brand, created_at, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET brand = excluded.brand, created_at = excluded.created_at, doc = excluded.doc`,
      ),
      getReport: db.prepare<[string], { doc: string }>('SELECT doc FROM reports WHERE id = ?'),
      listReports: db.prepare<[], { doc: string }>('SELECT doc FROM reports ORDER BY created_at DESC, id DESC'),
      listReportsOfBrand: db.prepare<[string], { doc: string }>(
        'SELECT doc FROM reports WHERE brand = ? ORDER BY created_at DESC, id DESC',
      ),
      saveUser: db.prepare<[string, string]>('INSERT INTO users (username, doc) VALUES (?, ?) ON CONFLICT (username) DO UPDATE SET doc = excluded.doc'),
      getUser: db.prepare<[string], { doc: string }>('SELECT doc FROM users WHERE username = ?'),
      listUsers: db.prepare<[], { doc: string }>('SELECT doc FROM users ORDER BY username'),
      removeUser: db.prepare<[string]>('DELETE FROM users WHERE username = ?'),
      removeUserTokens: db.prepare<[string]>('DELETE FROM api_tokens WHERE username = ?'),
      removeUserSessions: db.prepare<[string]>('DELETE FROM sessions WHERE username = ?'),
      saveToken: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO api_tokens (id, username, token_hash, created_at, doc) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, token_hash = excluded.token_hash, created_at = excluded.created_at, doc = excluded.doc`,
      ),
      tokenByHash: db.prepare<[string], { doc: string }>('SELECT doc FROM api_tokens WHERE token_hash = ?'),
      listTokens: db.prepare<[], { doc: string }>('SELECT doc FROM api_tokens ORDER BY created_at, id'),
      listTokensOfUser: db.prepare<[string], { doc: string }>('SELECT doc FROM api_tokens WHERE username = ? ORDER BY created_at, id'),
      removeToken: db.prepare<[string]>('DELETE FROM api_tokens WHERE id = ?'),
      saveSession: db.prepare<[string, string, string, string]>(
        `INSERT INTO sessions (id_hash, username, expires_at, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (id_hash) DO UPDATE SET username = excluded.username, expires_at = excluded.expires_at, doc = excluded.doc`,
      ),
      getSession: db.prepare<[string], { doc: string }>('SELECT doc FROM sessions WHERE id_hash = ?'),
      removeSession: db.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?'),
      removeExpiredSessions: db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?'),
    };

    this.upsertTx = db.transaction((posts: Post[]): UpsertResult => {
      // Read inside the write transaction: the versions cannot change before the plan is written.
      const stored = new Map<string, StoredVersion>();
      for (const row of this.stmt.storedVersions.iterate(JSON.stringify(posts.map((p) => p.id)))) {
        stored.set(row.id, { contentHash: row.content_hash, collectedAt: row.collected_at });
      }
      const { writes, ...result } = planUpsert(posts, stored);
      for (const { kind, post } of writes) {
        if (kind === 'insert') {
          this.stmt.insertPost.run(...postToParams(post));
        } else {
          this.stmt.updatePost.run(...updateParams(postToParams(post)));
          // Evidence spans point into the old text: drop the classification so the post is listed
          // as unclassified again (also after a crash that lost the caller's changedIds).
          this.stmt.deleteClassification.run(post.id);
        }
      }
      return result;
    });

    this.saveClassificationsTx = db.transaction((items: Classification[]) => {
      for (const c of items) {
        this.stmt.saveClassification.run({
          postId: c.postId,
          lexiconVersion: c.lexiconVersion,
          brand: c.brand,
          doc: JSON.stringify(c),
        });
      }
    });
  }

  async upsertPosts(posts: Post[]): Promise<UpsertResult> {
    const prepared = preparePosts(posts);
    if (prepared.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
    return this.write(() => this.upsertTx.immediate(prepared));
  }

  async getPosts(ids: string[]): Promise<Post[]> {
    const wanted = uniqueIds(ids);
    if (wanted.length === 0) return [];
    const rows = this.stmt.postsByIds.all(JSON.stringify(wanted));
    return inIdOrder(wanted, rows.map(rowToPost), (p) => p.id);
  }

  async queryPosts(query: PostQuery): Promise<Post[]> {
    const { sql, params } = this.postFilter(normalizeQuery(query));
    const rows = this.cached(`SELECT ${POST_COLUMNS} FROM posts ${sql} ORDER BY published_at, id`).all(params) as PostRow[];
    return rows.map(rowToPost);
  }

  async countPosts(query: PostQuery): Promise<number> {
    const { sql, params } = this.postFilter(normalizeQuery(query));
    const row = this.cached(`SELECT count(*) AS n FROM posts ${sql}`).get(params) as { n: number };
    return row.n;
  }

  async saveClassifications(items: Classification[]): Promise<void> {
    checkClassifications(items);
    if (items.length === 0) return;
    this.write(() => this.saveClassificationsTx.immediate(items));
  }

  async getClassifications(postIds: string[]): Promise<Classification[]> {
    const wanted = uniqueIds(postIds);
    if (wanted.length === 0) return [];
    const found = this.stmt.classificationsByIds.all(JSON.stringify(wanted)).map((r) => JSON.parse(r.doc) as Classification);
    return inIdOrder(wanted, found, (c) => c.postId);
  }

  async listUnclassified(lexiconVersion: string, brand?: string, limit?: number): Promise<string[]> {
    const max = checkLimit(limit, 'listUnclassified limit') ?? -1; // LIMIT -1: no limit in SQLite
    const rows =
      brand === undefined
        ? this.stmt.unclassified.all({ lexiconVersion, limit: max })
        : this.stmt.unclassifiedOfBrand.all({ lexiconVersion, brand, limit: max });
    return rows.map((r) => r.id);
  }

  async saveTarget(target: Target): Promise<void> {
    const id = requireId(target?.id, 'target.id');
    this.write(() => this.stmt.saveTarget.run(id, JSON.stringify(target)));
  }

  async getTarget(id: string): Promise<Target | undefined> {
    const row = this.stmt.getTarget.get(id);
    return row ? (JSON.parse(row.doc) as Target) : undefined;
  }

  async listTargets(): Promise<Target[]> {
    return this.stmt.listTargets.all().map((r) => JSON.parse(r.doc) as Target);
  }

  /** Removes the target and its crawl state (so a re-added target starts afresh); its posts stay. */
  async removeTarget(id: string): Promise<boolean> {
    return this.write(() =>
      this.db.transaction(() => {
        this.stmt.removeCrawlState.run(id);
        return this.stmt.removeTarget.run(id).changes > 0;
      }).immediate(),
    );
  }

  async getCrawlState(targetId: string): Promise<CrawlState | undefined> {
    const row = this.stmt.getCrawlState.get(targetId);
    return row ? (JSON.parse(row.doc) as CrawlState) : undefined;
  }

  async saveCrawlState(state: CrawlState): Promise<void> {
    const id = requireId(state?.targetId, 'crawlState.targetId');
    this.write(() => this.stmt.saveCrawlState.run(id, JSON.stringify(state)));
  }

  async saveRun(run: Run): Promise<void> {
    if (typeof run?.startedAt !== 'string')
      throw new InputError({ en: `run ${run?.id}: startedAt must be an ISO time string`, zh: `运行 ${run?.id}：startedAt 必须是 ISO 时间字符串` });
    const id = requireId(run.id, 'run.id');
    this.write(() => this.stmt.saveRun.run(id, run.startedAt, JSON.stringify(run)));
  }

  async getRun(id: string): Promise<Run | undefined> {
    const row = this.stmt.getRun.get(id);
    return row ? (JSON.parse(row.doc) as Run) : undefined;
  }

  /** Runs newest first (by startedAt, then id). */
  async listRuns(limit?: number): Promise<Run[]> {
    const max = checkLimit(limit, 'listRuns limit') ?? -1;
    return this.stmt.listRuns.all(max).map((r) => JSON.parse(r.doc) as Run);
  }

  async saveReport(report: ReportRecord): Promise<void> {
    const id = requireId(report?.id, 'report.id');
    if (typeof report.brand !== 'string') throw new InputError({ en: `report ${id}: brand must be a string`, zh: `报告 ${id}：brand 必须是字符串` });
    if (typeof report.createdAt !== 'string')
      throw new InputError({ en: `report ${id}: createdAt must be an ISO time string`, zh: `报告 ${id}：createdAt 必须是 ISO 时间字符串` });
    this.write(() => this.stmt.saveReport.run(id, report.brand, report.createdAt, JSON.stringify(report)));
  }

  async getReport(id: string): Promise<ReportRecord | undefined> {
    const row = this.stmt.getReport.get(id);
    return row ? (JSON.parse(row.doc) as ReportRecord) : undefined;
  }

  /** Reports (of one brand, or all) newest first (by createdAt, then id). */
  async listReports(brand?: string): Promise<ReportRecord[]> {
    const rows = brand === undefined ? this.stmt.listReports.all() : this.stmt.listReportsOfBrand.all(brand);
    return rows.map((r) => JSON.parse(r.doc) as ReportRecord);
  }

  async saveUser(user: UserRecord): Promise<void> {
    const name = requireId(user?.username, 'user.username');
    this.write(() => this.stmt.saveUser.run(name, JSON.stringify(user)));
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    const row = this.stmt.getUser.get(username);
    return row ? (JSON.parse(row.doc) as UserRecord) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.stmt.listUsers.all().map((r) => JSON.parse(r.doc) as UserRecord);
  }

  /** One transaction: a removed user keeps no token or session that could still sign in. */
  async removeUser(username: string): Promise<boolean> {
    return this.write(() =>
      this.db.transaction(() => {
        this.stmt.removeUserTokens.run(username);
        this.stmt.removeUserSessions.run(username);
        return this.stmt.removeUser.run(username).changes > 0;
      }).immediate(),
    );
  }

  async saveApiToken(token: ApiTokenRecord): Promise<void> {
    const id = requireId(token?.id, 'token.id');
    requireId(token.tokenHash, 'token.tokenHash');
    const username = requireId(token.username, 'token.username');
    this.write(() => this.stmt.saveToken.run(id, username, token.tokenHash, token.createdAt, JSON.stringify(token)));
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = this.stmt.tokenByHash.get(tokenHash);
    return row ? (JSON.parse(row.doc) as ApiTokenRecord) : undefined;
  }

  async listApiTokens(username?: string): Promise<ApiTokenRecord[]> {
    const rows = username === undefined ? this.stmt.listTokens.all() : this.stmt.listTokensOfUser.all(username);
    return rows.map((r) => JSON.parse(r.doc) as ApiTokenRecord);
  }

  async removeApiToken(id: string): Promise<boolean> {
    return this.write(() => this.stmt.removeToken.run(id).changes > 0);
  }

  async saveSession(session: SessionRecord): Promise<void> {
    const id = requireId(session?.idHash, 'session.idHash');
    const username = requireId(session.username, 'session.username');
    this.write(() => this.stmt.saveSession.run(id, username, session.expiresAt, JSON.stringify(session)));
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = this.stmt.getSession.get(idHash);
    return row ? (JSON.parse(row.doc) as SessionRecord) : undefined;
  }

  async removeSession(idHash: string): Promise<boolean> {
    return this.write(() => this.stmt.removeSession.run(idHash).changes > 0);
  }

  async removeExpiredSessions(now: string): Promise<number> {
    return this.write(() => this.stmt.removeExpiredSessions.run(now).changes);
  }

  /**
   * Runs one write (a statement or a transaction, all or nothing). A lock another process held for
   * longer than the busy timeout becomes one clear error instead of SQLite's "database is locked";
   * nothing of the write was saved, so the caller (a crawl, a worker job) may simply try again.
   */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      // Exit code 1, not 2: the lock is transient, so a queue job that meets it is tried again
      // (workers/processors.ts gives up at once only on code 2, bad input).
      if (isBusy(err))
        throw new VocError(
          {
            en: `the data store ${this.file} stayed locked by another process for ${this.busyTimeoutMs / 1000} s, so nothing of this write was saved; wait for that voc process to finish (or stop it) and try again`,
            zh: `数据存储 ${this.file} 被另一个进程锁定了 ${this.busyTimeoutMs / 1000} 秒，本次写入没有保存任何内容；请等那个 voc 进程结束（或停止它）后重试`,
          },
          1,
        );
      throw err;
    }
  }

  /** `ok` when SQLite finds the file sound, else its list of problems (for `voc doctor` and tests). */
  integrityCheck(): string {
    const rows = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('\n');
  }

  /** Schema version stored in the file (`PRAGMA user_version`). */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** WHERE clause and named parameters of a post query; only the filters present are used. */
  private postFilter(q: PostQuery): { sql: string; params: Record<string, string> } {
    const clauses: string[] = [];
    const params: Record<string, string> = {};
    if (q.brand !== undefined) (clauses.push('brand = @brand'), (params.brand = q.brand));
    if (q.targetId !== undefined) (clauses.push('target_id = @targetId'), (params.targetId = q.targetId));
    if (q.from !== undefined) (clauses.push('published_at >= @from'), (params.from = q.from));
    if (q.to !== undefined) (clauses.push('published_at < @to'), (params.to = q.to));
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  /** Statements built from a small set of filter combinations, prepared once each. */
  private cached(sql: string): Database.Statement {
    let stmt = this.queryCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.queryCache.set(sql, stmt);
    }
    return stmt;
  }
}

/**
 * Connection settings, applied on every open (they are per connection, except journal_mode).
 *
 * synchronous = NORMAL rather than FULL: in WAL mode NORMAL already makes every committed
 * transaction survive a killed *process* (the commit is in the WAL file, which the OS keeps), and
 * a transaction cut short is rolled back on the next open, so no half-written batch is ever seen.
 * What NORMAL gives up is durability of the last few commits on a *power loss*, and even then the
 * file stays consistent and WAL recovery keeps commits in order (crawl state written after its
 * posts is never kept without them). Those posts are simply crawled again, since every write is
 * idempotent; FULL would pay an fsync per commit for that, slowing page-by-page crawls a lot.
 */
function configure(db: Db, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

/** Runs `fn` again after a short wait while SQLite reports the database busy, up to `timeoutMs`. */
function retryWhileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      // A synchronous wait: opening is synchronous, and this runs only while another process holds the lock.
      Atomics.wait(WAIT_CELL, 0, 0, Math.min(200, 5 * 2 ** attempt));
    }
  }
}
const WAIT_CELL = new Int32Array(new SharedArrayBuffer(4));

/** Whether SQLite reported the database busy or locked by another connection (SQLITE_BUSY*). */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Brings the schema up to EMBEDDED_SCHEMA_VERSION; safe when several processes open at once. */
function migrate(db: Db, file: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const check = (v: number) => {
    if (v > EMBEDDED_SCHEMA_VERSION) {
      throw new VocError({
        en: `${file} has schema version ${v}, newer than this voc understands (${EMBEDDED_SCHEMA_VERSION}): upgrade voc or use another data directory`,
        zh: `${file} 的结构版本为 ${v}，比当前 voc 能识别的版本（${EMBEDDED_SCHEMA_VERSION}）更新：请升级 voc，或换一个数据目录`,
      });
    }
  };
  check(version());
  if (version() === EMBEDDED_SCHEMA_VERSION) return;
  db.transaction(() => {
    // Re-read under the write lock: another process may have migrated while we waited for it.
    const from = version();
    check(from);
    for (let v = from; v < EMBEDDED_SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
    db.pragma(`user_version = ${EMBEDDED_SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Opens (creating if needed) the embedded store of `dataDir`: the directory and its `voc.sqlite`.
 * Throws a one-line VocError when the directory cannot be created or the file is not a voc store.
 */
export function openEmbeddedStore(dataDir: string, options: EmbeddedStoreOptions = {}): EmbeddedStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  if (typeof dataDir !== 'string' || dataDir.trim() === '') {
    throw new InputError({ en: 'data directory: expected a path (e.g. --data-dir .voc-data)', zh: '数据目录：应为路径（例如 --data-dir .voc-data）' });
  }
  ensureDataDir(dataDir);
  const file = join(dataDir, EMBEDDED_DB_FILE);
  let db: Db | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    const opened = db;
    // Two processes opening a new data directory at once can meet SQLITE_BUSY in the journal-mode
    // switch and the first schema read, where SQLite returns at once instead of calling the busy
    // handler (it would risk a deadlock); waiting and trying again is what the handler would have done.
    retryWhileBusy(() => configure(opened, busyTimeoutMs), busyTimeoutMs);
    retryWhileBusy(() => migrate(opened, file), busyTimeoutMs);
    return new EmbeddedStore(db, file);
  } catch (err) {
    db?.close();
    if (err instanceof VocError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    if (isBusy(err))
      throw new VocError({
        en: `cannot open the data store ${file}: another process kept it locked for ${busyTimeoutMs / 1000} s; wait for that voc process to finish (or stop it) and try again`,
        zh: `无法打开数据存储 ${file}：另一个进程已将其锁定超过 ${busyTimeoutMs / 1000} 秒；请等那个 voc 进程结束（或停止它）后重试`,
      });
    throw new VocError({
      en: `cannot open the data store ${file}: ${reason}; check that ${dataDir} is a voc data directory and is writable`,
      zh: `无法打开数据存储 ${file}：${reason}；请确认 ${dataDir} 是 voc 数据目录并且可写`,
    });
  }
}
