/**
 * `voc crawl` end to end: the real binary (dist/) over a real forum on 127.0.0.1 and a real
 * embedded store. The forum has three listing pages of two dated posts each (newest first), so
 * every figure below is known: 6 posts, 4 of them since 2026-10-01 (Asia/Shanghai).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../store/embedded.js';
import { assertBuilt, runVoc, VOC_BIN } from './helpers/cli.js';
import { startServer, type TestServer } from './crawler.server.js';

/** page -> its posts: [id, published (ISO with offset), text]. */
const PAGES: Record<number, Array<[string, string, string]>> = {
  1: [
    ['106', '2026-10-05T10:00:00+08:00', '门店排队半小时，店员很敷衍'],
    ['105', '2026-10-04T09:30:00+08:00', 'APP 下单很快，配送准时'],
  ],
  2: [
    ['104', '2026-10-03T20:15:00+08:00', '客服电话一直占线'],
    ['103', '2026-10-01T08:00:00+08:00', '售后换货流程专业高效'],
  ],
  3: [
    ['102', '2026-09-30T23:59:00+08:00', '官网价格和门店不一致'],
    ['101', '2026-09-20T12:00:00+08:00', '第一次在旗舰店试驾，体验不错'],
  ],
};

function listing(page: number): string {
  const posts = PAGES[page]!.map(
    ([id, at, text]) =>
      `<article class="post" data-id="${id}"><span class="user">user${id}</span><time datetime="${at}">${at.slice(0, 10)}</time>` +
      `<div class="content">${text}</div><a class="permalink" href="/t/${id}">#</a></article>`,
  ).join('\n');
  const next = PAGES[page + 1] ? `<a class="next" href="/forum?page=${page + 1}">下一页</a>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>forum ${page}</title></head><body>${posts}${next}</body></html>`;
}

let server: TestServer;
const dirs: string[] = [];

beforeAll(async () => {
  assertBuilt();
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page'));
    if (url.pathname === '/forum' && PAGES[page]) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listing(page));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const HTML_TARGET = () => [
  `    url: ${server.origin}/forum?page=1`,
  '    selectors: { item: article.post, id: "@data-id", text: .content, author: .user, time: time@datetime, link: a.permalink@href, nextPage: a.next@href }',
];

/** A fresh folder with a config of one html target (the test forum unless told otherwise). */
function project(target: string[] = HTML_TARGET()): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'voc-crawl-cli-'));
  dirs.push(dir);
  const config = join(dir, 'voc.config.yaml');
  writeFileSync(
    config,
    [
      'timeZone: Asia/Shanghai',
      'dataDir: data',
      'brands:',
      '  - { id: acme, name: Acme }',
      'crawler:',
      '  allowPrivateHosts: ["127.0.0.1"]',
      '  defaultDelayMs: 0',
      'targets:',
      '  - id: acme-forum',
      '    brand: acme',
      '    source: test-forum',
      ...target,
      '',
    ].join('\n'),
  );
  return { dir, config };
}

interface CrawlJson {
  status: string;
  stats: { pagesFetched: number; postsNew: number; postsUnchanged: number; errors: number };
  targets: Array<{
    targetId: string;
    pages: number;
    posts: number;
    stoppedBecause: string;
    stats: { pages: number; postsNew: number; postsUnchanged: number; postsTooOld: number; statuses: Record<string, number> };
  }>;
  total: { pages: number; postsNew: number };
}

