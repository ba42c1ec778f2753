/**
 * One spelling per post URL, so the same post reached through a share link, a tracking link or
 * a differently ordered query string gets the same id.
 */
import { InputError } from '../core/errors.js';

/** Query parameters that track the visitor, not select content. */
const TRACKING_PARAMS = new Set(['spm', 'from', 'fbclid', 'gclid', 'yclid', 'mc_cid', 'mc_eid']);

function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING_PARAMS.has(n);
}

/**
 * Canonical form of an http(s) URL: lower-case scheme and host, no default port, no
 * credentials, no fragment, no `utm_*` / `spm` / `from` / click-id parameters, remaining query
 * parameters sorted by name (stable for repeated names), empty `?` removed. The path is kept
 * as is (case matters on most servers). Throws `InputError` for a non-URL.
 *
 * @example canonicalUrl('HTTP://Bbs.Example.CN:80/t/1?b=2&utm_source=x&a=1#reply') // 'http://bbs.example.cn/t/1?a=1&b=2'
 */
export function canonicalUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError({ en: `not a valid absolute URL: "${url}"`, zh: `不是有效的绝对 URL：“${url}”` });
  }
  u.hash = '';
  u.username = '';
  u.password = '';
  // URL already lower-cases the scheme and host and drops the default port.
  const kept = [...u.searchParams].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // Array.prototype.sort is stable
  u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  return u.href;
}
