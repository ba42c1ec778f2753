import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlPage, createCrawlContext, createLocalPacer, type CrawlContext } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

describe('local pacer', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig({ respectRobots: false });

  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<div class="post"><div class="content">好</div></div>');
    });
    ctx = createCrawlContext({ config, authorSecret: 's' });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  it('spaces concurrent fetches to one host by the target delay', async () => {
    const target = testTarget(config, { url: `${server.origin}/p`, delayMs: 250 });
    await Promise.all([1, 2, 3, 4].map((n) => crawlPage(ctx, target, `${server.origin}/p?n=${n}`)));
    expect(server.requests).toHaveLength(4);
    const at = server.requests.map((r) => r.at);
    // Arrival gaps at the server: the pacer spaces request starts by 250 ms on a millisecond clock;
    // allow 15 ms for the first request's connect and timer/clock rounding (no pacing = ~0 ms gaps).
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(235);
    expect(at[3]! - at[0]!).toBeLessThan(2000);
  });

  it('does not make one host wait for another', async () => {
    const pacer = createLocalPacer();
    await pacer.wait('a.example', 10_000);
    const started = performance.now();
    await pacer.wait('b.example', 10_000);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
