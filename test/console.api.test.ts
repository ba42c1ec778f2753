/**
 * The console's JSON API on a real port, over a real embedded store, crawling a real loopback
 * forum (test/console.site.ts) with the real classifier, and rendering a real PDF in Chromium.
 * Figures asserted are those of the forum's six known posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../core/config.js';
import type { Classification, Post, Run } from '../core/types.js';
import type { Role } from '../store/store.js';
import { api, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_SELECTORS, startForum, type Forum } from './console.site.js';
import { readRunEvents } from './console.sse.js';

let fx: ConsoleFixture;
let forum: Forum;

const forumTarget = () => ({ id: 'forum', brand: 'acme', url: forum.url, source: 'acme-forum', selectors: FORUM_SELECTORS, maxPages: 5 });

beforeAll(async () => {
  forum = await startForum();
  fx = await startConsole({ targets: [{ id: 'declared', brand: 'acme', url: `${forum.origin}/forum`, selectors: FORUM_SELECTORS }] });
  await fx.app.store.saveTarget(resolveTarget(forumTarget(), fx.config));
});

afterAll(async () => {
  await fx?.close();
  await forum?.close();
});

type Who = Role | 'anonymous';
const EVERYONE: Role[] = ['admin', 'analyst', 'viewer'];
const ANALYSTS: Role[] = ['admin', 'analyst'];

/** Each route, a request whose outcome for an allowed role is known, and who is allowed. */
const MATRIX: Array<{ method: string; path: string; body?: unknown; allowed: Role[]; status: number }> = [
  { method: 'GET', path: '/api/me', allowed: EVERYONE, status: 200 },
  { method: 'GET', path: '/api/meta', allowed: EVERYONE, status: 200 },
  { method: 'GET', path: '/api/targets', allowed: ANALYSTS, status: 200 },
  { method: 'GET', path: '/api/targets/forum', allowed: ANALYSTS, status: 200 },
  { method: 'POST', path: '/api/targets', body: { id: 'x', url: 'http://127.0.0.1/' }, allowed: ANALYSTS, status: 400 },
  { method: 'PUT', path: '/api/targets/nope', body: { brand: 'acme', url: 'http://127.0.0.1/', selectors: FORUM_SELECTORS }, allowed: ANALYSTS, status: 404 },
  { method: 'DELETE', path: '/api/targets/nope', allowed: ANALYSTS, status: 404 },
  { method: 'POST', path: '/api/targets/preview', body: { target: { brand: 'acme', url: 'http://127.0.0.1:1/private', selectors: FORUM_SELECTORS } }, allowed: ANALYSTS, status: 200 },
  { method: 'POST', path: '/api/targets/suggest', body: { url: 'http://127.0.0.1:1/private' }, allowed: ANALYSTS, status: 200 },
  { method: 'GET', path: '/api/runs', allowed: ANALYSTS, status: 200 },
  { method: 'POST', path: '/api/runs', body: { targets: ['nope'] }, allowed: ANALYSTS, status: 400 },
  { method: 'GET', path: '/api/runs/nope', allowed: ANALYSTS, status: 404 },
  { method: 'GET', path: '/api/runs/nope/events', allowed: ANALYSTS, status: 404 },
  { method: 'POST', path: '/api/runs/nope/cancel', allowed: ANALYSTS, status: 404 },
  { method: 'GET', path: '/api/posts', allowed: ANALYSTS, status: 200 },
  { method: 'GET', path: '/api/posts/export?format=jsonl', allowed: ANALYSTS, status: 200 },
  { method: 'POST', path: '/api/explain', body: { text: '客服态度很差' }, allowed: ANALYSTS, status: 200 },
  { method: 'GET', path: '/api/reports', allowed: EVERYONE, status: 200 },
  { method: 'POST', path: '/api/reports', body: { brand: 'nope', period: '2026-10' }, allowed: ANALYSTS, status: 400 },
  { method: 'GET', path: '/api/reports/nope', allowed: EVERYONE, status: 404 },
  { method: 'GET', path: '/api/reports/nope/pdf', allowed: EVERYONE, status: 404 },
  { method: 'GET', path: '/api/schedules', allowed: ANALYSTS, status: 503 },
  { method: 'POST', path: '/api/schedules', body: { kind: 'crawl', id: 'forum', cron: '0 9 * * 1' }, allowed: ANALYSTS, status: 503 },
  { method: 'DELETE', path: '/api/schedules/crawl/forum', allowed: ANALYSTS, status: 503 },
  { method: 'GET', path: '/api/users', allowed: ['admin'], status: 200 },
  { method: 'POST', path: '/api/users', body: { username: 'Bad Name', role: 'viewer', password: 'long-enough-1' }, allowed: ['admin'], status: 400 },
  { method: 'DELETE', path: '/api/users/nope', allowed: ['admin'], status: 404 },
  { method: 'POST', path: '/api/logout', allowed: EVERYONE, status: 204 },
];

