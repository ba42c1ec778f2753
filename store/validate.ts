/**
 * Input checks shared by every Store implementation, so that the embedded store and MongoDB
 * accept and refuse exactly the same things. Instants are compared as strings in both stores,
 * which is only correct when every stored instant has one spelling: `toIsoUtc` gives it.
 */
import { InputError, inBoth, type ErrorText } from '../core/errors.js';
import type { Classification, Post } from '../core/types.js';
import type { PostQuery } from './store.js';

// ISO-8601 with an explicit zone (Z or ±hh:mm), or a bare date (read as UTC midnight, like Date.parse).
// Free-form strings ("Oct 3 2026") are refused because Date.parse reads them in the machine's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** `value` when it is a non-empty string (an id, a user name); otherwise an InputError naming `field`. */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new InputError({ en: `${field}: expected a non-empty string id`, zh: `${field}：应为非空字符串 ID` });
  return value;
}

/** `value` as `YYYY-MM-DDTHH:mm:ss.sssZ`; throws an InputError naming `field` when it is not an ISO-8601 instant. */
export function toIsoUtc(value: unknown, field: ErrorText): string {
  // Posts from voc's own crawlers are already canonical; every stored post passes here.
  if (typeof value === 'string' && isCanonicalIsoUtc(value)) return value;
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  const name = inBoth(field);
  throw new InputError({
    en: `${name.en}: expected an ISO-8601 time with a zone, e.g. 2026-10-03T08:15:00.000Z, got ${JSON.stringify(value)}`,
    zh: `${name.zh}：应为带时区的 ISO-8601 时间，例如 2026-10-03T08:15:00.000Z，实际为 ${JSON.stringify(value)}`,
  });
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `s` is already what toIsoUtc returns (`YYYY-MM-DDTHH:mm:ss.sssZ`, a real calendar
 * instant), so that Date.parse and toISOString can be skipped: they are most of the cost of
 * checking a batch of crawled posts.
 */
export function isCanonicalIsoUtc(s: string): boolean {
  if (s.length !== 24 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.' || s[23] !== 'Z') return false;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const ms1 = twoDigits(s, 20);
  const ms2 = s.charCodeAt(22) - 48;
  if (hi < 0 || lo < 0 || ms1 < 0 || ms2 < 0 || ms2 > 9) return false;
  const year = hi * 100 + lo;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * Checks a batch before anything is written (so a bad post leaves the store untouched) and
 * returns copies with `publishedAt` / `collectedAt` / `updatedAt` in canonical UTC form.
 */
export function preparePosts(posts: Post[]): Post[] {
  if (!Array.isArray(posts)) throw new InputError({ en: 'upsertPosts: expected an array of posts', zh: 'upsertPosts：应为帖子数组' });
  return posts.map((post, i) => {
    const which = typeof post?.id === 'string' ? JSON.stringify(post.id) : `#${i}`;
    const where = `post ${which}`;
    const whereZh = `帖子 ${which}`;
    const at = (field: string): ErrorText => ({ en: `${where}: ${field}`, zh: `${whereZh}：${field}` });
    for (const field of ['id', 'source', 'externalId', 'brand', 'targetId', 'contentHash', 'text'] as const) {
      if (typeof post?.[field] !== 'string')
        throw new InputError({ en: `${where}: ${field} must be a string`, zh: `${whereZh}：${field} 必须是字符串` });
    }
    if (post.id !== `${post.source}:${post.externalId}`) {
      // The id is the unique key; one that disagrees with (source, externalId) would let a post exist twice.
      throw new InputError({
        en: `${where}: id must be "${post.source}:${post.externalId}" (source:externalId)`,
        zh: `${whereZh}：id 必须是 "${post.source}:${post.externalId}"（source:externalId）`,
      });
    }
    const out: Post = {
      ...post,
      publishedAt: toIsoUtc(post.publishedAt, at('publishedAt')),
      collectedAt: toIsoUtc(post.collectedAt, at('collectedAt')),
    };
    if (post.updatedAt !== undefined) out.updatedAt = toIsoUtc(post.updatedAt, at('updatedAt'));
    return out;
  });
}

/** What both stores check before saving classifications: an array, each with its post id, lexicon version and brand. */
export function checkClassifications(items: Classification[]): void {
  if (!Array.isArray(items))
    throw new InputError({ en: 'saveClassifications: expected an array of classifications', zh: 'saveClassifications：应为分类结果数组' });
  for (const c of items) {
    requireId(c?.postId, 'classification.postId');
    if (typeof c.lexiconVersion !== 'string')
      throw new InputError({
        en: `classification of ${c.postId}: lexiconVersion must be a string`,
        zh: `帖子 ${c.postId} 的分类结果：lexiconVersion 必须是字符串`,
      });
    if (typeof c.brand !== 'string')
      throw new InputError({ en: `classification of ${c.postId}: brand must be a string`, zh: `帖子 ${c.postId} 的分类结果：brand 必须是字符串` });
  }
}

/** The query with its bounds in canonical UTC form; throws an InputError for a malformed bound. */
export function normalizeQuery(query: PostQuery = {}): PostQuery {
  const out: PostQuery = {};
  if (query.brand !== undefined) out.brand = query.brand;
  if (query.targetId !== undefined) out.targetId = query.targetId;
  if (query.from !== undefined) out.from = toIsoUtc(query.from, 'query.from');
  if (query.to !== undefined) out.to = toIsoUtc(query.to, 'query.to');
  return out;
}

/** `limit` when it is a positive integer, undefined when absent; an InputError otherwise. */
export function checkLimit(limit: number | undefined, field: string): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1)
    throw new InputError({ en: `${field}: expected a positive whole number, got ${limit}`, zh: `${field}：应为正整数，实际为 ${limit}` });
  return limit;
}

/** Unique ids in first-seen order (callers may pass the same id twice). */
export function uniqueIds(ids: string[]): string[] {
  if (!Array.isArray(ids)) throw new InputError({ en: 'expected an array of ids', zh: '应为 ID 数组' });
  return [...new Set(ids)];
}

/** Reorders `items` to follow `ids`, leaving out ids that matched nothing. */
export function inIdOrder<T>(ids: string[], items: T[], idOf: (item: T) => string): T[] {
  const byId = new Map(items.map((item) => [idOf(item), item]));
  const out: T[] = [];
  for (const id of ids) {
    const item = byId.get(id);
    if (item !== undefined) out.push(item);
  }
  return out;
}