async function crawlJson(config: string, ...args: string[]): Promise<CrawlJson> {
  const r = await runVoc(['--config', config, '--lang', 'en', 'crawl', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1); // one JSON object, nothing else
  return JSON.parse(r.stdout) as CrawlJson;
}

describe('voc crawl', () => {
  it('--json prints one object with each target summary; the next crawl stops at stored posts', async () => {
    const { config } = project();
    const first = await crawlJson(config);
    expect(first.status).toBe('succeeded');
    expect(first.stats).toMatchObject({ pagesFetched: 3, postsNew: 6, errors: 0 });
    expect(first.targets).toHaveLength(1);
    expect(first.targets[0]).toMatchObject({ targetId: 'acme-forum', pages: 3, posts: 6, stoppedBecause: 'no_next' });
    expect(first.targets[0]!.stats).toMatchObject({ pages: 3, postsNew: 6, postsUnchanged: 0, postsTooOld: 0, statuses: { '200': 3 } });
    expect(first.total).toMatchObject({ pages: 3, postsNew: 6 });

    // Nothing new on the site: one listing page (after robots.txt, read once per process), all
    // of it stored already, nothing written.
    const before = server.requests.length;
    const second = await crawlJson(config);
    expect(server.paths().slice(before)).toEqual(['/robots.txt', '/forum?page=1']);
    expect(second.targets[0]).toMatchObject({ pages: 1, posts: 2, stoppedBecause: 'known' });
    expect(second.targets[0]!.stats).toMatchObject({ pages: 1, postsNew: 0, postsUnchanged: 2 });
    expect(second.stats).toMatchObject({ pagesFetched: 1, postsNew: 0, postsUnchanged: 2 });
  }, 180_000); // two runs of the real binary: generous on a busy machine

  it('--since drops older posts and ends the listing at a page of only older posts; prints the summary table', async () => {
    const { config } = project();
    // Before any crawl the listing says so, instead of printing nothing.
    expect((await runVoc(['--config', config, 'runs', 'list'])).stdout).toBe('还没有抓取运行：用 `voc crawl` 开始一次\n');
    const r = await runVoc(['--config', config, '--lang', 'en', 'crawl', '--since', '2026-10-01']);
    expect(r.stderr).toBe(''); // not a terminal: no progress line
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^target +pages +new +updated +duplicate +near-dup +HTTP statuses +retries +polite wait +errors +stopped$/);
    expect(lines[1]).toMatch(/^[─ ]+$/);
    // 2026-10-01T08:00+08:00 is on the day, 2026-09-30T23:59+08:00 is not: page 3 holds only older posts.
    expect(lines[2]).toMatch(/^acme-forum +3 +4 +0 +0 +0 +200×3 +0 +\d+\.\d s +0 +older than --since$/);
    expect(lines[3]).toBe('Classified 4 posts');
    // A crawl that classifies what it fetched is a pipeline run.
    expect(lines[4]).toMatch(/^Run \S+ \(pipeline\): succeeded$/);
    const runId = /^Run (\S+) /.exec(lines[4]!)![1]!;
    // The stored run, listed in either language.
    expect((await runVoc(['--config', config, 'runs', 'list'])).stdout).toBe(`${runId}\tpipeline\t成功\t3 页\t新增 4 条\t错误 0 个\n`);
    expect((await runVoc(['--config', config, '--lang', 'en', 'runs', 'list'])).stdout).toBe(`${runId}\tpipeline\tsucceeded\tpages 3\tnew 4\terrors 0\n`);

    const again = await crawlJson(config, '--since', '2026-10-04');
    expect(again.targets[0]).toMatchObject({ pages: 1, stoppedBecause: 'known' });
    expect(again.targets[0]!.stats).toMatchObject({ postsNew: 0, postsUnchanged: 2, postsTooOld: 0 });
  }, 180_000); // two runs of the real binary: generous on a busy machine

  it('draws the live progress line on a terminal, and not with --json', async () => {
    const { config } = project();
    const inTerminal = (args: string[]) =>
      new Promise<string>((resolve, reject) => {
        // `script` gives the command a pseudo-terminal; stdout and stderr both arrive on it.
        const command = [process.execPath, VOC_BIN, '--config', config, '--lang', 'en', 'crawl', ...args].map((a) => `'${a}'`).join(' ');
        execFile('script', ['-q', '-e', '-c', command, '/dev/null'], { timeout: 120_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      });
    const shown = await inTerminal([]);
    expect(shown).toMatch(/\r\u001b\[2K(\[[█░]+\] )?\d+ pages · \d+ posts · 0 errors · \d+ pages\/min/);
    expect(shown).toContain('\r\u001b[2K'); // the line is cleared before the table
    expect(shown).toMatch(/acme-forum +3 +6 +0 +0 +0 +200×3/);

    const quiet = await inTerminal(['--json']);
    expect(quiet).not.toContain('\u001b');
    expect((JSON.parse(quiet.trim()) as CrawlJson).targets[0]!.stats.postsNew).toBe(0);
  }, 180_000); // two runs of the real binary: generous on a busy machine

  it('killed mid-way (SIGKILL) and run again: every post stored once, and the stored pages are not fetched again', async () => {
    // 20 numbered pages of 3 posts; while the first crawl runs, pages after 8 are held unanswered,
    // so the kill lands mid-crawl however busy the machine is.
    const PAGES = 20;
    let holding = true;
    let reachedHold: () => void = () => {};
    const held = new Promise<void>((resolve) => (reachedHold = resolve));
    const forum = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const n = Number(url.searchParams.get('page'));
      if (url.pathname !== '/list' || !(n >= 1 && n <= PAGES)) return void res.writeHead(404).end();
      if (holding && n > 8) return reachedHold();
      const posts = [0, 1, 2].map((i) => {
        const id = (PAGES - n) * 3 + (3 - i);
        return `<article class="post" data-id="${id}"><div class="content">帖子 ${id}：门店和客服说法不一致</div><time datetime="2026-10-01T08:00:00+08:00">10-01</time></article>`;
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${posts.join('')}</body></html>`);
    });
    try {
      const { dir, config } = project([
        `    url: ${forum.origin}/list?page=1`,
        '    maxPages: 100',
        `    pagination: { type: template, url: "/list?page={page}" }`,
        '    selectors: { item: article.post, id: "@data-id", text: .content, time: time@datetime }',
      ]);
      const child = spawn(process.execPath, [VOC_BIN, '--config', config, 'crawl'], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      await held;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      holding = false;
      const firstRequests = forum.paths().filter((p) => p.startsWith('/list'));

      const peek = openEmbeddedStore(join(dir, 'data'));
      const storedBefore = await peek.countPosts({ targetId: 'acme-forum' });
      await peek.close();
      expect(storedBefore).toBeLessThanOrEqual(8 * 3);

      const again = await crawlJson(config);
      const secondRequests = forum.paths().filter((p) => p.startsWith('/list')).slice(firstRequests.length);
      expect(again.targets[0]!.stats).toMatchObject({ postsNew: PAGES * 3 - storedBefore, postsUnchanged: expect.any(Number) });
      const store = openEmbeddedStore(join(dir, 'data'));
      try {
        const ids = (await store.queryPosts({ targetId: 'acme-forum' })).map((p) => Number(p.externalId)).sort((a, b) => a - b);
        expect(ids).toEqual(Array.from({ length: PAGES * 3 }, (_, i) => i + 1)); // none lost, none twice
      } finally {
        await store.close();
      }
      // Resumed, not started over: the pages stored before the kill are not fetched again (the
      // top of the listing once, to look for new posts, and the workers' look-ahead aside).
      const storedPages = storedBefore / 3;
      expect(secondRequests).toContain(`/list?page=${PAGES}`);
      expect(secondRequests.length).toBeLessThanOrEqual(PAGES - storedPages + 4);
    } finally {
      await forum.close();
    }
  }, 180_000); // two runs of the real binary: generous on a busy machine

  it('tells why a page failed in the output language: the summary, and the stored run for `voc runs show`', async () => {
    const { config } = project([`    url: ${server.origin}/gone`, '    selectors: { item: article.post, text: .content }']);
    const r = await runVoc(['--config', config, '--lang', 'zh-CN', 'crawl']);
    const url = `${server.origin}/gone`;
    expect(r.stdout).toContain(`  acme-forum: HTTP 404 × 1 — ${url} 返回 HTTP 404 Not Found\n`);
    const runId = /运行 (\S+)（pipeline）：失败/.exec(r.stdout)![1]!;
    const zh = (await runVoc(['--config', config, '--lang', 'zh-CN', 'runs', 'show', runId])).stdout;
    expect(zh).toContain(`  ! acme-forum：${url} 返回 HTTP 404 Not Found\n`);
    const en = (await runVoc(['--config', config, '--lang', 'en', 'runs', 'show', runId])).stdout;
    expect(en).toContain(`  ! acme-forum: HTTP 404 Not Found from ${url}\n`);
  }, 180_000);

  it('refuses a --since it cannot read with one line naming the option, before writing anything', async () => {
    const { dir, config } = project();
    const r = await runVoc(['--config', config, '--lang', 'en', 'crawl', '--since', 'last week']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'voc: --since: expected a date (2026-10-01), an ISO time with a zone, or an age such as 7d, 12h or 2w; got "last week"',
    ]);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['voc.config.yaml']);
  });
});
