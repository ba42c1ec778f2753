/**
 * The `browser` kind: the html kind over pages rendered by Chromium (JS-only listings, infinite
 * scroll, "load more" buttons). The browser's requests are answered by the crawler: the page
 * itself and its XHR/fetch calls through the target's polite fetch (robots.txt, token bucket,
 * retries, counted), scripts and stylesheets through the same safety and robots checks without
 * pacing (a browser loads them together; they are not pages), images, media and fonts not at all.
 */
import { clearRequest } from '../polite-fetch.js';
import type { RoutedResponse } from '../browser-pool.js';
import { fetchLoader, htmlReader, type HtmlReaderHooks, type PageLoader } from './html.js';
import type { KindReader, ReaderIO } from './reader.js';

const PAGED_TYPES = new Set(['document', 'xhr', 'fetch', 'eventsource']);

function contentTypeOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['content-type'];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers one request of the rendered page. */
async function answer(io: ReaderIO, url: string, type: string, isNavigation: boolean): Promise<RoutedResponse> {
  if (isNavigation || PAGED_TYPES.has(type)) {
    const res = await io.fetch(url, isNavigation ? {} : { accept: '*/*' });
    return { url: res.url, status: res.status, body: res.body, ...optionalType(contentTypeOf(res.headers)) };
  }
  const clearance = await clearRequest(io.ctx, io.target, url);
  const res = await io.ctx.fetcher.fetch(clearance.url.href, { allowPrivate: clearance.allowPrivate, ...(io.signal ? { signal: io.signal } : {}) });
  return { url: res.url, status: res.status, body: res.body, ...optionalType(contentTypeOf(res.headers)) };
}

function optionalType(contentType: string | undefined): { contentType?: string } {
  return contentType ? { contentType } : {};
}

/** Renders listing and detail pages in Chromium; load-more endpoints (JSON or fragments) are plain fetches. */
export const browserLoader: PageLoader = async (io, req, accept) => {
  if (req.role === 'more') return fetchLoader(io, req, accept);
  const spec = io.target.browser ?? {};
  const itemSelector = req.role === 'listing' ? io.target.selectors?.item : undefined;
  const waitFor = req.role === 'listing' ? (spec.waitFor ?? itemSelector) : undefined;
  const page = await io.ctx.browser().render({
    url: req.url,
    fetchResource: (url, type, isNavigation) => answer(io, url, type, isNavigation),
    ...(waitFor ? { waitFor } : {}),
    ...(itemSelector ? { itemSelector } : {}),
    ...(req.role === 'listing' && spec.scrolls ? { scrolls: spec.scrolls } : {}),
    ...(spec.loadMore ? { loadMore: spec.loadMore } : {}),
    ...(spec.settleMs ? { settleMs: spec.settleMs } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  return { url: page.url, status: page.status, notModified: false, body: page.html, headers: {} };
};

/** The browser reader. */
export function browserReader(hooks: HtmlReaderHooks = {}): KindReader {
  return htmlReader(browserLoader, hooks);
}
