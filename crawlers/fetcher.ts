/**
 * The HTTP fetcher: node:http/https with keep-alive agents (much cheaper than `fetch` per page),
 * SSRF-safe on every redirect hop, bounded in time and size, and charset-aware.
 *
 * Size: the cap applies to the bytes on the wire AND to the decompressed bytes while they
 * stream, so a 10 KB gzip bomb that inflates to gigabytes is cut off after `maxBytes`, never
 * buffered. Time: one deadline to connect, one to get the response headers, one for the body
 * (a server that stalls mid-body is cut off). Errors: `FetchError` with a `cause` category.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import type { LookupAddress } from 'node:dns';
import { errorText, RefusedUrlError, type ErrorText } from '../core/errors.js';
import { assertCrawlableUrl, pinnedLookup, resolvePublicAddresses, systemResolveAll, type ResolveAll } from './address-safety.js';
import { decodeBody, UnsupportedCharsetError } from './charset.js';
import { FetchError } from './fetch-error.js';
import { parseRetryAfter, serverRequestedDelayMs } from './rate-limit.js';

export { FetchError } from './fetch-error.js';
export type { FetchErrorCause } from './fetch-error.js';

export interface FetchTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  connectMs: number;
  /** From sending the request until the response headers arrive. */
  headersMs: number;
  /** From the headers until the last body byte (a whole-body deadline, not an idle timer). */
  bodyMs: number;
}

export interface FetcherOptions {
  userAgent: string;
  /** Cap on the body, raw and decompressed (default 5 MB). */
  maxBytes?: number;
  timeouts?: Partial<FetchTimeouts>;
  /** Redirect hops followed before `too_many_redirects` (default 5). */
  maxRedirects?: number;
  /** Sockets per host kept by the keep-alive agents (default 16). */
  maxSocketsPerHost?: number;
  /** DNS resolver (default the OS resolver, `dns.lookup` with all: true). */
  resolveAll?: ResolveAll;
  /** How long a host's checked addresses are reused, ms (default 30 s; 0 = ask DNS every time). */
  dnsCacheMs?: number;
}

/** Validators of a copy we already have, for a conditional GET (answered 304 when unchanged). */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  /**
   * May the requested URL's host be a private/loopback address? Applies to that host only:
   * a redirect to another host is held to the public-address rule, so an allowed intranet
   * or test host cannot bounce the crawler to a different internal address.
   */
  allowPrivate: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send If-None-Match / If-Modified-Since; a 304 answer then resolves with `notModified: true`. */
  validators?: Validators;
  /** Gunzip a body that is itself a gzip file (sitemap.xml.gz served without Content-Encoding). */
  gunzipFiles?: boolean;
}

export interface FetchResult {
  /** Final URL, after redirects. */
  url: string;
  /** 2xx, or 304 when `validators` were sent and the resource did not change (then `body` is empty). */
  status: number;
  notModified: boolean;
  headers: http.IncomingHttpHeaders;
  /** Body decoded to text (charset from header, BOM, meta, else UTF-8). */
  body: string;
  /** Size of the body after decompression, before charset decoding. */
  bytes: number;
  /** Size of the body as received on the wire. */
  wireBytes: number;
  /** iconv-lite name of the charset used to decode `body`. */
  charset: string;
}

