import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import {
  createFetcher,
  FetchError,
  parseRetryAfter,
  RetriesExhaustedError,
  withRetry,
  type Fetcher,
} from '../crawlers/index.js';
import { startServer, type TestServer } from './crawler.server.js';

const MB = 1024 * 1024;

/** gzip of `total` zero bytes, built chunk by chunk (the test process never holds `total` bytes). */
async function gzipBomb(total: number): Promise<Buffer> {
  const gz = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(MB);
  for (let sent = 0; sent < total; sent += MB) if (!gz.write(zeros)) await once(gz, 'drain');
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(out);
}

describe('fetcher', () => {
  let server: TestServer;
  let fetcher: Fetcher;
  /** For the size-cap tests: inflating 5 MB on a busy machine may take longer than the short body deadline of `fetcher`. */
  let patient: Fetcher;
  let bomb: Buffer;
  const streamed = { bytesWritten: 0, closedEarly: false };
  let hugeClosed!: () => void;
  const hugeClosedPromise = new Promise<void>((resolve) => (hugeClosed = resolve));
  let retryAfterHits = 0;

  beforeAll(async () => {
    bomb = await gzipBomb(200 * MB);
    server = await startServer((req, res) => {
      const path = req.url ?? '/';
      switch (path) {
        case '/gbk': {
          // No charset in the header: only the <meta> says GBK.
          const html = '<html><head><meta charset="gbk"><title>论坛</title></head><body><p class="c">售后服务太慢了，等了三天</p></body></html>';
          res.writeHead(200, { 'content-type': 'text/html' }).end(iconv.encode(html, 'gbk'));
          return;
        }
        case '/big5': {
          const html =
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body><p>這家門市的服務很好</p></body></html>';
          res.writeHead(200, { 'content-type': 'text/html' }).end(iconv.encode(html, 'big5'));
          return;
        }
        case '/header-gb2312': {
          res.writeHead(200, { 'content-type': 'text/html; charset=GB2312' }).end(iconv.encode('<p>客服电话打不通</p>', 'gb2312'));
          return;
        }
        case '/gzip': {
          const body = zlib.gzipSync(Buffer.from('<p>压缩页面：物流很快</p>', 'utf8'));
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(body);
          return;
        }
        case '/deflate': {
          // HTTP's "deflate" is the zlib format (RFC 9110 8.4.1.2).
          const body = zlib.deflateSync(Buffer.from('<p>deflate 页面：退款到账</p>', 'utf8'));
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'deflate' }).end(body);
          return;
        }
        case '/br': {
          const body = zlib.brotliCompressSync(Buffer.from('<p>brotli 页面</p>', 'utf8'));
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' }).end(body);
          return;
        }
        case '/bomb':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
          return;
        case '/huge': {
          // 50 MB, chunked (no Content-Length), written with backpressure until the client hangs up.
          res.writeHead(200, { 'content-type': 'text/html' });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          const total = 50 * MB;
          res.on('close', () => {
            if (streamed.bytesWritten < total) streamed.closedEarly = true;
            hugeClosed();
          });
          const pump = () => {
            while (streamed.bytesWritten < total && !res.destroyed) {
              streamed.bytesWritten += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            if (!res.destroyed) res.end();
          };
          pump();
          return;
        }
        case '/declared-huge':
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * MB) });
          res.write('<p>');
          return; // never sends the rest: the declared length alone must be refused
        case '/stall-body':
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
          res.write('<html><body><p>只发了一半');
          return; // stalls mid-body
        case '/stall-headers':
          return; // never answers
        case '/retry-after':
          retryAfterHits++;
          if (retryAfterHits === 1) res.writeHead(429, { 'retry-after': '1', 'content-length': '0' }).end();
          else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>好了</p>');
          return;
        case '/storm':
          res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '4' }).end('busy');
          return;
        case '/not-found':
          res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
          return;
        case '/bad-charset':
          res.writeHead(200, { 'content-type': 'text/html; charset=x-klingon' }).end('<p>?</p>');
          return;
        default: {
          const m = /^\/redirect\/(\d+)$/.exec(path);
          if (m) {
            res.writeHead(302, { location: `/redirect/${Number(m[1]) + 1}`, 'content-length': '0' }).end();
            return;
          }
          if (path === '/hop') return void res.writeHead(301, { location: '/gzip' }).end();
          res.writeHead(500).end();
        }
      }
    });
    fetcher = createFetcher({ userAgent: 'voc-test/1.0', timeouts: { connectMs: 2000, headersMs: 400, bodyMs: 400 } });
    patient = createFetcher({ userAgent: 'voc-test/1.0', timeouts: { connectMs: 5000, headersMs: 10_000, bodyMs: 30_000 } });
  });
  afterAll(async () => {
    fetcher.close();
    patient.close();
    await server.close();
  });

  const get = (path: string) => fetcher.fetch(server.origin + path, { allowPrivate: true });
  const failure = (path: string, via: Fetcher = fetcher) => via.fetch(server.origin + path, { allowPrivate: true }).then(
    () => expect.unreachable(`${path} should have failed`),
    (e: unknown) => e as FetchError,
  );

  it('decodes a GBK page announced only by <meta charset>', async () => {
    const res = await get('/gbk');
    expect(res.charset).toBe('gb18030');
    expect(res.body).toContain('<p class="c">售后服务太慢了，等了三天</p>');
    expect(res.body).toContain('<title>论坛</title>');
  });

  it('decodes a Big5 page announced by <meta http-equiv>', async () => {
    const res = await get('/big5');
    expect(res.charset).toBe('big5hkscs');
    expect(res.body).toContain('<p>這家門市的服務很好</p>');
  });

  it('reads gb2312 from the Content-Type header (as GB18030)', async () => {
    const res = await get('/header-gb2312');
    expect(res.body).toBe('<p>客服电话打不通</p>');
  });

  it('decompresses gzip, deflate and brotli', async () => {
    const gz = await get('/gzip');
    expect(gz.body).toBe('<p>压缩页面：物流很快</p>');
    expect(gz.bytes).toBe(Buffer.byteLength('<p>压缩页面：物流很快</p>'));
    expect((await get('/deflate')).body).toBe('<p>deflate 页面：退款到账</p>');
    expect((await get('/br')).body).toBe('<p>brotli 页面</p>');
  });

  it('follows a redirect and reports the final URL', async () => {
    const res = await get('/hop');
    expect(res.url).toBe(`${server.origin}/gzip`);
    expect(res.body).toBe('<p>压缩页面：物流很快</p>');
  });

  it('gives up after 5 redirects', async () => {
    const before = server.requests.length;
    const err = await failure('/redirect/0');
    expect(err.cause).toBe('too_many_redirects');
    expect(err.message).toBe(`too many redirects (more than 5) starting at ${server.origin}/redirect/0`);
    expect(err.zh).toBe(`从 ${server.origin}/redirect/0 起重定向过多（超过 5 次）`);
    expect(server.requests.length - before).toBe(6);
  });

  it('cuts a gzip bomb off at the decompressed cap', async () => {
    expect(bomb.length).toBeLessThan(1 * MB); // small on the wire...
    const err = await failure('/bomb', patient); // ...200 MB once inflated
    expect(err).toBeInstanceOf(FetchError);
    expect(err.cause).toBe('too_large');
    expect(err.message).toContain('over the 5242880-byte limit (decompressed)');
    expect(err.zh).toBe(`${server.origin}/bomb：正文超过 5242880 字节的上限（解压后），已截断`);
    // Stopped right after the cap, not after inflating everything.
    expect(err.receivedBytes!).toBeGreaterThan(5 * MB);
    expect(err.receivedBytes!).toBeLessThanOrEqual(5 * MB + 64 * 1024);
  });

  it('cuts a 50 MB streamed page at the cap and hangs up', async () => {
    const err = await failure('/huge', patient);
    expect(err.cause).toBe('too_large');
    expect(err.receivedBytes!).toBeLessThanOrEqual(5 * MB + 64 * 1024);
    await hugeClosedPromise; // the server sees the client hang up
    expect(streamed.closedEarly).toBe(true);
    expect(streamed.bytesWritten).toBeLessThan(25 * MB);
  });

  it('refuses a declared Content-Length over the cap without reading', async () => {
    const err = await failure('/declared-huge');
    expect(err.cause).toBe('too_large');
    expect(err.message).toBe(`${server.origin}/declared-huge is 52428800 bytes, over the 5242880-byte limit`);
    expect(err.zh).toBe(`${server.origin}/declared-huge 有 52428800 字节，超过 5242880 字节的上限`);
  });

  it('times out a server that stalls mid-body', async () => {
    const started = performance.now();
    const err = await failure('/stall-body');
    expect(err.cause).toBe('timeout');
    expect(err.message).toBe(`timed out after 400 ms reading the body of ${server.origin}/stall-body`);
    expect(err.zh).toBe(`读取 ${server.origin}/stall-body 的正文超时（400 毫秒）`);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('times out a server that never sends headers', async () => {
    const err = await failure('/stall-headers');
    expect(err.cause).toBe('timeout');
    expect(err.message).toBe(`timed out after 400 ms waiting for the response headers of ${server.origin}/stall-headers`);
    expect(err.zh).toBe(`等待 ${server.origin}/stall-headers 的响应头超时（400 毫秒）`);
  });

  it('throws an http error with the status for 404', async () => {
    const err = await failure('/not-found');
    expect(err.cause).toBe('http');
    expect(err.status).toBe(404);
    expect(err.message).toBe(`HTTP 404 Not Found from ${server.origin}/not-found`);
  });

  it('refuses an unknown charset instead of guessing', async () => {
    const err = await failure('/bad-charset');
    expect(err.cause).toBe('decode');
    expect(err.message).toBe(`${server.origin}/bad-charset: unsupported charset "x-klingon" (from the Content-Type header)`);
  });

  it('waits for Retry-After on 429 without spending the retry budget', async () => {
    const started = performance.now();
    const res = await withRetry(() => get('/retry-after'), { retries: 0, baseMs: 10 });
    const waited = performance.now() - started;
    expect(res.body).toBe('<p>好了</p>');
    expect(retryAfterHits).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(5000);
    const hits = server.requests.filter((r) => r.path === '/retry-after');
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up on a 503 storm after the retries, with a clear error', async () => {
    const before = server.paths().filter((p) => p === '/storm').length;
    const err = await withRetry(() => get('/storm'), { retries: 3, baseMs: 5, maxMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(4);
    expect((err as Error).message).toBe(
      `gave up after 4 attempts (3 retries): HTTP 503 Service Unavailable from ${server.origin}/storm`,
    );
    expect(((err as RetriesExhaustedError).last as FetchError).status).toBe(503);
    expect(server.paths().filter((p) => p === '/storm').length - before).toBe(4);
  });

  it('rejects at once, without a request, when the signal is already aborted', async () => {
    const before = server.requests.length;
    const err = (await fetcher
      .fetch(`${server.origin}/gzip`, { allowPrivate: true, signal: AbortSignal.abort() })
      .catch((e: unknown) => e)) as FetchError;
    expect(err).toBeInstanceOf(FetchError);
    expect(err.message).toBe(`fetch of ${server.origin}/gzip aborted`);
    expect(server.requests.length).toBe(before);
  });

  it('does not retry a 404', async () => {
    let attempts = 0;
    const err = await withRetry(() => (attempts++, get('/not-found')), { retries: 3, baseMs: 5 }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect((err as FetchError).status).toBe(404);
  });

  it('sends a request again on a fresh connection when the server closed the kept-alive ones', async () => {
    // The server hangs up on the second request of each connection, the way a server closing idle
    // connections races with their reuse (or closed them all while this process was busy). The
    // first dead socket found drops the other idle ones; the resend opens a new connection.
    const served = new WeakMap<object, number>();
    const racy = await startServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1) return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength('<p>好</p>')) }).end('<p>好</p>');
    });
    const fetcher = createFetcher({ userAgent: 'voc-test/1.0' });
    try {
      // Three at once: three connections, idle in the pool afterwards.
      const first = await Promise.all([1, 2, 3].map((i) => fetcher.fetch(`${racy.origin}/a${i}`, { allowPrivate: true })));
      expect(first.map((r) => r.body)).toEqual(['<p>好</p>', '<p>好</p>', '<p>好</p>']);
      expect((await fetcher.fetch(`${racy.origin}/b`, { allowPrivate: true })).body).toBe('<p>好</p>');
      // /b: once on an old connection (hung up), then on a new one; the other two old ones were not tried.
      expect(racy.paths().slice(3)).toEqual(['/b', '/b']);
      expect((await fetcher.fetch(`${racy.origin}/c`, { allowPrivate: true })).body).toBe('<p>好</p>');
    } finally {
      fetcher.close();
      await racy.close();
    }
  });
});

describe('withRetry', () => {
  const transient = () => new FetchError('http://x/', 'http', 'HTTP 500', { status: 500 });

  it('backs off exponentially with jitter, capped per wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 4) throw transient();
        return 'ok';
      },
      { retries: 3, baseMs: 100, maxMs: 300, random: () => 1, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    // random()=1 -> the top of each jitter window: base*2^n, capped at maxMs.
    expect(waits).toEqual([100, 200, 300]);
  });

  it('stops when the total wait cap would be exceeded', async () => {
    const err = await withRetry(
      async () => {
        throw new FetchError('http://x/', 'http', 'HTTP 429 from http://x/', { status: 429, retryAfterMs: 60_000 });
      },
      { maxTotalWaitMs: 1000, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'gave up after 1 attempt (waiting 60000 ms more would exceed the 1000 ms wait cap): HTTP 429 from http://x/',
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-10-03T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 03 Oct 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 03 Oct 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
