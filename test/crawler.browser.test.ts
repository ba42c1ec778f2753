/**
 * The browser kind in real Chromium (playwright-core + /usr/bin/chromium): a JS-rendered infinite
 * scroll and a "load more" button, with every request the page makes answered by the crawler:
 * images, media and fonts refused, robots.txt and the address rules applied to XHR as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrawlContext, crawlTarget, type CrawlContext } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const ITEMS = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  user: `用户${i + 1}`,
  // Crawled text is data: markup inside it is shown as text, never run.
  text: i === 4 ? '<img src=x onerror="fetch(\'/pwned\')"> 客服态度很差' : `第 ${i + 1} 条：门店和 APP 价格不一样`,
  time: `2026-10-0${1 + (i % 5)}T0${i % 10}:00:00Z`,
}));

const SHELL = (mode: 'scroll' | 'button') => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/style.css"><title>Acme 社区</title></head>
<body><img src="/img/logo.png" alt="logo"><div id="list"></div><div id="probe">pending</div>
${mode === 'button' ? '<button class="more">加载更多</button>' : ''}
<script src="/app.js"></script>
<script>start(${JSON.stringify(mode)});</script>
</body></html>`;

const APP_JS = `
let page = 0, loading = false, done = false;
async function load() {
  if (loading || done) return;
  loading = true;
  page++;
  const items = await (await fetch('/api/items?page=' + page)).json();
  if (items.length === 0) { done = true; const b = document.querySelector('button.more'); if (b) b.remove(); }
  for (const it of items) {
    const d = document.createElement('div');
    d.className = 'post';
    d.style.height = '400px';
    d.innerHTML = '<span class="user"></span><p class="content"></p><time></time><a class="permalink">#</a>';
    d.querySelector('.user').textContent = it.user;
    d.querySelector('.content').textContent = it.text;
    d.querySelector('time').setAttribute('datetime', it.time);
    d.querySelector('a').setAttribute('href', '/t/' + it.id);
    document.getElementById('list').appendChild(d);
  }
  loading = false;
}
async function probe() {
  const tries = ['http://169.254.169.254/latest/meta-data/', '/private/api'];
  const results = [];
  for (const url of tries) {
    try { await fetch(url); results.push('reached'); } catch { results.push('blocked'); }
  }
  const el = document.getElementById('probe');
  el.textContent = results.join(',');
  el.setAttribute('data-done', '1');
}
function start(mode) {
  load();
  probe();
  if (mode === 'scroll') window.addEventListener('scroll', () => {
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 50) load();
  });
  else document.querySelector('button.more').addEventListener('click', () => load());
}`;

describe('browser kind (Chromium)', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig({ browser: { contexts: 1, recycleAfterPages: 1 } });

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (body: string, type: string) => res.writeHead(200, { 'content-type': type }).end(body);
      switch (url.pathname) {
        case '/robots.txt':
          return send('User-agent: *\nDisallow: /private/\n', 'text/plain');
        case '/scroll':
          return send(SHELL('scroll'), 'text/html; charset=utf-8');
        case '/button':
          return send(SHELL('button'), 'text/html; charset=utf-8');
        case '/app.js':
          return send(APP_JS, 'application/javascript');
        case '/style.css':
          return send('@font-face { font-family: Brand; src: url(/font.woff2); } body { font-family: Brand, sans-serif; }', 'text/css');
        case '/api/items': {
          const n = Number(url.searchParams.get('page'));
          return send(JSON.stringify(ITEMS.slice((n - 1) * 5, n * 5)), 'application/json');
        }
        default:
          res.writeHead(404).end();
      }
    });
    ctx = createCrawlContext({ config, authorSecret: 'browser-secret', dataDir: false });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  const selectors = { item: '.post', text: '.content', author: '.user', time: 'time@datetime', link: 'a.permalink' };

  it('scrolls an infinite list to its end and reads the rendered posts', async () => {
    const texts: string[] = [];
    const target = testTarget(config, {
      kind: 'browser',
      url: `${server.origin}/scroll`,
      selectors,
      browser: { scrolls: 10, settleMs: 1500 },
    });
    const summary = await crawlTarget(ctx, target, { onPage: (p) => void texts.push(...p.posts.map((x) => x.text)) });
    expect(summary.errors).toEqual([]);
    expect(texts).toEqual(ITEMS.map((i) => i.text));
    expect(texts[4]).toBe('<img src=x onerror="fetch(\'/pwned\')"> 客服态度很差');
    const paths = server.paths();
    expect(paths.filter((p) => p.startsWith('/api/items'))).toEqual(['/api/items?page=1', '/api/items?page=2', '/api/items?page=3', '/api/items?page=4']);
    // Never requested: images, fonts, the disallowed path, the metadata address; nothing ran the post text.
    expect(paths.some((p) => p.startsWith('/img') || p.startsWith('/font') || p.startsWith('/private') || p === '/pwned')).toBe(false);
    expect(paths.filter((p) => p === '/app.js' || p === '/style.css').sort()).toEqual(['/app.js', '/style.css']);
    expect(summary.stats.statuses['200']).toBeGreaterThanOrEqual(5); // the page and its XHR calls are counted
  });

  it('clicks "load more" until the button goes away, in a fresh context (recycled after each page)', async () => {
    const before = server.paths().length;
    const posts: string[] = [];
    const target = testTarget(config, {
      kind: 'browser',
      url: `${server.origin}/button`,
      selectors,
      browser: { scrolls: 10, loadMore: 'button.more', settleMs: 1500 },
    });
    await crawlTarget(ctx, target, { onPage: (p) => void posts.push(...p.posts.map((x) => x.id)) });
    expect(posts).toEqual(ITEMS.map((i) => `demo-forum:${server.origin}/t/${i.id}`));
    expect(server.paths().slice(before).filter((p) => p.startsWith('/api/items'))).toEqual([
      '/api/items?page=1',
      '/api/items?page=2',
      '/api/items?page=3',
      '/api/items?page=4',
    ]);
  });

  it('refuses the page’s own requests to private addresses and robots-disallowed paths', async () => {
    const probe: string[] = [];
    const target = testTarget(config, {
      kind: 'browser',
      url: `${server.origin}/scroll`,
      selectors: { item: 'body', text: '#probe' },
      browser: { waitFor: '#probe[data-done]' },
    });
    const summary = await crawlTarget(ctx, target, { onPage: (p) => void probe.push(...p.posts.map((x) => x.text)) });
    // fetch() in the page failed for both: the metadata address and the path robots.txt disallows.
    expect(probe).toEqual(['blocked,blocked']);
    expect(summary.errors).toEqual([]); // refused sub-requests are the page's problem, not the crawl's
    expect(server.paths().some((p) => p.startsWith('/private'))).toBe(false);
  });
});