export interface Fetcher {
  /** GETs `url`, following redirects; throws `FetchError` on any failure or non-2xx status (but 304, see `validators`). */
  fetch(url: string, options: FetchOptions): Promise<FetchResult>;
  /** Closes the keep-alive sockets. */
  close(): void;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUTS: FetchTimeouts = { connectMs: 10_000, headersMs: 20_000, bodyMs: 30_000 };
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Dropped when a redirect leaves the origin: they were meant for the first server only.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Creates a fetcher with its own keep-alive agents.
 *
 * @example
 * const fetcher = createFetcher({ userAgent: 'voc/0.1' });
 * const page = await fetcher.fetch('https://example.com/', { allowPrivate: false });
 * fetcher.close();
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeouts: FetchTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxRedirects = options.maxRedirects ?? 5;
  const resolveAll = cachedResolver(options.resolveAll ?? systemResolveAll, options.dnsCacheMs ?? 30_000);
  const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 16, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  async function fetch(url: string, fetchOptions: FetchOptions): Promise<FetchResult> {
    let current = url;
    let headers = { ...fetchOptions.headers };
    const v = fetchOptions.validators;
    if (v?.etag) headers['if-none-match'] = v.etag;
    if (v?.lastModified) headers['if-modified-since'] = v.lastModified;
    const conditional = Boolean(v?.etag || v?.lastModified);
    const startHost = safeHost(url);
    for (let hop = 0; ; hop++) {
      const target = await checkHop(current, url, startHost, fetchOptions.allowPrivate);
      const response = await requestOnFreshSocket(target.url, target.addresses, headers, fetchOptions.signal);
      if (REDIRECT_STATUSES.has(response.status) && response.location !== undefined) {
        if (hop >= maxRedirects)
          throw new FetchError(url, 'too_many_redirects', { en: `too many redirects (more than ${maxRedirects}) starting at ${url}`, zh: `从 ${url} 起重定向过多（超过 ${maxRedirects} 次）` }, {
            status: response.status,
          });
        let next: URL;
        try {
          next = new URL(response.location, current);
        } catch {
          throw new FetchError(current, 'http', { en: `redirect from ${current} to an invalid URL "${response.location}"`, zh: `${current} 重定向到无效的 URL“${response.location}”` }, {
            status: response.status,
          });
        }
        if (next.origin !== new URL(current).origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !ORIGIN_BOUND_HEADERS.includes(k.toLowerCase())));
        }
        current = next.href;
        continue;
      }
      if (response.status === 304 && conditional) return response.notModified();
      return response.read(Boolean(fetchOptions.gunzipFiles));
    }
  }

  /** Scheme, credentials and address checks of one hop; refusals become `FetchError('refused')`. */
  async function checkHop(
    hopUrl: string,
    firstUrl: string,
    startHost: string | undefined,
    allowPrivate: boolean,
  ): Promise<{ url: URL; addresses: LookupAddress[] }> {
    const via = hopUrl === firstUrl ? { en: '', zh: '' } : { en: ` (redirected from ${firstUrl})`, zh: `（由 ${firstUrl} 重定向而来）` };
    try {
      const parsed = assertCrawlableUrl(hopUrl);
      const sameHost = parsed.hostname === startHost;
      const addresses = await resolvePublicAddresses(parsed, allowPrivate && sameHost, resolveAll);
      return { url: parsed, addresses };
    } catch (err) {
      if (err instanceof RefusedUrlError)
        throw new FetchError(hopUrl, 'refused', { en: `${err.message}${via.en}`, zh: `${errorText(err, 'zh-CN')}${via.zh}` }, { original: err });
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new FetchError(hopUrl, 'network', { en: `cannot resolve host of ${hopUrl}${via.en}: ${code}`, zh: `无法解析 ${hopUrl} 的主机${via.zh}：${code}` }, { original: err });
    }
  }

  interface RawResponse {
    status: number;
    location?: string;
    read(gunzipFiles: boolean): Promise<FetchResult>;
    notModified(): FetchResult;
  }

  /**
   * `requestOnce`, sent again at once (at most twice) when a kept-alive socket turned out to be
   * closed by the server before any response: a server may close an idle connection just as we
   * reuse it, and a busy machine widens that window. A GET is safe to send again, and the site did
   * not fail, so this spends no retry and counts no error.
   */
  async function requestOnFreshSocket(
    url: URL,
    addresses: LookupAddress[],
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await requestOnce(url, addresses, headers, signal);
      } catch (err) {
        if (attempt >= 2 || !(err instanceof StaleSocketError)) throw err;
        // The other idle sockets to this host have idled as long: after a stall of this process
        // (a long synchronous step) they are all closed, and reusing them one by one would spend
        // every attempt and the retry budget on dead sockets. Drop them; the resend connects anew.
        dropIdleSockets(agents[url.protocol as 'http:' | 'https:'], url);
      }
    }
  }

  /** Sends one GET and resolves once the headers are in; `read()` then streams the body. */
  function requestOnce(
    url: URL,
    addresses: LookupAddress[],
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const href = url.href;
    const aborted = () => new FetchError(href, 'network', { en: `fetch of ${href} aborted`, zh: `${href} 的抓取已中止` }, { original: signal?.reason });
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise<RawResponse>((resolveHeaders, rejectHeaders) => {
      let timer: NodeJS.Timeout | undefined;
      let settledHeaders = false;
      const failHeaders = (err: FetchError) => {
        if (settledHeaders) return;
        settledHeaders = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        req.destroy();
        rejectHeaders(err);
      };
      const onAbort = () => failHeaders(aborted());

      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, {
        method: 'GET',
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup: pinnedLookup(addresses),
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
          ...headers,
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });

      const arm = (ms: number, what: 'connect' | 'headers') => {
        clearTimeout(timer);
        const message =
          what === 'connect'
            ? { en: `timed out after ${ms} ms connecting to ${href}`, zh: `连接 ${href} 超时（${ms} 毫秒）` }
            : { en: `timed out after ${ms} ms waiting for the response headers of ${href}`, zh: `等待 ${href} 的响应头超时（${ms} 毫秒）` };
        timer = setTimeout(() => failHeaders(new FetchError(href, 'timeout', message)), ms);
      };
      arm(timeouts.connectMs, 'connect');
      req.on('socket', (socket) => {
        const connected = () => arm(timeouts.headersMs, 'headers');
        // A reused keep-alive socket is already connected.
        if ((socket as { connecting?: boolean }).connecting) socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
        else connected();
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const message = { en: `network error fetching ${href}: ${err.code ?? err.message}`, zh: `抓取 ${href} 时网络出错：${err.code ?? err.message}` };
        const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        failHeaders(stale ? new StaleSocketError(href, message, err) : new FetchError(href, 'network', message, { original: err }));
      });
      req.on('response', (res) => {
        if (settledHeaders) return void res.destroy();
        settledHeaders = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        const notModified = (): FetchResult => {
          discard(res);
          return { url: href, status, notModified: true, headers: res.headers, body: '', bytes: 0, wireBytes: 0, charset: 'utf-8' };
        };
        if (REDIRECT_STATUSES.has(status) && location !== undefined) {
          discard(res);
          return resolveHeaders({ status, location, read: () => Promise.reject(new Error('unreachable')), notModified });
        }
        resolveHeaders({ status, read: (gunzipFiles) => readBody(href, res, signal, gunzipFiles), notModified });
      });
      req.end();
    });
  }

  /** Streams, caps, decompresses and decodes one response body. */
  function readBody(href: string, res: http.IncomingMessage, signal: AbortSignal | undefined, gunzipFiles: boolean): Promise<FetchResult> {
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      discard(res);
      return Promise.reject(httpError(href, status, res.headers));
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      return Promise.reject(
        new FetchError(href, 'too_large', { en: `${href} is ${declared} bytes, over the ${maxBytes}-byte limit`, zh: `${href} 有 ${declared} 字节，超过 ${maxBytes} 字节的上限` }, { status }),
      );
    }

    return new Promise<FetchResult>((resolve, reject) => {
      // Without a content encoding the response is read as is: no pass-through stream per page.
      let decoder: (Readable & NodeJS.WritableStream) | undefined;
      try {
        decoder = createDecoder(res.headers['content-encoding']);
      } catch (err) {
        res.destroy();
        return reject(new FetchError(href, 'decode', { en: `${href}: ${(err as Error).message}`, zh: `${href}：${errorText(err as Error, 'zh-CN')}` }, { status }));
      }
      const chunks: Buffer[] = [];
      let wireBytes = 0;
      let bytes = 0;
      let done = false;
      const finish = (err: FetchError | undefined, result?: FetchResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          chunks.length = 0;
          res.destroy();
          decoder?.destroy();
          reject(err);
        } else resolve(result!);
      };
      const tooLarge = (what: 'wire' | 'decompressed') =>
        finish(
          new FetchError(href, 'too_large', {
            en: `${href}: body over the ${maxBytes}-byte limit (${what === 'wire' ? 'on the wire' : 'decompressed'}); cut off`,
            zh: `${href}：正文超过 ${maxBytes} 字节的上限（${what === 'wire' ? '传输时' : '解压后'}），已截断`,
          }, {
            status,
            receivedBytes: bytes,
          }),
        );
      const timer = setTimeout(
        () => finish(new FetchError(href, 'timeout', { en: `timed out after ${timeouts.bodyMs} ms reading the body of ${href}`, zh: `读取 ${href} 的正文超时（${timeouts.bodyMs} 毫秒）` }, { status })),
        timeouts.bodyMs,
      );
      const onAbort = () => finish(new FetchError(href, 'network', { en: `fetch of ${href} aborted`, zh: `${href} 的抓取已中止` }, { status, original: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });

      res.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length;
        if (wireBytes > maxBytes) tooLarge('wire');
      });
      res.on('error', (err: NodeJS.ErrnoException) =>
        finish(new FetchError(href, 'network', { en: `connection lost reading ${href}: ${err.code ?? err.message}`, zh: `读取 ${href} 时连接中断：${err.code ?? err.message}` }, { status, original: err })),
      );
      res.on('aborted', () => finish(new FetchError(href, 'network', { en: `connection lost reading ${href}`, zh: `读取 ${href} 时连接中断` }, { status })));
      const source: Readable = decoder ?? res;
      source.on('data', (chunk: Buffer) => {
        if (done) return;
        bytes += chunk.length;
        if (bytes > maxBytes) return tooLarge('decompressed');
        chunks.push(chunk);
      });
      decoder?.on('error', (err: Error) =>
        finish(new FetchError(href, 'decode', { en: `${href}: cannot decompress the body (${err.message})`, zh: `${href}：无法解压正文（${err.message}）` }, { status, original: err })),
      );
      source.on('end', () => {
        if (done) return;
        // A body cut short by the server without a socket error still must not pass as complete.
        if (!res.complete)
          return finish(new FetchError(href, 'network', { en: `connection closed before the end of the body of ${href}`, zh: `${href} 的正文未传完连接就已关闭` }, { status }));
        try {
          let raw = Buffer.concat(chunks, bytes);
          if (gunzipFiles && raw.length > 2 && raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw, { maxOutputLength: maxBytes });
          const decoded = decodeBody(raw, res.headers['content-type']);
          finish(undefined, {
            url: href,
            status,
            notModified: false,
            headers: res.headers,
            body: decoded.text,
            bytes: raw.length,
            wireBytes,
            charset: decoded.charset,
          });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
            return finish(new FetchError(href, 'too_large', { en: `${href}: gzip file over the ${maxBytes}-byte limit once inflated; cut off`, zh: `${href}：gzip 文件解压后超过 ${maxBytes} 字节的上限，已截断` }, { status }));
          const msg =
            err instanceof UnsupportedCharsetError
              ? { en: err.message, zh: err.zh }
              : { en: `cannot decode text (${(err as Error).message})`, zh: `无法解码文本（${(err as Error).message}）` };
          finish(new FetchError(href, 'decode', { en: `${href}: ${msg.en}`, zh: `${href}：${msg.zh}` }, { status, original: err }));
        }
      });
      if (decoder) res.pipe(decoder);
    });
  }

  return {
    fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * `FetchError('http')` for a non-2xx status; 429/503 carry the server's wait (Retry-After, else
 * the rate-limit reset header) as `retryAfterMs`.
 */