describe('authorization matrix (bearer tokens)', () => {
  for (const route of MATRIX) {
    it(`${route.method} ${route.path}`, async () => {
      const got: Record<Who, number> = {} as Record<Who, number>;
      for (const who of ['anonymous', ...EVERYONE] as Who[]) {
        const res = await api(fx.base, who === 'anonymous' ? undefined : fx.tokens[who], route.method, route.path, route.body);
        got[who] = res.status;
        await res.arrayBuffer();
      }
      const want: Record<Who, number> = { anonymous: 401, admin: 403, analyst: 403, viewer: 403 };
      for (const r of route.allowed) want[r] = route.status;
      expect(got).toEqual(want);
    });
  }

  it('refuses an unknown, malformed or revoked token with 401', async () => {
    expect((await api(fx.base, 'voc_not-a-real-token', 'GET', '/api/me')).status).toBe(401);
    expect((await api(fx.base, undefined, 'GET', '/api/me', undefined, { authorization: 'Basic abc' })).status).toBe(401);
    const { createToken } = await import('../server/accounts.js');
    const t = await createToken(fx.app.store, 'viewer', 'short-lived');
    expect((await api(fx.base, t.secret, 'GET', '/api/me')).status).toBe(200);
    await fx.app.store.removeApiToken(t.record.id);
    expect((await api(fx.base, t.secret, 'GET', '/api/me')).status).toBe(401);
  });

  it('answers 401 with one line of JSON naming what to do', async () => {
    const res = await api(fx.base, undefined, 'GET', '/api/targets');
    expect(await res.json()).toEqual({ error: 'not signed in: log in, or send Authorization: Bearer <token> (`voc tokens create`)' });
  });
});

