import { afterEach, describe, expect, it } from 'vitest';
import { RefusedUrlError } from '../core/errors.js';
import { crawlPage, crawlTarget, createCrawlContext, createFetcher, createRobotsPolicy, productToken, type CrawlContext } from '../crawlers/index.js';
import { brief, startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const page = (n: number, next?: string) =>
  `<html><body><div class="post"><div class="content">第${n}页的帖子</div></div>${next ? `<a class="next" href="${next}">下一页</a>` : ''}</body></html>`;

describe('robots.txt', () => {
  let server: TestServer | undefined;
  let ctx: CrawlContext | undefined;
  afterEach(async () => {
    await ctx?.close();
    await server?.close();
    ctx = undefined;
    server = undefined;
  });

  it('refuses a disallowed path without requesting it', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt')
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n\nUser-agent: voc\nDisallow: /private/\n');
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(1));
    });
    const config = testConfig();
    ctx = createCrawlContext({ config, authorSecret: 's' });
    const target = testTarget(config, { url: `${server.origin}/private/list` });

    const err = await crawlPage(ctx, target, target.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedUrlError);
    expect((err as Error).message).toBe(
      `refused ${server.origin}/private/list: disallowed by robots.txt (rule for voc, line 5); the site asks crawlers not to fetch this path, so choose another listing page or ask the site for permission`,
    );
    expect((err as RefusedUrlError).zh).toBe(
      `已拒绝 ${server.origin}/private/list：robots.txt 禁止抓取（针对 voc 的规则，第 5 行）；该站点要求爬虫不要抓取这个路径，请换一个列表页，或向站点申请许可`,
    );
    const summary = await crawlTarget(ctx, target);
    expect(brief(summary)).toEqual({ pages: 0, posts: 0, errors: [{ url: target.url, message: (err as Error).message }], stoppedBecause: 'error' });
    // robots.txt fetched once for the whole context; the disallowed path never.
    expect(server.paths()).toEqual(['/robots.txt']);
    expect(server.requests[0]!.headers['user-agent']).toBe('voc/0.1 (+https://github.com/voc-project/voc)');

    // An allowed path of the same origin is fetched.
    const ok = await crawlPage(ctx, target, `${server.origin}/public/list`);
    expect(ok.posts.map((p) => p.text)).toEqual(['第1页的帖子']);
  });

  it('spaces two pages by the Crawl-delay', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nCrawl-delay: 1\n');
      if (req.url === '/list/1') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(1, '/list/2'));
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(2));
    });
    const config = testConfig();
    ctx = createCrawlContext({ config, authorSecret: 's' });
    const target = testTarget(config, { url: `${server.origin}/list/1`, delayMs: 0 });

    const summary = await crawlTarget(ctx, target);
    expect(brief(summary)).toEqual({ pages: 2, posts: 2, errors: [], stoppedBecause: 'no_next' });
    expect(server.paths()).toEqual(['/robots.txt', '/list/1', '/list/2']);
    const gap = server.requests[2]!.at - server.requests[1]!.at;
    expect(gap).toBeGreaterThanOrEqual(985); // 1 s, less clock rounding and network jitter
    expect(gap).toBeLessThan(3000);
  });

  it('treats a 5xx robots.txt as disallow-all for the run, a 404 as allow-all', async () => {
    let robotsStatus = 503;
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(robotsStatus).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(1));
    });
    const fetcher = createFetcher({ userAgent: 'voc/0.1' });
    try {
      const robots = createRobotsPolicy(fetcher, 'voc/0.1');
      expect(await robots.check(`${server.origin}/a`, true)).toEqual({ allowed: false });
      await expect(robots.assertAllowed(`${server.origin}/a`, true)).rejects.toThrow(
        'robots.txt could not be read (HTTP 503); RFC 9309 says to crawl nothing on the site until it can, so try again later',
      );
      robotsStatus = 404; // the cached verdict holds for this policy (this run)
      expect(await robots.check(`${server.origin}/b`, true)).toEqual({ allowed: false });
      expect(server.paths()).toEqual(['/robots.txt']);

      const nextRun = createRobotsPolicy(fetcher, 'voc/0.1');
      expect(await nextRun.check(`${server.origin}/b`, true)).toEqual({ allowed: true });
      expect(server.paths()).toEqual(['/robots.txt', '/robots.txt']);
    } finally {
      fetcher.close();
    }
  });

  it('re-reads robots.txt after the TTLs in a long-lived worker', async () => {
    let robotsStatus = 503;
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(robotsStatus).end();
      res.writeHead(200).end();
    });
    let clock = 0;
    const fetcher = createFetcher({ userAgent: 'voc/0.1' });
    try {
      const robots = createRobotsPolicy(fetcher, 'voc/0.1', { unreachableTtlMs: 1000, ttlMs: 5000, now: () => clock });
      expect((await robots.check(`${server.origin}/a`, true)).allowed).toBe(false);
      robotsStatus = 404;
      clock = 999;
      expect((await robots.check(`${server.origin}/a`, true)).allowed).toBe(false);
      clock = 1000;
      expect((await robots.check(`${server.origin}/a`, true)).allowed).toBe(true);
      clock = 5999;
      expect((await robots.check(`${server.origin}/a`, true)).allowed).toBe(true);
      expect(server.paths()).toEqual(['/robots.txt', '/robots.txt']);
      clock = 6000;
      await robots.check(`${server.origin}/a`, true);
      expect(server.paths()).toEqual(['/robots.txt', '/robots.txt', '/robots.txt']);
    } finally {
      fetcher.close();
    }
  });

  it('is skipped when crawler.respectRobots is false', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nDisallow: /\n');
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(1));
    });
    const config = testConfig({ respectRobots: false });
    ctx = createCrawlContext({ config, authorSecret: 's' });
    const result = await crawlPage(ctx, testTarget(config, { url: `${server.origin}/x` }), `${server.origin}/x`);
    expect(result.posts).toHaveLength(1);
    expect(server.paths()).toEqual(['/x']);
  });

  it('derives the product token from the User-Agent', () => {
    expect(productToken('voc/0.1 (+https://github.com/voc-project/voc)')).toBe('voc');
    expect(productToken('Mozilla/5.0 (compatible; VocBot/1.0; +https://x)')).toBe('vocbot');
  });
});
