/**
 * A console server for the tests: a real Fastify app on 127.0.0.1 (port 0) over an embedded store
 * in a temporary folder, with the real classifier and crawler, one user per role and a bearer
 * token each. Not a test file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseConfig, type VocConfig } from '../core/config.js';
import { openApp, type App } from '../cli/app.js';
import { buildServer } from '../server/app.js';
import { addUser, createToken } from '../server/accounts.js';
import type { Role } from '../store/store.js';
import type { Queues } from '../workers/queues.js';

export const PASSWORDS: Record<Role, string> = { admin: 'admin-pass-123', analyst: 'analyst-pass-123', viewer: 'viewer-pass-123' };

export interface ConsoleFixture {
  base: string;
  app: App;
  config: VocConfig;
  server: FastifyInstance;
  tokens: Record<Role, string>;
  dir: string;
  close(): Promise<void>;
}

export function consoleConfig(dir: string, extra: { targets?: unknown[]; brands?: unknown[] } = {}): VocConfig {
  return parseConfig({
    dataDir: join(dir, 'data'),
    timeZone: 'Asia/Shanghai',
    brands: extra.brands ?? [{ id: 'acme', name: 'Acme 艾克米' }],
    crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0, userAgent: 'voc-test/0.1 (+https://example.org/voc-test)' },
    targets: extra.targets ?? [],
  });
}

export async function startConsole(
  opts: { targets?: unknown[]; brands?: unknown[]; loginLimit?: { max: number; windowMs: number }; webDir?: string; queues?: Queues; queuePrefix?: string; trustProxy?: boolean } = {},
): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'voc-console-'));
  const config = consoleConfig(dir, { ...(opts.targets ? { targets: opts.targets } : {}), ...(opts.brands ? { brands: opts.brands } : {}) });
  const app = await openApp(config);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'analyst', 'viewer'] as const) {
    await addUser(app.store, { username: role, role, password: PASSWORDS[role] });
    tokens[role] = (await createToken(app.store, role, 'tests')).secret;
  }
  const server = await buildServer(
    { store: app.store, ...(opts.queues ? { queues: opts.queues, queuePrefix: opts.queuePrefix ?? 'voc' } : {}), console: { app, reportsDir: join(dir, 'reports'), ...(opts.webDir ? { webDir: opts.webDir } : {}), ...(opts.loginLimit ? { loginLimit: opts.loginLimit } : {}) } },
    { processMetrics: false, ...(opts.trustProxy ? { trustProxy: true } : {}) },
  );
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    app,
    config,
    server,
    tokens,
    dir,
    async close() {
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * fetch with a bearer token and a JSON body. Error messages come in English (the API's default is
 * zh-CN): pass another `accept-language` in `headers` to test that.
 */
export async function api(base: string, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}
