/**
 * Listing-page extraction: CSS selectors (a target's `SelectorSpec`) -> raw items + next link.
 *
 * Speed and memory: the page is parsed with cheerio's htmlparser2 path (`xml: { xmlMode: false }`),
 * several times faster than parse5 and tolerant of broken markup; every string kept is copied
 * (`detach`) because htmlparser2 text nodes are slices of the whole page and would keep it alive.
 *
 * Text: whitespace inside a run of text collapses to one space (as a browser renders it); a
 * block element boundary (`p`, `div`, `br`, `li`, headings...) becomes ONE newline; blank lines
 * and spaces at line ends are dropped. Script, style, template and noscript content is ignored.
 * Crawled markup is only parsed, never executed.
 */
import { load, type Cheerio, type CheerioAPI, type contains } from 'cheerio';
import type { DetailSpec, SelectorSpec, TimeFormat } from '../core/types.js';
import { InputError, errorText } from '../core/errors.js';
import { parsePageTime } from './page-time.js';

export { parsePageTime } from './page-time.js';

/** One post as read from the page, before normalisation (`buildPost`). */
export interface RawItem {
  text: string;
  externalId?: string;
  author?: string;
  /** ISO UTC. */
  publishedAt?: string;
  /** Absolute http(s) link of the post. */
  url?: string;
  rating?: number;
  likes?: number;
  replies?: number;
  shares?: number;
  /** The post's own page, to fetch for the full text and replies (see `DetailSpec`). */
  detailUrl?: string;
  /** External id (on the same source) of the post this one answers, and of its thread's first post. */
  parentExternalId?: string;
  threadExternalId?: string;
  /** `text` is already in stored form but for NFC (one space between words, trimmed lines, no blank lines). */
  normalised?: boolean;
}

export interface Listing {
  items: RawItem[];
  /** Absolute URL of the next listing page, or null. */
  nextUrl: string | null;
}

/** Minimal shape of a domhandler node (cheerio's DOM), enough to walk text. */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);

/** A copy of `s` that does not keep the parsed page's backing string alive. */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}

/** Splits `a.permalink@href` into the CSS part and the attribute (`@href` alone = the item itself). */
export function splitSelector(selector: string): { css: string; attr?: string } {
  const m = /^(.*?)\s*@([A-Za-z_][\w:.-]*)$/.exec(selector.trim());
  if (!m) return { css: selector.trim() };
  return { css: m[1]!.trim(), attr: m[2]! };
}

/**
 * Visible text of `nodes` with the whitespace rules of this module (see the file comment).
 * Iterative, so absurdly deep (hostile) nesting cannot overflow the stack.
 */
export function textOfNodes(nodes: readonly DomNode[]): string {
  const BREAK: DomNode = { type: 'break' };
  const out: string[] = [];
  const stack: DomNode[] = [...nodes].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node === BREAK) {
      out.push('\n');
    } else if (node.type === 'text') {
      out.push(node.data!.replace(/\s+/g, ' '));
    } else if (node.type === 'tag' && node.name && !SKIPPED_TAGS.has(node.name)) {
      const block = BLOCK_TAGS.has(node.name);
      if (block) out.push('\n');
      if (block) stack.push(BREAK);
      const children = node.children ?? [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    } else if (node.type === 'root' && node.children) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return out
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

const MULTIPLIERS: Record<string, number> = { 万: 1e4, w: 1e4, 千: 1e3, k: 1e3, 亿: 1e8, m: 1e6 };

/**
 * Reads a count as printed on pages: `1.2万` -> 12000, `3,400` -> 3400, `12k` -> 12000,
 * `赞(35)` -> 35. Undefined when there is no number.
 */
export function parseCount(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万|千|亿|[wWkKmM](?![A-Za-z]))?/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, '')) * (m[2] ? MULTIPLIERS[m[2].toLowerCase()]! : 1);
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

/** A rating: `★★★★☆` -> 4, `4.5/5` -> 4.5, `评分：4分` -> 4. */
export function parseRating(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const stars = value.match(/[★⭐]/g);
  if (stars && /^[\s★☆⭐]+$/.test(value)) return stars.length;
  const m = /\d+(?:\.\d+)?/.exec(value);
  return m ? Number(m[0]) : undefined;
}

