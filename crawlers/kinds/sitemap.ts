/**
 * The `sitemap` kind: post pages discovered from sitemap.xml (sitemap indexes followed, gzipped
 * sitemaps inflated within the size cap, plain-text sitemaps read line by line), filtered by URL
 * pattern and lastmod, each page then read with the target's `detail` selectors.
 */
import type { SitemapSpec, Target } from '../../core/types.js';
import { resolveLink } from '../extract-html.js';
import type { PageRequest } from '../page-request.js';
import { ExtractionError } from '../stats.js';
import { detailOutcome } from './detail.js';
import { createXmlParser } from './feed.js';
import { startRequest, validatorsFor, validatorsOf, type KindReader, type PageOutcome } from './reader.js';

const sitemapParser = createXmlParser(['sitemap', 'url']);

export interface SitemapEntry {
  url: string;
  lastmod?: string;
}

/** The child sitemaps (of an index) and page URLs (of a urlset) in a sitemap document. */
export function parseSitemap(body: string, url: string): { sitemaps: SitemapEntry[]; pages: SitemapEntry[] } {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('<')) {
    // The sitemaps protocol also allows a plain list of URLs, one per line.
    const pages = trimmed
      .split(/\r?\n/)
      .map((l) => resolveLink(l.trim(), url))
      .filter((u): u is string => Boolean(u))
      .map((u) => ({ url: u }));
    return { sitemaps: [], pages };
  }
  let doc: Record<string, unknown>;
  try {
    doc = sitemapParser.parse(trimmed) as Record<string, unknown>;
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new ExtractionError(url, { en: `${url}: not a readable sitemap (${why})`, zh: `${url}：无法读取的站点地图（${why}）` });
  }
  const entries = (list: unknown): SitemapEntry[] =>
    ((list as Array<Record<string, unknown>> | undefined) ?? []).flatMap((e) => {
      const loc = resolveLink(typeof e.loc === 'string' ? e.loc : undefined, url);
      if (!loc) return [];
      const lastmod = typeof e.lastmod === 'string' ? e.lastmod : undefined;
      return [{ url: loc, ...(lastmod ? { lastmod } : {}) }];
    });
  const index = doc.sitemapindex as Record<string, unknown> | undefined;
  const urlset = doc.urlset as Record<string, unknown> | undefined;
  if (!index && !urlset) throw new ExtractionError(url, { en: `${url}: not a sitemap (no <urlset> or <sitemapindex>)`, zh: `${url}：不是站点地图（没有 <urlset> 或 <sitemapindex>）` });
  return { sitemaps: entries(index?.sitemap), pages: entries(urlset?.url) };
}

/** The instant before which lastmod is too old: `30d` / `12h` / `2w` before `nowMs`, or an ISO date. */
export function lastmodCutoff(spec: SitemapSpec | undefined, nowMs: number): number | undefined {
  const v = spec?.lastmodAfter;
  if (!v) return undefined;
  const m = /^(\d+)([hdw])$/.exec(v);
  if (m) return nowMs - Number(m[1]) * { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as 'h' | 'd' | 'w'];
  const at = Date.parse(v);
  return Number.isFinite(at) ? at : undefined;
}

/** Whether a sitemap page entry passes the target's include / exclude / lastmod filters. */
export function wantedPage(entry: SitemapEntry, spec: SitemapSpec | undefined, cutoffMs: number | undefined): boolean {
  if (spec?.include?.length && !spec.include.some((p) => new RegExp(p).test(entry.url))) return false;
  if (spec?.exclude?.some((p) => new RegExp(p).test(entry.url))) return false;
  if (cutoffMs !== undefined && entry.lastmod) {
    const at = Date.parse(entry.lastmod);
    if (Number.isFinite(at) && at < cutoffMs) return false;
  }
  return true;
}

/** The sitemap reader. */
export function sitemapReader(): KindReader {
  return {
    start: (target) => [startRequest(target.url, 'sitemap')],
    async read(io, req): Promise<PageOutcome> {
      const { target } = io;
      if (req.role !== 'sitemap') {
        const res = await io.fetch(req.url);
        return detailOutcome(target, req, res.body, res.url, res.status, io.nowMs);
      }
      const validators = validatorsFor(io, req);
      const res = await io.fetch(req.url, {
        accept: 'application/xml, text/xml;q=0.9, text/plain;q=0.5, */*;q=0.3',
        gunzipFiles: true,
        ...(validators ? { validators } : {}),
      });
      const fresh = validatorsOf(res.headers);
      if (res.notModified) return { url: res.url, status: res.status, notModified: true, items: [], next: [], discovered: [] };
      const { sitemaps, pages } = parseSitemap(res.body, res.url);
      const cutoff = lastmodCutoff(target.sitemap, io.nowMs);
      const discovered: PageRequest[] = [
        ...sitemaps.map((s) => ({ url: s.url, role: 'sitemap' as const, depth: req.depth, pageNo: 1, chain: `sitemap:${s.url}` })),
        ...pages
          .filter((p) => wantedPage(p, target.sitemap, cutoff))
          .map((p) => ({
            url: p.url,
            role: 'detail' as const,
            depth: 1,
            pageNo: 1,
            chain: `page:${p.url}`,
            ...(p.lastmod ? { lastmod: p.lastmod } : {}),
          })),
      ];
      return { url: res.url, status: res.status, notModified: false, items: [], next: [], discovered, ...(fresh ? { validators: fresh } : {}) };
    },
  };
}

/** Whether `target` reads pages found in sitemaps (their count is what the page cap limits). */
export function isSitemapTarget(target: Target): boolean {
  return target.kind === 'sitemap';
}
