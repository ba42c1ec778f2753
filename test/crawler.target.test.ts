import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { InputError } from '../core/errors.js';
import { crawlPage, crawlTarget, createCrawlContext, type CrawledPage, type CrawlContext } from '../crawlers/index.js';
import { brief, startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

/** Listing page `n` of a forum: two posts, and a next link computed by `next`. */
function listing(n: number, next: string | null): string {
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>
    <div class="post"><span class="user">用户${n}a</span><time>2026-10-0${n} 10:00</time>
      <div class="content">第${n}页第一条：门店排队太久</div><a class="permalink" href="/t/${n}01">#</a></div>
    <div class="post"><span class="user">用户${n}b</span>
      <div class="content">第${n}页第二条：APP 很好用</div><a class="permalink" href="/t/${n}02">#</a></div>
    ${next ? `<a class="next" href="${next}">下一页</a>` : ''}
  </body></html>`;
}

describe('html target', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig();
  let releaseSlow!: () => void;
  let slowPage2Arrived!: () => void;
  const slowPage2 = new Promise<void>((resolve) => (slowPage2Arrived = resolve));

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const n = Number(url.searchParams.get('page') ?? '1');
      const html = (body: string | Buffer, type = 'text/html; charset=utf-8') => res.writeHead(200, { 'content-type': type }).end(body);
      switch (url.pathname) {
        case '/robots.txt':
          return void res.writeHead(404).end();
        case '/endless': // always has a next page
          return html(listing(n, `/endless?page=${n + 1}`));
        case '/loop': // page 2 links back to page 1
          return html(listing(n, n === 1 ? '/loop?page=2' : '/loop?page=1#top'));
        case '/short': // 3 pages, then no next link
          return html(listing(n, n < 3 ? `/short?page=${n + 1}` : null));
        case '/empty-after-1':
          return html(n === 1 ? listing(1, '/empty-after-1?page=2') : '<html><body><p>没有更多了</p><a class="next" href="?page=3">下一页</a></body></html>');
        case '/broken-after-1':
          if (n === 1) return html(listing(1, '/broken-after-1?page=2'));
          return void res.writeHead(404, { 'content-type': 'text/plain' }).end('gone');
        case '/escape': // next link to another private address
          return html(listing(1, 'http://10.0.0.1/forum?page=2'));
        case '/gbk': {
          const page = `<html><head><meta charset="gbk"></head><body>
            <div class="post"><span class="user">老张</span><div class="content">官网说有货，门店说没货，客服让我找门店</div></div></body></html>`;
          return html(iconv.encode(page, 'gbk'), 'text/html');
        }
        case '/dupes':
          return html(`<div class="post"><div class="content">置顶帖</div><a class="permalink" href="/t/1">#</a></div>
            <div class="post"><div class="content">置顶帖</div><a class="permalink" href="/t/1?utm_source=list">#</a></div>`);
        case '/slow': // holds page 2 until the test releases it
          if (n === 1) return html(listing(1, '/slow?page=2'));
          releaseSlow = () => html(listing(2, null));
          slowPage2Arrived();
          return;
        default:
          return void res.writeHead(500).end();
      }
    });
    ctx = createCrawlContext({ config, authorSecret: 'test-secret', retry: { retries: 1, baseMs: 5 } });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  const target = (path: string, extra: Record<string, unknown> = {}) => testTarget(config, { url: server.origin + path, ...extra });
  const listRequests = (path: string) => server.paths().filter((p) => p.startsWith(path));

  it('crawls one page into posts', async () => {
    const page = await crawlPage(ctx, target('/short'), `${server.origin}/short?page=1`);
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${server.origin}/short?page=1`);
    expect(page.nextUrl).toBe(`${server.origin}/short?page=2`);
    expect(page.posts.map((p) => [p.id, p.text, p.publishedAt === p.collectedAt])).toEqual([
      [`demo-forum:${server.origin}/t/101`, '第1页第一条：门店排队太久', false],
      [`demo-forum:${server.origin}/t/102`, '第1页第二条：APP 很好用', true],
    ]);
    expect(page.posts[0]!.publishedAt).toBe('2026-10-01T02:00:00.000Z');
    expect(page.posts[0]!.authorHash).toMatch(/^[0-9a-f]{64}$/);
    expect(page.posts[0]!.brand).toBe('acme');
  });

  it('stops at the page cap (the smaller of target and crawl caps)', async () => {
    const pages: CrawledPage[] = [];
    const summary = await crawlTarget(ctx, target('/endless', { maxPages: 10 }), { maxPages: 3, onPage: (p) => void pages.push(p) });
    expect(brief(summary)).toEqual({ pages: 3, posts: 6, errors: [], stoppedBecause: 'page_cap' });
    expect(listRequests('/endless')).toEqual(['/endless', '/endless?page=2', '/endless?page=3']);
    expect(pages.map((p) => p.posts.length)).toEqual([2, 2, 2]);

    const byTarget = await crawlTarget(ctx, target('/endless', { maxPages: 2 }));
    expect(brief(byTarget)).toEqual({ pages: 2, posts: 4, errors: [], stoppedBecause: 'page_cap' });
  });

  it('follows next links until there is none', async () => {
    const summary = await crawlTarget(ctx, target('/short'));
    expect(brief(summary)).toEqual({ pages: 3, posts: 6, errors: [], stoppedBecause: 'no_next' });
  });

  it('stops an endless pagination loop', async () => {
    const before = listRequests('/loop').length;
    const summary = await crawlTarget(ctx, target('/loop?page=1', { maxPages: 50 }));
    expect(brief(summary)).toEqual({ pages: 2, posts: 4, errors: [], stoppedBecause: 'loop' });
    expect(listRequests('/loop').slice(before)).toEqual(['/loop?page=1', '/loop?page=2']);
  });

  it('stops on an empty page', async () => {
    const summary = await crawlTarget(ctx, target('/empty-after-1'));
    expect(brief(summary)).toEqual({ pages: 2, posts: 2, errors: [], stoppedBecause: 'empty_page' });
  });

  it('records a failing page and keeps what was already handed over', async () => {
    const stored: string[] = [];
    const summary = await crawlTarget(ctx, target('/broken-after-1'), { onPage: (p) => void stored.push(...p.posts.map((x) => x.text)) });
    expect(brief(summary)).toEqual({
      pages: 1,
      posts: 2,
      errors: [{ url: `${server.origin}/broken-after-1?page=2`, message: `HTTP 404 Not Found from ${server.origin}/broken-after-1?page=2` }],
      stoppedBecause: 'error',
    });
    expect(stored).toEqual(['第1页第一条：门店排队太久', '第1页第二条：APP 很好用']);
  });

  it('does not let a next link reach another private address', async () => {
    const summary = await crawlTarget(ctx, target('/escape'));
    expect(summary.pages).toBe(1);
    expect(summary.stoppedBecause).toBe('error');
    expect(summary.errors).toEqual([
      {
        url: 'http://10.0.0.1/forum?page=2',
        message: expect.stringMatching(/^refused http:\/\/10\.0\.0\.1\/forum\?page=2: is a private address; add the host to crawler\.allowPrivateHosts/),
        zh: '已拒绝 http://10.0.0.1/forum?page=2：是私有地址；只有当它是你有权抓取的内网来源时，才把该主机加入配置的 crawler.allowPrivateHosts（或在配置文件中写的抓取目标上设置 allowPrivate: true）',
        cause: 'refused',
      },
    ]);
    expect(summary.stats.errors.map((g) => [g.cause, g.count])).toEqual([['refused', 1]]);
  });

  it('extracts a GBK page to the right Chinese text', async () => {
    const page = await crawlPage(ctx, target('/gbk'), `${server.origin}/gbk`);
    expect(page.posts.map((p) => p.text)).toEqual(['官网说有货，门店说没货，客服让我找门店']);
    expect(page.posts[0]!.lang).toBe('zh');
  });

  it('stores a post shown twice on a page once', async () => {
    const page = await crawlPage(ctx, target('/dupes'), `${server.origin}/dupes`);
    expect(page.posts.map((p) => p.id)).toEqual([`demo-forum:${server.origin}/t/1`]);
  });

  it('stops when aborted between pages', async () => {
    const controller = new AbortController();
    const crawl = crawlTarget(ctx, target('/slow'), { signal: controller.signal });
    // Abort while the server holds page 2, then let the server answer.
    await slowPage2;
    controller.abort();
    releaseSlow();
    expect(brief(await crawl)).toEqual({ pages: 1, posts: 2, errors: [], stoppedBecause: 'aborted' });
  });

  it('refuses to start without an author secret', () => {
    expect(() => createCrawlContext({ config, authorSecret: '' })).toThrow(InputError);
  });
});