/** An absolute http(s) URL from a link found on the page, or undefined (javascript:, mailto:, junk). */
export function resolveLink(href: string | undefined, baseUrl: string): string | undefined {
  const h = href?.trim();
  if (!h || h.startsWith('#')) return undefined;
  try {
    const u = new URL(h, baseUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** `$(selector)` with a bad selector turned into an InputError naming the spec field. */
function select<T>(field: string, selector: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw new InputError({
      en: `${field}: invalid CSS selector "${selector}" (${(err as Error).message}); fix it in the target`,
      zh: `${field}：CSS 选择器“${selector}”无效（${errorText(err as Error, 'zh-CN')}）；请在抓取目标中修正`,
    });
  }
}

/** Options of the extraction functions. */
export interface ExtractOptions {
  /** The crawl instant, epoch ms: enables relative times (`3小时前`, `yesterday 10:00`). */
  nowMs?: number;
  /** Prefix of the `InputError` field names (`selectors`, `detail.replies`...). */
  field?: string;
}

/** Parses HTML on cheerio's fast, forgiving htmlparser2 path (never executes anything). */
export function loadHtml(html: string): CheerioAPI {
  return load(html, { xml: { xmlMode: false } });
}

/** The page's base URL: `<base href>` when present and valid, else the page URL. */
export function baseUrlOf($: CheerioAPI, pageUrl: string): string {
  return resolveLink($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
}

/**
 * Extracts the items and the next-page link of a listing page.
 *
 * @example
 * const { items, nextUrl } = extractListing(html, 'https://bbs.example.cn/f?page=1',
 *   { item: '.post', text: '.content', author: '.user', time: 'time@datetime', nextPage: 'a.next' }, 'Asia/Shanghai');
 */
export function extractListing(html: string, pageUrl: string, spec: SelectorSpec, timeZone: string, options: ExtractOptions = {}): Listing {
  const $ = loadHtml(html);
  const base = baseUrlOf($, pageUrl);
  const items = extractItems($, spec, base, timeZone, options);
  const nextUrl = spec.nextPage ? readLink($, spec.nextPage, base, `${options.field ?? 'selectors'}.nextPage`) : null;
  return { items, nextUrl };
}

type ItemFields = Omit<SelectorSpec, 'item' | 'nextPage'>;

/** The items selected by `spec.item` (the whole document when `item` is empty). */
export function extractItems($: CheerioAPI, spec: ItemFields & { item?: string }, base: string, timeZone: string, options: ExtractOptions = {}): RawItem[] {
  const prefix = options.field ?? 'selectors';
  const fields = compileFields(spec);
  const items: RawItem[] = [];
  const elements = spec.item ? select(`${prefix}.item`, spec.item, () => $(spec.item!)).toArray() : [$.root().get(0)!];
  for (const el of elements) items.push(readItem($(el), fields, spec.timeFormat, base, timeZone, options));
  return items;
}

type Compiled = ReturnType<typeof compileFields>;

function compileFields(spec: ItemFields) {
  const opt = (v: string | undefined) => (v !== undefined ? splitSelector(v) : undefined);
  return {
    text: splitSelector(spec.text),
    id: opt(spec.id),
    author: opt(spec.author),
    time: opt(spec.time),
    link: opt(spec.link),
    rating: opt(spec.rating),
    likes: opt(spec.likes),
    replies: opt(spec.replies),
    shares: opt(spec.shares),
  };
}

function readItem($item: Selection, fields: Compiled, timeFormat: TimeFormat | undefined, base: string, timeZone: string, options: ExtractOptions): RawItem {
  const prefix = options.field ?? 'selectors';
  const item: RawItem = { text: readText($item, `${prefix}.text`, fields.text) };
  const externalId = fields.id && readFirst($item, `${prefix}.id`, fields.id);
  if (externalId?.trim()) item.externalId = detach(externalId.trim());
  const author = fields.author && readFirst($item, `${prefix}.author`, fields.author);
  if (author?.trim()) item.author = detach(author.replace(/\s+/g, ' ').trim());
  if (fields.time) {
    const publishedAt = readTime($item, `${prefix}.time`, fields.time, timeFormat, timeZone, options.nowMs);
    if (publishedAt) item.publishedAt = publishedAt;
  }
  if (fields.link) {
    const url = resolveLink(readFirst($item, `${prefix}.link`, fields.link, 'href'), base);
    if (url) item.url = url;
  }
  const rating = fields.rating ? parseRating(readFirst($item, `${prefix}.rating`, fields.rating)) : undefined;
  if (rating !== undefined) item.rating = rating;
  const likes = fields.likes ? parseCount(readFirst($item, `${prefix}.likes`, fields.likes)) : undefined;
  if (likes !== undefined) item.likes = likes;
  const replies = fields.replies ? parseCount(readFirst($item, `${prefix}.replies`, fields.replies)) : undefined;
  if (replies !== undefined) item.replies = replies;
  const shares = fields.shares ? parseCount(readFirst($item, `${prefix}.shares`, fields.shares)) : undefined;
  if (shares !== undefined) item.shares = shares;
  return item;
}

/** The absolute link of the first element matching `selector` (`@attr` or `href`), or null. */
export function readLink($: CheerioAPI, selector: string, base: string, field: string): string | null {
  const { css, attr } = splitSelector(selector);
  const $el = select(field, selector, () => (css ? $(css) : $.root())).first();
  return resolveLink($el.attr(attr ?? 'href'), base) ?? null;
}

/** The attribute (`@attr`) or text of the first element matching `selector` on the page. */
export function readValue($: CheerioAPI, selector: string, field: string): string | undefined {
  const sel = splitSelector(selector);
  const v = readFirst($.root(), field, sel);
  return v?.trim() ? detach(v.trim()) : undefined;
}

/** What a post's own page holds: the post (fields found on the page) and its replies. */
export interface DetailPage {
  post?: RawItem;
  replies: RawItem[];
  /** The thread's next page of replies. */
  nextUrl: string | null;
}

/**
 * Reads a post's own page with `detail`: the post's fields (first `detail.post.item` match, or the
 * whole page) and every reply (`detail.replies`). Fields the page lacks are simply absent.
 *
 * @example extractDetail(html, 'https://bbs.example.cn/t/1', { post: { text: '.post-body' }, replies: { item: '.reply', text: '.body' } }, 'Asia/Shanghai')
 */
export function extractDetail(html: string, pageUrl: string, detail: DetailSpec, timeZone: string, options: ExtractOptions = {}): DetailPage {
  const $ = loadHtml(html);
  const base = baseUrlOf($, pageUrl);
  const page: DetailPage = { replies: [], nextUrl: null };
  if (detail.post) {
    const [post] = extractItems($, detail.post, base, timeZone, { ...options, field: 'detail.post' });
    if (post) page.post = post;
  }
  if (detail.replies) {
    page.replies = extractItems($, detail.replies, base, timeZone, { ...options, field: 'detail.replies' });
    if (detail.replies.nextPage) page.nextUrl = readLink($, detail.replies.nextPage, base, 'detail.replies.nextPage');
  }
  return page;
}

/** Visible text of an HTML fragment (feed and API content), with the rules of this module. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/[ \t\f\v\u00a0]+/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n');
  const $ = loadHtml(html);
  return detach(textOfNodes($.root().toArray() as unknown as DomNode[]));
}

/** domhandler's AnyNode, reached through cheerio's API (domhandler is cheerio's dependency, not ours). */
type AnyNode = Parameters<typeof contains>[0];
type Selection = Cheerio<AnyNode>;

/** Elements of `css` inside the item (`''` = the item itself). */
function within($item: Selection, field: string, css: string): Selection {
  return css ? select(field, css, () => $item.find(css)) : $item;
}

/** Text (all matches, one per line) or attribute (first match) of the post body. */
function readText($item: Selection, field: string, sel: { css: string; attr?: string }): string {
  const $els = within($item, field, sel.css);
  if (sel.attr) return detach(($els.first().attr(sel.attr) ?? '').replace(/\s+/g, ' ').trim());
  return detach(textOfNodes($els.toArray() as unknown as DomNode[]));
}

/** Attribute or text of the first match; `defaultAttr` is tried first when no `@attr` was given. */
function readFirst(
  $item: Selection,
  field: string,
  sel: { css: string; attr?: string },
  defaultAttr?: string,
): string | undefined {
  const $el = within($item, field, sel.css).first();
  if ($el.length === 0) return undefined;
  if (sel.attr) return $el.attr(sel.attr);
  if (defaultAttr) return $el.attr(defaultAttr);
  // Microdata puts values on <meta content>, which has no text.
  if ($el.is('meta')) return $el.attr('content');
  return textOfNodes($el.toArray() as unknown as DomNode[]);
}

/**
 * The post time: `@attr` if given, else `datetime`, `content` (microdata), the text, then `title`
 * (relative text, absolute tooltip). Absolute readings of every candidate win over a relative one.
 */
function readTime(
  $item: Selection,
  field: string,
  sel: { css: string; attr?: string },
  format: TimeFormat | undefined,
  timeZone: string,
  nowMs: number | undefined,
): string | undefined {
  const $el = within($item, field, sel.css).first();
  if ($el.length === 0) return undefined;
  const candidates = sel.attr
    ? [$el.attr(sel.attr)]
    : [$el.attr('datetime'), $el.attr('content'), textOfNodes($el.toArray() as unknown as DomNode[]), $el.attr('title')];
  for (const c of candidates) {
    const iso = parsePageTime(c, format, timeZone);
    if (iso) return iso;
  }
  if (nowMs === undefined) return undefined;
  for (const c of candidates) {
    const iso = parsePageTime(c, format, timeZone, nowMs);
    if (iso) return iso;
  }
  return undefined;
}
