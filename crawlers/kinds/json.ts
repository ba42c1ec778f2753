/**
 * The `json` kind: a public JSON endpoint read with a field mapping (see `JsonMapping`), paged by
 * a cursor, the id of the last item (`max_id`), a next-URL field or the `Link` header, and asked
 * for only what is newer than the stored watermark when the API supports `since_id`.
 */
import { InputError } from '../../core/errors.js';
import type { JsonMapping, Target } from '../../core/types.js';
import { htmlToText, parseCount, parseRating, resolveLink, type RawItem } from '../extract-html.js';
import { asString, getPath, readMapped } from '../json-path.js';
import type { PageRequest } from '../page-request.js';
import { parsePageTime } from '../page-time.js';
import { ExtractionError } from '../stats.js';
import { startRequest, validatorsFor, validatorsOf, type KindReader, type PageOutcome } from './reader.js';

const ACCEPT_JSON = 'application/json, application/activity+json;q=0.9, */*;q=0.5';

/** Extra behaviour a preset can give the json reader. */
export interface JsonReaderHooks {
  /** The next page's URL when the source pages in its own way (App Store `page=N` path segment). */
  nextUrl?(req: PageRequest, doc: unknown, items: RawItem[]): string | null;
}

export function mappingOf(target: Target): JsonMapping {
  if (!target.json) {
    throw new InputError({
      en: `target ${target.id}: json: required for kind json (a field mapping with items, id and text)`,
      zh: `抓取目标 ${target.id}：json：json 类型必须配置（字段映射，包括 items、id 和 text）`,
    });
  }
  return target.json;
}

/**
 * Items of a JSON document per `mapping`. Throws `InputError` for a malformed path and
 * `SyntaxError`-like failures for a document without the item array.
 *
 * @example extractJsonItems({ data: { children: [...] } }, redditMapping, 'https://www.reddit.com/r/x/new.json', 'UTC')
 */
export function extractJsonItems(doc: unknown, mapping: JsonMapping, pageUrl: string, timeZone: string, nowMs?: number): RawItem[] {
  const found = getPath(doc, mapping.items, 'json.items');
  const list = itemList(doc, found, mapping.items);
  if (!list)
    throw new ExtractionError(pageUrl, {
      en: `${pageUrl}: json.items: "${mapping.items}" is not an array in the response; check the mapping against the API`,
      zh: `${pageUrl}：json.items：响应中的“${mapping.items}”不是数组；请对照 API 检查映射`,
    });
  const items: RawItem[] = [];
  const texts = Array.isArray(mapping.text) ? mapping.text : [mapping.text];
  for (const entry of list) {
    if (mapping.require && getPath(entry, mapping.require, 'json.require') === undefined) continue;
    const parts = texts.map((t) => readMapped(entry, t, 'json.text')).filter((t): t is string => Boolean(t?.trim()));
    const text = parts.map((t) => (mapping.textIsHtml ? htmlToText(t) : t)).join('\n');
    const item: RawItem = { text };
    const id = readMapped(entry, mapping.id, 'json.id');
    if (id) item.externalId = id;
    const author = mapping.author ? readMapped(entry, mapping.author, 'json.author') : undefined;
    if (author) item.author = author;
    if (mapping.time) {
      const raw = getPath(entry, mapping.time, 'json.time');
      const iso = parsePageTime(asString(raw), mapping.timeFormat ?? (typeof raw === 'number' ? (raw > 1e12 ? 'unix_ms' : 'unix') : 'iso'), timeZone, nowMs);
      if (iso) item.publishedAt = iso;
    }
    if (mapping.url) {
      const url = resolveLink(readMapped(entry, mapping.url, 'json.url'), pageUrl);
      if (url) item.url = url;
    }
    const num = (path: string | undefined, parse: (v: string | undefined) => number | undefined) => {
      if (!path) return undefined;
      const raw = getPath(entry, path, 'json');
      return typeof raw === 'number' ? raw : parse(asString(raw));
    };
    const rating = num(mapping.rating, parseRating);
    if (rating !== undefined) item.rating = rating;
    const likes = num(mapping.likes, parseCount);
    if (likes !== undefined) item.likes = likes;
    const replies = num(mapping.replies, parseCount);
    if (replies !== undefined) item.replies = replies;
    const shares = num(mapping.shares, parseCount);
    if (shares !== undefined) item.shares = shares;
    const parent = mapping.parentId ? readMapped(entry, mapping.parentId, 'json.parentId') : undefined;
    if (parent) item.parentExternalId = parent;
    const thread = mapping.threadId ? readMapped(entry, mapping.threadId, 'json.threadId') : undefined;
    if (thread) item.threadExternalId = thread;
    items.push(item);
  }
  return items;
}

