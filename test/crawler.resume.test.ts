/**
 * The crawl killed mid-way (SIGKILL, no chance to clean up) and resumed: no post lost, none
 * stored twice, and the second crawl starts where the first one stopped instead of from scratch.
 * The crawler runs in a child process (test/fixtures/crawler/crash-crawl.mjs) on the compiled
 * dist/ build, against a real embedded store, like `voc crawl` would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../store/embedded.js';
import { readProgress } from '../crawlers/index.js';
import { startServer, type TestServer } from './crawler.server.js';
import { ensureCompiled, sourcesIn } from './helpers/compiled.js';

const ROOT = resolve(import.meta.dirname, '..');
const CHILD = join(ROOT, 'test/fixtures/crawler/crash-crawl.mjs');
const PAGES = 30;
const PER_PAGE = 5;
/** Pages answered during the first crawl; later ones wait until it was killed. */
const HELD_AFTER = 12;
let holding = true;

function startChild(dataDir: string, origin: string) {
  const child: ChildProcess = spawn(process.execPath, [CHILD, dataDir, origin], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines: string[] = [];
  const waiters: Array<{ match: (l: string) => boolean; resolve: (l: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.match(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return {
    child,
    exited,
    lines,
    waitFor(match: (l: string) => boolean): Promise<string> {
      const hit = lines.find(match);
      if (hit) return Promise.resolve(hit);
      return new Promise((res, rej) => {
        waiters.push({ match, resolve: res });
        void exited.then((code) => rej(new Error(`child exited (${code}) first; stderr: ${stderr}`)));
      });
    },
  };
}

describe('a crawl killed mid-way and resumed', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    ensureCompiled(sourcesIn('core', 'store', 'crawlers', 'crawlers/kinds'));
    dir = mkdtempSync(join(tmpdir(), 'voc-resume-'));
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/robots.txt') return void res.writeHead(404).end();
      const n = Number(url.searchParams.get('page') ?? '1');
      if (n > PAGES) return void res.writeHead(404).end();
      const posts = Array.from({ length: PER_PAGE }, (_, i) => {
        const id = (PAGES - n) * PER_PAGE + (PER_PAGE - i); // newest first: page 1 holds 150..146
        return `<div class="post"><div class="content">帖子 ${id}：客服和门店互相推诿</div><time>2026-10-01 08:00</time><a class="permalink" href="/t/${id}">#</a></div>`;
      }).join('');
      // While the first crawl runs, pages past HELD_AFTER are held unanswered: however late the
      // kill lands on a busy machine, it finds pages in flight and the crawl unfinished.
      if (holding && n > HELD_AFTER) return;
      // A little latency so that several pages are in flight at once.
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${posts}</body></html>`), 40);
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing, stores nothing twice and does not start over', async () => {
    const dataDir = join(dir, 'data');
    const first = startChild(dataDir, server.origin);
    await first.waitFor((l) => l === 'stored 8');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal, not exited
    holding = false;
    const firstRequests = server.paths().filter((p) => p.startsWith('/list'));

    const peek = openEmbeddedStore(dataDir);
    const storedBefore = await peek.countPosts({ targetId: 'forum' });
    const pending = readProgress(await peek.getCrawlState('forum')).pending;
    await peek.close();
    expect(storedBefore).toBeGreaterThanOrEqual(8 * PER_PAGE);
    expect(storedBefore).toBeLessThan(PAGES * PER_PAGE);
    expect(pending.length).toBeGreaterThan(0);

    const second = startChild(dataDir, server.origin);
    const done = JSON.parse((await second.waitFor((l) => l.startsWith('done '))).slice(5)) as {
      stats: { postsNew: number; postsUpdated: number; postsUnchanged: number };
    };
    expect(await second.exited).toBe(0);
    const secondRequests = server.paths().filter((p) => p.startsWith('/list')).slice(firstRequests.length);

    const store = openEmbeddedStore(dataDir);
    try {
      const posts = await store.queryPosts({ targetId: 'forum' });
      const ids = posts.map((p) => Number(p.externalId.split('/t/')[1]));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: PAGES * PER_PAGE }, (_, i) => i + 1));
      // Exactly the missing posts were new the second time; nothing was rewritten.
      expect(done.stats.postsNew).toBe(PAGES * PER_PAGE - storedBefore);
      expect(done.stats.postsUpdated).toBe(0);
      expect(readProgress(await store.getCrawlState('forum')).pending).toEqual([]);
    } finally {
      await store.close();
    }
    // The second crawl resumed: the pages stored before the kill were not fetched again (the top
    // of the listing once, to look for new posts, plus at most the look-ahead of its workers).
    const refetched = secondRequests.filter((p) => firstRequests.includes(p) && !pending.some((r) => r.url.endsWith(p)));
    expect(refetched.length).toBeLessThanOrEqual(3);
    expect(secondRequests).toContain(`/list?page=${PAGES}`);
  });
});
