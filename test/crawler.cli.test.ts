/**
 * The crawl CLI modules: `voc targets ...` (registered on a real commander program, over a real
 * embedded store and a real HTTP server) and the crawl output (summary table, progress line).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { createCrawlContext, emptyTargetStats, recordError, type CrawlSummary } from '../crawlers/index.js';
import { registerTargetsCommands } from '../cli/targets-command.js';
import { createProgressBar, renderSummaryTable, terminalSafe, statusHistogram } from '../cli/crawl-output.js';
import { startServer, type TestServer } from './crawler.server.js';

describe('voc targets', () => {
  let server: TestServer;
  let dir: string;
  let store: EmbeddedStore;
  let lines: string[];
  let config: VocConfig;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<div class="post"><div class="content">门店排队太久\u001b[31m红字</div><a class="permalink" href="/t/1">#</a></div><div class="post"><div class="content">APP 很好用</div></div>');
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voc-targets-'));
    store = openEmbeddedStore(join(dir, 'data'));
    lines = [];
    config = parseConfig({
      brands: [{ id: 'acme', name: 'Acme' }],
      dataDir: join(dir, 'data'),
      crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0 },
      targets: [{ id: 'from-config', brand: 'acme', url: 'https://example.com/', selectors: { item: 'li', text: 'p' } }],
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function voc(...args: string[]): Promise<void> {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerTargetsCommands(program, {
      readConfig: () => config,
      openApp: async (c) => ({
        store,
        crawl: createCrawlContext({ config: c, authorSecret: 'cli-test-secret', dataDir: false }),
        close: async () => {},
      }),
      locale: () => 'en',
      out: (l) => lines.push(l),
    });
    await program.parseAsync(args, { from: 'user' });
  }
  const fails = (args: string[]) =>
    voc(...args).then(
      () => expect.unreachable('should have failed'),
      (e: unknown) => {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      },
    );

  it('adds a preset target from its parameters, lists, shows and removes it', async () => {
    await voc('targets', 'add', '--id', 'acme-bsky', '--brand', 'acme', '--preset', 'bluesky', '--query', 'acme 门店', '--base', server.origin);
    expect(lines).toEqual([`Added target acme-bsky (json, ${server.origin}/xrpc/app.bsky.feed.searchPosts?sort=latest&limit=100&q=acme%20%E9%97%A8%E5%BA%97)`]);
    lines.length = 0;
    await voc('targets', 'list');
    expect(lines).toEqual([`acme-bsky\tjson/bluesky\tacme\tadded\t${server.origin}/xrpc/app.bsky.feed.searchPosts?sort=latest&limit=100&q=acme%20%E9%97%A8%E5%BA%97`]);
    lines.length = 0;
    await voc('targets', 'show', 'acme-bsky');
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ target: { id: 'acme-bsky', preset: 'bluesky', kind: 'json' }, crawlState: null });
    expect(await fails(['targets', 'add', '--id', 'acme-bsky', '--brand', 'acme', '--preset', 'bluesky', '--query', 'x', '--base', server.origin])).toMatch(
      /^target "acme-bsky" exists already; pass --replace/,
    );
    lines.length = 0;
    await voc('targets', 'remove', 'acme-bsky');
    expect(lines).toEqual(['Removed target acme-bsky (its crawled posts are kept)']);
    expect(await store.listTargets()).toEqual([]);
  });

  it('refuses bad input with one line naming the field, and writes nothing', async () => {
    expect(await fails(['targets', 'add', '--id', 'x', '--brand', 'nope', '--url', 'https://example.com/', '--selectors', 'item=li,text=p'])).toBe(
      'target: brand: unknown brand "nope"; expected one of the ids under brands (acme)',
    );
    expect(await fails(['targets', 'add', '--id', 'x', '--brand', 'acme', '--url', 'https://example.com/'])).toBe(
      'target: selectors: expected CSS selectors with at least item and text (required for kind html; `voc targets suggest URL` or the console\'s Guess selectors button finds them on the page)',
    );
    expect(await fails(['targets', 'add', '--id', 'x', '--brand', 'acme', '--url', 'http://10.0.0.1/', '--selectors', 'item=li,text=p'])).toMatch(
      /^target x: refused http:\/\/10\.0\.0\.1\/: is a private address/,
    );
    expect(await fails(['targets', 'add', '--id', 'x', '--brand', 'acme', '--preset', 'mastodon'])).toBe('preset mastodon: --hashtag is required');
    expect(await fails(['targets', 'remove', 'from-config'])).toBe('target "from-config" is declared in the config file; remove it there');
    expect(await fails(['targets', 'test'])).toBe('give a target id (`voc targets list`) or --spec FILE');
    expect(await store.listTargets()).toEqual([]);
  });

  it('imports a file all or nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `targets:\n  - { id: a, brand: acme, url: "${server.origin}/a", selectors: { item: .post, text: .content } }\n  - { id: b, brand: acme, url: "${server.origin}/b", selectors: { item: .post } }\n`,
    );
    expect(await fails(['targets', 'import', bad])).toBe(`${bad}: targets.1: selectors.text: expected string`);
    expect(await store.listTargets()).toEqual([]);

    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify([
        { id: 'a', brand: 'acme', url: `${server.origin}/a`, selectors: { item: '.post', text: '.content' } },
        { id: 'b', brand: 'acme', kind: 'feed', url: `${server.origin}/feed.xml` },
      ]),
    );
    await voc('targets', 'import', good);
    expect(lines).toEqual(['Imported 2 targets']);
    expect((await store.listTargets()).map((t) => [t.id, t.kind])).toEqual([
      ['a', 'html'],
      ['b', 'feed'],
    ]);
  });

  it('test --spec shows the extracted posts (terminal-safe) and stores nothing', async () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, `id: trial\nbrand: acme\nurl: ${server.origin}/list\nselectors: { item: .post, text: .content, link: a.permalink }\n`);
    await voc('targets', 'test', '--spec', spec);
    expect(lines[0]).toBe('Test crawl: 1 pages, 2 posts extracted (nothing stored)');
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}  @-  门店排队太久红字$/); // the escape sequence is gone
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines.some((l) => l.includes('APP 很好用'))).toBe(true);
    expect(await store.countPosts({})).toBe(0);
    expect(await store.listTargets()).toEqual([]);

    writeFileSync(join(dir, 'one.json'), JSON.stringify([{ id: 'trial', brand: 'acme', url: `${server.origin}/list`, selectors: { item: '.post', text: '.content' } }]));
    await voc('targets', 'import', join(dir, 'one.json'));
    lines.length = 0;
    await voc('targets', 'test', 'trial', '--json');
    const report = JSON.parse(lines[0]!) as { posts: Array<{ text: string }>; summary: CrawlSummary };
    expect(report.posts.map((p) => p.text)).toEqual(['门店排队太久\u001b[31m红字', 'APP 很好用']); // stored data stays as the page said
    expect(report.summary.stats.statuses).toEqual({ '200': 1 });
    expect(await store.countPosts({})).toBe(0);
  });
});

describe('crawl output', () => {
  function summary(targetId: string, fill: (s: CrawlSummary['stats']) => void, stoppedBecause: CrawlSummary['stoppedBecause'] = 'no_next'): CrawlSummary {
    const stats = emptyTargetStats('2026-10-03T00:00:00.000Z');
    fill(stats);
    return { targetId, pages: stats.pages, posts: stats.postsNew, errors: [], stoppedBecause, stats };
  }
  const rows = [
    {
      targetId: 'acme-forum',
      summary: summary('acme-forum', (s) => {
        s.pages = 12;
        s.postsNew = 230;
        s.postsUpdated = 3;
        s.postsUnchanged = 7;
        s.postsRepeated = 1;
        s.nearDuplicates = 2;
        s.statuses = { '200': 12, '429': 1 };
        s.retries = 1;
        s.politenessWaitMs = 14_200;
        recordError(s, 'http_404', 'https://bbs.example.cn/t/9', 'HTTP 404 Not Found from https://bbs.example.cn/t/9', undefined, 'https://bbs.example.cn/t/9 返回 HTTP 404 Not Found');
        recordError(s, 'too_large', 'https://bbs.example.cn/t/10', 'https://bbs.example.cn/t/10: body over the 5242880-byte limit (on the wire); cut off');
      }),
    },
    {
      targetId: 'acme-feed',
      summary: summary(
        'acme-feed',
        (s) => {
          s.notModified = 1;
          s.statuses = { '304': 1 };
        },
        'not_modified',
      ),
    },
  ];

  it('renders the summary table per target with totals, errors by cause and drift alarms', () => {
    expect(renderSummaryTable(rows, 'en')).toBe(
      [
        'target      pages  new  updated  duplicate  near-dup  HTTP statuses       retries  polite wait  errors  stopped',
        '──────────  ─────  ───  ───────  ─────────  ────────  ──────────────────  ───────  ───────────  ──────  ──────────────────',
        'acme-forum     12  230        3          8         2  200×12 429×1              1         14 s       2  no next page',
        'acme-feed       0    0        0          0         0  304×1                     0        0.0 s       0  not modified (304)',
        '──────────  ─────  ───  ───────  ─────────  ────────  ──────────────────  ───────  ───────────  ──────  ──────────────────',
        'total          12  230        3          8         2  200×12 304×1 429×1        1         14 s       2',
        '  acme-forum: HTTP 404 × 1 — HTTP 404 Not Found from https://bbs.example.cn/t/9',
        '  acme-forum: too large × 1 — https://bbs.example.cn/t/10: body over the 5242880-byte limit (on the wire); cut off',
        '',
      ].join('\n'),
    );
    const zh = renderSummaryTable([rows[0]!], 'zh-CN');
    expect(zh.split('\n')[0]).toBe('目标        页面  新增  更新  重复  近似重复  HTTP 状态     重试  礼貌等待  错误  停止原因');
    expect(zh.split('\n')[2]).toBe('acme-forum    12   230     3     8         2  200×12 429×1     1      14 s     2  没有下一页');
    expect(zh).toContain('没有下一页');
    // Causes in words of the output language; a message in Chinese where its raiser wrote one,
    // else the English one (a group recorded before messages had Chinese).
    expect(zh.split('\n').slice(-3)).toEqual([
      '  acme-forum: HTTP 404 × 1 — https://bbs.example.cn/t/9 返回 HTTP 404 Not Found',
      '  acme-forum: 超出大小上限 × 1 — https://bbs.example.cn/t/10: body over the 5242880-byte limit (on the wire); cut off',
      '',
    ]);
  });

  it('keeps escape sequences and control characters out of the terminal', () => {
    expect(terminalSafe('ok\u001b[2J\u001b]0;pwned\u0007 done\r\nnext\u202eevil')).toBe('ok ]0;pwned done next evil');
    expect(terminalSafe('门店'.repeat(10), 9)).toBe('门店门店…');
    expect(statusHistogram({ '503': 2, '200': 10 })).toBe('200×10 503×2');
  });

  it('draws the progress line only on a terminal', () => {
    const written: string[] = [];
    let t = 0;
    const tty = { isTTY: true, columns: 120, write: (s: string) => (written.push(s), true) };
    const bar = createProgressBar(tty, 'zh-CN', { now: () => t, intervalMs: 100 });
    t = 60_000;
    bar.update('acme-forum', rows[0]!.summary.stats, 24);
    t = 60_050; // throttled
    bar.update('acme-forum', rows[0]!.summary.stats, 24);
    bar.finish();
    expect(written).toEqual([
      '\r\u001b[2K[██████████░░░░░░░░░░] 已抓取 12 页 · 230 条帖子 · 2 个错误 · 12 页/分钟',
      '\r\u001b[2K[██████████░░░░░░░░░░] 已抓取 12 页 · 230 条帖子 · 2 个错误 · 12 页/分钟',
      '\r\u001b[2K',
    ]);
    // A narrow terminal drops the bar, not the counts; a pseudo-terminal reporting 0 columns gets the usual width.
    for (const [columns, expected] of [
      [50, '\r\u001b[2K12 pages · 230 posts · 2 errors · 12 pages/min'],
      [0, '\r\u001b[2K[██████████░░░░░░░░░░] 12 pages · 230 posts · 2 errors · 12 pages/min'],
    ] as const) {
      const out: string[] = [];
      let clock = 0;
      const line = createProgressBar({ isTTY: true, columns, write: (s: string) => (out.push(s), true) }, 'en', { now: () => clock });
      clock = 60_000;
      line.update('acme-forum', rows[0]!.summary.stats, 24);
      expect(out).toEqual([expected]);
    }
    const piped: string[] = [];
    const pipeBar = createProgressBar({ isTTY: false, write: (s: string) => (piped.push(s), true) }, 'en');
    pipeBar.update('x', rows[0]!.summary.stats);
    pipeBar.finish();
    expect(piped).toEqual([]);
  });
});

describe('--since', () => {
  it('reads dates in the config zone, ISO instants and ages, and names the option when it cannot', async () => {
    const { parseSince } = await import('../cli/crawl-output.js');
    const now = new Date('2026-10-08T00:00:00.000Z');
    expect(parseSince('2026-10-01', 'Asia/Shanghai', now)).toBe('2026-09-30T16:00:00.000Z');
    expect(parseSince('2026-10-01T08:00:00+08:00', 'UTC', now)).toBe('2026-10-01T00:00:00.000Z');
    expect(parseSince('7d', 'UTC', now)).toBe('2026-10-01T00:00:00.000Z');
    expect(parseSince('12h', 'UTC', now)).toBe('2026-10-07T12:00:00.000Z');
    expect(() => parseSince('last week', 'UTC', now)).toThrow(/^--since: expected a date \(2026-10-01\)/);
    expect(() => parseSince('2026-13-01', 'UTC', now)).toThrow(InputError);
  });
});