/**
 * The item array: an array as is; one object as a list of one (feeds that drop the array when a
 * single entry is left); nothing when the path's parent exists but the list is absent (feeds that
 * omit an empty list). Undefined when the path does not fit the document at all.
 */
function itemList(doc: unknown, found: unknown, path: string): unknown[] | undefined {
  if (Array.isArray(found)) return found;
  if (found && typeof found === 'object') return [found];
  if (found === undefined && path) {
    const parentPath = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$|^[^.[\]]+$/, '');
    const parent = parentPath ? getPath(doc, parentPath) : doc;
    if (parent && typeof parent === 'object' && !Array.isArray(parent)) return [];
  }
  return undefined;
}

/** The `rel="next"` URL of a `Link` header. */
export function nextFromLinkHeader(link: string | string[] | undefined, baseUrl: string): string | null {
  const value = Array.isArray(link) ? link.join(',') : link;
  if (!value) return null;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2]!)) return resolveLink(m[1], baseUrl) ?? null;
  }
  return null;
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.href;
}

/** The json reader. */
export function jsonReader(hooks: JsonReaderHooks = {}): KindReader {
  return {
    start(target, progress) {
      const mapping = mappingOf(target);
      // since_id: ask only for what is newer than the newest stored post.
      const url = mapping.sinceIdParam && progress.watermarkId ? withParam(target.url, mapping.sinceIdParam, progress.watermarkId) : target.url;
      return [{ ...startRequest(url), conditional: url === target.url }];
    },

    async read(io, req) {
      const { target } = io;
      const mapping = mappingOf(target);
      const validators = validatorsFor(io, req);
      const res = await io.fetch(req.url, { accept: ACCEPT_JSON, ...(validators ? { validators } : {}) });
      const fresh = validatorsOf(res.headers);
      if (res.notModified) return { url: res.url, status: res.status, notModified: true, items: [], next: [], discovered: [] };
      let doc: unknown;
      try {
        doc = JSON.parse(res.body);
      } catch (err) {
        throw new SyntaxError(`${res.url}: the response is not JSON (${(err as Error).message})`);
      }
      const items = extractJsonItems(doc, mapping, res.url, target.timeZone, io.nowMs);
      const outcome: PageOutcome = {
        url: res.url,
        status: res.status,
        notModified: false,
        items,
        next: [],
        discovered: [],
        ...(fresh ? { validators: fresh } : {}),
        body: res.body,
      };
      if (items.length === 0) return outcome;
      const nextUrl = nextPageUrl(req, res.url, res.headers.link, doc, items, mapping, hooks);
      if (nextUrl) outcome.next.push({ url: nextUrl, role: 'listing', depth: req.depth, pageNo: req.pageNo + 1, chain: req.chain });
      return outcome;
    },
  };
}

function nextPageUrl(
  req: PageRequest,
  url: string,
  link: string | string[] | undefined,
  doc: unknown,
  items: RawItem[],
  mapping: JsonMapping,
  hooks: JsonReaderHooks,
): string | null {
  if (hooks.nextUrl) return hooks.nextUrl(req, doc, items);
  if (mapping.cursorPath) {
    const cursor = asString(getPath(doc, mapping.cursorPath, 'json.cursorPath'));
    if (!cursor) return null;
    return withParam(url, mapping.cursorParam ?? 'cursor', cursor);
  }
  if (mapping.lastIdParam) {
    const last = items.at(-1)?.externalId;
    return last ? withParam(url, mapping.lastIdParam, last) : null;
  }
  if (mapping.nextUrlPath) return resolveLink(asString(getPath(doc, mapping.nextUrlPath, 'json.nextUrlPath')), url) ?? null;
  if (mapping.nextFromLinkHeader) return nextFromLinkHeader(link, url);
  return null;
}
