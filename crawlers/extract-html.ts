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
import { load, type Cheerio, type contains } from 'cheerio';
import type { SelectorSpec } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { parseTimeInZone } from '../core/time.js';

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

// Zone conversion builds Intl formatters and is the costliest step per post; listings repeat
// times a lot (date-only pages, pinned posts, the same post on every crawl), so results are
// memoised. Bounded: cleared when full rather than tracked as an LRU.
const timeCache = new Map<string, string | undefined>();
const TIME_CACHE_MAX = 4096;

/** A page time to ISO UTC per `format`; 10/13-digit numbers are read as unix s/ms even in `iso` mode. */
export function parsePageTime(value: string | undefined, format: SelectorSpec['timeFormat'], timeZone: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.length > 64) return readPageTime(v, format, timeZone); // no real time is that long: do not cache junk
  const key = `${format ?? 'iso'}|${timeZone}|${v}`;
  if (timeCache.has(key)) return timeCache.get(key);
  const iso = readPageTime(v, format, timeZone);
  if (timeCache.size >= TIME_CACHE_MAX) timeCache.clear();
  timeCache.set(detach(key), iso);
  return iso;
}

function readPageTime(v: string, format: SelectorSpec['timeFormat'], timeZone: string): string | undefined {
  const fromUnix = (ms: number) => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined);
  if (format === 'unix') return /^\d+(\.\d+)?$/.test(v) ? fromUnix(Number(v) * 1000) : undefined;
  if (format === 'unix_ms') return /^\d+$/.test(v) ? fromUnix(Number(v)) : undefined;
  const iso = parseTimeInZone(v, timeZone);
  if (iso) return iso;
  if (/^\d{10}$/.test(v)) return fromUnix(Number(v) * 1000);
  if (/^\d{13}$/.test(v)) return fromUnix(Number(v));
  return undefined;
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
    throw new InputError(`selectors.${field}: invalid CSS selector "${selector}" (${(err as Error).message}); fix it in the target`);
  }
}

/**
 * Extracts the items and the next-page link of a listing page.
 *
 * @example
 * const { items, nextUrl } = extractListing(html, 'https://bbs.example.cn/f?page=1',
 *   { item: '.post', text: '.content', author: '.user', time: 'time@datetime', nextPage: 'a.next' }, 'Asia/Shanghai');
 */
export function extractListing(html: string, pageUrl: string, spec: SelectorSpec, timeZone: string): Listing {
  const $ = load(html, { xml: { xmlMode: false } });
  const base = resolveLink($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;

  const fields = {
    text: splitSelector(spec.text),
    id: spec.id !== undefined ? splitSelector(spec.id) : undefined,
    author: spec.author !== undefined ? splitSelector(spec.author) : undefined,
    time: spec.time !== undefined ? splitSelector(spec.time) : undefined,
    link: spec.link !== undefined ? splitSelector(spec.link) : undefined,
    rating: spec.rating !== undefined ? splitSelector(spec.rating) : undefined,
    likes: spec.likes !== undefined ? splitSelector(spec.likes) : undefined,
    replies: spec.replies !== undefined ? splitSelector(spec.replies) : undefined,
  };

  const items: RawItem[] = [];
  const elements = select('item', spec.item, () => $(spec.item));
  for (const el of elements.toArray()) {
    const $item: Selection = $(el);
    const item: RawItem = { text: readText($item, 'text', fields.text) };
    const externalId = fields.id && readFirst($item, 'id', fields.id);
    if (externalId) item.externalId = detach(externalId.trim());
    const author = fields.author && readFirst($item, 'author', fields.author);
    if (author) item.author = detach(author.replace(/\s+/g, ' ').trim());
    if (fields.time) {
      const publishedAt = readTime($item, fields.time, spec.timeFormat, timeZone);
      if (publishedAt) item.publishedAt = publishedAt;
    }
    if (fields.link) {
      const url = resolveLink(readFirst($item, 'link', fields.link, 'href'), base);
      if (url) item.url = url;
    }
    const rating = fields.rating ? parseRating(readFirst($item, 'rating', fields.rating)) : undefined;
    if (rating !== undefined) item.rating = rating;
    const likes = fields.likes ? parseCount(readFirst($item, 'likes', fields.likes)) : undefined;
    if (likes !== undefined) item.likes = likes;
    const replies = fields.replies ? parseCount(readFirst($item, 'replies', fields.replies)) : undefined;
    if (replies !== undefined) item.replies = replies;
    items.push(item);
  }

  let nextUrl: string | null = null;
  if (spec.nextPage) {
    const { css, attr } = splitSelector(spec.nextPage);
    const $next = select('nextPage', spec.nextPage, () => $(css).first());
    nextUrl = resolveLink($next.attr(attr ?? 'href'), base) ?? null;
  }
  return { items, nextUrl };
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
  return textOfNodes($el.toArray() as unknown as DomNode[]);
}

/** The post time: `@attr` if given, else `datetime`, the text, then `title` (relative text, absolute tooltip). */
function readTime(
  $item: Selection,
  sel: { css: string; attr?: string },
  format: SelectorSpec['timeFormat'],
  timeZone: string,
): string | undefined {
  const $el = within($item, 'time', sel.css).first();
  if ($el.length === 0) return undefined;
  const candidates = sel.attr ? [$el.attr(sel.attr)] : [$el.attr('datetime'), textOfNodes($el.toArray() as unknown as DomNode[]), $el.attr('title')];
  for (const c of candidates) {
    const iso = parsePageTime(c, format, timeZone);
    if (iso) return iso;
  }
  return undefined;
}
