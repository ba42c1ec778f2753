/**
 * Presets: public sources that need no login, each a small mapping on top of a target kind.
 * The target keeps its own URL (so a preset works against any instance, and tests point it at
 * 127.0.0.1); the preset fills in the mapping the target leaves out. Each mapping follows the
 * source's documented response format:
 *
 *   mastodon         GET /api/v1/timelines/tag/:hashtag       Status[]; paged by the Link header; since_id
 *   mastodon-search  GET /api/v2/search?q=..&type=statuses    { statuses: Status[] }; paged by max_id
 *   bluesky          GET /xrpc/app.bsky.feed.searchPosts?q=.. { posts: PostView[], cursor }
 *   reddit           GET /r/:sub/new.json, /search.json?q=..  Listing { data: { children, after } }
 *   appstore         GET /:cc/rss/customerreviews/id=:id/sortBy=mostRecent/json   { feed: { entry } }, page=N
 *   forum            any forum page with schema.org DiscussionForumPosting / Comment microdata
 *                    (Discourse, phpBB 3.3, XenForo, many CMS comment threads), rel="next" paging
 *
 * None of them logs in, solves a captcha or gets past a paywall: they read what the source
 * serves to anyone, and robots.txt still has the last word.
 */
import { InputError } from '../core/errors.js';
import type { JsonMapping, PresetName, SelectorSpec, Target, TargetKind } from '../core/types.js';
import { canonicalUrl } from './canonical-url.js';
import type { RawItem } from './extract-html.js';
import { browserReader } from './kinds/browser.js';
import { feedReader } from './kinds/feed.js';
import { htmlReader, type HtmlReaderHooks } from './kinds/html.js';
import { jsonReader, type JsonReaderHooks } from './kinds/json.js';
import type { KindReader } from './kinds/reader.js';
import { sitemapReader } from './kinds/sitemap.js';

export interface Preset {
  name: PresetName;
  kind: TargetKind;
  /** One line for `voc targets add --help`. */
  description: string;
  /** Parameters of `url()`, for the CLI. */
  params: string[];
  /** The source's URL for the given parameters (`base` overrides the public host). */
  url(params: Record<string, string | undefined>): string;
  json?: JsonMapping;
  selectors?: SelectorSpec;
  jsonHooks?: JsonReaderHooks;
  htmlHooks?: HtmlReaderHooks;
  /** A default request budget that stays well inside the API's published limits. */
  requestsPerMinute?: number;
}

function need(params: Record<string, string | undefined>, name: string, preset: string): string {
  const v = params[name]?.trim();
  if (!v) throw new InputError({ en: `preset ${preset}: --${name} is required`, zh: `预设 ${preset}：必须提供 --${name}` });
  return v;
}

function base(params: Record<string, string | undefined>, fallback: string): string {
  return (params.base?.trim() || fallback).replace(/\/+$/, '');
}

/** Mastodon's Status entity (shared by the timeline and search presets). */
const MASTODON_STATUS: Omit<JsonMapping, 'items'> = {
  id: 'id',
  text: ['spoiler_text', 'content'],
  textIsHtml: true,
  author: 'account.acct',
  time: 'created_at',
  url: 'url || uri',
  likes: 'favourites_count',
  replies: 'replies_count',
  shares: 'reblogs_count',
  parentId: 'in_reply_to_id',
};

