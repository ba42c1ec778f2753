/**
 * The forum the console tests crawl: a real node:http server on 127.0.0.1 with two listing pages
 * of known posts (texts whose classification is known: a store/website inconsistency, a
 * customer-service/store runaround, praise, a question, and hostile markup and a CSV formula),
 * a robots.txt that disallows /private, and a page 2 that can be held back until the test lets
 * it go (to cancel a run mid-way without sleeping); page 1 is also served as an RSS feed
 * (/feed.xml) and as a Mastodon hashtag timeline (/api/v1/timelines/tag/acme). Not a test file itself.
 */
import { startServer, type TestServer } from './crawler.server.js';

export interface ForumPost {
  id: string;
  /** Shanghai wall time. */
  time: string;
  text: string;
}

/** Page 1 (newest first), then page 2. */
export const FORUM_PAGES: ForumPost[][] = [
  [
    { id: 'p6', time: '2026-10-20T10:00:00+08:00', text: '官网上说有现货，到了门店店员却说没货，前后说法不一致，太敷衍了。' },
    { id: 'p5', time: '2026-10-18T09:30:00+08:00', text: '<img src=x onerror="window.__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球。' },
    { id: 'p4', time: '2026-10-15T15:00:00+08:00', text: '门店服务很专业，店员很热情。' },
  ],
  [
    { id: 'p3', time: '2026-10-12T08:00:00+08:00', text: '=HYPERLINK("http://evil.example") 快递很快，物流不错' },
    { id: 'p2', time: '2026-10-08T20:00:00+08:00', text: '请问App怎么预约试驾？' },
    { id: 'p1', time: '2026-10-02T12:00:00+08:00', text: '天气不错，随便逛逛。' },
  ],
];

export const FORUM_SELECTORS = { item: 'article.post', id: '@data-id', text: '.content', time: 'time@datetime', link: 'a.permalink@href', nextPage: 'a.next@href' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function listing(origin: string, page: number): string {
  const posts = FORUM_PAGES[page - 1] ?? [];
  const items = posts
    .map(
      (p) =>
        `<article class="post" data-id="${p.id}"><p class="content">${escapeHtml(p.text)}</p><time datetime="${p.time}">${p.time}</time><a class="permalink" href="${origin}/t/${p.id}">#</a></article>`,
    )
    .join('\n');
  const next = page < FORUM_PAGES.length ? `<a class="next" href="/forum?page=${page + 1}">下一页</a>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Acme 论坛</title></head><body>${items}${next}</body></html>`;
}

/** The forum's first page as an RSS 2.0 feed (the `feed` kind): same posts, same ids. */
function rss(origin: string): string {
  const items = (FORUM_PAGES[0] ?? [])
    .map(
      (p) =>
        `<item><guid isPermaLink="false">${p.id}</guid><link>${origin}/t/${p.id}</link><pubDate>${new Date(p.time).toUTCString()}</pubDate><description>${escapeHtml(escapeHtml(p.text))}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Acme 论坛</title><link>${origin}/forum</link><description>最新帖子</description>${items}</channel></rss>`;
}

/** The forum's first page as a Mastodon hashtag timeline (Status[]), for the `mastodon` preset. */
function mastodonTag(origin: string): string {
  return JSON.stringify(
    (FORUM_PAGES[0] ?? []).map((p) => ({
      id: p.id.slice(1),
      content: `<p>${escapeHtml(p.text)}</p>`,
      spoiler_text: '',
      account: { acct: `user-${p.id}` },
      created_at: new Date(p.time).toISOString(),
      url: `${origin}/@user-${p.id}/${p.id.slice(1)}`,
      favourites_count: 0,
      replies_count: 0,
      reblogs_count: 0,
      in_reply_to_id: null,
    })),
  );
}

export interface Forum extends TestServer {
  url: string;
  /** Page 2 waits until this is called (when created with `holdPage2`). */
  releasePage2(): void;
  /** Resolves when page 2 has been asked for. */
  page2Requested: Promise<void>;
  /** Page 1 waits until this is called (when created with `holdPage1`). */
  releasePage1(): void;
  /** Resolves when page 1 has been asked for. */
  page1Requested: Promise<void>;
  /** Listing pages served so far, in order (1 or 2 each). */
  pagesServed: number[];
}

/** A page that is answered only once the test lets it go (`release`), and says when it was asked for. */
function heldPage(hold: boolean) {
  let release: () => void = () => undefined;
  const released = hold ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  let requested!: () => void;
  const asked = new Promise<void>((r) => (requested = r));
  return { released, asked, release: () => release(), requested: () => requested() };
}

export async function startForum(opts: { holdPage2?: boolean; holdPage1?: boolean } = {}): Promise<Forum> {
  const held = [heldPage(Boolean(opts.holdPage1)), heldPage(Boolean(opts.holdPage2))];
  const pagesServed: number[] = [];
  let origin = '';
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('User-agent: *\nDisallow: /private\n');
    }
    if (url.pathname === '/about') {
      // An HTML page with no posts on it (nothing to guess selectors from).
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<html><body><h1>关于我们</h1><p>优品汇论坛。</p></body></html>');
    }
    if (url.pathname === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      return res.end(rss(origin));
    }
    if (url.pathname === '/api/v1/timelines/tag/acme') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(mastodonTag(origin));
    }
    if (url.pathname === '/forum' || url.pathname === '/private') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const send = () => {
        pagesServed.push(page);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(listing(origin, page));
      };
      const hold = held[page - 1];
      if (hold) {
        hold.requested();
        void hold.released.then(send);
        return;
      }
      return send();
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  origin = server.origin;
  return {
    ...server,
    url: `${server.origin}/forum`,
    releasePage1: held[0]!.release,
    page1Requested: held[0]!.asked,
    releasePage2: held[1]!.release,
    page2Requested: held[1]!.asked,
    pagesServed,
  };
}
