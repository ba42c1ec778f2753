import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import diagnostics from 'node:diagnostics_channel';
import { RefusedUrlError } from '../core/errors.js';
import {
  assertCrawlableUrl,
  assertPublicAddress,
  classifyAddress,
  createFetcher,
  FetchError,
  resolvePublicAddresses,
} from '../crawlers/index.js';
import { startServer, type TestServer } from './crawler.server.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['169.254.169.254', 'metadata'],
    ['fe80::1', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['93.184.216.34', 'public'],
    ['2606:4700::1111', 'public'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('allowPrivate unlocks private classes but never the metadata endpoint', () => {
    expect(() => assertPublicAddress('10.0.0.1', 'http://10.0.0.1/', true)).not.toThrow();
    expect(() => assertPublicAddress('10.0.0.1', 'http://10.0.0.1/', false)).toThrow(RefusedUrlError);
    expect(() => assertPublicAddress('169.254.169.254', 'http://169.254.169.254/', true)).toThrow(
      'refused http://169.254.169.254/: is a cloud metadata address, which voc never crawls',
    );
  });
});

describe('assertCrawlableUrl', () => {
  it('refuses other schemes and credentials with a readable reason', () => {
    expect(() => assertCrawlableUrl('file:///etc/passwd')).toThrow('scheme "file" is not crawled');
    expect(() => assertCrawlableUrl('ftp://example.com/')).toThrow(RefusedUrlError);
    expect(() => assertCrawlableUrl('http://user:pw@example.com/')).toThrow('remove the credentials');
    expect(() => assertCrawlableUrl('not a url')).toThrow('not a valid absolute URL');
    expect(assertCrawlableUrl('https://example.com/a').href).toBe('https://example.com/a');
  });
});

describe('resolvePublicAddresses', () => {
  it('refuses a name if ANY of its addresses is private', async () => {
    const resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(resolvePublicAddresses(new URL('http://mixed.example/'), false, resolver)).rejects.toThrow(
      'refused http://mixed.example/: resolves to private address 10.0.0.5; add the host to crawler.allowPrivateHosts',
    );
  });
});

describe('fetcher address checks', () => {
  let server: TestServer;
  const sockets: string[] = [];
  const onSocket = (message: unknown) => sockets.push(String((message as { socket: { remotePort?: number } }).socket.remotePort));

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/to-private') return void res.writeHead(301, { location: 'http://10.0.0.1/admin' }).end();
      if (req.url === '/to-localhost') return void res.writeHead(302, { location: `http://localhost:${server.port}/ok` }).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>你好</p>');
    });
    diagnostics.subscribe('net.client.socket', onSocket);
  });
  afterAll(async () => {
    diagnostics.unsubscribe('net.client.socket', onSocket);
    await server.close();
  });

  it.each([
    ['/to-metadata', 'http://169.254.169.254/latest/meta-data/', 'cloud metadata address'],
    ['/to-private', 'http://10.0.0.1/admin', 'private address'],
  ])('a redirect %s is refused before any connection to %s', async (path, dest, words) => {
    const fetcher = createFetcher({ userAgent: 'voc-test/1.0' });
    try {
      sockets.length = 0;
      const err = await fetcher.fetch(server.origin + path, { allowPrivate: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).cause).toBe('refused');
      expect((err as FetchError).url).toBe(dest);
      expect((err as FetchError).message).toContain(words);
      expect((err as FetchError).message).toContain(`(redirected from ${server.origin}${path})`);
      // Exactly one socket: the one to the test server. None towards the refused address.
      expect(sockets).toHaveLength(1);
    } finally {
      fetcher.close();
    }
  });

  it('a redirect to another host that resolves to loopback is refused even though the first host was allowed', async () => {
    const fetcher = createFetcher({ userAgent: 'voc-test/1.0' });
    try {
      const err = await fetcher.fetch(server.origin + '/to-localhost', { allowPrivate: true }).catch((e: unknown) => e);
      expect((err as FetchError).cause).toBe('refused');
      expect((err as FetchError).message).toContain('resolves to loopback address 127.0.0.1');
    } finally {
      fetcher.close();
    }
  });

  it('localhost is refused without allowPrivate and fetched with it', async () => {
    const fetcher = createFetcher({ userAgent: 'voc-test/1.0' });
    const url = `http://localhost:${server.port}/page`;
    try {
      const before = server.requests.length;
      const err = await fetcher.fetch(url, { allowPrivate: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).cause).toBe('refused');
      expect((err as FetchError).message).toBe(
        `refused ${url}: resolves to loopback address 127.0.0.1; add the host to crawler.allowPrivateHosts in the config (or set allowPrivate: true on a target written in the config file) only if it is an intranet source you may crawl`,
      );
      expect(server.requests.length).toBe(before);

      const ok = await fetcher.fetch(url, { allowPrivate: true });
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('<p>你好</p>');
      expect(server.requests.length).toBe(before + 1);
    } finally {
      fetcher.close();
    }
  });

  it('connects to the checked address, not to a second DNS answer (pinned lookup)', async () => {
    // `.invalid` never resolves in real DNS: the request can only reach the server through the
    // address the safety check returned.
    const fetcher = createFetcher({
      userAgent: 'voc-test/1.0',
      resolveAll: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      const ok = await fetcher.fetch(`http://voc-test.invalid:${server.port}/pinned`, { allowPrivate: true });
      expect(ok.body).toBe('<p>你好</p>');
      expect(server.requests.at(-1)!.headers.host).toBe(`voc-test.invalid:${server.port}`);
    } finally {
      fetcher.close();
    }
  });
});