describe('login, cookie session and CSRF', () => {
  async function login(username: string, password: string) {
    return fetch(`${fx.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  }

  it('refuses a wrong password or unknown user with the same 401', async () => {
    const a = await login('analyst', 'wrong-password');
    const b = await login('nobody', 'wrong-password');
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(await a.json()).toEqual(await b.json());
    expect(a.headers.get('set-cookie')).toBeNull();
  });

  it('sets an HttpOnly SameSite=Strict cookie; writes need the CSRF token; logout ends the session', async () => {
    const res = await login('analyst', 'analyst-pass-123');
    expect(res.status).toBe(200);
    const me = (await res.json()) as { username: string; role: string; csrfToken: string };
    expect(me.username).toBe('analyst');
    expect(me.role).toBe('analyst');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^voc_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;

    expect((await api(fx.base, undefined, 'GET', '/api/targets', undefined, { cookie })).status).toBe(200);
    // A write without the token (what a cross-site form would send) is refused, as is a wrong one.
    const bad = await api(fx.base, undefined, 'DELETE', '/api/targets/nope', undefined, { cookie });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: string }).error).toContain('x-csrf-token');
    expect((await api(fx.base, undefined, 'DELETE', '/api/targets/nope', undefined, { cookie, 'x-csrf-token': 'guess' })).status).toBe(403);
    expect((await api(fx.base, undefined, 'DELETE', '/api/targets/nope', undefined, { cookie, 'x-csrf-token': me.csrfToken })).status).toBe(404);
    // A viewer's session cannot do an analyst's work, token or not.
    const viewer = await login('viewer', 'viewer-pass-123');
    const vcookie = viewer.headers.get('set-cookie')!.split(';')[0]!;
    const vme = (await viewer.json()) as { csrfToken: string };
    expect((await api(fx.base, undefined, 'GET', '/api/posts', undefined, { cookie: vcookie })).status).toBe(403);
    expect((await api(fx.base, undefined, 'GET', '/api/reports', undefined, { cookie: vcookie })).status).toBe(200);
    expect((await api(fx.base, undefined, 'POST', '/api/reports', { brand: 'acme', period: '2026-10' }, { cookie: vcookie, 'x-csrf-token': vme.csrfToken })).status).toBe(403);

    const out = await api(fx.base, undefined, 'POST', '/api/logout', undefined, { cookie, 'x-csrf-token': me.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^voc_session=;/);
    expect((await api(fx.base, undefined, 'GET', '/api/me', undefined, { cookie })).status).toBe(401);
  });

  it('stores only hashes: no password, token or session secret is in the database', async () => {
    const users = await fx.app.store.listUsers();
    expect(users.map((u) => [u.username, u.role])).toEqual([['admin', 'admin'], ['analyst', 'analyst'], ['viewer', 'viewer']]);
    for (const u of users) expect(u.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const tokens = await fx.app.store.listApiTokens();
    for (const t of tokens) expect(Object.values(fx.tokens)).not.toContain(t.tokenHash);
  });
});

describe('behind a TLS proxy (--trust-proxy)', () => {
  it('marks the session cookie Secure when the proxy says the client used https; not when untrusted', async () => {
    const login = (base: string) =>
      fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ username: 'viewer', password: 'viewer-pass-123' }) });
    const proxied = await startConsole({ trustProxy: true });
    try {
      expect((await login(proxied.base)).headers.get('set-cookie')).toContain('; Secure');
    } finally {
      await proxied.close();
    }
    expect((await login(fx.base)).headers.get('set-cookie')).not.toContain('Secure');
  });
});

describe('login rate limit', () => {
  it('answers 429 after the allowed attempts per minute, even with the right password', async () => {
    const limited = await startConsole({ loginLimit: { max: 3, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (const password of ['wrong-1', 'wrong-2', 'wrong-3', 'analyst-pass-123']) {
        const res = await fetch(`${limited.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify({ username: 'analyst', password }) });
        statuses.push(res.status);
        if (res.status === 429) expect(await res.json()).toEqual({ error: 'too many attempts: wait a minute and try again' });
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('targets', () => {
  const token = () => fx.tokens.analyst;

  it('lists config and console targets with their origin', async () => {
    const res = await api(fx.base, token(), 'GET', '/api/targets');
    const body = (await res.json()) as { targets: Array<{ id: string; origin: string }> };
    expect(body.targets.map((t) => [t.id, t.origin])).toEqual([['declared', 'config'], ['forum', 'console']]);
  });

  it('adds, replaces and removes a target; refuses duplicates, config targets and allowPrivate', async () => {
    const input = { id: 'second', brand: 'acme', url: `${forum.origin}/forum`, selectors: FORUM_SELECTORS, maxPages: 2 };
    const add = await api(fx.base, token(), 'POST', '/api/targets', input);
    expect(add.status).toBe(201);
    expect(((await add.json()) as { target: { source: string; allowPrivate: boolean; maxPages: number } }).target).toMatchObject({ source: 'second', allowPrivate: true, maxPages: 2 });
    const dup = await api(fx.base, token(), 'POST', '/api/targets', input);
    expect([dup.status, await dup.json()]).toEqual([409, { error: 'target "second" exists already; PUT /api/targets/second replaces it' }]);
    const put = await api(fx.base, token(), 'PUT', '/api/targets/second', { ...input, id: undefined, maxPages: 4 });
    expect(put.status).toBe(200);
    expect((await fx.app.store.getTarget('second'))?.maxPages).toBe(4);
    const priv = await api(fx.base, token(), 'POST', '/api/targets', { ...input, id: 'third', allowPrivate: true });
    expect(priv.status).toBe(400);
    expect(((await priv.json()) as { error: string }).error).toMatch(/^target\.allowPrivate: not accepted from the console/);
    const cfg = await api(fx.base, token(), 'DELETE', '/api/targets/declared');
    expect([cfg.status, await cfg.json()]).toEqual([400, { error: 'target "declared" is declared in the config file; remove it there' }]);
    expect((await api(fx.base, token(), 'DELETE', '/api/targets/second')).status).toBe(204);
    expect(await fx.app.store.getTarget('second')).toBeUndefined();
  });

  it('names the field of a bad target in one line', async () => {
    const res = await api(fx.base, token(), 'POST', '/api/targets', { id: 'bad', brand: 'acme', url: 'ftp://example.org/', selectors: FORUM_SELECTORS });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/^target: url: /);
    expect(error).not.toContain('\n');
  });

  it('classifies a text without storing it, and names what is wrong with a bad request', async () => {
    const before = await fx.app.store.countPosts({});
    const res = await api(fx.base, token(), 'POST', '/api/explain', { text: '客服让我去找门店，门店又让我找客服，来回踢皮球。', brand: 'acme' });
    expect(res.status).toBe(200);
    const { classification: c } = (await res.json()) as { classification: Classification };
    expect(c.channels.map((m) => `${m.channel}:${m.polarity}:${m.evidence.start}`)).toEqual(['customer_service:neg:0', 'store:neg:6']);
    expect(c.breakpoints.map((b) => [b.kind, b.channels.join('+'), b.evidence.text])).toEqual([['runaround', 'customer_service+store', '客服让我去找门店，门店又让我找客服，来回踢皮球']]);
    expect(c.lexiconVersion).toBe(fx.app.classifier.lexiconVersion);
    expect(await fx.app.store.countPosts({})).toBe(before);
    const bad = async (body: unknown, lang = 'en') => {
      const r = await api(fx.base, token(), 'POST', '/api/explain', body, { 'accept-language': lang });
      return [r.status, ((await r.json()) as { error: string }).error];
    };
    expect(await bad({ text: 'x', brand: 'nope' })).toEqual([400, 'unknown brand "nope"; expected one of: acme']);
    expect(await bad({ text: '' })).toEqual([400, 'body/text must NOT have fewer than 1 characters']);
    expect(await bad({ text: ' \n ' })).toEqual([400, 'text: empty; paste the text to classify']);
    expect(await bad({ text: ' \n ' }, 'zh-CN')).toEqual([400, '字段 text 为空：请粘贴要分类的文字']);
    expect(await bad({ brand: 'acme' })).toEqual([400, "body must have required property 'text'"]);
    expect(await bad({ text: '好'.repeat(20_001) })).toEqual([400, 'body/text must NOT have more than 20000 characters']);
    // The console's box takes the same limit from /api/meta.
    const meta = (await (await api(fx.base, token(), 'GET', '/api/meta')).json()) as { explainMaxChars: number };
    expect(meta.explainMaxChars).toBe(20_000);
    expect(await bad({ text: '好'.repeat(20_000) })).toEqual([200, undefined]);
  });

  it('with two brands, needs the brand and names aspects, scenarios and promises in the caller\'s language', async () => {
    const two = await startConsole({ brands: [{ id: 'acme', name: 'Acme' }, { id: 'xingchi', name: '星驰', aspectTaxonomy: 'car' }] });
    try {
      const call = (body: unknown, lang: string) => api(two.base, two.tokens.analyst, 'POST', '/api/explain', body, { 'accept-language': lang });
      const missing = await call({ text: '油耗太高' }, 'zh-CN');
      expect([missing.status, await missing.json()]).toEqual([400, { error: '字段 brand 必填：配置中有 2 个品牌（acme、xingchi），请指定其一' }]);
      const text = '冬天开这车油耗太高了，4S店的人很敷衍';
      const zh = (await (await call({ text, brand: 'xingchi' }, 'zh-CN')).json()) as { classification: Classification; labels: Record<string, Record<string, string>> };
      expect(zh.classification.aspects.map((a) => `${a.aspect}:${a.polarity}`)).toEqual(['fuel_economy:neg']);
      expect(zh.labels).toEqual({ aspects: { fuel_economy: '油耗续航' }, scenarios: { winter: '冬天' }, scenarioTypes: { time: '时间' }, promises: { premium_service: '尊贵服务' }, cues: {} });
      const en = (await (await call({ text, brand: 'xingchi' }, 'en')).json()) as { labels: Record<string, Record<string, string>> };
      expect(en.labels).toEqual({ aspects: { fuel_economy: 'Fuel economy & range' }, scenarios: { winter: 'Winter' }, scenarioTypes: { time: 'Time' }, promises: { premium_service: 'Premium service' }, cues: {} });
      // A breakpoint's cue is named too, so the box says 拒绝接续办理 rather than transfer_refused.
      const cue = (await (await call({ text: '在京东买的，门店不给退', brand: 'acme' }, 'zh-CN')).json()) as { labels: { cues: Record<string, string> } };
      expect(cue.labels.cues).toEqual({ transfer_refused: '拒绝接续办理' });
      // Each call classifies in the serving process: 60 a minute per client (4 made above), then 429.
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await call({ text: '门店很好', brand: 'acme' }, 'en')).status);
      expect(statuses.indexOf(429)).toBe(56);
      expect(statuses.slice(0, 56).every((s) => s === 200)).toBe(true);
    } finally {
      await two.close();
    }
  });

  it('previews the posts a spec extracts, storing nothing', async () => {
    const before = await fx.app.store.countPosts({});
    const res = await api(fx.base, token(), 'POST', '/api/targets/preview', { target: { brand: 'acme', url: forum.url, selectors: FORUM_SELECTORS }, maxPages: 2 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { posts: Post[]; total: number; pages: number; refused?: string };
    expect(body.total).toBe(6);
    expect(body.pages).toBe(2);
    expect(body.refused).toBeUndefined();
    expect(body.posts.map((p) => p.externalId)).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1']);
    expect(body.posts[1]!.text).toBe('<img src=x onerror="window.__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球。');
    expect(await fx.app.store.countPosts({})).toBe(before);
  });

  it('preview obeys robots.txt', async () => {
    const res = await api(fx.base, token(), 'POST', '/api/targets/preview', { target: { brand: 'acme', url: `${forum.origin}/private`, selectors: FORUM_SELECTORS } });
    const body = (await res.json()) as { total: number; refused?: string };
    expect(body.total).toBe(0);
    expect(body.refused).toBe(`refused ${forum.origin}/private: disallowed by robots.txt (rule for voc-test, line 2); the site asks crawlers not to fetch this path, so choose another listing page or ask the site for permission`);
    const zh = await api(fx.base, token(), 'POST', '/api/targets/preview', { target: { brand: 'acme', url: `${forum.origin}/private`, selectors: FORUM_SELECTORS } }, { 'accept-language': 'zh-CN' });
    expect(((await zh.json()) as { refused?: string }).refused).toBe(
      `已拒绝 ${forum.origin}/private：robots.txt 禁止抓取（针对 voc-test 的规则，第 2 行）；该站点要求爬虫不要抓取这个路径，请换一个列表页，或向站点申请许可`,
    );
    expect(forum.paths()).not.toContain('/private');
  });

  it('preview refuses private addresses not allowed by the config (no way into the intranet)', async () => {
    for (const url of [`http://localhost:${forum.port}/forum`, 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data/']) {
      const res = await api(fx.base, token(), 'POST', '/api/targets/preview', { target: { brand: 'acme', url, selectors: FORUM_SELECTORS } });
      const body = (await res.json()) as { total: number; refused?: string };
      expect(body.total, url).toBe(0);
      expect(body.refused, url).toMatch(/^refused /);
      // In the console's language.
      const zh = (await (await api(fx.base, token(), 'POST', '/api/targets/preview', { target: { brand: 'acme', url, selectors: FORUM_SELECTORS } }, { 'accept-language': 'zh-CN' })).json()) as { refused?: string };
      expect(zh.refused, url).toMatch(/^已拒绝 /);
    }
    expect(forum.paths().filter((p) => p.startsWith('/forum')).length).toBeGreaterThan(0);
  });
});

describe('guessing selectors (POST /api/targets/suggest)', () => {
  const token = () => fx.tokens.analyst;
  it('guesses the forum\'s selectors and returns the posts they extract, storing nothing', async () => {
    const res = await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: forum.url });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: number; selectors: Record<string, string>; nextPage: string; posts: Array<{ text: string }> };
    expect([body.items, body.selectors, body.nextPage]).toEqual([
      3,
      { item: 'article.post', text: 'p.content', id: '@data-id', time: 'time@datetime', link: 'a.permalink@href', nextPage: 'a.next@href' },
      `${forum.url}?page=2`,
    ]);
    expect(body.posts.map((p) => p.text)[1]).toBe('<img src=x onerror="window.__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球。');
    expect((await fx.app.store.listTargets()).map((t) => t.id)).not.toContain('suggest');
  });

  it('says why there is no guess: robots.txt, a private address, a page without posts, a bad URL; in the console\'s language', async () => {
    const robots = (await (await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: `${forum.origin}/private` }, { 'accept-language': 'zh-CN' })).json()) as { selectors: null; refused: string };
    expect(robots).toEqual({ selectors: null, refused: expect.stringMatching(/^已拒绝 .*\/private：robots\.txt 禁止抓取/) });
    const intranet = (await (await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: 'http://10.1.2.3/' })).json()) as { selectors: null; refused: string };
    expect(intranet.refused).toMatch(/^refused http:\/\/10\.1\.2\.3\/: /);
    const none = (await (await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: `${forum.origin}/about` })).json()) as { selectors: null; message: string };
    expect(none).toEqual({ selectors: null, message: 'no repeated, post-like structure found on this page; if its posts are made by JavaScript, choose the browser kind and write the selectors by hand' });
    // A feed is no listing page: it is named for what it is and the kind that reads it.
    const feed = (await (await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: `${forum.origin}/feed.xml` })).json()) as { selectors: null; message: string };
    expect(feed).toEqual({
      selectors: null,
      message: `${forum.origin}/feed.xml: the page is application/rss+xml (HTTP 200), not an HTML page, so there are no selectors to guess; an RSS or Atom feed is read by --kind feed`,
    });
    const bad = await api(fx.base, token(), 'POST', '/api/targets/suggest', { url: 'ftp://example.com/' }, { 'accept-language': 'zh-CN' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/url/);
  });
});