function httpError(href: string, status: number, headers: http.IncomingHttpHeaders): FetchError {
  const reason = http.STATUS_CODES[status] ?? 'unexpected status';
  const retryAfterMs = status === 429 || status === 503 ? serverRequestedDelayMs(headers) : undefined;
  const waitS = retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined;
  const message = {
    en: `HTTP ${status} ${reason} from ${href}${waitS !== undefined ? `; the server asks to retry after ${waitS} s` : ''}`,
    zh: `${href} 返回 HTTP ${status} ${reason}${waitS !== undefined ? `；服务器要求 ${waitS} 秒后重试` : ''}`,
  };
  return new FetchError(href, 'http', message, {
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export { parseRetryAfter };

/**
 * Reuses a host's resolved addresses for `ttlMs`. Safe against DNS rebinding: what is cached is
 * what gets checked and pinned, so a later, different DNS answer is simply never asked for.
 */
function cachedResolver(resolveAll: ResolveAll, ttlMs: number): ResolveAll {
  if (ttlMs <= 0) return resolveAll;
  const cache = new Map<string, { at: number; addresses: Promise<LookupAddress[]> }>();
  return (host) => {
    const now = Date.now();
    const hit = cache.get(host);
    if (hit && now - hit.at < ttlMs) return hit.addresses;
    if (cache.size > 1000) cache.clear();
    const addresses = resolveAll(host);
    cache.set(host, { at: now, addresses });
    addresses.catch(() => cache.delete(host)); // failures are not cached
    return addresses;
  };
}

/**
 * Drops a body we do not want (redirect, error page): a small one is drained so the keep-alive
 * socket can be reused; one of unknown or large size closes the socket instead of reading it.
 */
function discard(res: http.IncomingMessage): void {
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && length <= 64 * 1024) res.resume();
  else res.destroy();
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** A decompression stream for a Content-Encoding header value; undefined for none / identity. */
function createDecoder(contentEncoding: string | undefined): (Readable & NodeJS.WritableStream) | undefined {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  if (codings.length > 1) throw new Error(`stacked content encodings "${contentEncoding}" are not supported`);
  switch (codings[0]) {
    case undefined:
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // createUnzip accepts zlib-wrapped deflate (what the RFC means) and gzip; raw deflate fails as `decode`.
      return zlib.createUnzip();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new Error(`unsupported content encoding "${codings[0]}"`);
  }
}

/** Destroys `agent`'s idle keep-alive sockets to the host and port of `url`. */
function dropIdleSockets(agent: http.Agent, url: URL): void {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  // Pool names start with "host:port:" (then local address and family options).
  const prefix = `${url.hostname.replace(/^\[|\]$/g, '')}:${port}:`;
  for (const [name, sockets] of Object.entries(agent.freeSockets)) {
    if (!name.startsWith(prefix)) continue;
    for (const socket of [...(sockets ?? [])]) socket.destroy();
  }
}

/** A reused keep-alive socket was found closed before any response: worth an immediate resend. */
class StaleSocketError extends FetchError {
  constructor(url: string, message: ErrorText, original: unknown) {
    super(url, 'network', message, { original });
  }
}
