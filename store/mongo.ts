/**
 * The production Store on MongoDB (official driver). Each record uses its id as `_id`, so lookups
 * and upserts hit the primary index; `_id` is stripped from everything returned.
 *
 * Several workers write at once and a standalone server has no multi-document transactions, so
 * `upsertPosts` reads the stored hashes of the batch, writes only what changed in one unordered
 * `bulkWrite`, and settles the one race that can happen (another worker inserted the same post
 * between our read and our write) instead of failing the page.
 */
import {
  MongoBulkWriteError,
  MongoClient,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
} from 'mongodb';
import { InputError, VocError } from '../core/errors.js';
import type { Classification, Post, Run, Target } from '../core/types.js';
import type { ApiTokenRecord, CrawlState, PostQuery, ReportRecord, SessionRecord, Store, UpsertResult, UserRecord } from './store.js';
import { planUpsert, type PlannedWrite, type StoredVersion } from './upsert-plan.js';
import { checkClassifications, checkLimit, inIdOrder, normalizeQuery, preparePosts, requireId, uniqueIds } from './validate.js';

type PostDoc = Post & { _id: string };
type ClassificationDoc = Classification & { _id: string };
type TargetDoc = Target & { _id: string };
type RunDoc = Run & { _id: string };
type ReportDoc = ReportRecord & { _id: string };
type UserDoc = UserRecord & { _id: string };
type ApiTokenDoc = ApiTokenRecord & { _id: string };
type SessionDoc = SessionRecord & { _id: string };
/**
 * Validators are kept as a list: their keys are URLs, and field names with `.` or `$` are
 * refused or ambiguous on many MongoDB versions.
 */
type CrawlStateDoc = Omit<CrawlState, 'etags'> & {
  _id: string;
  etags?: Array<{ url: string; etag?: string; lastModified?: string }>;
};

/** `$in` lists are cut to this size so one command stays far below MongoDB's 16 MB limit. */
const ID_CHUNK = 5_000;
const DUPLICATE_KEY = 11000;
const NO_ID = { projection: { _id: 0 } } as const;