describe('runs, posts and exports', () => {
  let run: Run;

  it('crawls a target and streams progress until done', async () => {
    const start = await api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['forum'] });
    expect(start.status).toBe(202);
    run = ((await start.json()) as { run: Run }).run;
    expect(run.targetIds).toEqual(['forum']);
    const events = await readRunEvents(await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${run.id}/events`));
    const last = events.at(-1)!;
    expect(last.type).toBe('done');
    expect(last.run.status).toBe('succeeded');
    expect(last.run.stats).toEqual({ pagesFetched: 2, postsNew: 6, postsUpdated: 0, postsUnchanged: 0, postsClassified: 6, errors: 0 });
    const pages = events.map((e) => e.run.stats.pagesFetched);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    const stored = await api(fx.base, fx.tokens.analyst, 'GET', `/api/runs/${run.id}`);
    expect(((await stored.json()) as { run: Run }).run.status).toBe('succeeded');
    const list = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/runs')).json()) as { runs: Run[]; mode: string };
    expect(list.mode).toBe('in-process');
    expect(list.runs[0]!.id).toBe(run.id);
  });

  const ids = async (query: string) => {
    const res = await api(fx.base, fx.tokens.analyst, 'GET', `/api/posts?${query}`);
    expect(res.status, query).toBe(200);
    const body = (await res.json()) as { total: number; items: Array<{ post: Post }> };
    return [body.total, body.items.map((i) => i.post.externalId)];
  };

  it('refuses a run of an unknown target, naming its place in the list and the known targets in the caller\'s language', async () => {
    const known = ((await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/targets')).json()) as { targets: Array<{ id: string }> }).targets.map((t) => t.id);
    const call = (lang: string) => api(fx.base, fx.tokens.analyst, 'POST', '/api/runs', { targets: ['forum', 'nope'] }, { 'accept-language': lang });
    const en = await call('en');
    expect(en.status).toBe(400);
    expect(await en.json()).toEqual({ error: `targets.1: unknown target "nope"; known targets: ${known.join(', ')}` });
    expect(await (await call('zh-CN')).json()).toEqual({ error: `targets.1：抓取目标“nope”不存在；已有目标：${known.join('、')}` });
  });

  it('filters posts by every field, newest first, paged on the server', async () => {
    expect(await ids('brand=acme')).toEqual([6, ['p6', 'p5', 'p4', 'p3', 'p2', 'p1']]);
    expect(await ids('brand=acme&page=2&pageSize=4')).toEqual([6, ['p2', 'p1']]);
    expect(await ids('period=2026-10')).toEqual([6, ['p6', 'p5', 'p4', 'p3', 'p2', 'p1']]);
    expect(await ids('period=2026-11')).toEqual([0, []]);
    expect(await ids('from=2026-10-08&to=2026-10-15')).toEqual([3, ['p4', 'p3', 'p2']]);
    expect(await ids('source=acme-forum&targetId=forum')).toEqual([6, ['p6', 'p5', 'p4', 'p3', 'p2', 'p1']]);
    expect(await ids('source=elsewhere')).toEqual([0, []]);
    expect(await ids('breakpoint=any')).toEqual([2, ['p6', 'p5']]);
    expect(await ids('breakpoint=runaround')).toEqual([1, ['p5']]);
    expect(await ids('breakpoint=inconsistency')).toEqual([1, ['p6']]);
    expect(await ids('channel=store')).toEqual([3, ['p6', 'p5', 'p4']]);
    expect(await ids('channel=store&polarity=pos')).toEqual([1, ['p4']]);
    expect(await ids('polarity=neg')).toEqual([2, ['p6', 'p5']]);
    expect(await ids('channel=delivery&pageSize=1')).toEqual([1, ['p3']]);
    expect(await ids('question=true')).toEqual([1, ['p2']]);
    expect(await ids('q=门店 客服')).toEqual([1, ['p5']]);
    expect(await ids('q=门店&breakpoint=any&page=2&pageSize=1')).toEqual([2, ['p5']]);
  });

  it('returns each post with its classification evidence', async () => {
    const res = await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts?breakpoint=runaround');
    const body = (await res.json()) as { items: Array<{ post: Post; classification: { breakpoints: Array<{ kind: string; channels: string[] }>; channels: Array<{ channel: string; evidence: { text: string } }> } }> };
    const c = body.items[0]!.classification;
    expect(c.breakpoints.map((b) => [b.kind, b.channels])).toEqual([['runaround', ['customer_service', 'store']]]);
    expect(c.channels.map((m) => [m.channel, m.evidence.text])).toEqual([['customer_service', '客服'], ['store', '门店']]);
  });

  it('refuses a bad filter in one line', async () => {
    const res = await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts?breakpoint=sometimes');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^querystring\/breakpoint must be equal to one of the allowed values/);
  });

  it('exports CSV with formula cells defused, and JSON Lines', async () => {
    const csv = await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts/export?format=csv&channel=delivery');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="voc-posts.csv"');
    const raw = Buffer.from(await csv.arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: spreadsheets then read Chinese right
    const lines = raw.subarray(3).toString('utf8').split('\n');
    expect(lines[0]).toBe('id,brand,source,publishedAt,url,text,sentiment,channels,descriptors,breakpoints,aspects,scenarios,question,openWords');
    expect(lines[1]).toBe(
      `"acme-forum:p3","acme","acme-forum","2026-10-12T00:00:00.000Z","${forum.origin}/t/p3","'=HYPERLINK(""http://evil.example"") 快递很快，物流不错","pos","delivery:pos","","","","","false",""`,
    );
    expect(lines.length).toBe(3); // header, one post, final newline
    const jsonl = await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts/export?format=jsonl&breakpoint=any');
    const rows = (await jsonl.text()).trim().split('\n').map((l) => JSON.parse(l) as { post: Post });
    expect(rows.map((r) => r.post.externalId)).toEqual(['p6', 'p5']);
    // The open words of the runaround post, one per channel it is said about.
    const bpCsv = (await (await api(fx.base, fx.tokens.analyst, 'GET', '/api/posts/export?format=csv&breakpoint=any')).text()).split('\n');
    expect(bpCsv.find((l) => l.startsWith('"acme-forum:p5"'))!.endsWith(',"来回:store 来回:customer_service"')).toBe(true);
  });

  it('cancels a running crawl', async () => {
    const slow = await startForum({ holdPage2: true });
    try {
      await fx.app.store.saveTarget(resolveTarget({ id: 'slow', brand: 'acme', url: slow.url, source: 'slow-forum', selectors: FORUM_SELECTORS }, fx.config));
      const start = await api(fx.base, fx.tokens.admin, 'POST', '/api/runs', { targets: ['slow'] });
      const { run: r } = (await start.json()) as { run: Run };
      const events = api(fx.base, fx.tokens.admin, 'GET', `/api/runs/${r.id}/events`).then(readRunEvents);
      await slow.page2Requested;
      const cancel = await api(fx.base, fx.tokens.admin, 'POST', `/api/runs/${r.id}/cancel`);
      expect(cancel.status).toBe(202);
      slow.releasePage2();
      const last = (await events).at(-1)!;
      expect(last.type).toBe('done');
      expect(last.run.status).toBe('cancelled');
      expect(last.run.stats.pagesFetched).toBe(1);
      expect((await fx.app.store.getRun(r.id))?.status).toBe('cancelled');
      const again = await api(fx.base, fx.tokens.admin, 'POST', `/api/runs/${r.id}/cancel`);
      expect(again.status).toBe(409);
    } finally {
      await slow.close();
    }
  });

  it('keeps a failed page\'s cause in both languages on the run', async () => {
    await fx.app.store.saveTarget(resolveTarget({ id: 'gone', brand: 'acme', url: `${forum.origin}/gone`, source: 'gone-forum', selectors: FORUM_SELECTORS }, fx.config));
    const start = await api(fx.base, fx.tokens.admin, 'POST', '/api/runs', { targets: ['gone'] });
    const { run: r } = (await start.json()) as { run: Run };
    const last = (await readRunEvents(await api(fx.base, fx.tokens.admin, 'GET', `/api/runs/${r.id}/events`))).at(-1)!;
    expect(last.run.status).toBe('failed');
    // The console's run page shows errorsZh in Chinese, errors in English.
    const stored = ((await (await api(fx.base, fx.tokens.admin, 'GET', `/api/runs/${r.id}`)).json()) as { run: Run }).run;
    expect(stored.errors).toEqual([`gone: HTTP 404 Not Found from ${forum.origin}/gone`]);
    expect(stored.errorsZh).toEqual([`gone：${forum.origin}/gone 返回 HTTP 404 Not Found`]);
  });
});

describe('reports', () => {
  let id: string;

  it('renders a report now (HTML and PDF) and lists it for every role', async () => {
    const res = await api(fx.base, fx.tokens.analyst, 'POST', '/api/reports', { brand: 'acme', period: '2026-10', locale: 'zh-CN', formats: ['html', 'pdf'] });
    expect(res.status).toBe(201);
    const { report } = (await res.json()) as { report: { id: string; brand: string; period: string; postCount: number; formats: string[] } };
    expect(report).toMatchObject({ brand: 'acme', period: '2026-10', formats: ['html', 'pdf'] });
    id = report.id;
    const list = (await (await api(fx.base, fx.tokens.viewer, 'GET', '/api/reports')).json()) as { reports: Array<{ id: string; postCount: number }> };
    expect(list.reports.map((r) => r.id)).toEqual([id]);
    expect(list.reports[0]!.postCount).toBe(report.postCount);
  }, 120_000);

  it('serves the PDF as a download and the HTML inline in a sandbox', async () => {
    const pdf = await api(fx.base, fx.tokens.viewer, 'GET', `/api/reports/${encodeURIComponent(id)}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="acme-2026-10-zh-CN.pdf"');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Number(pdf.headers.get('content-length'))).toBe(bytes.length);
    const html = await api(fx.base, fx.tokens.viewer, 'GET', `/api/reports/${encodeURIComponent(id)}/html`);
    expect(html.headers.get('content-disposition')).toBe('inline; filename="acme-2026-10-zh-CN.html"');
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    const text = await html.text();
    expect(text).not.toContain('<img src=x onerror');
  });
});

describe('OpenAPI', () => {
  it('documents every API route at /api/docs', async () => {
    const res = await fetch(`${fx.base}/api/docs/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const r of MATRIX) {
      const path = r.path.split('?')[0]!.replace('/crawl/forum', '/{kind}/{id}').replace('/forum', '/{id}').replace(/\/nope(?=\/|$)/, r.path.startsWith('/api/users') ? '/{username}' : '/{id}').replace('/{id}/pdf', '/{id}/{format}');
      expect(documented, `${r.method} ${path}`).toContain(`${r.method} ${path}`);
    }
    expect(documented).toContain('POST /api/login');
    expect((await fetch(`${fx.base}/api/docs`)).status).toBe(200);
  });
});
