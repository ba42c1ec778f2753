/**
 * The target kinds on a real HTTP server: html pagination (template, load more), detail pages
 * with replies, feeds (RSS, Atom, JSON Feed, with a 304), a JSON endpoint with a cursor, and
 * sitemaps (index, gzip, filters).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../core/types.js';
import type { CrawlState } from '../store/store.js';
import { createCrawlContext, crawlTarget, type CrawlContext, type CrawlSummary, type CrawlTargetOptions } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/crawler');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const html = (body: string) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;
const post = (id: string, text: string, extra = '') =>
  `<div class="post" data-id="${id}"><div class="content">${text}</div><a class="permalink" href="/t/${id}">#</a>${extra}</div>`;

describe('target kinds', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig();
  let feedEtag = '"v1"';

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const q = url.searchParams;
      const send = (body: string | Buffer, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}) =>
        res.writeHead(200, { 'content-type': type, ...headers }).end(body);
      switch (url.pathname) {
        case '/robots.txt':
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
        // Numbered pages: ?p=1..3 hold posts, ?p=4 answers 404 (the end).
        case '/numbered': {
          const n = Number(q.get('p') ?? '1');
          if (n > 3) return void res.writeHead(404).end('no such page');
          return send(html(post(`n${n}a`, `第${n}页 A`) + post(`n${n}b`, `第${n}页 B`)));
        }
        // A listing with a "load more" button backed by a JSON endpoint with a cursor.
        case '/more':
          return send(html(post('m1', '首屏一') + post('m2', '首屏二') + '<button class="more" data-cursor="c2">加载更多</button>'));
        case '/api/more': {
          const cursor = q.get('cursor');
          if (cursor === 'c2') return send(JSON.stringify({ html: post('m3', '第二批一') + post('m4', '第二批二'), next: 'c3' }), 'application/json');
          if (cursor === 'c3') return send(JSON.stringify({ html: post('m5', '第三批'), next: null }), 'application/json');
          return send(JSON.stringify({ html: '', next: null }), 'application/json');
        }
        // Listing with truncated texts; each post's page has the full text and paged replies.
        case '/threads':
          return send(
            html(
              post('th1', '标题一：门店说没货…', '<span class="replies">回复 3</span>') +
                post('th2', '标题二：APP 闪退…') +
                '<div class="post" data-id="th3"><div class="content">标题三</div><a class="permalink" href="/private/t/th3">#</a></div>',
            ),
          );
        case '/t/th1':
          if (q.get('page') === '2')
            return send(html('<div class="reply" id="r3"><b class="who">客服</b><div class="body">请私信订单号</div></div>'));
          return send(
            html(`<article><h1>标题一</h1><div class="full">门店说没货，官网说有货，客服让我去门店。</div><time datetime="2026-10-03T06:20:00Z"></time></article>
              <div class="reply" id="r1"><b class="who">老李</b><div class="body">同样遇到过</div><a class="anchor" href="/t/th1#r1">#</a></div>
              <div class="reply" id="r2"><b class="who">小赵</b><div class="body">+1</div><a class="anchor" href="/t/th1#r2">#</a></div>
              <a class="next-replies" href="/t/th1?page=2">下一页</a>`),
          );
        case '/t/th2':
          return void res.writeHead(500).end('oops');
        // A feed that answers 304 to its own ETag.
        case '/feed.xml':
          if (req.headers['if-none-match'] === feedEtag) return void res.writeHead(304, { etag: feedEtag }).end();
          return send(fixture('rss.xml'), 'application/rss+xml; charset=utf-8', { etag: feedEtag });
        case '/atom.xml':
          return send(q.get('page') === '2' ? '<feed xmlns="http://www.w3.org/2005/Atom"><title>old</title></feed>' : fixture('atom.xml'), 'application/atom+xml');
        case '/feed.json':
          return send(fixture('feed.json'), 'application/feed+json');
        // A JSON API with a cursor.
        case '/api/reviews': {
          const page = { '': 0, abc: 1, def: 2 }[q.get('cursor') ?? ''] ?? 3;
          const pages = [
            { reviews: [{ rid: 1, body: '门店服务好', user: { name: 'u1' }, ts: 1791015600, stars: 5 }], paging: { next: 'abc' } },
            { reviews: [{ rid: 2, body: 'APP 很卡', user: { name: 'u2' }, ts: 1791012000, stars: 2 }], paging: { next: 'def' } },
            { reviews: [{ rid: 3, body: '物流慢', user: { name: 'u3' }, ts: 1791008400, stars: 3 }], paging: {} },
          ];
          return send(JSON.stringify(pages[page] ?? { reviews: [] }), 'application/json');
        }
        // A JSON API paged by a next-URL field (relative), which takes since_id for what is newer.
        case '/api/feed': {
          if (q.get('since_id') === '12') return send(JSON.stringify({ data: [], links: { next: null } }), 'application/json');
          if (q.get('page') === '2')
            return send(JSON.stringify({ data: [{ id: 11, content: '配送员态度好', created_at: '2026-10-02T09:00:00Z' }], links: { next: null } }), 'application/json');
          return send(
            JSON.stringify({ data: [{ id: 12, content: '会员积分又清零了', created_at: '2026-10-03T09:00:00Z' }], links: { next: '/api/feed?page=2' } }),
            'application/json',
          );
        }
        // Sitemaps: an index pointing at a gzipped urlset and a plain one.
        case '/sitemap.xml':
          return send(
            `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>${server.origin}/sitemap-posts.xml.gz</loc></sitemap>
              <sitemap><loc>${server.origin}/sitemap-pages.xml</loc></sitemap></sitemapindex>`,
            'application/xml',
          );
        case '/sitemap-posts.xml.gz':
          return send(
            zlib.gzipSync(
              `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <url><loc>${server.origin}/p/1</loc><lastmod>2026-10-03</lastmod></url>
                <url><loc>${server.origin}/p/2</loc><lastmod>2026-10-02T08:00:00+00:00</lastmod></url>
                <url><loc>${server.origin}/p/3</loc><lastmod>2025-01-01</lastmod></url>
                <url><loc>${server.origin}/p/4?print=1</loc></url></urlset>`,
            ),
            'application/octet-stream',
          );
        case '/sitemap-pages.xml':
          return send(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${server.origin}/about</loc></url><url><loc>${server.origin}/p/5</loc></url></urlset>`,
            'application/xml',
          );
        default: {
          const m = /^\/p\/(\d)$/.exec(url.pathname);
          if (m) return send(html(`<main><h1>帖子${m[1]}</h1><div class="body">第${m[1]}篇的正文</div><span class="by">作者${m[1]}</span></main>`));
          res.writeHead(404).end();
        }
      }
    });
    ctx = createCrawlContext({ config, authorSecret: 'kinds-secret', dataDir: false, retry: { retries: 1, baseMs: 5 } });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  async function run(input: Record<string, unknown>, options: CrawlTargetOptions = {}): Promise<{ posts: Post[]; summary: CrawlSummary }> {
    const posts: Post[] = [];
    const target = testTarget(config, { url: `${server.origin}/`, ...input } as never);
    const summary = await crawlTarget(ctx, target, { ...options, onPage: (p) => void posts.push(...p.posts) });
    return { posts, summary };
  }
  const since = (path: string) => {
    const at = server.requests.length;
    return () => server.paths().slice(at).filter((p) => p.startsWith(path));
  };

  describe('html', () => {
    it('follows a page-number template until a page answers 404, fetching ahead in parallel', async () => {
      const paths = since('/numbered');
      const { posts, summary } = await run({
        url: `${server.origin}/numbered?p=1`,
        pagination: { type: 'template', url: '/numbered?p={page}' },
        maxConcurrency: 3,
      });
      expect(posts.map((p) => p.text).sort()).toEqual(['第1页 A', '第1页 B', '第2页 A', '第2页 B', '第3页 A', '第3页 B']);
      expect(summary.stoppedBecause).toBe('no_next');
      expect(summary.errors).toEqual([]); // the 404 past the last page is the end, not a failure
      expect(paths().slice(0, 4).sort()).toEqual(['/numbered?p=1', '/numbered?p=2', '/numbered?p=3', '/numbered?p=4']);
      expect(paths().length).toBeLessThanOrEqual(4 + 2); // at most the look-ahead of the other workers
    });

    it('reads "load more" JSON batches with their cursor', async () => {
      const paths = since('/');
      const { posts, summary } = await run({
        url: `${server.origin}/more`,
        pagination: { type: 'loadMore', url: '/api/more?cursor={cursor}', format: 'json', htmlPath: 'html', cursorPath: 'next', cursorSelector: 'button.more@data-cursor' },
      });
      expect(posts.map((p) => p.text)).toEqual(['首屏一', '首屏二', '第二批一', '第二批二', '第三批']);
      expect(paths().filter((p) => p !== '/robots.txt')).toEqual(['/more', '/api/more?cursor=c2', '/api/more?cursor=c3']);
      expect(summary.stoppedBecause).toBe('no_next');
    });

    it('completes new posts from their own page, with replies, and keeps the listing text when that page fails', async () => {
      const { posts, summary } = await run({
        url: `${server.origin}/threads`,
        selectors: { item: '.post', text: '.content', id: '@data-id', link: 'a.permalink', replies: '.replies' },
        detail: {
          post: { item: 'article', text: '.full', time: 'time' },
          replies: { item: '.reply', text: '.body', author: '.who', link: 'a.anchor', nextPage: 'a.next-replies' },
        },
      });
      const t1 = 'demo-forum:th1';
      expect(posts.map((p) => [p.id, p.text, p.parentId ?? null])).toEqual(
        expect.arrayContaining([
          [t1, '门店说没货，官网说有货，客服让我去门店。', null],
          [`demo-forum:th1#r1`, '同样遇到过', t1],
          [`demo-forum:th1#r2`, '+1', t1],
          ['demo-forum:th2', '标题二：APP 闪退…', null], // its page failed: the listing version is kept
          ['demo-forum:th3', '标题三', null], // its page is disallowed by robots.txt: same
        ]),
      );
      const r3 = posts.find((p) => p.text === '请私信订单号')!;
      expect(r3.parentId).toBe(t1);
      expect(r3.threadId).toBe(t1);
      expect(r3.id).toMatch(/^demo-forum:th1#[0-9a-f]{16}$/); // no anchor, no link: a hash within the thread
      expect(posts).toHaveLength(6);
      const thread = posts.find((p) => p.id === t1)!;
      expect(thread.publishedAt).toBe('2026-10-03T06:20:00.000Z');
      expect(thread.engagement.replies).toBe(3); // from the listing, kept after the merge
      expect(summary.errors.map((e) => [e.url.replace(server.origin, ''), e.cause])).toEqual(
        expect.arrayContaining([
          ['/t/th2', 'http_500'],
          ['/private/t/th3', 'robots'],
        ]),
      );
      expect(summary.stats.errors.map((g) => g.cause).sort()).toEqual(['http_500', 'robots']);
    });

    it('does not fetch post pages beyond the depth cap', async () => {
      const paths = since('/t/');
      const { posts } = await run({
        url: `${server.origin}/threads`,
        maxDepth: 0,
        selectors: { item: '.post', text: '.content', id: '@data-id', link: 'a.permalink' },
        detail: { post: { text: '.full' } },
      });
      expect(paths()).toEqual([]);
      expect(posts.map((p) => p.text)).toEqual(['标题一：门店说没货…', '标题二：APP 闪退…', '标题三']);
    });
  });

  describe('feed', () => {
    it('reads RSS 2.0, then costs one conditional request and zero writes when unchanged', async () => {
      const saved: CrawlState[] = [];
      let state: CrawlState | undefined;
      const options = (): CrawlTargetOptions => ({
        state: async () => state,
        onState: async (s) => void saved.push((state = s)),
        knownIds: async () => new Set(),
      });
      const first = await run({ kind: 'feed', url: `${server.origin}/feed.xml`, selectors: undefined, source: 'community' }, options());
      expect(first.posts.map((p) => [p.id, p.text, p.publishedAt, p.url])).toEqual([
        ['community:community-201', '门店排队太久\n周六下午去门店，排队一个小时。\n客服电话 [电话] 一直占线。', '2026-10-03T06:20:00.000Z', 'https://community.example.cn/t/201'],
        ['community:https://community.example.cn/t/202', 'App update broke checkout\nSince the update, paying in the app fails every time.', '2026-10-02T09:00:00.000Z', 'https://community.example.cn/t/202'],
      ]);
      expect(first.posts[0]!.engagement).toEqual({ replies: 4 });
      expect(state!.etags).toEqual({ [`${server.origin}/feed.xml`]: { etag: '"v1"' } });
      const writesAfterFirst = saved.length;

      const paths = since('/feed.xml');
      const pages: unknown[] = [];
      const second = await crawlTarget(ctx, testTarget(config, { kind: 'feed', url: `${server.origin}/feed.xml`, selectors: undefined, source: 'community' }), {
        ...options(),
        onPage: (p) => void pages.push(p),
      });
      expect(paths()).toEqual(['/feed.xml']);
      expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
      expect(second.stoppedBecause).toBe('not_modified');
      expect(second.stats.notModified).toBe(1);
      expect(second.stats.statuses).toEqual({ '304': 1 });
      expect(pages).toEqual([]); // nothing handed to the store
      expect(saved.length).toBe(writesAfterFirst); // and no state write either

      feedEtag = '"v2"'; // the feed changed: fetched again
      const third = await run({ kind: 'feed', url: `${server.origin}/feed.xml`, selectors: undefined, source: 'community' }, options());
      expect(third.posts).toHaveLength(2);
      expect(state!.etags).toEqual({ [`${server.origin}/feed.xml`]: { etag: '"v2"' } });
    });

    it('reads Atom (with its rel=next archive page) and JSON Feed', async () => {
      const atom = await run({ kind: 'feed', url: `${server.origin}/atom.xml`, selectors: undefined });
      expect(atom.posts.map((p) => [p.externalId, p.text, p.publishedAt, p.url])).toEqual([
        ['tag:blog.example.cn,2026:comment-301', '物流很快\n第二天就到了，包装也好。', '2026-10-02T23:30:00.000Z', `${server.origin}/c/301`],
      ]);
      expect(atom.summary.stoppedBecause).toBe('empty_page'); // page 2 exists but is empty

      const json = await run({ kind: 'feed', url: `${server.origin}/feed.json`, selectors: undefined });
      expect(json.posts.map((p) => [p.externalId, p.text, p.publishedAt, p.lang])).toEqual([
        ['r-401', 'Great store\nFriendly staff, but the app kept logging me out.', '2026-10-01T14:00:00.000Z', 'en'],
        ['r-402', '售后 很慢，等了三天。', '2026-10-02T10:00:00.000Z', 'zh'],
      ]);
    });
  });

  describe('json', () => {
    it('follows a cursor until the response has none', async () => {
      const paths = since('/api/reviews');
      const { posts, summary } = await run({
        kind: 'json',
        url: `${server.origin}/api/reviews`,
        selectors: undefined,
        json: { items: 'reviews', id: 'rid', text: 'body', author: 'user.name', time: 'ts', rating: 'stars', cursorPath: 'paging.next', cursorParam: 'cursor' },
      });
      expect(paths()).toEqual(['/api/reviews', '/api/reviews?cursor=abc', '/api/reviews?cursor=def']);
      expect(summary.stoppedBecause).toBe('no_next');
      expect(posts.map((p) => [p.id, p.text, p.publishedAt, p.engagement.rating])).toEqual([
        ['demo-forum:1', '门店服务好', '2026-10-03T08:20:00.000Z', 5],
        ['demo-forum:2', 'APP 很卡', '2026-10-03T07:20:00.000Z', 2],
        ['demo-forum:3', '物流慢', '2026-10-03T06:20:00.000Z', 3],
      ]);
    });

    it('follows a next-URL field, then asks with since_id for only what is newer than the newest stored post', async () => {
      const paths = since('/api/feed');
      let state: CrawlState | undefined;
      const stateful: CrawlTargetOptions = { state: async () => state, onState: async (s) => void (state = s) };
      const input = {
        kind: 'json',
        url: `${server.origin}/api/feed`,
        selectors: undefined,
        json: { items: 'data', id: 'id', text: 'content', time: 'created_at', nextUrlPath: 'links.next', sinceIdParam: 'since_id' },
      };
      const first = await run(input, stateful);
      expect(paths()).toEqual(['/api/feed', '/api/feed?page=2']);
      expect(first.posts.map((p) => [p.id, p.text, p.publishedAt])).toEqual([
        ['demo-forum:12', '会员积分又清零了', '2026-10-03T09:00:00.000Z'],
        ['demo-forum:11', '配送员态度好', '2026-10-02T09:00:00.000Z'],
      ]);
      expect(first.summary.stoppedBecause).toBe('no_next');

      const second = await run(input, stateful);
      expect(paths()).toEqual(['/api/feed', '/api/feed?page=2', '/api/feed?since_id=12']);
      expect(second.posts).toEqual([]);
      expect(second.summary.stoppedBecause).toBe('empty_page');
    });

    it('names the mapping when the response does not fit it', async () => {
      const { summary } = await run({ kind: 'json', url: `${server.origin}/api/reviews`, selectors: undefined, json: { items: 'data.items', id: 'rid', text: 'body' } });
      expect(summary.errors).toEqual([
        {
          url: `${server.origin}/api/reviews`,
          message: `${server.origin}/api/reviews: json.items: "data.items" is not an array in the response; check the mapping against the API`,
          zh: `${server.origin}/api/reviews：json.items：响应中的“data.items”不是数组；请对照 API 检查映射`,
          cause: 'extraction',
        },
      ]);
    });
  });

  describe('sitemap', () => {
    it('walks an index, inflates a gzipped sitemap, filters by pattern and lastmod, reads each page', async () => {
      const paths = since('/');
      const { posts, summary } = await run({
        kind: 'sitemap',
        url: `${server.origin}/sitemap.xml`,
        selectors: undefined,
        sitemap: { include: ['/p/\\d+$'], lastmodAfter: '2026-06-01' },
        detail: { post: { text: '.body', author: '.by' } },
      });
      expect(posts.map((p) => [p.id, p.text]).sort()).toEqual([
        [`demo-forum:${server.origin}/p/1`, '第1篇的正文'],
        [`demo-forum:${server.origin}/p/2`, '第2篇的正文'],
        [`demo-forum:${server.origin}/p/5`, '第5篇的正文'], // no lastmod: kept
      ]);
      const fetched = paths().filter((p) => p !== '/robots.txt');
      expect(fetched.slice(0, 3)).toEqual(['/sitemap.xml', '/sitemap-posts.xml.gz', '/sitemap-pages.xml']);
      expect(fetched.slice(3).sort()).toEqual(['/p/1', '/p/2', '/p/5']);
      expect(summary.errors).toEqual([]);
    });

    it('skips pages already stored unless the sitemap says they changed since the last complete crawl', async () => {
      const paths = since('/p/');
      const state: CrawlState = {
        targetId: 'acme-forum',
        updatedAt: '2026-10-02T12:00:00.000Z',
        crawler: JSON.stringify({ lastCompletedAt: '2026-10-02T12:00:00.000Z' }),
      } as CrawlState;
      const stored = new Set([`demo-forum:${server.origin}/p/1`, `demo-forum:${server.origin}/p/2`, `demo-forum:${server.origin}/p/5`]);
      const { posts } = await run(
        { kind: 'sitemap', url: `${server.origin}/sitemap.xml`, selectors: undefined, sitemap: { include: ['/p/\\d+$'] }, detail: { post: { text: '.body' } } },
        { state, knownIds: async (ids) => new Set(ids.filter((id) => stored.has(id))) },
      );
      // p/1 changed on 10-03 (after the last crawl) and p/3 was never stored; p/2 and p/5 are skipped.
      expect(paths().sort()).toEqual(['/p/1', '/p/3']);
      expect(posts.map((p) => p.text).sort()).toEqual(['第1篇的正文', '第3篇的正文']);
    });
  });
});