function chunks<T>(items: T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function postDoc(post: Post): PostDoc {
  return { _id: post.id, ...post };
}

function crawlStateToDoc(state: CrawlState): CrawlStateDoc {
  const { etags, ...rest } = state;
  const doc: CrawlStateDoc = { _id: state.targetId, ...rest };
  if (etags) doc.etags = Object.entries(etags).map(([url, v]) => ({ url, ...v }));
  return doc;
}

function docToCrawlState(doc: CrawlStateDoc): CrawlState {
  const { _id, etags, ...rest } = doc;
  const state: CrawlState = { ...rest };
  if (etags) state.etags = Object.fromEntries(etags.map(({ url, ...v }) => [url, v]));
  return state;
}

// Replacements carry no _id: MongoDB keeps the existing one, or takes it from the `{ _id }`
// filter on an upsert.

/** Store on a MongoDB database; create it with `openMongoStore(uri)`. */
export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  private readonly posts: Collection<PostDoc>;
  private readonly classifications: Collection<ClassificationDoc>;
  private readonly targets: Collection<TargetDoc>;
  private readonly crawlState: Collection<CrawlStateDoc>;
  private readonly runs: Collection<RunDoc>;
  private readonly reports: Collection<ReportDoc>;
  private readonly users: Collection<UserDoc>;
  private readonly apiTokens: Collection<ApiTokenDoc>;
  private readonly sessions: Collection<SessionDoc>;

  /** Wraps a connected client; use `openMongoStore`, which also creates the indexes. */
  constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {
    this.posts = db.collection<PostDoc>('posts');
    this.classifications = db.collection<ClassificationDoc>('classifications');
    this.targets = db.collection<TargetDoc>('targets');
    this.crawlState = db.collection<CrawlStateDoc>('crawlState');
    this.runs = db.collection<RunDoc>('runs');
    this.reports = db.collection<ReportDoc>('reports');
    this.users = db.collection<UserDoc>('users');
    this.apiTokens = db.collection<ApiTokenDoc>('apiTokens');
    this.sessions = db.collection<SessionDoc>('sessions');
  }

  /** Creates the indexes the queries rely on (idempotent: existing ones are left as they are). */
  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.posts.createIndexes([
        // Not unique: a post's _id is `source:externalId`, which already makes the pair unique, and
        // MongoDB shards a collection only if every unique index starts with the shard key
        // ({ _id: 'hashed' } here, see docs/workers.md).
        { key: { source: 1, externalId: 1 }, name: 'source_externalId' },
        { key: { brand: 1, publishedAt: 1, _id: 1 }, name: 'brand_publishedAt' },
        { key: { publishedAt: 1, _id: 1 }, name: 'publishedAt' },
        { key: { targetId: 1, publishedAt: 1, _id: 1 }, name: 'targetId_publishedAt' },
      ]),
      this.classifications.createIndexes([
        // Not unique for the same reason: a classification's _id is its post id.
        { key: { postId: 1 }, name: 'postId' },
        { key: { lexiconVersion: 1 }, name: 'lexiconVersion' },
      ]),
      this.runs.createIndex({ startedAt: -1, _id: -1 }, { name: 'startedAt' }),
      this.reports.createIndex({ brand: 1, createdAt: -1, _id: -1 }, { name: 'brand_createdAt' }),
      this.apiTokens.createIndexes([
        { key: { tokenHash: 1 }, name: 'tokenHash', unique: true },
        { key: { username: 1, createdAt: 1, _id: 1 }, name: 'username_createdAt' },
      ]),
      this.sessions.createIndexes([
        { key: { username: 1 }, name: 'username' },
        { key: { expiresAt: 1 }, name: 'expiresAt' },
      ]),
    ]);
  }

  async upsertPosts(posts: Post[]): Promise<UpsertResult> {
    const prepared = preparePosts(posts);
    if (prepared.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
    const { writes, ...result } = planUpsert(prepared, await this.storedVersions(prepared.map((p) => p.id)));
    if (writes.length === 0) return result;

    // Classifications of edited posts go first: if we crash before the posts are written, the
    // next run sees the old hash again and redoes the edit; the other order could leave an
    // edited post with a classification of its old text.
    await this.dropClassifications(writes.filter((w) => w.kind === 'update').map((w) => w.post.id));

    const ops: AnyBulkWriteOperation<PostDoc>[] = writes.map((w) =>
      w.kind === 'insert'
        ? { insertOne: { document: postDoc(w.post) } }
        : { replaceOne: { filter: { _id: w.post.id }, replacement: { ...w.post } } },
    );
    let raced: PlannedWrite[] = [];
    try {
      await this.posts.bulkWrite(ops, { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      const isInsertRace = (e: { code: number; index: number }) =>
        e.code === DUPLICATE_KEY && writes[e.index]?.kind === 'insert';
      if (errors.length === 0 || err.err || !errors.every(isInsertRace)) throw err;
      raced = errors.map((e) => writes[e.index]!);
    }
    if (raced.length > 0) await this.settleInsertRaces(raced, result);
    return result;
  }

  /**
   * Another worker inserted some of our "new" posts first. Same hash: ours is unchanged. Another
   * hash: ours is an edit of theirs, written the way planUpsert writes edits.
   */
  private async settleInsertRaces(raced: PlannedWrite[], result: UpsertResult): Promise<void> {
    const stored = await this.storedVersions(raced.map((w) => w.post.id));
    const edits: Post[] = [];
    const unchanged = new Set<string>();
    for (const { post } of raced) {
      const theirs = stored.get(post.id);
      result.inserted--;
      if (theirs && theirs.contentHash === post.contentHash) {
        result.unchanged++;
        unchanged.add(post.id);
      } else {
        result.updated++;
        edits.push({ ...post, collectedAt: theirs?.collectedAt ?? post.collectedAt, updatedAt: post.collectedAt });
      }
    }
    result.changedIds = result.changedIds.filter((id) => !unchanged.has(id));
    if (edits.length === 0) return;
    await this.dropClassifications(edits.map((p) => p.id));
    await this.posts.bulkWrite(
      edits.map((p) => ({ replaceOne: { filter: { _id: p.id }, replacement: { ...p }, upsert: true } })),
      { ordered: false },
    );
  }

  private async storedVersions(ids: string[]): Promise<Map<string, StoredVersion>> {
    const stored = new Map<string, StoredVersion>();
    for (const part of chunks(uniqueIds(ids))) {
      const cursor = this.posts.find(
        { _id: { $in: part } },
        { projection: { _id: 1, contentHash: 1, collectedAt: 1 } },
      );
      for await (const doc of cursor) stored.set(doc._id, { contentHash: doc.contentHash, collectedAt: doc.collectedAt });
    }
    return stored;
  }

  private async dropClassifications(postIds: string[]): Promise<void> {
    for (const part of chunks(postIds)) await this.classifications.deleteMany({ _id: { $in: part } });
  }

  async getPosts(ids: string[]): Promise<Post[]> {
    const wanted = uniqueIds(ids);
    const found: Post[] = [];
    for (const part of chunks(wanted)) found.push(...((await this.posts.find({ _id: { $in: part } }, NO_ID).toArray()) as Post[]));
    return inIdOrder(wanted, found, (p) => p.id);
  }

  async queryPosts(query: PostQuery): Promise<Post[]> {
    const docs = await this.posts.find(postFilter(normalizeQuery(query)), NO_ID).sort({ publishedAt: 1, _id: 1 }).toArray();
    return docs as Post[];
  }

  async countPosts(query: PostQuery): Promise<number> {
    return this.posts.countDocuments(postFilter(normalizeQuery(query)));
  }

  async saveClassifications(items: Classification[]): Promise<void> {
    checkClassifications(items);
    if (items.length === 0) return;
    await this.classifications.bulkWrite(
      items.map((c) => ({ replaceOne: { filter: { _id: c.postId }, replacement: { ...c }, upsert: true } })),
      { ordered: false },
    );
  }

  async getClassifications(postIds: string[]): Promise<Classification[]> {
    const wanted = uniqueIds(postIds);
    const found: Classification[] = [];
    for (const part of chunks(wanted)) {
      found.push(...((await this.classifications.find({ _id: { $in: part } }, NO_ID).toArray()) as Classification[]));
    }
    return inIdOrder(wanted, found, (c) => c.postId);
  }

  async listUnclassified(lexiconVersion: string, brand?: string, limit?: number): Promise<string[]> {
    const max = checkLimit(limit, 'listUnclassified limit');
    const pipeline: object[] = [
      { $match: brand === undefined ? {} : { brand } },
      { $sort: { publishedAt: 1, _id: 1 } },
      // classifications use the post id as _id: at most one match per post.
      { $lookup: { from: 'classifications', localField: '_id', foreignField: '_id', as: 'c' } },
      // On an array field, $ne holds when no element equals: no classification, or another version.
      { $match: { 'c.lexiconVersion': { $ne: lexiconVersion } } },
      ...(max === undefined ? [] : [{ $limit: max }]),
      { $project: { _id: 1 } },
    ];
    const docs = await this.posts.aggregate<{ _id: string }>(pipeline, { allowDiskUse: true }).toArray();
    return docs.map((d) => d._id);
  }

  async saveTarget(target: Target): Promise<void> {
    const id = requireId(target?.id, 'target.id');
    await this.targets.replaceOne({ _id: id }, { ...target }, { upsert: true });
  }

  async getTarget(id: string): Promise<Target | undefined> {
    return ((await this.targets.findOne({ _id: id }, NO_ID)) as Target | null) ?? undefined;
  }

  async listTargets(): Promise<Target[]> {
    return (await this.targets.find({}, NO_ID).sort({ _id: 1 }).toArray()) as Target[];
  }

  /** Removes the target and its crawl state (so a re-added target starts afresh); its posts stay. */
  async removeTarget(id: string): Promise<boolean> {
    await this.crawlState.deleteOne({ _id: id });
    const { deletedCount } = await this.targets.deleteOne({ _id: id });
    return deletedCount > 0;
  }

  async getCrawlState(targetId: string): Promise<CrawlState | undefined> {
    const doc = await this.crawlState.findOne({ _id: targetId });
    return doc ? docToCrawlState(doc) : undefined;
  }

  async saveCrawlState(state: CrawlState): Promise<void> {
    const id = requireId(state?.targetId, 'crawlState.targetId');
    await this.crawlState.replaceOne({ _id: id }, crawlStateToDoc(state), { upsert: true });
  }

  async saveRun(run: Run): Promise<void> {
    const id = requireId(run?.id, 'run.id');
    if (typeof run.startedAt !== 'string')
      throw new InputError({ en: `run ${id}: startedAt must be an ISO time string`, zh: `运行 ${id}：startedAt 必须是 ISO 时间字符串` });
    await this.runs.replaceOne({ _id: id }, { ...run }, { upsert: true });
  }

  async getRun(id: string): Promise<Run | undefined> {
    return ((await this.runs.findOne({ _id: id }, NO_ID)) as Run | null) ?? undefined;
  }

  /** Runs newest first (by startedAt, then id). */
  async listRuns(limit?: number): Promise<Run[]> {
    const max = checkLimit(limit, 'listRuns limit') ?? 0; // limit(0): no limit
    return (await this.runs.find({}, NO_ID).sort({ startedAt: -1, _id: -1 }).limit(max).toArray()) as Run[];
  }

  async saveReport(report: ReportRecord): Promise<void> {
    const id = requireId(report?.id, 'report.id');
    if (typeof report.brand !== 'string') throw new InputError({ en: `report ${id}: brand must be a string`, zh: `报告 ${id}：brand 必须是字符串` });
    if (typeof report.createdAt !== 'string')
      throw new InputError({ en: `report ${id}: createdAt must be an ISO time string`, zh: `报告 ${id}：createdAt 必须是 ISO 时间字符串` });
    await this.reports.replaceOne({ _id: id }, { ...report }, { upsert: true });
  }

  async getReport(id: string): Promise<ReportRecord | undefined> {
    return ((await this.reports.findOne({ _id: id }, NO_ID)) as ReportRecord | null) ?? undefined;
  }

  /** Reports (of one brand, or all) newest first (by createdAt, then id). */
  async listReports(brand?: string): Promise<ReportRecord[]> {
    const filter = brand === undefined ? {} : { brand };
    return (await this.reports.find(filter, NO_ID).sort({ createdAt: -1, _id: -1 }).toArray()) as ReportRecord[];
  }

  async saveUser(user: UserRecord): Promise<void> {
    const id = requireId(user?.username, 'user.username');
    await this.users.replaceOne({ _id: id }, { ...user }, { upsert: true });
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    return ((await this.users.findOne({ _id: username }, NO_ID)) as UserRecord | null) ?? undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.users.find({}, NO_ID).sort({ _id: 1 }).toArray()) as UserRecord[];
  }

  /** Tokens and sessions go first: a crash half-way leaves a user who can log in again, never a token without its user. */
  async removeUser(username: string): Promise<boolean> {
    await this.apiTokens.deleteMany({ username });
    await this.sessions.deleteMany({ username });
    const { deletedCount } = await this.users.deleteOne({ _id: username });
    return deletedCount > 0;
  }

  async saveApiToken(token: ApiTokenRecord): Promise<void> {
    const id = requireId(token?.id, 'token.id');
    requireId(token.tokenHash, 'token.tokenHash');
    await this.apiTokens.replaceOne({ _id: id }, { ...token }, { upsert: true });
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    return ((await this.apiTokens.findOne({ tokenHash }, NO_ID)) as ApiTokenRecord | null) ?? undefined;
  }

  async listApiTokens(username?: string): Promise<ApiTokenRecord[]> {
    const filter = username === undefined ? {} : { username };
    return (await this.apiTokens.find(filter, NO_ID).sort({ createdAt: 1, _id: 1 }).toArray()) as ApiTokenRecord[];
  }

  async removeApiToken(id: string): Promise<boolean> {
    return (await this.apiTokens.deleteOne({ _id: id })).deletedCount > 0;
  }

  async saveSession(session: SessionRecord): Promise<void> {
    const id = requireId(session?.idHash, 'session.idHash');
    await this.sessions.replaceOne({ _id: id }, { ...session }, { upsert: true });
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    return ((await this.sessions.findOne({ _id: idHash }, NO_ID)) as SessionRecord | null) ?? undefined;
  }

  async removeSession(idHash: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ _id: idHash })).deletedCount > 0;
  }

  async removeExpiredSessions(now: string): Promise<number> {
    return (await this.sessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function postFilter(q: PostQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (q.brand !== undefined) filter.brand = q.brand;
  if (q.targetId !== undefined) filter.targetId = q.targetId;
  // Instants are canonical ISO strings (validate.ts), so string order is time order.
  const range: Record<string, string> = {};
  if (q.from !== undefined) range.$gte = q.from;
  if (q.to !== undefined) range.$lt = q.to;
  if (Object.keys(range).length > 0) filter.publishedAt = range;
  return filter;
}

/** The URI with its password replaced by `****`, for messages and logs. */
export function maskMongoUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:****@');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The database named in the URI path (`mongodb://host/voc` -> `voc`), if any. */
function dbNameFromUri(uri: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/i.exec(uri);
  return m?.[1] ? safeDecode(m[1]) : undefined;
}

export interface MongoStoreOptions {
  /** How long to look for a reachable server before giving up (default 10 s; a URI option wins). */
  serverSelectionTimeoutMS?: number;
}

/**
 * Connects to MongoDB and returns a MongoStore on `dbName` (default: the database in the URI,
 * else `voc`), creating the indexes. A malformed URI gives an InputError, an unreachable server
 * or a refused login a one-line VocError naming the URI with its password masked.
 */
export async function openMongoStore(uri: string, dbName?: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const shown = maskMongoUri(String(uri));
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@/]*)@/i.exec(String(uri))?.[1];
  // Driver messages name hosts, not credentials, but mask anything that looks like them anyway.
  // A very short password is left alone in the reason: masking it would garble ordinary words.
  const reasonOf = (err: unknown) => {
    let text = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.split(String(uri)).join(shown);
    if (password && password.length >= 6) {
      for (const form of new Set([password, safeDecode(password)])) text = text.split(form).join('****');
    }
    return text;
  };

  let client: MongoClient;
  try {
    const timeout = /[?&]serverSelectionTimeoutMS=/i.test(uri) ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000 };
    // ignoreUndefined: optional fields left undefined are omitted, not stored as null.
    client = new MongoClient(uri, { ...timeout, ignoreUndefined: true, appName: 'voc' });
  } catch (err) {
    const reason = reasonOf(err);
    throw new InputError({
      en: `MongoDB URI ${shown}: ${reason}; expected mongodb://[user:password@]host[:port]/[database]`,
      zh: `MongoDB URI ${shown}：${reason}；应为 mongodb://[user:password@]host[:port]/[database]`,
    });
  }
  try {
    await client.connect();
    const store = new MongoStore(client, client.db(dbName ?? dbNameFromUri(uri) ?? 'voc'));
    await store.ensureIndexes();
    return store;
  } catch (err) {
    await client.close().catch(() => undefined);
    const reason = reasonOf(err);
    throw new VocError({
      en: `cannot use MongoDB at ${shown}: ${reason}; check that the server is running and reachable from here, and the user name, password and database rights in the URI (or unset MONGODB_URI to use the embedded store)`,
      zh: `无法使用 ${shown} 上的 MongoDB：${reason}；请确认服务器正在运行、本机可以访问，并检查 URI 中的用户名、密码和数据库权限（或取消设置 MONGODB_URI，改用内置存储）`,
    });
  }
}
