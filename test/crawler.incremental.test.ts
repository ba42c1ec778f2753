/**
 * Incremental crawling against a real embedded store: only what is new is fetched, edits update
 * the stored post, `--since` bounds a crawl, the state carries a crawl over a crash, a page cap or
 * a failure, near-duplicates are marked, and a target that stops yielding raises the drift alarm
 * with a snapshot of the page.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../core/types.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { createCrawlContext, crawlTarget, readProgress, storeCallbacks, writeProgress, type CrawlContext, type CrawlTargetOptions } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

interface ForumPost {
  id: number;
  text: string;
  time: string;
}

const PER_PAGE = 4;

describe('incremental crawling', () => {
  let server: TestServer;
  let dir: string;
  let store: EmbeddedStore;
  let ctx: CrawlContext;
  const config = testConfig();
  let forum: ForumPost[] = [];
  let broken = false;
  let failPage: number | undefined;

  /** Newest first, like most forums and review sites. */
  function page(n: number): string {
    const items = forum.slice((n - 1) * PER_PAGE, n * PER_PAGE);
    const more = forum.length > n * PER_PAGE;
    const body = broken
      ? items.map((p) => `<section class="entry"><p>${p.text}</p></section>`).join('')
      : items.map((p) => `<div class="post"><div class="content">${p.text}</div><time>${p.time}</time><a class="permalink" href="/t/${p.id}">#</a></div>`).join('');
    return `<html><body>${body}${more ? `<a class="next" href="/list?page=${n + 1}">下一页</a>` : ''}</body></html>`;
  }

  /** Posts 1..n, post n the newest, one hour apart from 2026-10-01 00:00 Shanghai time. */
  function seed(n: number): ForumPost[] {
    return Array.from({ length: n }, (_, i) => {
      const id = n - i;
      const hour = String((id - 1) % 24).padStart(2, '0');
      const day = String(1 + Math.floor((id - 1) / 24)).padStart(2, '0');
      return { id, text: `帖子 ${id}：门店和官网说法不一致的第 ${id} 个例子`, time: `2026-10-${day} ${hour}:00` };
    });
  }

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/robots.txt') return void res.writeHead(404).end();
      const n = Number(url.searchParams.get('page') ?? '1');
      if (n === failPage) return void res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(n));
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voc-incremental-'));
    store = openEmbeddedStore(join(dir, 'data'));
    ctx = createCrawlContext({ config, authorSecret: 'incremental-secret', dataDir: dir, retry: { retries: 0 } });
    forum = seed(20);
    broken = false;
    failPage = undefined;
  });
  afterEach(async () => {
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (extra: Record<string, unknown> = {}): Target => testTarget(config, { url: `${server.origin}/list`, maxPages: 100, ...extra } as never);
  const crawl = (t: Target, extra: CrawlTargetOptions = {}) =>
    crawlTarget(ctx, t, { ...storeCallbacks(store, t.id, { brand: t.brand }), onPage: (p) => store.upsertPosts(p.posts), ...extra });
  const listRequests = () => {
    const at = server.requests.length;
    return () => server.paths().slice(at).filter((p) => p.startsWith('/list'));
  };
  const storedIds = async () => (await store.queryPosts({ targetId: 'acme-forum' })).map((p) => Number(p.externalId.split('/t/')[1])).sort((a, b) => a - b);

  it('resumes past a page the interrupted crawl stored out of order (page 3 stored while page 2 was in flight)', async () => {
    // Numbered pages are fetched ahead, so an interrupted crawl can leave page 2 unfinished and
    // page 3 stored. Set that up: pages 1 and 3 stored, pages 2 and 4 pending.
    // One request at a time makes the order exact: 2, 4, 1, then 3 (found stored) before 5.
    const numbered = target({ url: `${server.origin}/list?page=1`, pagination: { type: 'template', url: '/list?page={page}' }, maxConcurrency: 1 });
    await crawl({ ...numbered, maxPages: 1 });
    await crawl({ ...numbered, id: 'acme-forum-p3', url: `${server.origin}/list?page=3`, maxPages: 1 });
    // Posts are keyed by source and id, whichever target stored them.
    const allIds = async () => (await store.queryPosts({})).map((p) => Number(p.externalId.split('/t/')[1])).sort((a, b) => a - b);
    expect(await allIds()).toEqual([9, 10, 11, 12, 17, 18, 19, 20]);
    const request = (n: number) => ({ url: `${server.origin}/list?page=${n}`, role: 'listing' as const, depth: 0, pageNo: n, chain: 'top' });
    const before = readProgress(await store.getCrawlState('acme-forum'));
    await store.saveCrawlState(writeProgress('acme-forum', { ...before, pending: [request(2), request(4)] }, new Date().toISOString()));

    const requests = listRequests();
    const resumed = await crawl(numbered);
    // Page 3, met again after page 2, is part of the interrupted crawl: it must not end the chain
    // that page 4's successor (page 5) is queued on.
    expect(requests()).toContain('/list?page=5');
    expect(resumed.stats.postsNew).toBe(12);
    expect(await allIds()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('fetches only the pages with new posts on the next crawl', async () => {
    const first = await crawl(target());
    expect(first.stats.postsNew).toBe(20);
    expect(first.pages).toBe(5);
    expect(first.stoppedBecause).toBe('no_next');
    const state = readProgress(await store.getCrawlState('acme-forum'));
    expect(state.watermark).toBe('2026-10-01T11:00:00.000Z'); // post 20: 2026-10-01 19:00 in Shanghai
    expect(state.pending).toEqual([]);
    expect(state.yields).toEqual([20]);

    forum = [...seed(23).slice(0, 3), ...forum]; // three new posts on top: everything shifts down
    const requests = listRequests();
    const second = await crawl(target());
    // Page 1: 3 new + 1 known; page 2: only known posts -> stop.
    expect(requests()).toEqual(['/list', '/list?page=2']);
    expect(second.stoppedBecause).toBe('known');
    expect([second.stats.postsNew, second.stats.postsUnchanged]).toEqual([3, 5]);
    expect(await storedIds()).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(readProgress(await store.getCrawlState('acme-forum')).watermark).toBe('2026-10-01T14:00:00.000Z');
  });

  it('updates an edited post and keeps its first collection time', async () => {
    await crawl(target());
    const before = (await store.getPosts([`demo-forum:${server.origin}/t/20`]))[0]!;
    forum[0] = { ...forum[0]!, text: '帖子 20：（已编辑）门店后来补货了' };
    const again = await crawl(target());
    expect([again.stats.postsUpdated, again.stats.postsNew]).toEqual([1, 0]);
    const after = (await store.getPosts([before.id]))[0]!;
    expect(after.text).toBe('帖子 20：（已编辑）门店后来补货了');
    expect(after.collectedAt).toBe(before.collectedAt);
    expect(after.updatedAt).toBeDefined();
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  it('stops at posts older than --since and drops them', async () => {
    const requests = listRequests();
    // Posts 20..13 are on or after 2026-10-01 12:00 Shanghai (04:00Z); page 3 (posts 12..9) is older.
    const summary = await crawl(target(), { since: '2026-10-01T04:00:00.000Z' });
    expect(requests()).toEqual(['/list', '/list?page=2', '/list?page=3']);
    expect(summary.stoppedBecause).toBe('since');
    expect(summary.stats.postsTooOld).toBe(4);
    expect(await storedIds()).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('resumes after a crash from the pages it had not stored: nothing lost, nothing twice', async () => {
    let stored = 0;
    const crash = await crawl(target(), {
      onPage: async (p) => {
        if (++stored === 3) throw new Error('killed'); // the process dies while storing page 3
        return store.upsertPosts(p.posts);
      },
    }).catch((e: unknown) => e);
    expect((crash as Error).message).toBe('killed');
    expect(await storedIds()).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(readProgress(await store.getCrawlState('acme-forum')).pending.map((r) => r.url)).toEqual([`${server.origin}/list?page=3`]);

    forum = [...seed(21).slice(0, 1), ...forum]; // one new post meanwhile: pages shift by one
    const requests = listRequests();
    const resumed = await crawl(target());
    // The pending page 3 and what follows it, plus the top of the listing for the new post.
    expect(requests().sort()).toEqual(['/list', '/list?page=2', '/list?page=3', '/list?page=4', '/list?page=5', '/list?page=6'].sort());
    expect(resumed.errors).toEqual([]);
    expect(await storedIds()).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(await store.countPosts({ targetId: 'acme-forum' })).toBe(21);
    expect(readProgress(await store.getCrawlState('acme-forum')).pending).toEqual([]);
  });

  it('carries a page cap and a failed page over to the next crawl', async () => {
    const capped = await crawl(target({ maxPages: 2 }));
    expect(capped.stoppedBecause).toBe('page_cap');
    expect(readProgress(await store.getCrawlState('acme-forum')).pending.map((r) => r.url)).toEqual([`${server.origin}/list?page=3`]);

    failPage = 4;
    const failing = await crawl(target({ maxPages: 10 }));
    expect(failing.errors.map((e) => [e.url.replace(server.origin, ''), e.cause])).toEqual([['/list?page=4', 'http_500']]);
    const pending = readProgress(await store.getCrawlState('acme-forum')).pending;
    expect(pending.map((r) => [r.url.replace(server.origin, ''), r.failures])).toEqual([['/list?page=4', 1]]);

    failPage = undefined;
    const recovered = await crawl(target({ maxPages: 10 }));
    expect(recovered.errors).toEqual([]);
    expect(await storedIds()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('marks a copy-paste repost as a near-duplicate of the original', async () => {
    const original = '官网说有货，门店说没货，客服让我去找门店，门店又让我打客服电话，来回折腾了三天还是没买到，体验非常差。';
    forum = [
      { id: 3, text: `转发：${original}！！`, time: '2026-10-02 09:00' },
      { id: 2, text: '这家店的咖啡很好喝，环境也不错，服务员态度很好，下次还会再来，推荐大家试试他们的拿铁。', time: '2026-10-02 08:00' },
      { id: 1, text: original, time: '2026-10-01 08:00' },
    ];
    const summary = await crawl(target());
    expect(summary.stats.nearDuplicates).toBe(1);
    const [repost] = await store.getPosts([`demo-forum:${server.origin}/t/3`]);
    expect(repost!.nearDuplicateOf).toBe(`demo-forum:${server.origin}/t/1`);
    const [other] = await store.getPosts([`demo-forum:${server.origin}/t/2`]);
    expect(other!.nearDuplicateOf).toBeUndefined();
    expect(other!.simhash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the raw HTML of fetched pages only when asked to, under the data directory', async () => {
    await crawl(target({ maxPages: 1 }));
    expect(existsSync(join(dir, 'raw'))).toBe(false);
    const keeping = createCrawlContext({ config: testConfig({ keepRawHtml: true, retentionDays: 7 }), authorSecret: 'x', dataDir: dir });
    try {
      await crawlTarget(keeping, target({ maxPages: 2 }));
    } finally {
      await keeping.close();
    }
    const [day] = readdirSync(join(dir, 'raw', 'acme-forum'));
    const files = readdirSync(join(dir, 'raw', 'acme-forum', day!));
    expect(files).toHaveLength(2);
    expect(gunzipSync(readFileSync(join(dir, 'raw', 'acme-forum', day!, files[0]!))).toString()).toContain('门店和官网说法不一致');
  });

  it('raises the drift alarm, with a snapshot, when a target that yielded posts yields none', async () => {
    await crawl(target());
    broken = true; // the site changed its markup
    const summary = await crawl(target());
    expect(summary.stats.postsExtracted).toBe(0);
    const drift = summary.stats.drift!;
    expect(drift.previousYields).toEqual([20]);
    expect(drift.message).toMatch(/^target acme-forum yielded no post this time after 20 on its last crawls; check its selectors or mapping against the site; the page is saved in .*\.html\.gz$/);
    const extraction = summary.stats.errors.find((g) => g.cause === 'extraction')!;
    expect(extraction.message).toContain('the selectors of target acme-forum found no post on the page (HTTP 200)');
    const saved = gunzipSync(readFileSync(drift.snapshot!)).toString('utf8');
    expect(saved).toContain('<section class="entry"><p>帖子 20');
    expect(saved.startsWith(`<!-- voc snapshot of ${server.origin}/list at `)).toBe(true);
    expect(drift.snapshot!.startsWith(join(dir, 'snapshots', 'acme-forum'))).toBe(true);
  });
});
