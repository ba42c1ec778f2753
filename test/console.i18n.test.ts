/**
 * API error messages in the caller's language: zh-CN by default (and for `*` or an unknown
 * language), English for Accept-Language: en. Checked on the answers the web UI shows: not
 * signed in, forbidden, not found, schema validation and core validation naming the field,
 * a wrong login, a refusal to remove a config-declared target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLang } from '../server/messages.js';
import { api, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_SELECTORS } from './console.site.js';

let fx: ConsoleFixture;

beforeAll(async () => {
  fx = await startConsole({ targets: [{ id: 'declared', brand: 'acme', url: 'http://127.0.0.1:9/forum', selectors: FORUM_SELECTORS }] });
});

afterAll(async () => {
  await fx?.close();
});

/** status and error message of a request in `lang` (an Accept-Language value). */
async function errorIn(lang: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<[number, string]> {
  const res = await api(fx.base, token, method, path, body, { 'accept-language': lang });
  return [res.status, ((await res.json()) as { error: string }).error];
}

describe('the language of a request', () => {
  it('is zh-CN unless the client prefers English', () => {
    const lang = (h?: string) => requestLang({ headers: h === undefined ? {} : { 'accept-language': h } });
    expect([lang(), lang('*'), lang('zh-CN'), lang('en'), lang('en-GB,en;q=0.9'), lang('fr-FR,en;q=0.5'), lang('zh-CN;q=0.4,en;q=0.8'), lang('en;q=0,zh'), lang('de')]).toEqual([
      'zh-CN',
      'zh-CN',
      'zh-CN',
      'en',
      'en',
      'en',
      'en',
      'zh-CN',
      'zh-CN',
    ]);
  });
});

describe('error messages', () => {
  it('say "not signed in" and "forbidden" in both languages', async () => {
    expect(await errorIn('zh-CN', undefined, 'GET', '/api/targets')).toEqual([401, '未登录：请先登录，或发送 Authorization: Bearer <令牌>（`voc tokens create` 生成）']);
    expect(await errorIn('en', undefined, 'GET', '/api/targets')).toEqual([401, 'not signed in: log in, or send Authorization: Bearer <token> (`voc tokens create`)']);
    expect(await errorIn('zh-CN', fx.tokens.viewer, 'GET', '/api/targets')).toEqual([403, '无权操作：角色 viewer 不能 GET /api/targets；需要 admin 或 analyst 角色']);
    expect(await errorIn('en', fx.tokens.viewer, 'GET', '/api/targets')).toEqual([403, 'forbidden: role viewer may not GET /api/targets; needs admin or analyst']);
    // No Accept-Language preference at all (`*`): the default, Chinese.
    expect(await errorIn('*', fx.tokens.viewer, 'GET', '/api/targets')).toEqual([403, '无权操作：角色 viewer 不能 GET /api/targets；需要 admin 或 analyst 角色']);
  });

  it('say what was not found', async () => {
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'GET', '/api/targets/nope')).toEqual([404, '抓取目标“nope”不存在']);
    expect(await errorIn('en', fx.tokens.analyst, 'GET', '/api/targets/nope')).toEqual([404, 'unknown target "nope"']);
    expect(await errorIn('zh-CN', fx.tokens.viewer, 'GET', '/api/reports/r-404')).toEqual([404, '报告“r-404”不存在']);
    expect(await errorIn('en', fx.tokens.viewer, 'GET', '/api/reports/r-404')).toEqual([404, 'unknown report "r-404"']);
  });

  it('name the field of a schema validation error', async () => {
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'GET', '/api/posts?breakpoint=sometimes')).toEqual([400, '字段 querystring/breakpoint 必须是以下之一：any、inconsistency、handoff、runaround']);
    expect(await errorIn('en', fx.tokens.analyst, 'GET', '/api/posts?breakpoint=sometimes')).toEqual([
      400,
      'querystring/breakpoint must be equal to one of the allowed values: any, inconsistency, handoff, runaround',
    ]);
    expect(await errorIn('zh-CN', undefined, 'POST', '/api/login', { username: 'analyst' })).toEqual([400, '请求体缺少必填字段 password']);
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'GET', '/api/posts?page=first')).toEqual([400, '字段 querystring/page 的类型应为整数']);
    expect(await errorIn('en', undefined, 'POST', '/api/login', { username: 'analyst' })).toEqual([400, "body must have required property 'password'"]);
  });

  it('name the field of a bad target', async () => {
    const bad = { id: 'bad', brand: 'acme', url: 'ftp://example.org/', selectors: FORUM_SELECTORS };
    const [zhStatus, zh] = await errorIn('zh-CN', fx.tokens.analyst, 'POST', '/api/targets', bad);
    const [enStatus, en] = await errorIn('en', fx.tokens.analyst, 'POST', '/api/targets', bad);
    expect([zhStatus, enStatus]).toEqual([400, 400]);
    expect(en).toMatch(/^target: url: expected an absolute http:\/\/ or https:\/\/ URL/);
    // The field named as the console names fields, the detail in Chinese too.
    expect(zh).toBe('字段 target.url 无效：应为以 http:// 或 https:// 开头的完整 URL');
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'POST', '/api/targets', { ...bad, url: 'http://127.0.0.1:9/', brand: 'other' })).toEqual([
      400,
      '字段 target.brand 无效：未知品牌“other”；应为 brands 下的某个 id（acme）',
    ]);
  });

  it('refuse in both languages', async () => {
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'DELETE', '/api/targets/declared')).toEqual([400, '抓取目标“declared”在配置文件中声明；请在配置文件里删除']);
    expect(await errorIn('en', fx.tokens.analyst, 'DELETE', '/api/targets/declared')).toEqual([400, 'target "declared" is declared in the config file; remove it there']);
    expect(await errorIn('zh-CN', undefined, 'POST', '/api/login', { username: 'analyst', password: 'wrong-password' })).toEqual([401, '用户名或密码错误']);
    expect(await errorIn('en', undefined, 'POST', '/api/login', { username: 'analyst', password: 'wrong-password' })).toEqual([401, 'wrong user name or password']);
    expect(await errorIn('zh-CN', fx.tokens.analyst, 'GET', '/api/schedules')).toEqual([
      503,
      '定时任务保存在 Redis 中：请以 REDIS_URL=redis://主机:6379 启动 `voc serve`（并运行 `voc worker` 进程）',
    ]);
  });
});
