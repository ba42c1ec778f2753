/**
 * The posts explorer's index (server/post-search.ts) on a real embedded store: it reads the store
 * in bounded time chunks yet sees every post exactly once, and it never serves a stale page once
 * posts were added or a run moved on.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { emptyRunStats, type Classification, type Post } from '../core/types.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { PostSearch, postsInTimeChunks } from '../server/post-search.js';

let dir: string;
let store: EmbeddedStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voc-search-'));
  store = openEmbeddedStore(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(n: number, publishedAt: string, text = `帖子 ${n}`): Post {
  return { id: `s:${n}`, source: 's', externalId: String(n), url: `https://s.example/${n}`, text, lang: 'zh', publishedAt, collectedAt: '2026-11-01T00:00:00.000Z', engagement: {}, contentHash: createHash('sha256').update(text).digest('hex'), targetId: 't', brand: 'acme' };
}

function classification(postId: string, kind?: 'runaround'): Classification {
  return {
    postId,
    brand: 'acme',
    lang: 'zh',
    channels: [],
    descriptors: [],
    sentiment: { label: 'neutral', score: 0 },
    aspects: [],
    scenarios: [],
    question: { isQuestion: false, about: [] },
    breakpoints: kind ? [{ channels: ['customer_service', 'store'], kind, cue: 'c', evidence: { start: 0, end: 1, text: 'x' } }] : [],
    spam: false,
    lexiconVersion: 'v1',
  };
}

it('reads every post once, in order, in chunks of at most 2000 (one instant is never split)', async () => {
  const posts: Post[] = [];
  // 4,500 posts over ten days, 2,100 of them at one and the same instant, and two far outside 1970..2200.
  for (let i = 0; i < 2400; i++) posts.push(post(i, new Date(Date.UTC(2026, 9, 1) + i * 360_000).toISOString()));
  for (let i = 2400; i < 4500; i++) posts.push(post(i, '2026-10-20T00:00:00.000Z'));
  posts.push(post(9001, '1969-07-20T20:17:00.000Z'), post(9002, '2300-01-01T00:00:00.000Z'));
  await store.upsertPosts(posts);
  const chunks: Post[][] = [];
  for await (const c of postsInTimeChunks(store)) chunks.push(c);
  expect(chunks.flat().map((p) => p.id)).toEqual((await store.queryPosts({})).map((p) => p.id));
  expect(chunks.flat().length).toBe(4502);
  const big = chunks.filter((c) => c.length > 2000);
  expect(big.map((c) => [c.length, c[0]!.publishedAt])).toEqual([[2100, '2026-10-20T00:00:00.000Z']]);
});

it('pages newest first and sees new posts and new runs at once', async () => {
  await store.upsertPosts([post(1, '2026-10-01T00:00:00.000Z'), post(2, '2026-10-02T00:00:00.000Z')]);
  await store.saveClassifications([classification('s:1'), classification('s:2', 'runaround')]);
  const search = new PostSearch(store, 'Asia/Shanghai');
  const ids = async (f = {}) => (await search.page(f, 1, 10)).items.map((h) => h.post.id);
  expect(await ids()).toEqual(['s:2', 's:1']);
  expect(await ids({ breakpoint: 'runaround' })).toEqual(['s:2']);

  await store.upsertPosts([post(3, '2026-10-03T00:00:00.000Z')]);
  expect(await ids()).toEqual(['s:3', 's:2', 's:1']);

  // A re-classification by a run (the post count does not change) is seen once the run is saved.
  await store.saveClassifications([classification('s:1', 'runaround')]);
  await store.saveRun({ id: 'r1', kind: 'crawl', targetIds: ['t'], status: 'succeeded', startedAt: '2026-11-01T00:00:00.000Z', stats: { ...emptyRunStats(), postsClassified: 1 }, errors: [] });
  expect(await ids({ breakpoint: 'runaround' })).toEqual(['s:2', 's:1']);
});
