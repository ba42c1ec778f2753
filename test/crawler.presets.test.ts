/**
 * Presets against fixtures served on 127.0.0.1 that follow each source's documented response
 * format (test/fixtures/crawler/*): the base URL of every preset is the target's own URL, so the
 * same mapping reads the real service and the fixture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../core/types.js';
import { createCrawlContext, crawlTarget, hashAuthor, PRESETS, type CrawlContext, type CrawlSummary } from '../crawlers/index.js';
import { startServer, testConfig, testTarget, type TestServer } from './crawler.server.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/crawler');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const SECRET = 'preset-test-secret';

describe('presets', () => {
  let server: TestServer;
  let ctx: CrawlContext;
  const config = testConfig();

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (name: string, headers: Record<string, string> = {}) =>
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(fixture(name));
      const p = url.pathname;
      const q = url.searchParams;
      if (p === '/robots.txt') return void res.writeHead(404).end();
      if (p === '/api/v1/timelines/tag/acme') {
        const base = `${server.origin}/api/v1/timelines/tag/acme`;
        if (!q.get('max_id'))
          return json('mastodon-tag-1.json', {
            link: `<${base}?max_id=113273117012345678>; rel="next", <${base}?min_id=113273117012345680>; rel="prev"`,
          });
        if (q.get('max_id') === '113273117012345678') return json('mastodon-tag-2.json', { link: `<${base}?max_id=113273117012345600>; rel="next"` });
        return res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      }
      if (p === '/api/v2/search') return json(q.get('max_id') ? 'mastodon-search-2.json' : 'mastodon-search-1.json');
      if (p === '/xrpc/app.bsky.feed.searchPosts') return json(q.get('cursor') === '25' ? 'bluesky-search-2.json' : 'bluesky-search-1.json');
      if (p === '/r/acme/new.json') return json(q.get('after') === 't3_1fx002' ? 'reddit-new-2.json' : 'reddit-new-1.json');
      const apple = /^\/cn\/rss\/customerreviews\/(?:page=(\d+)\/)?id=1234567890\/sortBy=mostRecent\/json$/.exec(p);
      if (apple) return json(`appstore-reviews-${apple[1] ?? '1'}.json`);
      if (p === '/t/acme-stock/123')
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixture(q.get('page') === '2' ? 'forum-topic-2.html' : 'forum-topic-1.html'));
      res.writeHead(404).end();
    });
    ctx = createCrawlContext({ config, authorSecret: SECRET, dataDir: false });
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  async function crawl(preset: string, path: string, source: string): Promise<{ posts: Post[]; summary: CrawlSummary }> {
    const posts: Post[] = [];
    // The presets' own request budgets (10 to 60 a minute) would make this test slow; the pacer has its own tests.
    const target = testTarget(config, { id: `acme-${source}`, url: server.origin + path, preset: preset as never, source, selectors: undefined, requestsPerMinute: 60_000 });
    const summary = await crawlTarget(ctx, target, { onPage: (page) => void posts.push(...page.posts) });
    return { posts, summary };
  }
  const pick = (p: Post) => ({
    id: p.id,
    text: p.text,
    publishedAt: p.publishedAt,
    url: p.url,
    engagement: p.engagement,
    ...(p.parentId ? { parentId: p.parentId } : {}),
    ...(p.threadId ? { threadId: p.threadId } : {}),
  });

  it('mastodon: hashtag timeline, HTML content, Link-header paging', async () => {
    const { posts, summary } = await crawl('mastodon', '/api/v1/timelines/tag/acme', 'mastodon');
    expect(server.paths().filter((x) => x.startsWith('/api/v1'))).toEqual([
      '/api/v1/timelines/tag/acme',
      '/api/v1/timelines/tag/acme?max_id=113273117012345678',
      '/api/v1/timelines/tag/acme?max_id=113273117012345600',
    ]);
    expect(summary.stoppedBecause).toBe('empty_page');
    expect(posts.map(pick)).toEqual([
      {
        id: 'mastodon:113273117012345680',
        text: 'Acme 门店排队太久了，官网却说不用排队 #acme',
        publishedAt: '2026-10-03T06:20:00.000Z',
        url: 'https://mastodon.example/@alice/113273117012345680',
        engagement: { likes: 5, replies: 2, shares: 1 },
      },
      {
        id: 'mastodon:113273117012345679',
        text: 'The Acme app finally fixed checkout.\nTook them long enough.',
        publishedAt: '2026-10-03T05:00:00.000Z',
        url: 'https://mastodon.example/users/bob/statuses/113273117012345679', // no `url`: the `uri` stands in
        engagement: { likes: 2, replies: 0, shares: 0 },
      },
      {
        id: 'mastodon:113273117012345678',
        text: '回复：客服说会回电',
        publishedAt: '2026-10-03T04:00:00.000Z',
        url: 'https://mastodon.example/@alice/113273117012345678',
        engagement: { likes: 0, replies: 0, shares: 0 },
        parentId: 'mastodon:113273117012345600',
      },
      {
        id: 'mastodon:113273117012345600',
        text: '吐槽\nAcme 客服电话一直打不通，邮箱 [邮箱] 也不回',
        publishedAt: '2026-10-02T10:00:00.000Z',
        url: 'https://mastodon.example/@carol/113273117012345600',
        engagement: { likes: 0, replies: 1, shares: 0 },
      },
    ]);
    expect(posts[1]!.authorHash).toBe(hashAuthor(SECRET, 'mastodon', 'bob@social.example'));
  });

  it('mastodon-search: statuses of /api/v2/search, paged by max_id', async () => {
    const before = server.paths().length;
    const { posts } = await crawl('mastodon-search', '/api/v2/search?type=statuses&q=acme', 'mastodon');
    expect(server.paths().slice(before)).toEqual([
      '/api/v2/search?type=statuses&q=acme',
      '/api/v2/search?type=statuses&q=acme&max_id=113273117012345679',
    ]);
    expect(posts.map((p) => p.id)).toEqual(['mastodon:113273117012345680', 'mastodon:113273117012345679']);
  });

  it('bluesky: searchPosts with its cursor, replies pointing at their parent', async () => {
    const { posts, summary } = await crawl('bluesky', '/xrpc/app.bsky.feed.searchPosts?q=acme&sort=latest', 'bluesky');
    expect(summary.stoppedBecause).toBe('no_next');
    expect(server.paths().filter((x) => x.startsWith('/xrpc'))).toEqual([
      '/xrpc/app.bsky.feed.searchPosts?q=acme&sort=latest',
      '/xrpc/app.bsky.feed.searchPosts?q=acme&sort=latest&cursor=25',
    ]);
    expect(posts.map(pick)).toEqual([
      {
        id: 'bluesky:at://did:plc:alice111/app.bsky.feed.post/3l6aaa',
        text: 'Acme 的 APP 下单总是失败，客服让我去门店',
        publishedAt: '2026-10-03T06:20:00.000Z',
        url: 'https://bsky.app/profile/alice.bsky.social/post/3l6aaa',
        engagement: { likes: 3, replies: 1, shares: 2 },
      },
      {
        id: 'bluesky:at://did:plc:bob22222/app.bsky.feed.post/3l6bbb',
        text: 'Acme delivery was fast this time',
        publishedAt: '2026-10-03T05:00:00.000Z',
        url: 'https://bsky.app/profile/bob.example.com/post/3l6bbb',
        engagement: { likes: 1, replies: 0, shares: 0 },
      },
      {
        id: 'bluesky:at://did:plc:carol333/app.bsky.feed.post/3l6ccc',
        text: '同感，门店也说没货',
        publishedAt: '2026-10-03T07:00:00.000Z',
        url: 'https://bsky.app/profile/carol.bsky.social/post/3l6ccc',
        engagement: { likes: 0, replies: 0, shares: 0 },
        parentId: 'bluesky:at://did:plc:alice111/app.bsky.feed.post/3l6aaa',
        threadId: 'bluesky:at://did:plc:alice111/app.bsky.feed.post/3l6aaa',
      },
    ]);
    // Authors are keyed by their DID (handles change), and only ever stored as an HMAC.
    expect(posts[0]!.authorHash).toBe(hashAuthor(SECRET, 'bluesky', 'did:plc:alice111'));
  });

  it('reddit: a .json listing paged by `after`, title and body joined', async () => {
    const { posts } = await crawl('reddit', '/r/acme/new.json?limit=100&raw_json=1', 'reddit');
    expect(server.paths().filter((x) => x.startsWith('/r/'))).toEqual([
      '/r/acme/new.json?limit=100&raw_json=1',
      '/r/acme/new.json?limit=100&raw_json=1&after=t3_1fx002',
    ]);
    const listing = JSON.parse(fixture('reddit-new-1.json')) as { data: { children: Array<{ data: { permalink: string } }> } };
    expect(posts.map(pick)).toEqual([
      {
        id: 'reddit:t3_1fx001',
        text: 'Store said no stock, website said in stock\nThen support told me to call the store. Call me at 415-555-0100? No thanks.',
        publishedAt: '2026-10-03T08:20:00.000Z',
        url: `${server.origin}${listing.data.children[0]!.data.permalink}`,
        engagement: { likes: 12, replies: 3 },
      },
      {
        id: 'reddit:t3_1fx002',
        text: 'Checkout broken in the app',
        publishedAt: '2026-10-03T07:20:00.000Z',
        url: `${server.origin}${listing.data.children[1]!.data.permalink}`,
        engagement: { likes: 4, replies: 0 },
      },
      {
        id: 'reddit:t3_1fw999',
        text: 'Delivery was quick\nTwo days, well packed.',
        publishedAt: '2026-10-02T05:46:40.000Z',
        url: expect.stringMatching(/\/r\/acme\/comments\/1fw999\//),
        engagement: { likes: 7, replies: 1 },
      },
    ]);
    expect(PRESETS.reddit.requestsPerMinute).toBe(10);
  });

  it('appstore: the customer-review JSON feed, page=N until a page without entries', async () => {
    const { posts, summary } = await crawl('appstore', '/cn/rss/customerreviews/id=1234567890/sortBy=mostRecent/json', 'appstore');
    expect(server.paths().filter((x) => x.startsWith('/cn/'))).toEqual([
      '/cn/rss/customerreviews/id=1234567890/sortBy=mostRecent/json',
      '/cn/rss/customerreviews/page=2/id=1234567890/sortBy=mostRecent/json',
      '/cn/rss/customerreviews/page=3/id=1234567890/sortBy=mostRecent/json',
    ]);
    expect(summary.stoppedBecause).toBe('empty_page');
    expect(posts.map((p) => [p.id, p.text, p.publishedAt, p.engagement])).toEqual([
      ['appstore:11000000001', '更新后闪退\n5.2 版本一打开就闪退，客服让我重装也没用', '2026-10-03T02:30:00.000Z', { rating: 1, likes: 3 }],
      ['appstore:11000000002', '很方便\n门店自提很快，APP 操作简单', '2026-10-01T15:00:00.000Z', { rating: 5, likes: 0 }],
      ['appstore:11000000003', '一般\n物流有点慢', '2026-09-30T15:00:00.000Z', { rating: 3, likes: 0 }],
    ]);
  });

  it('forum: schema.org microdata posts, ids scoped to the topic page, rel=next paging', async () => {
    const { posts, summary } = await crawl('forum', '/t/acme-stock/123', 'acme-community');
    expect(summary.stoppedBecause).toBe('no_next');
    const topic = `${server.origin}/t/acme-stock/123`;
    expect(posts.map((p) => [p.id, p.text, p.publishedAt, p.engagement])).toEqual([
      [`acme-community:${topic}#post_1`, '官网说有货，门店说没货。\n客服让我自己去问门店。', '2026-10-03T06:20:00.000Z', { likes: 7, replies: 2 }],
      [`acme-community:${topic}#post_2`, '我也遇到过，最后在 APP 上买的。', '2026-10-03T07:00:00.000Z', { likes: 2 }],
      [`acme-community:${topic}?page=2#post_3`, '抱歉给您带来不便，请私信订单号，电话 400-800-1234。', '2026-10-04T01:00:00.000Z', {}],
    ]);
    expect(posts[0]!.authorHash).toBe(hashAuthor(SECRET, 'acme-community', 'xiaowang'));
  });

  it('builds the documented public URL of each source, overridable by base', () => {
    expect(PRESETS.mastodon.url({ hashtag: '#acme' })).toBe('https://mastodon.social/api/v1/timelines/tag/acme?limit=40');
    expect(PRESETS.bluesky.url({ query: '门店', base: server.origin })).toBe(
      `${server.origin}/xrpc/app.bsky.feed.searchPosts?sort=latest&limit=100&q=%E9%97%A8%E5%BA%97`,
    );
    expect(PRESETS.reddit.url({ subreddit: 'r/acme' })).toBe('https://www.reddit.com/r/acme/new.json?limit=100&raw_json=1');
    expect(PRESETS.reddit.url({ query: 'acme store' })).toBe('https://www.reddit.com/search.json?sort=new&limit=100&raw_json=1&q=acme%20store');
    expect(PRESETS.appstore.url({ app: 'id1234567890', country: 'US' })).toBe(
      'https://itunes.apple.com/us/rss/customerreviews/id=1234567890/sortBy=mostRecent/json',
    );
    expect(() => PRESETS.mastodon.url({})).toThrow('preset mastodon: --hashtag is required');
  });
});
