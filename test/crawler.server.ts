/**
 * A real node:http server on 127.0.0.1 (port 0) for the crawler tests, recording every request
 * with its arrival time. Not a test file itself (vitest only collects *.test.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig, resolveTarget, type TargetInput, type VocConfig } from '../core/config.js';
import type { Target } from '../core/types.js';

export interface RecordedRequest {
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Paths requested, in order. */
  paths(): string[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', at: performance.now(), headers: req.headers });
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    paths: () => requests.map((r) => r.path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A config with one brand and robots.txt respected (the default). */
export function testConfig(crawler: Record<string, unknown> = {}): VocConfig {
  return parseConfig({ brands: [{ id: 'acme', name: 'Acme' }], crawler });
}

/** A resolved target on the test server (private addresses allowed: the server is on loopback). */
export function testTarget(config: VocConfig, input: Partial<TargetInput> & { url: string }): Target {
  return resolveTarget(
    {
      id: 'acme-forum',
      brand: 'acme',
      source: 'demo-forum',
      allowPrivate: true,
      delayMs: 0,
      timeZone: 'Asia/Shanghai',
      selectors: { item: '.post', text: '.content', author: '.user', time: 'time', link: 'a.permalink', nextPage: 'a.next' },
      ...input,
    },
    config,
  );
}

/** The headline of a crawl summary (stats aside), with errors as url + message, for exact assertions. */
export function brief(summary: { pages: number; posts: number; errors: Array<{ url: string; message: string }>; stoppedBecause: string }) {
  return {
    pages: summary.pages,
    posts: summary.posts,
    errors: summary.errors.map(({ url, message }) => ({ url, message })),
    stoppedBecause: summary.stoppedBecause,
  };
}
