import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawlContext, createLocalPacer, crawlTarget, type CrawlContext, type HostPolicy } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const policy = (p: Partial<HostPolicy>): HostPolicy => ({ intervalMs: 0, burst: 1, maxConcurrency: 8, ...p });

/** Acquires `n` leases on one host at once; resolves with the grant instants, releasing each at once. */
async function grants(pacer: ReturnType<typeof createLocalPacer>, host: string, p: HostPolicy, n: number): Promise<number[]> {
  const start = Date.now();
  return Promise.all(
    Array.from({ length: n }, async () => {
      const lease = await pacer.acquire(host, p);
      const at = Date.now() - start;
      lease.release();
      return at;
    }),
  );
}

describe('local pacer', () => {
  it('spaces request starts by the interval (a bucket of one)', async () => {
    const at = await grants(createLocalPacer(), 'a.example', policy({ intervalMs: 200 }), 4);
    expect(at[0]).toBeLessThan(150);
    // Each grant is one interval after the previous one (less a few ms: timers run on the event
    // loop's cached clock, and Date.now has millisecond steps); without pacing the gaps would be 0.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(190);
    expect(at[3]!).toBeLessThan(600 + 400);
  });

  it('lets a bucket of three go at once after an idle spell, then refills one token per interval', async () => {
    const pacer = createLocalPacer();
    const p = policy({ intervalMs: 150, burst: 3 });
    // The bucket starts with one token and fills up while idle.
    await pacer.acquire('b.example', p).then((l) => l.release());
    await new Promise<void>((resolve) => setTimeout(resolve, 450));
    const at = await grants(pacer, 'b.example', p, 5);
    expect(at.slice(0, 3).every((t) => t < 100)).toBe(true);
    expect(at[3]!).toBeGreaterThanOrEqual(140);
    expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(140);
  });

  it('caps requests in flight per host', async () => {
    const pacer = createLocalPacer();
    const p = policy({ maxConcurrency: 2 });
    const first = await pacer.acquire('c.example', p);
    const second = await pacer.acquire('c.example', p);
    let thirdGranted = false;
    const third = pacer.acquire('c.example', p).then((l) => ((thirdGranted = true), l));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(thirdGranted).toBe(false);
    first.release();
    (await third).release();
    expect(thirdGranted).toBe(true);
    second.release();
  });

  it('holds a host off until the server-requested instant', async () => {
    const pacer = createLocalPacer();
    const start = Date.now();
    pacer.holdOff('d.example', start + 300);
    const lease = await pacer.acquire('d.example', policy({}));
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(lease.waitedMs).toBeGreaterThanOrEqual(285);
    lease.release();
  });

  it('does not make one host wait for another', async () => {
    const pacer = createLocalPacer();
    await pacer.acquire('e.example', policy({ intervalMs: 10_000 })).then((l) => l.release());
    const started = performance.now();
    await pacer.acquire('f.example', policy({ intervalMs: 10_000 })).then((l) => l.release());
    expect(performance.now() - started).toBeLessThan(1000); // not the other host's 10 s
  });

  it('drops a waiter whose signal aborts', async () => {
    const pacer = createLocalPacer();
    const p = policy({ maxConcurrency: 1 });
    const held = await pacer.acquire('g.example', p);
    const controller = new AbortController();
    const waiting = pacer.acquire('g.example', p, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release();
    // The slot is free again, not taken by the aborted waiter.
    (await pacer.acquire('g.example', p)).release();
  });
});

describe('politeness in a crawl', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig({ respectRobots: false });

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? '1');
      const body = n <= 6 ? `<div class="post"><div class="content">第${n}页</div><a class="permalink" href="/t/${n}">#</a></div>` : '';
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body), 30);
    });
    ctx = createCrawlContext({ config, authorSecret: 's', dataDir: false });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  it('paces numbered pages by requests per minute even with several workers', async () => {
    const target = testTarget(config, {
      url: `${server.origin}/list?page=1`,
      pagination: { type: 'template', url: '/list?page={page}' },
      requestsPerMinute: 300, // one request start per 200 ms
      maxConcurrency: 4,
      maxPages: 20,
    });
    const started = performance.now();
    const summary = await crawlTarget(ctx, target);
    const elapsed = performance.now() - started;
    expect(summary.posts).toBe(6);
    expect(summary.stoppedBecause).toBe('empty_page');
    const paths = server.paths().filter((p) => p.startsWith('/list'));
    // Page 7 is empty; at most the pages already started after it (the workers' look-ahead) are extra.
    expect(paths.slice(0, 7)).toEqual(['/list?page=1', '/list?page=2', '/list?page=3', '/list?page=4', '/list?page=5', '/list?page=6', '/list?page=7']);
    expect(paths.length).toBeLessThanOrEqual(7 + 4);
    // n requests need (n - 1) intervals; without pacing this would take ~30 ms.
    expect(elapsed).toBeGreaterThanOrEqual((paths.length - 1) * 200 - 5);
    expect(summary.stats.politenessWaitMs).toBeGreaterThan((paths.length - 2) * 200 * 0.5);
    expect(summary.stats.statuses).toEqual({ '200': paths.length });
  });
});
