/**
 * Pages CSS selectors cannot read, told apart from pages whose selectors are wrong: a URL that
 * serves a PDF, JSON or a feed, and a page with no content at all. Both the crawl (an html target
 * whose page yielded nothing) and `voc targets suggest` say what the page is and what to do,
 * instead of "the selectors found no post" or "no list-like structure", which send the user to
 * fix selectors that were never the problem.
 */
import type { Bilingual } from '../core/errors.js';
import { ExtractionError } from './stats.js';

/** Why a fetched page holds nothing for selectors. */
export type UnreadablePage =
  | { what: 'empty' }
  /** `kind`: the voc target kind that reads such a page, when there is one. */
  | { what: 'type'; contentType: string; kind?: 'json' | 'feed' };

/** The media type of a Content-Type header, lower case, without parameters (`application/pdf`). */
export function mediaType(header: string | string[] | undefined): string | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  const type = v?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/**
 * What keeps selectors from reading this page, or undefined when it is markup they could read.
 * HTML, XHTML and generic XML are markup; so is a page without a Content-Type (the body decides).
 * A body of only whitespace is empty whatever its type.
 */
export function unreadablePage(contentType: string | undefined, body: string): UnreadablePage | undefined {
  if (body.trim() === '') return { what: 'empty' };
  if (!contentType || /html|^(application|text)\/xml$/.test(contentType)) return undefined;
  if (/(^|[/+])json$/.test(contentType) || contentType === 'text/javascript') return { what: 'type', contentType, kind: 'json' };
  if (/(rss|atom)\+xml$/.test(contentType)) return { what: 'type', contentType, kind: 'feed' };
  return { what: 'type', contentType };
}

/** What the page is, one clause in each language. */
export function describePage(page: UnreadablePage, status: number): Bilingual {
  if (page.what === 'empty') return { en: `the page is empty (HTTP ${status}, no content)`, zh: `页面是空的（HTTP ${status}，没有内容）` };
  return { en: `the page is ${page.contentType} (HTTP ${status}), not an HTML page`, zh: `页面是 ${page.contentType}（HTTP ${status}），不是 HTML 页面` };
}

/** What to do about such a page, one clause in each language. */
export function pageAdvice(page: UnreadablePage): Bilingual {
  if (page.what === 'empty')
    return {
      en: 'open the URL in a browser: if the posts show there, the site builds its pages with JavaScript (write selectors for --kind browser); if not, the URL is not the listing page',
      zh: '请在浏览器里打开这个 URL：如果能看到帖子，说明站点用 JavaScript 生成页面（请为 --kind browser 手写选择器）；如果看不到，说明这个 URL 不是列表页',
    };
  if (page.kind === 'json')
    return {
      en: 'a JSON API is read by kind json with a json: mapping of its fields (voc targets add --spec FILE; README, Configuration), or by --preset for Mastodon, Bluesky or Reddit',
      zh: 'JSON 接口请用 json 类型并写好字段的 json: 映射（voc targets add --spec FILE；见 README 的 Configuration 一节），Mastodon、Bluesky、Reddit 可直接用 --preset',
    };
  if (page.kind === 'feed') return { en: 'an RSS or Atom feed is read by --kind feed', zh: 'RSS 或 Atom 订阅源请用 --kind feed 抓取' };
  return { en: "use the URL of the site's listing page (a forum board, a review list)", zh: '请改用站点列表页（论坛版块、评价列表）的 URL' };
}

/** A page an html target fetched but could not read: grouped as `not_html` or `empty_body`. */
export class UnreadablePageError extends ExtractionError {
  constructor(url: string, targetId: string, page: UnreadablePage, status: number) {
    const what = describePage(page, status);
    const todo = pageAdvice(page);
    super(
      url,
      {
        en: `${url}: ${what.en}, so the selectors of target ${targetId} cannot read it; ${todo.en}`,
        zh: `${url}：${what.zh}，抓取目标 ${targetId} 的选择器读不了它；${todo.zh}`,
      },
      page.what === 'empty' ? 'empty_body' : 'not_html',
    );
    this.name = 'UnreadablePageError';
  }
}

/**
 * The error of a first page that yielded no post although its kind says it should have: what the
 * page is when selectors cannot read it, else "the selectors found no post" with the saved copy.
 */
export function emptyPageError(
  targetId: string,
  page: { url: string; status: number; contentType?: string; body: string },
  options: { detail?: boolean; snapshot?: string } = {},
): ExtractionError {
  const unreadable = unreadablePage(page.contentType, page.body);
  if (unreadable) return new UnreadablePageError(page.url, targetId, unreadable, page.status);
  const { detail, snapshot } = options;
  return new ExtractionError(page.url, {
    en: `${page.url}: the ${detail ? 'detail selectors' : 'selectors'} of target ${targetId} found no post on the page (HTTP ${page.status}); the site may have changed its markup${snapshot ? `; the page is saved in ${snapshot}` : ''}`,
    zh: `${page.url}：抓取目标 ${targetId} 的${detail ? '详情页选择器' : '选择器'}在页面上没有找到帖子（HTTP ${page.status}）；站点可能改了页面结构${snapshot ? `；页面已保存在 ${snapshot}` : ''}`,
  });
}
