/**
 * A static forum for the run-outcome tests, served like `python3 -m http.server` serves files:
 * Last-Modified on every page, 304 when the client sends that date back, 404 for what is missing.
 * Not a test file itself (vitest only collects *.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './crawler.server.js';
import { assertBuilt, runVoc } from './helpers/cli.js';

export const LAST_MODIFIED = 'Mon, 07 Dec 2026 23:04:33 GMT';
const LIST = `<html><body>${[1, 2, 3]
  .map((n) => `<article class="post" data-id="p${n}"><div class="content">第 ${n} 条：门店和官网说法不一致，客服也说不清楚</div></article>`)
  .join('')}</body></html>`;

export const GOOD_SELECTORS = 'item=article.post,text=.content,id=@data-id';
export const WRONG_SELECTORS = 'item=article.postx,text=.content';

export function startOutcomeSite(): Promise<TestServer> {
  return startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    const file: Record<string, [string, string]> = {
      '/forum/list.html': ['text/html', LIST],
      '/forum/other.html': ['text/html', LIST.replace(/p(\d)/g, 'q$1')],
      '/forum/file.pdf': ['application/pdf', '%PDF-1.4\n'],
      '/forum/data.json': ['application/json', '{"a": 1}\n'],
      '/forum/empty.html': ['text/html', ''],
    };
    const found = file[path];
    if (!found) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>File not found</h1>');
    if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304, { 'last-modified': LAST_MODIFIED }).end();
    res.writeHead(200, { 'content-type': found[0], 'last-modified': LAST_MODIFIED }).end(found[1]);
  });
}

/**
 * For the CLI tests over this site: registers the hooks that start it and make a project folder
 * whose config allows 127.0.0.1 (brand youpin), and removes both afterwards. `voc` runs the real
 * binary there in the language asked.
 */
export function useOutcomeProject(prefix: string, authorSecret: string) {
  let site: TestServer | undefined;
  let root = '';
  beforeAll(async () => {
    assertBuilt();
    site = await startOutcomeSite();
    root = mkdtempSync(join(tmpdir(), prefix));
    writeFileSync(join(root, 'voc.config.yaml'), 'dataDir: data\ncrawler:\n  defaultDelayMs: 0\n  allowPrivateHosts: [127.0.0.1]\nbrands:\n  - { id: youpin, name: 优品汇 }\n');
  });
  afterAll(async () => {
    await site?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return {
    get site(): TestServer {
      return site!;
    },
    get root(): string {
      return root;
    },
    voc: (args: string[], lang = 'zh-CN') =>
      runVoc(['--config', join(root, 'voc.config.yaml'), '--lang', lang, ...args], { cwd: root, env: { VOC_AUTHOR_SECRET: authorSecret } }),
  };
}
