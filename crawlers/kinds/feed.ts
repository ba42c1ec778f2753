/**
 * The `feed` kind: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed, told apart by their content.
 * A feed is the cheapest incremental source: its URL is requested with the stored ETag /
 * Last-Modified, so an unchanged feed costs one 304 and no write. Atom archive paging
 * (RFC 5005 `rel="next"`) and JSON Feed `next_url` are followed.
 */
import { XMLParser } from 'fast-xml-parser';
import { htmlToText, resolveLink, type RawItem } from '../extract-html.js';
import { parsePageTime } from '../page-time.js';
import { ExtractionError } from '../stats.js';
import { startRequest, validatorsFor, validatorsOf, type KindReader, type PageOutcome } from './reader.js';

const ACCEPT_FEED =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

type Node = Record<string, unknown>;

/** An XML parser safe for hostile input: no external entities, bounded entity expansion, bounded nesting. */
export function createXmlParser(arrayTags: readonly string[]): XMLParser {
  const arrays = new Set(arrayTags);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    htmlEntities: true,
    processEntities: { enabled: true, maxTotalExpansions: 10_000, maxExpandedLength: 1_000_000, maxEntityCount: 100 },
    maxNestedTags: 200,
    isArray: (name) => arrays.has(name),
  });
}

const feedParser = createXmlParser(['item', 'entry', 'link', 'category', 'author']);

/** The text of an XML node (`'x'`, `{ '#text': 'x' }`, or a CDATA-carrying node). */
function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as Node)['#text']);
  return undefined;
}

function first<T>(v: T | T[] | undefined): T | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Title plus body, without repeating a title that merely starts the body. */
function joinTitle(title: string | undefined, body: string | undefined): string {
  const t = title?.trim() ? htmlToText(title) : '';
  const b = body?.trim() ? htmlToText(body) : '';
  if (!t) return b;
  if (!b || b.startsWith(t)) return b || t;
  return `${t}\n${b}`;
}

function timeOf(value: string | undefined, timeZone: string): string | undefined {
  return parsePageTime(value, 'iso', timeZone);
}

/**
 * The items and next-page URL of a feed document (any of the four formats).
 *
 * @example const { items, nextUrl } = parseFeed(xml, 'https://blog.example.cn/feed', 'Asia/Shanghai');
 */
export function parseFeed(body: string, url: string, timeZone: string): { items: RawItem[]; nextUrl: string | null; format: string } {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed, url, timeZone);
  let doc: Node;
  try {
    doc = feedParser.parse(trimmed) as Node;
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new ExtractionError(url, { en: `${url}: not a readable feed (${why})`, zh: `${url}：无法读取的订阅源（${why}）` });
  }
  const rss = doc.rss as Node | undefined;
  if (rss) return { items: rssItems(first((rss.channel as Node[] | Node) ?? {}) as Node, url, timeZone), nextUrl: null, format: 'rss' };
  const rdf = doc['rdf:RDF'] as Node | undefined;
  if (rdf) return { items: rssItems(rdf, url, timeZone), nextUrl: null, format: 'rdf' };
  const feed = doc.feed as Node | undefined;
  if (feed) return atom(feed, url, timeZone);
  const root = Object.keys(doc).find((k) => !k.startsWith('?')) ?? '?';
  throw new ExtractionError(url, { en: `${url}: not an RSS, Atom or JSON feed (the document starts with <${root}>)`, zh: `${url}：不是 RSS、Atom 或 JSON 订阅源（文档以 <${root}> 开头）` });
}

function rssItems(channel: Node, url: string, timeZone: string): RawItem[] {
  const items: RawItem[] = [];
  for (const it of (channel.item as Node[] | undefined) ?? []) {
    const body = text(it['content:encoded']) ?? text(it.description);
    const item: RawItem = { text: joinTitle(text(it.title), body) };
    const link = resolveLink(text(first(it.link as unknown[])) ?? (it['@_rdf:about'] as string | undefined), url);
    if (link) item.url = link;
    const guid = text(it.guid);
    if (guid) item.externalId = guid;
    const author = text(it['dc:creator']) ?? text(first(it.author as unknown[]));
    if (author) item.author = author;
    const published = timeOf(text(it.pubDate) ?? text(it['dc:date']), timeZone);
    if (published) item.publishedAt = published;
    const comments = Number(text(it['slash:comments']));
    if (Number.isFinite(comments) && text(it['slash:comments'])) item.replies = comments;
    items.push(item);
  }
  return items;
}