/** App Store review feeds page as `.../customerreviews/page=N/id=...`, up to page 10. */
const APPSTORE_MAX_PAGE = 10;
function appStoreNextUrl(url: string, items: RawItem[]): string | null {
  if (items.length === 0) return null;
  const m = /\/page=(\d+)/i.exec(url);
  const page = m ? Number(m[1]) : 1;
  if (page >= APPSTORE_MAX_PAGE) return null;
  if (m) return url.replace(/\/page=\d+/i, `/page=${page + 1}`);
  return url.replace(/\/customerreviews\//i, (s) => `${s}page=${page + 1}/`);
}

/**
 * Forum microdata gives each post its element id (`post_12`) but no permalink: the id is scoped
 * to the topic page, which makes it unique on the source.
 */
function scopeForumIds(items: RawItem[], pageUrl: string): void {
  let page: string;
  try {
    page = canonicalUrl(pageUrl);
  } catch {
    return;
  }
  for (const item of items) {
    if (item.externalId && !/^https?:/i.test(item.externalId)) {
      const anchor = `${page}#${item.externalId}`;
      item.externalId = anchor;
      item.url ??= anchor;
    }
  }
}

export const PRESETS: Record<PresetName, Preset> = {
  mastodon: {
    name: 'mastodon',
    kind: 'json',
    description: 'Mastodon public hashtag timeline (any instance)',
    params: ['hashtag', 'base'],
    url: (p) => `${base(p, 'https://mastodon.social')}/api/v1/timelines/tag/${encodeURIComponent(need(p, 'hashtag', 'mastodon').replace(/^#/, ''))}?limit=40`,
    json: { items: '', ...MASTODON_STATUS, nextFromLinkHeader: true, sinceIdParam: 'since_id' },
    requestsPerMinute: 60, // the API allows 300 per 5 minutes per IP
  },
  'mastodon-search': {
    name: 'mastodon-search',
    kind: 'json',
    description: 'Mastodon statuses search (what the instance lets anonymous visitors search)',
    params: ['query', 'base'],
    url: (p) => `${base(p, 'https://mastodon.social')}/api/v2/search?type=statuses&limit=40&q=${encodeURIComponent(need(p, 'query', 'mastodon-search'))}`,
    json: { items: 'statuses', ...MASTODON_STATUS, lastIdParam: 'max_id' },
    requestsPerMinute: 60,
  },
  bluesky: {
    name: 'bluesky',
    kind: 'json',
    description: 'Bluesky public post search (app.bsky.feed.searchPosts on the public AppView)',
    params: ['query', 'base'],
    url: (p) =>
      `${base(p, 'https://public.api.bsky.app')}/xrpc/app.bsky.feed.searchPosts?sort=latest&limit=100&q=${encodeURIComponent(need(p, 'query', 'bluesky'))}`,
    json: {
      items: 'posts',
      id: 'uri',
      text: 'record.text',
      author: 'author.did',
      time: 'record.createdAt',
      url: 'https://bsky.app/profile/{author.handle}/post/{uri|last}',
      likes: 'likeCount',
      replies: 'replyCount',
      shares: 'repostCount',
      parentId: 'record.reply.parent.uri',
      threadId: 'record.reply.root.uri',
      cursorPath: 'cursor',
      cursorParam: 'cursor',
    },
    requestsPerMinute: 60,
  },
  reddit: {
    name: 'reddit',
    kind: 'json',
    description: 'Reddit public .json listing (new posts of a subreddit) or search',
    params: ['subreddit', 'query', 'base'],
    url: (p) => {
      const root = base(p, 'https://www.reddit.com');
      const sub = p.subreddit?.trim().replace(/^\/?r\//, '');
      if (p.query?.trim())
        return `${root}${sub ? `/r/${encodeURIComponent(sub)}` : ''}/search.json?sort=new&limit=100&raw_json=1${sub ? '&restrict_sr=1' : ''}&q=${encodeURIComponent(p.query.trim())}`;
      return `${root}/r/${encodeURIComponent(need({ subreddit: sub }, 'subreddit', 'reddit'))}/new.json?limit=100&raw_json=1`;
    },
    json: {
      items: 'data.children',
      require: 'data.id',
      id: 'data.name',
      text: ['data.title', 'data.selftext || data.body'],
      author: 'data.author',
      time: 'data.created_utc',
      timeFormat: 'unix',
      url: '{data.permalink}',
      likes: 'data.score',
      replies: 'data.num_comments',
      parentId: 'data.parent_id',
      threadId: 'data.link_id',
      cursorPath: 'data.after',
      cursorParam: 'after',
    },
    requestsPerMinute: 10, // unauthenticated clients get about 10 requests per minute
  },
  appstore: {
    name: 'appstore',
    kind: 'json',
    description: 'Apple App Store customer reviews (the public RSS JSON feed, most recent first)',
    params: ['app', 'country', 'base'],
    url: (p) =>
      `${base(p, 'https://itunes.apple.com')}/${encodeURIComponent((p.country?.trim() || 'cn').toLowerCase())}/rss/customerreviews/id=${encodeURIComponent(need(p, 'app', 'appstore').replace(/^id/, ''))}/sortBy=mostRecent/json`,
    json: {
      items: 'feed.entry',
      require: 'im:rating',
      id: 'id.label',
      text: ['title.label', 'content.label'],
      author: 'author.name.label',
      time: 'updated.label',
      url: 'link.attributes.href',
      rating: 'im:rating.label',
      likes: 'im:voteSum.label',
    },
    jsonHooks: { nextUrl: (req, _doc, items) => appStoreNextUrl(req.url, items) },
    requestsPerMinute: 20,
  },
  forum: {
    name: 'forum',
    kind: 'html',
    description: 'a forum or comment thread marked up with schema.org DiscussionForumPosting / Comment microdata',
    params: ['url'],
    url: (p) => need(p, 'url', 'forum'),
    selectors: {
      item: '[itemtype$="schema.org/DiscussionForumPosting"], [itemtype$="schema.org/Comment"], [itemtype$="schema.org/Answer"]',
      text: '[itemprop="text"], [itemprop="articleBody"]',
      id: '@id',
      author: '[itemprop="author"] [itemprop="name"], [itemprop="author"]',
      time: '[itemprop="datePublished"]',
      likes: '[itemprop="upvoteCount"], [itemprop="interactionStatistic"] [itemprop="userInteractionCount"]',
      replies: '[itemprop="commentCount"]',
      nextPage: 'link[rel="next"], a[rel="next"]',
    },
    htmlHooks: { finishItems: scopeForumIds },
  },
};

/**
 * The target with its preset's mapping filled in (the target's own fields win, field by field).
 *
 * @example effectiveTarget({ ...target, preset: 'reddit' }).json.items // 'data.children'
 */
export function effectiveTarget(target: Target): Target {
  if (!target.preset) return target;
  const preset = PRESETS[target.preset];
  if (!preset) {
    throw new InputError({
      en: `target ${target.id}: preset: unknown preset "${target.preset}"; expected one of ${Object.keys(PRESETS).join(', ')}`,
      zh: `抓取目标 ${target.id}：preset：未知的预设“${target.preset}”；应为以下之一：${Object.keys(PRESETS).join('、')}`,
    });
  }
  const out: Target = { ...target };
  if (preset.json) out.json = { ...preset.json, ...(target.json ?? {}) } as JsonMapping;
  if (preset.selectors) out.selectors = { ...preset.selectors, ...(target.selectors ?? {}) } as SelectorSpec;
  if (preset.requestsPerMinute && target.requestsPerMinute === undefined) out.requestsPerMinute = preset.requestsPerMinute;
  return out;
}

/** The reader of a target's kind, with its preset's hooks. */
export function readerFor(target: Target): KindReader {
  const preset = target.preset ? PRESETS[target.preset] : undefined;
  switch (target.kind) {
    case 'html':
      return htmlReader(undefined, preset?.htmlHooks);
    case 'browser':
      return browserReader(preset?.htmlHooks);
    case 'feed':
      return feedReader();
    case 'json':
      return jsonReader(preset?.jsonHooks);
    case 'sitemap':
      return sitemapReader();
    default:
      throw new InputError({
        en: `target ${(target as Target).id}: kind: unknown kind "${(target as Target).kind}"`,
        zh: `抓取目标 ${(target as Target).id}：kind：未知的类型“${(target as Target).kind}”`,
      });
  }
}
