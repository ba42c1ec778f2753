/**
 * One contract for every Store: the embedded store always, MongoDB when MONGODB_URI is set.
 * Fixtures are small and hand-made so that every figure asserted below is known exactly.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { emptyRunStats, type Classification, type Post, type Run, type Target } from '../core/types.js';
import { openEmbeddedStore } from '../store/embedded.js';
import { openMongoStore } from '../store/mongo.js';
import type { ReportRecord, Store } from '../store/store.js';

const COLLECTED = '2026-10-05T00:00:00.000Z';
const RECRAWLED = '2026-10-06T12:00:00.000Z';

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function makePost(source: string, externalId: string, publishedAt: string, extra: Partial<Post> = {}): Post {
  const text = extra.text ?? `${source} ${externalId}: 客服排队太久 / the queue was long`;
  return {
    id: `${source}:${externalId}`,
    source,
    externalId,
    url: `https://forum.example/t/${externalId}`,
    threadId: 't-1',
    authorHash: 'a1b2c3',
    text,
    lang: 'zh',
    publishedAt,
    collectedAt: COLLECTED,
    engagement: { likes: 3, replies: 1 },
    contentHash: sha(text),
    targetId: 'forum',
    brand: 'acme',
    ...extra,
  };
}

function edited(post: Post, text: string, collectedAt = RECRAWLED): Post {
  return { ...post, text, contentHash: sha(text), collectedAt };
}

function makeClassification(postId: string, lexiconVersion: string, label: 'pos' | 'neg' = 'neg', brand = 'acme'): Classification {
  return {
    postId,
    brand,
    lang: 'zh',
    channels: [{ channel: 'customer_service', polarity: 'neg', alias: '客服', evidence: { start: 0, end: 2, text: '客服' } }],
    descriptors: [],
    sentiment: { label, score: label === 'neg' ? -0.8 : 0.6 },
    aspects: [],
    scenarios: [],
    question: { isQuestion: false, about: [] },
    breakpoints: [],
    spam: false,
    lexiconVersion,
  };
}

function makeTarget(id: string, extra: Partial<Target> = {}): Target {
  return {
    id,
    kind: 'html',
    url: `https://forum.example/${id}`,
    brand: 'acme',
    source: 'demo-forum',
    selectors: { item: '.post', text: '.body', time: 'time@datetime' },
    maxPages: 5,
    delayMs: 1000,
    allowPrivate: false,
    timeZone: 'Asia/Shanghai',
    ...extra,
  };
}

function makeRun(id: string, startedAt: string, status: Run['status'] = 'succeeded'): Run {
  return { id, kind: 'crawl', targetIds: ['forum'], status, startedAt, stats: { ...emptyRunStats(), postsNew: 2 }, errors: [] };
}

function makeReport(id: string, brand: string, createdAt: string): ReportRecord {
  return {
    id,
    brand,
    period: '2026-10',
    from: '2026-09-30T16:00:00.000Z',
    to: '2026-10-31T16:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    locale: 'zh-CN',
    lexiconVersion: 'lex-1',
    createdAt,
    postCount: 2,
    files: [{ format: 'html', path: `reports/${id}.html`, sha256: sha(id), bytes: 1234 }],
    postIds: ['demo:1', 'demo:2'],
  };
}

/** Runs the whole Store contract against stores made by `makeStore` (a fresh, empty one per test). */
export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    // Six posts over two brands; two share a publishedAt so the id tie-break shows.
    const a = makePost('demo', 'a', '2026-10-01T00:00:00.000Z');
    const b = makePost('demo', 'b', '2026-10-02T08:00:00.000Z');
    const c = makePost('demo', 'c', '2026-10-02T08:00:00.000Z', { targetId: 'forum-2' });
    const d = makePost('demo', 'd', '2026-10-31T23:59:59.999Z');
    const e = makePost('demo', 'e', '2026-11-01T00:00:00.000Z');
    const z = makePost('other', 'z', '2026-10-15T00:00:00.000Z', { brand: 'globex', targetId: 'other-forum' });
    const all = [e, d, c, b, a, z]; // deliberately not in time order

    describe('upsertPosts', () => {
      it(`reports kind ${name}`, () => {
        expect(store.kind).toBe(name);
      });

      it('inserts new posts, returns them as changed, and stores them field for field', async () => {
        expect(await store.upsertPosts([a, b, z])).toEqual({ inserted: 3, updated: 0, unchanged: 0, changedIds: [a.id, b.id, z.id] });
        expect(await store.getPosts([a.id, b.id, z.id])).toEqual([a, b, z]);
        expect(await store.countPosts({})).toBe(3);
      });

      it('writes nothing for posts whose content hash is unchanged, even if other fields moved', async () => {
        await store.upsertPosts([a, b]);
        const moreLikes = { ...a, engagement: { likes: 99 }, collectedAt: RECRAWLED };
        expect(await store.upsertPosts([moreLikes, b])).toEqual({ inserted: 0, updated: 0, unchanged: 2, changedIds: [] });
        const [storedA] = await store.getPosts([a.id]);
        expect(storedA).toEqual(a);
        expect(storedA!.updatedAt).toBeUndefined();
      });

      it('updates an edited post: new text and hash, updatedAt set, collectedAt kept', async () => {
        await store.upsertPosts([a, b]);
        const a2 = edited(a, '客服终于回复了 / support finally answered');
        expect(await store.upsertPosts([a2, b, c])).toEqual({ inserted: 1, updated: 1, unchanged: 1, changedIds: [a.id, c.id] });
        const [storedA] = await store.getPosts([a.id]);
        expect(storedA).toEqual({ ...a2, collectedAt: COLLECTED, updatedAt: RECRAWLED });
        expect(await store.countPosts({})).toBe(3);
      });

      it('keys posts on (source, externalId): one row per pair, distinct sources kept apart', async () => {
        const sameIdOtherSource = makePost('other', 'a', '2026-10-01T00:00:00.000Z');
        await store.upsertPosts([a]);
        expect(await store.upsertPosts([{ ...a }, sameIdOtherSource])).toEqual({
          inserted: 1,
          updated: 0,
          unchanged: 1,
          changedIds: ['other:a'],
        });
        expect((await store.queryPosts({})).map((p) => p.id)).toEqual(['demo:a', 'other:a']);
      });

      it('handles the same post twice in one batch: counted once inserted, the repeat unchanged or updated', async () => {
        expect(await store.upsertPosts([a, a])).toEqual({ inserted: 1, updated: 0, unchanged: 1, changedIds: [a.id] });
        const b2 = edited(b, 'edited within the batch');
        expect(await store.upsertPosts([b, b2])).toEqual({ inserted: 1, updated: 1, unchanged: 0, changedIds: [b.id] });
        expect(await store.getPosts([b.id])).toEqual([{ ...b2, collectedAt: COLLECTED, updatedAt: RECRAWLED }]);
        expect(await store.countPosts({})).toBe(2);
      });

      it('accepts an empty batch', async () => {
        expect(await store.upsertPosts([])).toEqual({ inserted: 0, updated: 0, unchanged: 0, changedIds: [] });
        expect(await store.countPosts({})).toBe(0);
      });

      it('refuses a batch with a bad post and writes none of it', async () => {
        const wrongId = { ...b, id: 'demo:not-b' };
        await expect(store.upsertPosts([a, wrongId, c])).rejects.toThrow(InputError);
        await expect(store.upsertPosts([a, wrongId, c])).rejects.toThrow('post "demo:not-b": id must be "demo:b"');
        const badTime = { ...b, publishedAt: 'yesterday' };
        await expect(store.upsertPosts([a, badTime])).rejects.toThrow('post "demo:b": publishedAt: expected an ISO-8601 time');
        expect(await store.countPosts({})).toBe(0);
      });

      it('stores publishedAt in canonical UTC form whatever offset it came with', async () => {
        const local = makePost('demo', 'tz', '2026-10-03T16:15:00+08:00');
        await store.upsertPosts([local]);
        expect((await store.getPosts([local.id]))[0]!.publishedAt).toBe('2026-10-03T08:15:00.000Z');
        expect(await store.countPosts({ from: '2026-10-03T08:15:00.000Z', to: '2026-10-03T08:15:00.001Z' })).toBe(1);
      });

      it('upserts 10,000 posts in one call', async () => {
        const many = Array.from({ length: 10_000 }, (_, i) =>
          makePost('bulk', String(i).padStart(5, '0'), new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString()),
        );
        const first = await store.upsertPosts(many);
        expect([first.inserted, first.updated, first.unchanged, first.changedIds.length]).toEqual([10_000, 0, 0, 10_000]);
        const again = await store.upsertPosts(many);
        expect([again.inserted, again.updated, again.unchanged, again.changedIds.length]).toEqual([0, 0, 10_000, 0]);
        expect(await store.countPosts({ brand: 'acme' })).toBe(10_000);
      });
    });

    describe('getPosts / queryPosts / countPosts', () => {
      beforeEach(async () => {
        await store.upsertPosts(all);
      });

      it('getPosts returns the known posts in the order asked and leaves unknown ids out', async () => {
        expect(await store.getPosts([c.id, 'demo:nope', a.id, c.id])).toEqual([c, a]);
        expect(await store.getPosts(['nope:1'])).toEqual([]);
        expect(await store.getPosts([])).toEqual([]);
      });

      it('orders by (publishedAt, id)', async () => {
        expect((await store.queryPosts({})).map((p) => p.id)).toEqual([a.id, b.id, c.id, z.id, d.id, e.id]);
      });

      it('filters by brand and by target', async () => {
        expect((await store.queryPosts({ brand: 'acme' })).map((p) => p.id)).toEqual([a.id, b.id, c.id, d.id, e.id]);
        expect((await store.queryPosts({ brand: 'globex' })).map((p) => p.id)).toEqual([z.id]);
        expect(await store.queryPosts({ brand: 'nobody' })).toEqual([]);
        expect((await store.queryPosts({ targetId: 'forum-2' })).map((p) => p.id)).toEqual([c.id]);
        expect((await store.queryPosts({ brand: 'acme', targetId: 'forum' })).map((p) => p.id)).toEqual([a.id, b.id, d.id, e.id]);
      });

      it('uses [from, to): from inclusive, to exclusive, to the millisecond', async () => {
        const october = { brand: 'acme', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' };
        expect((await store.queryPosts(october)).map((p) => p.id)).toEqual([a.id, b.id, c.id, d.id]);
        expect(await store.countPosts(october)).toBe(4);
        // The same bounds spelled without milliseconds select the same posts.
        expect(await store.countPosts({ brand: 'acme', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toBe(4);
        expect((await store.queryPosts({ from: '2026-10-01T00:00:00.001Z' })).map((p) => p.id)).toEqual([b.id, c.id, z.id, d.id, e.id]);
        expect((await store.queryPosts({ to: '2026-10-02T08:00:00.000Z' })).map((p) => p.id)).toEqual([a.id]);
        expect(await store.countPosts({ from: '2026-10-02T08:00:00.000Z', to: '2026-10-02T08:00:00.001Z' })).toBe(2);
        expect(await store.countPosts({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' })).toBe(0);
      });

      it('counts what queryPosts returns', async () => {
        expect(await store.countPosts({})).toBe(6);
        expect(await store.countPosts({ brand: 'acme' })).toBe(5);
        expect(await store.countPosts({ brand: 'globex', from: '2026-10-15T00:00:00.000Z' })).toBe(1);
        expect(await store.countPosts({ targetId: 'forum' })).toBe(4);
      });

      it('refuses a malformed bound with an InputError naming it', async () => {
        await expect(store.queryPosts({ from: '10/01/2026' })).rejects.toThrow(InputError);
        await expect(store.countPosts({ to: 'soon' })).rejects.toThrow('query.to: expected an ISO-8601 time');
      });
    });

    describe('classifications', () => {
      beforeEach(async () => {
        await store.upsertPosts(all);
      });

      it('saves, returns in the order asked, and replaces one per post', async () => {
        const ca = makeClassification(a.id, 'lex-1');
        const cb = makeClassification(b.id, 'lex-1', 'pos');
        await store.saveClassifications([ca, cb]);
        expect(await store.getClassifications([b.id, 'demo:nope', a.id])).toEqual([cb, ca]);
        const ca2 = makeClassification(a.id, 'lex-2', 'pos');
        await store.saveClassifications([ca2]);
        expect(await store.getClassifications([a.id])).toEqual([ca2]);
        expect(await store.getClassifications([])).toEqual([]);
        await store.saveClassifications([]);
        expect(await store.getClassifications([a.id, b.id])).toEqual([ca2, cb]);
      });

      it('lists unclassified posts per lexicon version and brand, in (publishedAt, id) order', async () => {
        expect(await store.listUnclassified('lex-1')).toEqual([a.id, b.id, c.id, z.id, d.id, e.id]);
        await store.saveClassifications([
          makeClassification(a.id, 'lex-1'),
          makeClassification(c.id, 'lex-1'),
          makeClassification(z.id, 'lex-1', 'neg', 'globex'),
          makeClassification(d.id, 'lex-2'),
        ]);
        expect(await store.listUnclassified('lex-1')).toEqual([b.id, d.id, e.id]);
        expect(await store.listUnclassified('lex-1', 'acme')).toEqual([b.id, d.id, e.id]);
        expect(await store.listUnclassified('lex-1', 'globex')).toEqual([]);
        expect(await store.listUnclassified('lex-1', 'acme', 2)).toEqual([b.id, d.id]);
        expect(await store.listUnclassified('lex-2')).toEqual([a.id, b.id, c.id, z.id, e.id]);
        expect(await store.listUnclassified('lex-2', 'globex', 10)).toEqual([z.id]);
      });

      it('forgets the classification of an edited post, so it is listed as unclassified again', async () => {
        await store.saveClassifications([makeClassification(a.id, 'lex-1'), makeClassification(b.id, 'lex-1')]);
        await store.upsertPosts([edited(a, 'new text after an edit'), b]);
        expect(await store.getClassifications([a.id, b.id])).toEqual([makeClassification(b.id, 'lex-1')]);
        expect(await store.listUnclassified('lex-1', 'acme')).toEqual([a.id, c.id, d.id, e.id]);
      });
    });

    describe('targets', () => {
      it('saves, gets, lists by id, replaces and removes', async () => {
        expect(await store.getTarget('forum')).toBeUndefined();
        expect(await store.listTargets()).toEqual([]);
        const t1 = makeTarget('zz-forum');
        const t2 = makeTarget('aa-shop', { schedule: '0 * * * *', allowPrivate: true });
        await store.saveTarget(t1);
        await store.saveTarget(t2);
        expect(await store.getTarget('zz-forum')).toEqual(t1);
        expect(await store.listTargets()).toEqual([t2, t1]);
        const t1b = makeTarget('zz-forum', { maxPages: 9, url: 'https://forum.example/v2' });
        await store.saveTarget(t1b);
        expect(await store.getTarget('zz-forum')).toEqual(t1b);
        expect(await store.listTargets()).toHaveLength(2);
        expect(await store.removeTarget('zz-forum')).toBe(true);
        expect(await store.removeTarget('zz-forum')).toBe(false);
        expect(await store.getTarget('zz-forum')).toBeUndefined();
        expect(await store.listTargets()).toEqual([t2]);
      });

      it('drops the crawl state of a removed target', async () => {
        await store.saveTarget(makeTarget('forum'));
        await store.saveCrawlState({ targetId: 'forum', watermark: '2026-10-01T00:00:00.000Z', updatedAt: COLLECTED });
        await store.removeTarget('forum');
        expect(await store.getCrawlState('forum')).toBeUndefined();
      });
    });

    describe('crawl state', () => {
      it('saves and replaces per target, with URL-keyed validators intact', async () => {
        expect(await store.getCrawlState('forum')).toBeUndefined();
        const state = {
          targetId: 'forum',
          watermark: '2026-10-02T08:00:00.000Z',
          etags: {
            'https://forum.example/t?page=1&sort=new': { etag: 'W/"abc.1"', lastModified: 'Mon, 05 Oct 2026 00:00:00 GMT' },
            'https://forum.example/$special.page': { lastModified: 'Tue, 06 Oct 2026 00:00:00 GMT' },
          },
          updatedAt: COLLECTED,
        };
        await store.saveCrawlState(state);
        await store.saveCrawlState({ targetId: 'other', updatedAt: COLLECTED });
        expect(await store.getCrawlState('forum')).toEqual(state);
        const next = { targetId: 'forum', watermark: '2026-10-05T00:00:00.000Z', updatedAt: RECRAWLED };
        await store.saveCrawlState(next);
        expect(await store.getCrawlState('forum')).toEqual(next);
        expect(await store.getCrawlState('other')).toEqual({ targetId: 'other', updatedAt: COLLECTED });
      });
    });

    describe('runs', () => {
      it('saves, updates and lists newest first', async () => {
        const r1 = makeRun('run-1', '2026-10-01T00:00:00.000Z');
        const r2 = makeRun('run-2', '2026-10-03T00:00:00.000Z', 'running');
        const r3 = makeRun('run-3', '2026-10-02T00:00:00.000Z', 'failed');
        for (const r of [r1, r2, r3]) await store.saveRun(r);
        expect(await store.getRun('run-2')).toEqual(r2);
        expect(await store.getRun('run-9')).toBeUndefined();
        expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-2', 'run-3', 'run-1']);
        expect((await store.listRuns(2)).map((r) => r.id)).toEqual(['run-2', 'run-3']);
        const r2done = { ...r2, status: 'succeeded' as const, finishedAt: '2026-10-03T00:05:00.000Z', errors: ['page 3: HTTP 503'] };
        await store.saveRun(r2done);
        expect(await store.getRun('run-2')).toEqual(r2done);
        expect(await store.listRuns()).toEqual([r2done, r3, r1]);
      });

      it('lists an empty store as no runs and refuses a bad limit', async () => {
        expect(await store.listRuns()).toEqual([]);
        await expect(store.listRuns(0)).rejects.toThrow(InputError);
      });
    });

    describe('reports', () => {
      it('saves, gets and lists by brand, newest first', async () => {
        const r1 = makeReport('rep-1', 'acme', '2026-11-01T00:00:00.000Z');
        const r2 = makeReport('rep-2', 'globex', '2026-11-02T00:00:00.000Z');
        const r3 = makeReport('rep-3', 'acme', '2026-11-03T00:00:00.000Z');
        for (const r of [r1, r2, r3]) await store.saveReport(r);
        expect(await store.getReport('rep-2')).toEqual(r2);
        expect(await store.getReport('rep-9')).toBeUndefined();
        expect(await store.listReports('acme')).toEqual([r3, r1]);
        expect(await store.listReports('globex')).toEqual([r2]);
        expect(await store.listReports('nobody')).toEqual([]);
        expect((await store.listReports()).map((r) => r.id)).toEqual(['rep-3', 'rep-2', 'rep-1']);
      });
    });

    describe('users, API tokens and sessions', () => {
      const alice = { username: 'alice', role: 'analyst' as const, passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', createdAt: '2026-11-01T00:00:00.000Z' };
      const bob = { username: 'bob', role: 'viewer' as const, passwordHash: 'scrypt$16384$8$1$c2FsdA$b3RoZXI', createdAt: '2026-11-02T00:00:00.000Z' };
      const tok = (id: string, username: string, createdAt: string) => ({ id, username, name: `for ${id}`, tokenHash: sha(id), createdAt });
      const session = (idHash: string, username: string, expiresAt: string) => ({ idHash, username, csrfToken: `csrf-${idHash}`, createdAt: '2026-11-01T00:00:00.000Z', expiresAt });

      it('saves, replaces, lists and removes users', async () => {
        await store.saveUser(bob);
        await store.saveUser(alice);
        expect(await store.getUser('alice')).toEqual(alice);
        expect(await store.getUser('carol')).toBeUndefined();
        expect((await store.listUsers()).map((u) => u.username)).toEqual(['alice', 'bob']);
        await store.saveUser({ ...alice, role: 'admin' });
        expect((await store.getUser('alice'))?.role).toBe('admin');
        expect(await store.listUsers()).toHaveLength(2);
        expect(await store.removeUser('carol')).toBe(false);
        expect(await store.removeUser('bob')).toBe(true);
        expect((await store.listUsers()).map((u) => u.username)).toEqual(['alice']);
      });

      it('finds tokens by hash, lists them per user and revokes them', async () => {
        const t1 = tok('t1', 'alice', '2026-11-01T00:00:00.000Z');
        const t2 = { ...tok('t2', 'bob', '2026-11-02T00:00:00.000Z'), expiresAt: '2027-01-01T00:00:00.000Z' };
        const t3 = tok('t3', 'alice', '2026-11-03T00:00:00.000Z');
        for (const t of [t3, t2, t1]) await store.saveApiToken(t);
        expect(await store.getApiTokenByHash(sha('t2'))).toEqual(t2);
        expect(await store.getApiTokenByHash(sha('nope'))).toBeUndefined();
        expect((await store.listApiTokens()).map((t) => t.id)).toEqual(['t1', 't2', 't3']);
        expect((await store.listApiTokens('alice')).map((t) => t.id)).toEqual(['t1', 't3']);
        expect(await store.removeApiToken('t1')).toBe(true);
        expect(await store.removeApiToken('t1')).toBe(false);
        expect(await store.getApiTokenByHash(sha('t1'))).toBeUndefined();
      });

      it('keeps sessions until removed or expired', async () => {
        await store.saveSession(session('s1', 'alice', '2026-11-01T10:00:00.000Z'));
        await store.saveSession(session('s2', 'alice', '2026-11-01T12:00:00.000Z'));
        await store.saveSession(session('s3', 'bob', '2026-11-01T11:00:00.000Z'));
        expect(await store.getSession('s2')).toEqual(session('s2', 'alice', '2026-11-01T12:00:00.000Z'));
        expect(await store.removeExpiredSessions('2026-11-01T11:00:00.000Z')).toBe(2); // s1 and s3 (expiry inclusive)
        expect(await store.getSession('s1')).toBeUndefined();
        expect(await store.removeSession('s2')).toBe(true);
        expect(await store.removeSession('s2')).toBe(false);
      });

      it('removing a user removes their tokens and sessions', async () => {
        await store.saveUser(alice);
        await store.saveUser(bob);
        await store.saveApiToken(tok('ta', 'alice', '2026-11-01T00:00:00.000Z'));
        await store.saveApiToken(tok('tb', 'bob', '2026-11-01T00:00:00.000Z'));
        await store.saveSession(session('sa', 'alice', '2027-01-01T00:00:00.000Z'));
        await store.saveSession(session('sb', 'bob', '2027-01-01T00:00:00.000Z'));
        expect(await store.removeUser('alice')).toBe(true);
        expect(await store.getApiTokenByHash(sha('ta'))).toBeUndefined();
        expect(await store.getSession('sa')).toBeUndefined();
        expect((await store.listApiTokens()).map((t) => t.id)).toEqual(['tb']);
        expect(await store.getSession('sb')).toBeDefined();
      });
    });
  });
}

storeContract('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'voc-store-'));
  const store = openEmbeddedStore(join(dir, 'data'));
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return store;
});

const mongoUri = process.env.MONGODB_URI;
if (!mongoUri) console.warn('NOTICE: MONGODB_URI not set: MongoStore contract tests skipped');

describe.skipIf(!mongoUri)('MongoDB (MONGODB_URI)', () => {
  storeContract('mongo', async () => {
    const store = await openMongoStore(mongoUri!, `voc_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    const close = store.close.bind(store);
    store.close = async () => {
      await store.db.dropDatabase();
      await close();
    };
    return store;
  });
});
