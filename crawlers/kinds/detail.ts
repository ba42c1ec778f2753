/**
 * A post's own page, shared by the html, browser and sitemap kinds: the post with its full text
 * (completing the listing item it was found through, if any) and its replies, which point at
 * the post as parent and thread.
 */
import type { Target } from '../../core/types.js';
import { contentHash } from '../post-builder.js';
import { extractDetail, type RawItem } from '../extract-html.js';
import type { PageRequest } from '../page-request.js';
import { externalIdFor } from '../post-builder.js';
import type { PageOutcome } from './reader.js';

/**
 * Reads a fetched detail (`role: detail`) or further replies page (`role: replies`).
 *
 * @example const outcome = detailOutcome(target, req, html, finalUrl, 200, Date.now());
 */
export function detailOutcome(
  target: Target,
  req: PageRequest,
  html: string,
  finalUrl: string,
  status: number,
  nowMs: number,
): PageOutcome {
  const detail = target.detail ?? {};
  const spec = req.role === 'replies' ? { ...(detail.replies ? { replies: detail.replies } : {}) } : detail;
  const page = extractDetail(html, finalUrl, spec, target.timeZone, { nowMs });
  const items: RawItem[] = [];
  let threadId = req.threadExternalId;
  if (req.role === 'detail') {
    const main = mergeItem(req.item, page.post, finalUrl);
    threadId ??= externalIdFor(main);
    main.externalId = threadId;
    if (main.text.trim()) items.push(main);
  }
  for (const reply of page.replies) {
    if (!threadId) break; // a replies page always carries its thread id; this is only for the type checker
    reply.parentExternalId = threadId;
    reply.threadExternalId = threadId;
    reply.externalId ??= replyId(reply, threadId, finalUrl);
    items.push(reply);
  }
  const next: PageRequest[] = [];
  if (page.nextUrl && threadId)
    next.push({ url: page.nextUrl, role: 'replies', depth: req.depth + 1, pageNo: req.pageNo + 1, chain: req.chain, threadExternalId: threadId });
  return { url: finalUrl, status, notModified: false, items, next, discovered: [], body: html, emptyMeansBroken: req.role === 'detail' };
}

/** The listing item completed with what its own page says (the page wins: it has the full text). */
function mergeItem(listed: RawItem | undefined, onPage: RawItem | undefined, pageUrl: string): RawItem {
  const merged: RawItem = { ...(listed ?? { text: '' }) };
  if (onPage) {
    for (const [key, value] of Object.entries(onPage) as Array<[keyof RawItem, RawItem[keyof RawItem]]>) {
      if (key === 'externalId' && listed?.externalId) continue; // the id the listing gave stays: the post may already be stored under it
      if (value !== undefined && value !== '') (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  merged.url ??= pageUrl;
  delete merged.detailUrl;
  return merged;
}

/**
 * A reply's id when the page gives none: its anchor on the thread page (`/t/1#post-5` ->
 * `<thread>#post-5`), else its link if it has its own page, else a hash of its text in the thread.
 */
function replyId(reply: RawItem, threadId: string, pageUrl: string): string | undefined {
  if (reply.url) {
    const hash = reply.url.indexOf('#');
    const withoutHash = hash < 0 ? reply.url : reply.url.slice(0, hash);
    if (hash >= 0 && hash < reply.url.length - 1 && sameDocument(withoutHash, pageUrl)) return `${threadId}${reply.url.slice(hash)}`;
    if (!sameDocument(withoutHash, pageUrl)) return undefined; // buildPost uses the canonical link
  }
  return `${threadId}#${contentHash(reply.text).slice(0, 16)}`;
}

function sameDocument(a: string, b: string): boolean {
  const strip = (u: string) => u.replace(/#.*$/, '');
  return strip(a) === strip(b);
}
