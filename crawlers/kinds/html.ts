/**
 * The `html` kind (and, with a rendering loader, the `browser` kind): listing pages read with the
 * target's CSS selectors; pagination by next link, numbered URL template or "load more"
 * endpoint; optional detail pages for the full text and the replies.
 */
import { InputError } from '../../core/errors.js';
import type { SelectorSpec, Target } from '../../core/types.js';
import { canonicalUrl } from '../canonical-url.js';
import { baseUrlOf, extractItems, loadHtml, readLink, readValue, resolveLink, type RawItem } from '../extract-html.js';
import { compileStreamSpec, extractStream, type StreamSpec } from '../extract-stream.js';
import { getPath, asString } from '../json-path.js';
import type { PageRequest } from '../page-request.js';
import { mediaType } from '../page-type.js';
import { externalIdFor } from '../post-builder.js';
import { detailOutcome } from './detail.js';
import { startRequest, validatorsFor, validatorsOf, type KindReader, type PageOutcome, type ReaderIO } from './reader.js';

/** A fetched (or rendered) page as the html reader needs it. */
export interface LoadedPage {
  url: string;
  status: number;
  notModified: boolean;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** How a page gets from the site to the reader: a plain fetch, or a browser render. */
export type PageLoader = (io: ReaderIO, req: PageRequest, accept?: string) => Promise<LoadedPage>;

/** The plain-fetch loader of the html kind. */
export const fetchLoader: PageLoader = async (io, req, accept) => {
  const validators = validatorsFor(io, req);
  const res = await io.fetch(req.url, { ...(accept ? { accept } : {}), ...(validators ? { validators } : {}) });
  return { url: res.url, status: res.status, notModified: res.notModified, body: res.body, headers: res.headers };
};

/** The selectors of an html-like target (the config guarantees them; a preset fills them in). */
export function selectorsOf(target: Target): SelectorSpec {
  if (!target.selectors) {
    throw new InputError({
      en: `target ${target.id}: selectors: required for kind ${target.kind} (at least item and text)`,
      zh: `抓取目标 ${target.id}：selectors：${target.kind} 类型必须配置（至少包括 item 和 text）`,
    });
  }
  return target.selectors;
}

/** `{page}` / `{cursor}` filled in, resolved against the target URL. */
function fillTemplate(template: string, values: { page?: number; cursor?: string }, baseUrl: string): string {
  const filled = template
    .replace(/\{page\}/g, values.page !== undefined ? String(values.page) : '')
    .replace(/\{cursor\}/g, values.cursor !== undefined ? encodeURIComponent(values.cursor) : '');
  const url = resolveLink(filled, baseUrl);
  if (!url) throw new InputError({ en: `pagination.url: "${template}" does not give an http(s) URL`, zh: `pagination.url：“${template}”生成的不是 http(s) URL` });
  return url;
}

/** Page number substituted for the `pageNo`-th page of a numbered chain (page 1 is the target URL). */
function pageNumber(target: Target, pageNo: number): number {
  const p = target.pagination!;
  const first = p.first ?? 2;
  return first + (p.step ?? 1) * (pageNo - 2);
}

/**
 * Listing items get the link of their own page when the target reads detail pages, and items
 * whose link is an anchor on this very page (`#post-12`) get that anchor as their id.
 */
function finishListingItems(items: RawItem[], target: Target, pageUrl: string, html: () => ReturnType<typeof loadHtml>): void {
  const pageDoc = pageUrl.replace(/#.*$/, '');
  for (const item of items) {
    if (!item.externalId && item.url) {
      const hash = item.url.indexOf('#');
      if (hash >= 0 && hash < item.url.length - 1 && item.url.slice(0, hash) === pageDoc) {
        try {
          item.externalId = canonicalUrl(pageDoc) + item.url.slice(hash);
        } catch {
          // not a URL: the usual id rules apply
        }
      }
    }
  }
  if (!target.detail || (!target.detail.post && !target.detail.replies)) return;
  const linkSelector = target.detail.link;
  if (!linkSelector) {
    for (const item of items) if (item.url) item.detailUrl = item.url;
    return;
  }
  // The detail link is a separate selector: read it per item, in the same order.
  const $ = html();
  const base = baseUrlOf($, pageUrl);
  const links = extractItems($, { item: selectorsOf(target).item, text: '', link: linkSelector }, base, target.timeZone, { field: 'detail' });
  items.forEach((item, i) => {
    const url = links[i]?.url;
    if (url) item.detailUrl = url;
  });
}

/** Extra behaviour a preset can give the html reader. */
export interface HtmlReaderHooks {
  /** Adjusts the items of a listing page after extraction (ids scoped to the page...). */
  finishItems?(items: RawItem[], pageUrl: string): void;
}

/**
 * The html reader over a loader.
 *
 * @example const reader = htmlReader(fetchLoader);
 */
export function htmlReader(load: PageLoader = fetchLoader, hooks: HtmlReaderHooks = {}): KindReader {
  return {
    start: (target) => [startRequest(target.url)],

    successor(target, req) {
      const p = target.pagination;
      if (!p || !p.url) return null;
      if (p.type === 'template' && req.role === 'listing')
        return { ...req, url: fillTemplate(p.url, { page: pageNumber(target, req.pageNo + 1) }, target.url), pageNo: req.pageNo + 1, conditional: false };
      if (p.type === 'loadMore' && req.role === 'more' && p.url.includes('{page}'))
        return { ...req, url: fillTemplate(p.url, { page: pageNumber(target, req.pageNo + 1) }, target.url), pageNo: req.pageNo + 1, conditional: false };
      return null;
    },

    async read(io, req) {
      if (req.role === 'detail' || req.role === 'replies') {
        const page = await load(io, req);
        return detailOutcome(io.target, req, page.body, page.url, page.status, io.nowMs);
      }
      const outcome = req.role === 'more' ? await readMore(io, req, load) : await readListing(io, req, load);
      hooks.finishItems?.(outcome.items, outcome.url);
      return outcome;
    },
  };
}

async function readListing(io: ReaderIO, req: PageRequest, load: PageLoader): Promise<PageOutcome> {
  const { target } = io;
  const page = await load(io, req);
  const validators = validatorsOf(page.headers);
  if (page.notModified) return { url: page.url, status: page.status, notModified: true, items: [], next: [], discovered: [] };
  const selectors = selectorsOf(target);
  const next: PageRequest[] = [];
  const follow = (url: string, role: PageRequest['role'], extra: Partial<PageRequest> = {}) =>
    next.push({ url, role, depth: req.depth, pageNo: req.pageNo + 1, chain: req.chain, ...extra });
  const p = target.pagination;
  const stream = streamSpecFor(target);
  let items: RawItem[];
  if (stream) {
    // The fast path: one pass over the page, no DOM.
    const listing = extractStream(page.body, page.url, stream, target.timeZone, { nowMs: io.nowMs });
    items = listing.items;
    finishListingItems(items, target, page.url, () => loadHtml(page.body));
    if ((!p || p.type === 'next') && listing.nextUrl) follow(listing.nextUrl, 'listing');
    if (p?.type === 'loadMore' && p.url && !p.url.includes('{cursor}')) follow(fillTemplate(p.url, { page: pageNumber(target, 2) }, target.url), 'more');
  } else {
    const $ = loadHtml(page.body);
    const base = baseUrlOf($, page.url);
    items = extractItems($, selectors, base, target.timeZone, { nowMs: io.nowMs });
    finishListingItems(items, target, page.url, () => $);
    if (!p || p.type === 'next') {
      const nextUrl = selectors.nextPage ? readLink($, selectors.nextPage, base, 'selectors.nextPage') : null;
      if (nextUrl) follow(nextUrl, 'listing');
    } else if (p.type === 'loadMore' && p.url) {
      if (p.url.includes('{cursor}')) {
        const cursor = p.cursorSelector ? readValue($, p.cursorSelector, 'pagination.cursorSelector') : undefined;
        if (cursor) follow(fillTemplate(p.url, { cursor }, target.url), 'more', { cursor });
      } else {
        follow(fillTemplate(p.url, { page: pageNumber(target, 2) }, target.url), 'more');
      }
    }
  }
  const contentType = mediaType(page.headers['content-type']);
  return {
    url: page.url,
    status: page.status,
    notModified: false,
    items,
    next,
    discovered: [],
    ...(validators ? { validators } : {}),
    body: page.body,
    ...(contentType ? { contentType } : {}),
    emptyMeansBroken: true,
  };
}

/** A "load more" endpoint page: an HTML fragment, or JSON holding one and the next cursor. */
async function readMore(io: ReaderIO, req: PageRequest, load: PageLoader): Promise<PageOutcome> {
  const { target } = io;
  const p = target.pagination!;
  const json = p.format === 'json';
  const page = await load(io, req, json ? 'application/json, text/javascript;q=0.9, */*;q=0.5' : undefined);
  let fragment = page.body;
  let cursor: string | undefined;
  if (json) {
    let doc: unknown;
    try {
      doc = JSON.parse(page.body);
    } catch (err) {
      throw new SyntaxError(`${page.url}: the load-more endpoint did not answer JSON (${(err as Error).message})`);
    }
    fragment = asString(getPath(doc, p.htmlPath ?? '', 'pagination.htmlPath')) ?? '';
    if (p.cursorPath) cursor = asString(getPath(doc, p.cursorPath, 'pagination.cursorPath'));
  }
  const $ = loadHtml(fragment);
  const items = extractItems($, selectorsOf(target), page.url, target.timeZone, { nowMs: io.nowMs });
  finishListingItems(items, target, page.url, () => $);
  const next: PageRequest[] = [];
  if (p.url?.includes('{cursor}') && items.length > 0) {
    if (!json && p.cursorSelector) cursor = readValue($, p.cursorSelector, 'pagination.cursorSelector');
    if (cursor && cursor !== req.cursor)
      next.push({ url: fillTemplate(p.url, { cursor }, target.url), role: 'more', depth: req.depth, pageNo: req.pageNo + 1, chain: req.chain, cursor });
  }
  return { url: page.url, status: page.status, notModified: false, items, next, discovered: [], body: page.body };
}

const streamSpecs = new Map<string, StreamSpec | null>();

/**
 * The streaming form of the target's listing selectors, when every selector is in the subset it
 * handles and nothing else needs the DOM (a cursor read from the page); null otherwise.
 */
function streamSpecFor(target: Target): StreamSpec | null {
  const p = target.pagination;
  if (p?.type === 'loadMore' && p.url?.includes('{cursor}')) return null;
  const selectors = selectorsOf(target);
  const key = JSON.stringify(selectors);
  let hit = streamSpecs.get(key);
  if (hit === undefined) {
    hit = compileStreamSpec(selectors);
    if (streamSpecs.size > 500) streamSpecs.clear();
    streamSpecs.set(key, hit);
  }
  return hit;
}

/** Freezes a listing item's id before its detail page changes its text (a hash id must not move). */
export function freezeItemId(item: RawItem): RawItem {
  return { ...item, externalId: externalIdFor(item) };
}