function atomLink(links: unknown, rel: string): string | undefined {
  for (const l of (links as Node[] | undefined) ?? []) {
    const r = (l['@_rel'] as string | undefined) ?? 'alternate';
    if (r === rel) return l['@_href'] as string | undefined;
  }
  return undefined;
}

function atom(feed: Node, url: string, timeZone: string) {
  const items: RawItem[] = [];
  for (const e of (feed.entry as Node[] | undefined) ?? []) {
    const item: RawItem = { text: joinTitle(text(e.title), text(e.content) ?? text(e.summary)) };
    const link = resolveLink(atomLink(e.link, 'alternate'), url);
    if (link) item.url = link;
    const id = text(e.id);
    if (id) item.externalId = id;
    const author = text((first(e.author as Node[]) as Node | undefined)?.name);
    if (author) item.author = author;
    const published = timeOf(text(e.published) ?? text(e.updated), timeZone);
    if (published) item.publishedAt = published;
    items.push(item);
  }
  const next = resolveLink(atomLink(feed.link, 'next'), url) ?? null;
  return { items, nextUrl: next, format: 'atom' };
}

function parseJsonFeed(body: string, url: string, timeZone: string) {
  let doc: Node;
  try {
    doc = JSON.parse(body) as Node;
  } catch (err) {
    throw new ExtractionError(url, { en: `${url}: not a readable JSON feed (${(err as Error).message})`, zh: `${url}：无法读取的 JSON 订阅源（${(err as Error).message}）` });
  }
  if (!Array.isArray(doc.items)) throw new ExtractionError(url, { en: `${url}: not a JSON Feed (no "items" array)`, zh: `${url}：不是 JSON Feed（没有“items”数组）` });
  const items: RawItem[] = [];
  for (const it of doc.items as Node[]) {
    if (!it || typeof it !== 'object') continue;
    const body = (it.content_html as string | undefined) ?? (it.content_text as string | undefined) ?? (it.summary as string | undefined);
    const item: RawItem = { text: joinTitle(it.title as string | undefined, body) };
    if (it.id !== undefined) item.externalId = String(it.id);
    const link = resolveLink(it.url as string | undefined, url);
    if (link) item.url = link;
    const authors = (it.authors as Node[] | undefined) ?? (it.author ? [it.author as Node] : []);
    const author = authors[0]?.name;
    if (typeof author === 'string' && author) item.author = author;
    const published = timeOf((it.date_published as string | undefined) ?? (it.date_modified as string | undefined), timeZone);
    if (published) item.publishedAt = published;
    items.push(item);
  }
  return { items, nextUrl: resolveLink(doc.next_url as string | undefined, url) ?? null, format: 'json' };
}

/** The feed reader. */
export function feedReader(): KindReader {
  return {
    start: (target) => [startRequest(target.url)],
    async read(io, req): Promise<PageOutcome> {
      const validators = validatorsFor(io, req);
      const res = await io.fetch(req.url, { accept: ACCEPT_FEED, ...(validators ? { validators } : {}) });
      const fresh = validatorsOf(res.headers);
      if (res.notModified) return { url: res.url, status: res.status, notModified: true, items: [], next: [], discovered: [] };
      const { items, nextUrl } = parseFeed(res.body, res.url, io.target.timeZone);
      return {
        url: res.url,
        status: res.status,
        notModified: false,
        items,
        next: nextUrl && items.length ? [{ url: nextUrl, role: 'listing', depth: req.depth, pageNo: req.pageNo + 1, chain: req.chain }] : [],
        discovered: [],
        ...(fresh ? { validators: fresh } : {}),
        body: res.body,
      };
    },
  };
}
