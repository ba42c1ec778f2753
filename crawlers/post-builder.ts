/**
 * RawItem (what the page said) -> Post (what voc stores): stable id, redacted text, salted
 * author hash, content hash for edit detection, language guess, engagement.
 */
import { createHmac, hash as oneShotHash } from 'node:crypto';
import type { Engagement, Lang, Post, Target } from '../core/types.js';
import { canonicalUrl } from './canonical-url.js';
import type { RawItem } from './extract-html.js';
import { redactPersonalData } from './redact.js';
import { simhash } from './simhash.js';

export interface PostContext {
  target: Target;
  /** URL of the listing page the item was on (fallback post URL). */
  pageUrl: string;
  /** ISO UTC instant of the crawl. */
  collectedAt: string;
  /** Key of the author HMAC; per installation, never stored with the data. */
  authorSecret: string;
}

// The one-shot form: no Hash object per post.
const sha256 = (s: string) => oneShotHash('sha256', s, 'hex');

/** Text as stored: NFC, whitespace runs collapsed to one space per line, one newline between lines. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** sha256 hex of the text with ALL whitespace collapsed, so re-wrapping a post is not an edit. */
export function contentHash(text: string): string {
  return sha256(text.normalize('NFC').replace(/\s+/g, ' ').trim());
}

/**
 * contentHash of a stored text (normaliseText's form: trimmed lines of single spaces, one newline
 * between lines, redaction adds no whitespace). Its only whitespace runs are single newlines, so
 * turning them into spaces collapses it as `contentHash` would, without a regex over every post.
 */
function hashStoredText(text: string): string {
  return sha256(text.includes('\n') ? text.replaceAll('\n', ' ') : text);
}

/**
 * Keyed hash of an author handle: HMAC-SHA256(secret, `${source}:${author}`) hex. Keyed so that
 * nobody can hash a list of known handles and re-identify authors; per source so the same handle
 * on two sites (often two different people) is not linked.
 */
export function hashAuthor(secret: string, source: string, author: string): string {
  const key = `${source}:${author}`;
  let bySecret = authorHashes.get(secret);
  if (!bySecret) authorHashes.set(secret, (bySecret = new Map()));
  let hash = bySecret.get(key);
  if (hash === undefined) {
    hash = createHmac('sha256', secret).update(key, 'utf8').digest('hex');
    // Authors post again and again; a bounded memo saves an HMAC per post. Cleared when full.
    if (bySecret.size >= 20_000) bySecret.clear();
    bySecret.set(key, hash);
  }
  return hash;
}

const authorHashes = new Map<string, Map<string, string>>();

/**
 * Language by dominant script: each Han character counts one, each Latin word counts one (a
 * Chinese character carries about as much as an English word, so `iPhone 15 的电池很差` is zh).
 * Kana, Hangul and words of other scripts count for `other`. Ties and texts without letters are
 * `other`. One pass over the code points (this runs for every post, regexes were a hot spot).
 */
export function detectLang(text: string): Lang {
  let han = 0;
  let latinWords = 0;
  let other = 0;
  let inLatin = false;
  let inOther = false;
  // By index, not `for...of`: iterating a string makes a string per character.
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    // Fast paths for the bulk of every post: ASCII and the main Han block.
    if (c < 0x80) {
      const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
      if (letter && !inLatin) latinWords++;
      inLatin = letter;
      inOther = false;
      continue;
    }
    if (c >= 0x4e00 && c <= 0x9fff) {
      han++;
      inLatin = false;
      inOther = false;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      c = text.codePointAt(i)!;
      if (c > 0xffff) i++; // the low surrogate of this code point
    }
    const script = scriptOf(c);
    if (script === 'latin') {
      if (!inLatin) latinWords++;
    } else if (script === 'han') {
      han++;
    } else if (script === 'kana_hangul') {
      other++;
    } else if (script === 'other_letter' && !inOther) {
      other++;
    }
    inLatin = script === 'latin';
    inOther = script === 'other_letter';
  }
  if (han > latinWords && han > other) return 'zh';
  if (latinWords > han && latinWords > other) return 'en';
  return 'other';
}

const OTHER_LETTER = /\p{L}/u;

function scriptOf(c: number): 'han' | 'latin' | 'kana_hangul' | 'other_letter' | 'none' {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 'latin' : 'none';
  if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff)) return 'latin';
  if ((c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return 'latin'; // full-width A-Z a-z
  if (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x3134f) ||
    c === 0x3007
  )
    return 'han';
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f))
    return 'kana_hangul';
  if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x2000 && c <= 0x2bff)) return 'none'; // CJK/fullwidth punctuation, symbols
  return OTHER_LETTER.test(String.fromCodePoint(c)) ? 'other_letter' : 'none';
}

function safeCanonical(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return canonicalUrl(url);
  } catch {
    return undefined;
  }
}

/**
 * The external id `buildPost` gives `raw`: its own id, else its canonical link, else the hash of
 * its stored text. Used to know a post's id before it is built (replies point at it).
 */
export function externalIdFor(raw: RawItem): string {
  const own = raw.externalId?.trim();
  if (own) return own;
  const link = safeCanonical(raw.url);
  if (link) return link;
  return contentHash(redactPersonalData(normaliseText(raw.text ?? '')));
}

/**
 * Builds the stored post from a raw item; null when there is no text left.
 *
 * @example
 * const post = buildPost({ text: '客服电话 13812345678 打不通', author: '小王' },
 *   { target, pageUrl: 'https://bbs.example.cn/f/1', collectedAt: new Date().toISOString(), authorSecret });
 * // post.text === '客服电话 [电话] 打不通'
 */
export function buildPost(raw: RawItem, ctx: PostContext): Post | null {
  // Text from the streaming extractor is already split, trimmed and collapsed; only NFC is left.
  const plain = raw.normalised ? (raw.text ?? '').normalize('NFC') : normaliseText(raw.text ?? '');
  const text = redactPersonalData(plain);
  if (!text) return null;
  const { target } = ctx;
  const link = safeCanonical(raw.url);
  const hash = hashStoredText(text);
  const externalId = raw.externalId?.trim() || link || hash;
  const author = raw.author?.trim();

  const engagement: Engagement = {};
  if (raw.rating !== undefined && Number.isFinite(raw.rating)) engagement.rating = raw.rating;
  if (raw.likes !== undefined && Number.isFinite(raw.likes)) engagement.likes = raw.likes;
  if (raw.replies !== undefined && Number.isFinite(raw.replies)) engagement.replies = raw.replies;
  if (raw.shares !== undefined && Number.isFinite(raw.shares)) engagement.shares = raw.shares;

  const post: Post = {
    id: `${target.source}:${externalId}`,
    source: target.source,
    externalId,
    url: link ?? safeCanonical(ctx.pageUrl) ?? ctx.pageUrl,
    text,
    lang: detectLang(plain), // before redaction: the `[电话]` placeholders are not the author's words
    publishedAt: raw.publishedAt ?? ctx.collectedAt,
    collectedAt: ctx.collectedAt,
    engagement,
    contentHash: hash,
    targetId: target.id,
    brand: target.brand,
  };
  if (author) post.authorHash = hashAuthor(ctx.authorSecret, target.source, author);
  if (raw.parentExternalId) post.parentId = `${target.source}:${raw.parentExternalId}`;
  if (raw.threadExternalId) post.threadId = `${target.source}:${raw.threadExternalId}`;
  const fingerprint = simhash(text);
  if (fingerprint) post.simhash = fingerprint;
  return post;
}
