/**
 * Targets of every kind through the API, as the editor sends them: presets listed in /api/meta
 * with the parameters each needs, a preset target whose URL the server builds from its
 * parameters (`presetParams`, as `voc targets add --preset`), the missing parameter named, and
 * previews of a feed and of a hand-mapped JSON endpoint on a real loopback site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_PAGES, startForum, type Forum } from './console.site.js';

let fx: ConsoleFixture;
let forum: Forum;
const PAGE1_TEXTS = FORUM_PAGES[0]!.map((p) => p.text);

beforeAll(async () => {
  forum = await startForum();
  fx = await startConsole();
});

afterAll(async () => {
  await fx?.close();
  await forum?.close();
});

const analyst = (method: string, path: string, body?: unknown, lang = 'en') => api(fx.base, fx.tokens.analyst, method, path, body, { 'accept-language': lang });

describe('presets and kinds in the API', () => {
  it('lists every kind and preset with its parameters', async () => {
    const meta = (await (await analyst('GET', '/api/meta')).json()) as { targetKinds: string[]; presets: unknown[] };
    expect(meta.targetKinds).toEqual(['html', 'browser', 'feed', 'json', 'sitemap']);
    expect(meta.presets).toEqual([
      { name: 'mastodon', kind: 'json', params: ['hashtag', 'base'] },
      { name: 'mastodon-search', kind: 'json', params: ['query', 'base'] },
      { name: 'bluesky', kind: 'json', params: ['query', 'base'] },
      { name: 'reddit', kind: 'json', params: ['subreddit', 'query', 'base'] },
      { name: 'appstore', kind: 'json', params: ['app', 'country', 'base'] },
      { name: 'forum', kind: 'html', params: [] },
    ]);
  });

  it('builds a preset target URL from its parameters, and names a missing one', async () => {
    const res = await analyst('POST', '/api/targets', { id: 'acme-mastodon', brand: 'acme', preset: 'mastodon', presetParams: { hashtag: '#acme', base: forum.origin } });
    expect(res.status).toBe(201);
    const { target } = (await res.json()) as { target: { url: string; kind: string; preset: string } };
    expect(target).toMatchObject({ url: `${forum.origin}/api/v1/timelines/tag/acme?limit=40`, kind: 'json', preset: 'mastodon' });
    expect(await fx.app.store.getTarget('acme-mastodon')).not.toHaveProperty('presetParams');

    const missing = await analyst('POST', '/api/targets', { id: 'x', brand: 'acme', preset: 'appstore', presetParams: { country: 'us' } });
    expect([missing.status, await missing.json()]).toEqual([400, { error: 'target.presetParams.app: required by preset appstore' }]);
    const missingZh = await analyst('POST', '/api/targets', { id: 'x', brand: 'acme', preset: 'appstore', presetParams: { country: 'us' } }, 'zh-CN');
    expect(await missingZh.json()).toEqual({ error: '字段 target.presetParams.app 无效：预设 appstore 必须提供此参数' });
    const unknown = await analyst('POST', '/api/targets', { id: 'x', brand: 'acme', preset: 'reddit', presetParams: { sub: 'acme' } });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'target.presetParams.sub: unknown parameter; expected hashtag, query, subreddit, app, country, base' }]);
    const noPreset = await analyst('POST', '/api/targets', { id: 'x', brand: 'acme', presetParams: { query: 'acme' } });
    expect([noPreset.status, await noPreset.json()]).toEqual([400, { error: 'target.preset: presetParams need a preset, one of mastodon, mastodon-search, bluesky, reddit, appstore, forum' }]);
  });

  it('previews a feed, a preset and a hand-mapped JSON endpoint', async () => {
    const preview = async (target: Record<string, unknown>) => {
      const res = await analyst('POST', '/api/targets/preview', { target: { brand: 'acme', ...target } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { total: number; posts: Array<{ text: string }>; refused?: string };
      return [body.total, body.posts.map((p) => p.text), body.refused];
    };
    expect(await preview({ kind: 'feed', url: `${forum.origin}/feed.xml` })).toEqual([3, PAGE1_TEXTS, undefined]);
    expect(await preview({ preset: 'mastodon', presetParams: { hashtag: 'acme', base: forum.origin } })).toEqual([3, PAGE1_TEXTS, undefined]);
    expect(
      await preview({ kind: 'json', url: `${forum.origin}/api/v1/timelines/tag/acme`, json: { items: '', id: 'id', text: 'content', textIsHtml: true, time: 'created_at' } }),
    ).toEqual([3, PAGE1_TEXTS, undefined]);
  });
});
