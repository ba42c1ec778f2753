/**
 * Politeness in whole crawls: Retry-After and rate-limit headers are waited for without spending
 * the retry budget, an exhausted rate-limit window holds the host, a 503 storm ends in a clear
 * error after backing off, and the User-Agent names voc with the operator's contact URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCrawlContext, crawlTarget, parseRateLimit, parseResetValue, serverRequestedDelayMs, type CrawlContext } from '../crawlers/index.js';
import { brief, startServer, testConfig, testTarget, type Handler, type TestServer } from './crawler.server.js';

const listing = (n: number, next: boolean) =>
  `<div class="post"><div class="content">第${n}页</div><a class="permalink" href="/t/${n}">#</a></div>${next ? `<a class="next" href="/list?page=${n + 1}">下一页</a>` : ''}`;

describe('politeness in a crawl', () => {
  let server: TestServer | undefined;
  let ctx: CrawlContext | undefined;
  afterEach(async () => {
    await ctx?.close();
    await server?.close();
    ctx = server = undefined;
  });

  async function setup(handler: Handler, crawler: Record<string, unknown> = {}, retries = 0) {
    server = await startServer((req, res, n) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      handler(req, res, n);
    });
    const config = testConfig({ ...crawler });
    ctx = createCrawlContext({ config, authorSecret: 's', dataDir: false, retry: { retries, baseMs: 20, maxMs: 40 } });
    return { config, target: testTarget(config, { url: `${server.origin}/list?page=1`, maxPages: 3 }) };
  }
  const pageOf = (url: string | undefined) => Number(new URL(url ?? '/', 'http://x').searchParams.get('page') ?? '1');
  const gapBetween = (a: number, b: number) => server!.requests[b]!.at - server!.requests[a]!.at;

  it('waits out a 429 with Retry-After without spending the retry budget (retries: 0)', async () => {
    let refused = false;
    const { target } = await setup((req, res) => {
      const n = pageOf(req.url);
      if (n === 2 && !refused) {
        refused = true;
        return void res.writeHead(429, { 'retry-after': '1', 'content-length': '0' }).end();
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listing(n, n < 3));
    });
    const summary = await crawlTarget(ctx!, target);
    expect(brief(summary)).toEqual({ pages: 3, posts: 3, errors: [], stoppedBecause: 'no_next' });
    expect(summary.stats.statuses).toEqual({ '200': 3, '429': 1 });
    expect(summary.stats.retries).toBe(1);
    expect(summary.stats.politenessWaitMs).toBeGreaterThanOrEqual(1000);
    expect(summary.stats.backoffWaitMs).toBe(0);
    // robots, page 1, page 2 (429), page 2 again a second later
    expect(server!.paths()).toEqual(['/robots.txt', '/list?page=1', '/list?page=2', '/list?page=2', '/list?page=3']);
    expect(gapBetween(2, 3)).toBeGreaterThanOrEqual(990);
  });

  it('waits out a 503 with Retry-After (a maintenance window) the same way, without spending the retry budget', async () => {
    let refused = 0;
    const { target } = await setup((req, res) => {
      const n = pageOf(req.url);
      if (n === 2 && refused < 2) {
        refused++;
        return void res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain', 'content-length': '11' }).end('maintenance');
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listing(n, n < 3));
    });
    const summary = await crawlTarget(ctx!, target);
    expect(brief(summary)).toEqual({ pages: 3, posts: 3, errors: [], stoppedBecause: 'no_next' });
    expect(summary.stats.statuses).toEqual({ '200': 3, '503': 2 });
    expect(summary.stats.retries).toBe(2);
    expect(summary.stats.backoffWaitMs).toBe(0);
    expect(server!.paths()).toEqual(['/robots.txt', '/list?page=1', '/list?page=2', '/list?page=2', '/list?page=2', '/list?page=3']);
    expect(gapBetween(2, 3)).toBeGreaterThanOrEqual(990);
    expect(gapBetween(3, 4)).toBeGreaterThanOrEqual(990);
  });

  it('reads the wait from rate-limit reset headers when there is no Retry-After', async () => {
    let refused = false;
    const { target } = await setup((req, res) => {
      const n = pageOf(req.url);
      if (n === 2 && !refused) {
        refused = true;
        // Bluesky style: reset as a unix epoch in seconds.
        const reset = String(Math.ceil(Date.now() / 1000) + 2);
        return void res.writeHead(429, { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': reset, 'content-length': '0' }).end();
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listing(n, n < 3));
    });
    const summary = await crawlTarget(ctx!, target);
    expect(summary.errors).toEqual([]);
    expect(summary.stats.retries).toBe(1);
    expect(gapBetween(2, 3)).toBeGreaterThanOrEqual(990);
  });

  it('holds the host when a response says the rate-limit window is used up', async () => {
    const { target } = await setup((req, res) => {
      const n = pageOf(req.url);
      // Reddit style: remaining as a float, reset in seconds from now.
      const headers = n === 1 ? { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-used': '100', 'x-ratelimit-reset': '1' } : {};
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(listing(n, n < 2));
    });
    const summary = await crawlTarget(ctx!, target);
    expect(summary.posts).toBe(2);
    expect(summary.stats.statuses).toEqual({ '200': 2 }); // no 429 was needed
    expect(gapBetween(1, 2)).toBeGreaterThanOrEqual(990);
  });

  it('gives up on a 503 storm after backing off, with the cause grouped', async () => {
    const { target } = await setup((req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '4' }).end('busy');
    }, {}, 3);
    const summary = await crawlTarget(ctx!, target);
    expect(brief(summary)).toEqual({
      pages: 0,
      posts: 0,
      errors: [
        {
          url: target.url,
          message: `gave up after 4 attempts (3 retries): HTTP 503 Service Unavailable from ${target.url}`,
        },
      ],
      stoppedBecause: 'error',
    });
    expect(summary.stats.statuses).toEqual({ '503': 4 });
    expect(summary.stats.retries).toBe(3);
    expect(summary.stats.backoffWaitMs).toBeGreaterThanOrEqual(10 + 20 + 20); // equal jitter: at least half of 20, 40, 40
    expect(summary.stats.errors).toEqual([
      { cause: 'http_503', count: 1, message: summary.errors[0]!.message, zh: summary.errors[0]!.zh, urls: [target.url] },
    ]);
    expect(summary.errors[0]!.message).toBe(`gave up after 4 attempts (3 retries): HTTP 503 Service Unavailable from ${target.url}`);
    expect(summary.errors[0]!.zh).toBe(`尝试 4 次后放弃（重试 3 次）：${target.url} 返回 HTTP 503 Service Unavailable`);
  });

  it('names voc and the operator contact URL in the User-Agent', async () => {
    const { target } = await setup((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(listing(1, false)), {
      contactUrl: 'https://acme.example/voc-crawler',
    });
    await crawlTarget(ctx!, target);
    expect(new Set(server!.requests.map((r) => r.headers['user-agent']))).toEqual(new Set(['voc/0.1 (+https://acme.example/voc-crawler)']));
  });
});

describe('rate-limit headers', () => {
  const now = Date.parse('2026-10-03T08:00:00Z');
  it('reads reset values in their three spellings', () => {
    expect(parseResetValue('30', now)).toBe(30_000); // seconds from now (IETF draft, Reddit)
    expect(parseResetValue(String(now / 1000 + 45), now)).toBe(45_000); // unix epoch seconds (GitHub, Bluesky)
    expect(parseResetValue('2026-10-03T08:05:00.000Z', now)).toBe(300_000); // ISO date (Mastodon)
    expect(parseResetValue('2026-10-03T07:00:00.000Z', now)).toBe(0);
    expect(parseResetValue('soon', now)).toBeUndefined();
  });

  it('prefers Retry-After, else the reset', () => {
    expect(serverRequestedDelayMs({ 'retry-after': '5', 'x-ratelimit-reset': '60' }, now)).toBe(5000);
    expect(serverRequestedDelayMs({ 'x-ratelimit-reset': '60' }, now)).toBe(60_000);
    expect(serverRequestedDelayMs({}, now)).toBeUndefined();
    expect(parseRateLimit({ 'x-ratelimit-remaining': '598.0', 'x-ratelimit-reset': '12' }, now)).toEqual({ remaining: 598, resetAfterMs: 12_000 });
  });
});
