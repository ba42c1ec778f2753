/**
 * What a crawl keeps between runs when a page read nothing, and what it says about pages it cannot
 * read, against a real HTTP server (Last-Modified and 304s like python's http.server) and a real
 * embedded store:
 *  - a start page that yielded no post leaves no validators, so the crawl after the selectors are
 *    fixed fetches it whole; a changed spec starts the crawl state over; `refetch` ignores them;
 *  - a start page that failed (404) is asked once per crawl and its chain keeps stopping on
 *    "error", not "loop";
 *  - a PDF, JSON or empty answer is reported as such, never snapshotted or archived as HTML.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../core/types.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { createCrawlContext, crawlTarget, readProgress, storeCallbacks, targetOutcome, writeProgress, type CrawlContext } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const LAST_MODIFIED = 'Mon, 07 Dec 2026 23:04:33 GMT';
const PAGE = `<html><body>${[1, 2, 3]
  .map((n) => `<article class="post" data-id="p${n}"><div class="content">第 ${n} 条：门店和官网说法不一致</div></article>`)
  .join('')}</body></html>`;
const FIXED = { item: 'article.post', text: '.content', id: '@data-id' };
const WRONG = { item: 'article.postx', text: '.content' };

describe('crawl state after pages that read nothing', () => {
  let server: TestServer;
  let dir: string;
  let store: EmbeddedStore;
  let ctx: CrawlContext;
  const config = testConfig();

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/robots.txt') return void res.writeHead(404).end();
      if (path === '/forum/page2.html') {
        // A static file server: 304 whenever the client's date is the file's.
        if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304, { 'last-modified': LAST_MODIFIED }).end();
        return void res.writeHead(200, { 'content-type': 'text/html', 'last-modified': LAST_MODIFIED }).end(PAGE);
      }
      if (path === '/forum/file.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf', 'last-modified': LAST_MODIFIED }).end('%PDF-1.4\n%\u00e2\u00e3\n');
      if (path === '/forum/data.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a": 1}');
      if (path === '/forum/empty.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('');
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404</h1>');
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voc-refetch-'));
    store = openEmbeddedStore(join(dir, 'data'));
    ctx = createCrawlContext({ config, authorSecret: 'refetch-secret', dataDir: dir, retry: { retries: 0 } });
  });
  afterEach(async () => {
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (path: string, selectors: Record<string, string>, id = 'fixme2'): Target =>
    testTarget(config, { id, source: id, url: `${server.origin}${path}`, selectors: selectors as Target['selectors'] & object });
  const crawl = (t: Target, extra: { refetch?: boolean } = {}) =>
    crawlTarget(ctx, t, { ...storeCallbacks(store, t.id), onPage: (page) => store.upsertPosts(page.posts), ...extra });
  /** The conditional headers of the requests for `path` from request `from` on. */
  const asked = (path: string, from: number) => server.requests.slice(from).filter((r) => r.path === path).map((r) => r.headers['if-modified-since'] ?? null);

  it('keeps no validators of a page that read nothing, so the fixed selectors get the page, not a 304', async () => {
    const wrong = await crawl(target('/forum/page2.html', WRONG));
    expect([wrong.stoppedBecause, wrong.errors.map((e) => e.cause), targetOutcome(wrong.stats)]).toEqual(['empty_page', ['extraction'], 'failed']);
    expect(readProgress(await store.getCrawlState('fixme2')).validators).toEqual({});

    const from = server.requests.length;
    const fixed = await crawl(target('/forum/page2.html', FIXED));
    expect(asked('/forum/page2.html', from)).toEqual([null]);
    expect([fixed.stoppedBecause, fixed.stats.postsNew, targetOutcome(fixed.stats)]).toEqual(['no_next', 3, 'ok']);
    // Now that the page yielded posts, its date is kept: the next crawl is a 304.
    const again = await crawl(target('/forum/page2.html', FIXED));
    expect([again.stoppedBecause, again.stats.notModified, targetOutcome(again.stats)]).toEqual(['not_modified', 1, 'unchanged']);
  });

  it('starts the crawl state over when the target reads differently, and refetch ignores the validators once', async () => {
    await crawl(target('/forum/page2.html', FIXED));
    expect(readProgress(await store.getCrawlState('fixme2')).validators).toEqual({ [`${server.origin}/forum/page2.html`]: { lastModified: LAST_MODIFIED } });
    // The same URL read with other selectors (targets add --replace, an edited config): asked whole.
    let from = server.requests.length;
    const other = await crawl(target('/forum/page2.html', { ...FIXED, author: '.user' }));
    expect(asked('/forum/page2.html', from)).toEqual([null]);
    expect([other.stoppedBecause, other.stats.pages, other.stats.postsUnchanged]).toEqual(['known', 1, 3]);
    // A politeness setting is not what the target reads: the state holds, and the page is a 304.
    from = server.requests.length;
    const slower = await crawl({ ...target('/forum/page2.html', { ...FIXED, author: '.user' }), maxPages: 5 });
    expect([asked('/forum/page2.html', from), slower.stoppedBecause]).toEqual([[LAST_MODIFIED], 'not_modified']);
    from = server.requests.length;
    const refetched = await crawl(target('/forum/page2.html', { ...FIXED, author: '.user' }), { refetch: true });
    expect([asked('/forum/page2.html', from), refetched.stoppedBecause, refetched.stats.pages]).toEqual([[null], 'known', 1]);
    // ...and keeps the date it got for the crawls after it.
    expect(readProgress(await store.getCrawlState('fixme2')).validators).toEqual({ [`${server.origin}/forum/page2.html`]: { lastModified: LAST_MODIFIED } });
  });

  it('does not send the validators an older version kept after a crawl that read nothing', async () => {
    // The state that version wrote: the page's date, and a last crawl that yielded nothing.
    const url = `${server.origin}/forum/page2.html`;
    await store.saveCrawlState(writeProgress('fixme2', { validators: { [url]: { lastModified: LAST_MODIFIED } }, pending: [], yields: [0] }, '2026-12-07T23:05:00.000Z'));
    const from = server.requests.length;
    const fixed = await crawl(target('/forum/page2.html', FIXED));
    expect([asked('/forum/page2.html', from), fixed.stats.postsNew]).toEqual([[null], 3]);
  });

  it('a 404 start page stops on "error" crawl after crawl, asked once each time, and is given up as pending after three', async () => {
    const t = target('/forum/gone.html', { item: 'a.b', text: '.c' }, 't4');
    const seen: Array<[string, number, number | undefined]> = [];
    for (let i = 0; i < 4; i++) {
      const from = server.requests.length;
      const s = await crawl(t);
      const pending = readProgress(await store.getCrawlState('t4')).pending;
      seen.push([s.stoppedBecause, asked('/forum/gone.html', from).length, pending[0]?.failures]);
      expect(s.errors.map((e) => e.cause)).toEqual(['http_404']);
      expect(targetOutcome(s.stats)).toBe('failed');
    }
    expect(seen).toEqual([
      ['error', 1, 1],
      ['error', 1, 2],
      ['error', 1, undefined],
      ['error', 1, 1],
    ]);
  });

  it('names the content type of a PDF or JSON answer and an empty page, and keeps no copy of them as HTML', async () => {
    const paths = ['/forum/file.pdf', '/forum/data.json', '/forum/empty.html'];
    const out: Array<[string, string, string[], string | undefined]> = [];
    for (const path of paths) {
      const s = await crawl(target(path, { item: 'a.b', text: '.c' }, 'x'));
      out.push([s.stoppedBecause, targetOutcome(s.stats), s.errors.map((e) => e.cause), s.stats.errors[0]?.snapshot]);
      if (path === '/forum/file.pdf') {
        expect(s.errors[0]!.message).toBe(
          `${server.origin}/forum/file.pdf: the page is application/pdf (HTTP 200), not an HTML page, so the selectors of target x cannot read it; use the URL of the site's listing page (a forum board, a review list)`,
        );
        expect(s.errors[0]!.zh).toBe(
          `${server.origin}/forum/file.pdf：页面是 application/pdf（HTTP 200），不是 HTML 页面，抓取目标 x 的选择器读不了它；请改用站点列表页（论坛版块、评价列表）的 URL`,
        );
        // Its date is not kept either: it read nothing.
        expect(readProgress(await store.getCrawlState('x')).validators).toEqual({});
      }
      if (path === '/forum/data.json')
        expect(s.errors[0]!.message).toBe(
          `${server.origin}/forum/data.json: the page is application/json (HTTP 200), not an HTML page, so the selectors of target x cannot read it; a JSON API is read by kind json with a json: mapping of its fields (voc targets add --spec FILE; README, Configuration), or by --preset for Mastodon, Bluesky or Reddit`,
        );
      if (path === '/forum/empty.html')
        expect(s.errors[0]!.zh).toBe(
          `${server.origin}/forum/empty.html：页面是空的（HTTP 200，没有内容），抓取目标 x 的选择器读不了它；请在浏览器里打开这个 URL：如果能看到帖子，说明站点用 JavaScript 生成页面（请为 --kind browser 手写选择器）；如果看不到，说明这个 URL 不是列表页`,
        );
    }
    expect(out).toEqual([
      ['error', 'failed', ['not_html'], undefined],
      ['error', 'failed', ['not_html'], undefined],
      ['error', 'failed', ['empty_body'], undefined],
    ]);
    expect(existsSync(join(dir, 'snapshots')) ? readdirSync(join(dir, 'snapshots')) : []).toEqual([]);
  });
});
