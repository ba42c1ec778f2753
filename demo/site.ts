/**
 * The demo public review forum: a real HTTP server on 127.0.0.1 serving listing pages (newest
 * first, a "next page" link), post detail pages and a robots.txt, like a small forum would. One
 * listing page is served GBK-encoded with the charset only in a <meta> tag, as older Chinese
 * forums still do, so the demo exercises the crawler's decoding for real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';

export interface DemoSitePost {
  brand: string;
  externalId: string;
  author: string;
  /** Local wall time in Asia/Shanghai, `YYYY-MM-DD HH:mm`. */
  publishedAt: string;
  rating: number;
  likes: number;
  text: string;
}

export interface DemoSiteOptions {
  port?: number;
  postsPerPage?: number;
  /** Brand and page number served GBK-encoded. */
  gbkPage?: { brand: string; page: number };
  /** Display names of the brands, for page titles. */
  brandNames?: Record<string, string>;
}

export interface DemoSite {
  url: string;
  port: number;
  /** First listing page of a brand's forum. */
  forumUrl(brand: string): string;
  pageCount(brand: string): number;
  /** Requests served, by path (tests read it to check politeness and coverage). */
  requests: string[];
  close(): Promise<void>;
}

/** The selector spec that extracts posts from the demo forum's listing pages. */
export const DEMO_SELECTORS = {
  item: 'article.post',
  id: '@data-id',
  text: '.content',
  author: '.author',
  time: 'time@datetime',
  link: 'a.permalink@href',
  rating: '.rating@data-rating',
  likes: '.likes',
  nextPage: 'a.next@href',
} as const;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Characters GBK cannot encode (emoji...) become numeric entities, as GBK-era forums print them. */
function toGbkSafe(html: string): string {
  let out = '';
  for (const ch of html) {
    const ok = ch.charCodeAt(0) < 128 || iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') === ch;
    out += ok ? ch : `&#${ch.codePointAt(0)};`;
  }
  return out;
}

export async function startDemoSite(posts: DemoSitePost[], opts: DemoSiteOptions = {}): Promise<DemoSite> {
  const perPage = opts.postsPerPage ?? 12;
  const byBrand = new Map<string, DemoSitePost[]>();
  for (const p of posts) {
    const list = byBrand.get(p.brand) ?? [];
    list.push(p);
    byBrand.set(p.brand, list);
  }
  // Newest first, ties by id, as a forum lists them.
  for (const list of byBrand.values())
    list.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.externalId.localeCompare(b.externalId));
  const byId = new Map(posts.map((p) => [p.externalId, p]));
  const pages = (brand: string) => Math.max(1, Math.ceil((byBrand.get(brand)?.length ?? 0) / perPage));
  const title = (brand: string) => opts.brandNames?.[brand] ?? brand;
  const requests: string[] = [];

  const article = (p: DemoSitePost) => `
<article class="post" data-id="${escapeHtml(p.externalId)}">
  <header><span class="author">${escapeHtml(p.author)}</span> · <time datetime="${escapeHtml(p.publishedAt)}">${escapeHtml(p.publishedAt)}</time>
  <span class="rating" data-rating="${p.rating}">${'★'.repeat(p.rating)}${'☆'.repeat(5 - p.rating)}</span></header>
  <div class="content"><p>${escapeHtml(p.text)}</p></div>
  <footer>赞 <span class="likes">${p.likes}</span> · <a class="permalink" href="/forum/${escapeHtml(p.brand)}/post/${escapeHtml(p.externalId)}">查看原帖</a></footer>
</article>`;

  const listing = (brand: string, page: number, charset: string) => {
    const list = byBrand.get(brand) ?? [];
    const slice = list.slice((page - 1) * perPage, page * perPage);
    const next = page < pages(brand) ? `<a class="next" href="/forum/${brand}/?page=${page + 1}">下一页</a>` : '';
    const prev = page > 1 ? `<a class="prev" href="/forum/${brand}/?page=${page - 1}">上一页</a>` : '';
    return `<!doctype html><html lang="zh-CN"><head><meta charset="${charset}"><title>${escapeHtml(title(brand))} 车友·顾客论坛 第${page}页</title></head>
<body><h1>${escapeHtml(title(brand))} 用户论坛</h1><nav>${prev} 第 ${page} / ${pages(brand)} 页 ${next}</nav>
<section class="posts">${slice.map(article).join('')}</section>
<nav class="pager">${prev} ${next}</nav></body></html>`;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: string | Buffer, type = 'text/html; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
      res.end(body);
    };
    if (url.pathname === '/robots.txt') return send(200, 'User-agent: *\nDisallow: /private/\nAllow: /\n', 'text/plain; charset=utf-8');
    if (url.pathname === '/')
      return send(
        200,
        `<!doctype html><meta charset="utf-8"><title>demo</title><ul>${[...byBrand.keys()]
          .map((b) => `<li><a href="/forum/${b}/">${escapeHtml(title(b))}</a></li>`)
          .join('')}</ul>`,
      );
    const m = /^\/forum\/([a-z0-9_-]+)\/(?:post\/([A-Za-z0-9_-]+))?$/.exec(url.pathname);
    if (!m || !byBrand.has(m[1]!)) return send(404, '<!doctype html><meta charset="utf-8"><p>页面不存在</p>');
    const brand = m[1]!;
    if (m[2]) {
      const p = byId.get(m[2]);
      if (!p || p.brand !== brand) return send(404, '<!doctype html><meta charset="utf-8"><p>帖子不存在</p>');
      return send(200, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title(brand))}</title></head><body>${article(p)}</body></html>`);
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(page) || page < 1 || page > pages(brand)) return send(404, '<!doctype html><meta charset="utf-8"><p>没有这一页</p>');
    if (opts.gbkPage && opts.gbkPage.brand === brand && opts.gbkPage.page === page) {
      // Charset only in the meta tag: the crawler must sniff it.
      return send(200, iconv.encode(toGbkSafe(listing(brand, page, 'gbk')), 'gbk'), 'text/html');
    }
    return send(200, listing(brand, page, 'utf-8'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    forumUrl: (brand) => `${base}/forum/${brand}/`,
    pageCount: pages,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
