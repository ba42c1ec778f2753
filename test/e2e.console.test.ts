/**
 * The analyst console end to end in real Chromium (playwright-core, /usr/bin/chromium, never a
 * downloaded browser): log in, add a target for the loopback forum with its live preview, crawl
 * it and watch the progress finish, find the runaround post with its highlighted evidence, render
 * a report and download its PDF; axe-core on every main page (no serious or critical violation);
 * a screenshot of each page under /tmp/voc-e2e/ for people to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_SELECTORS, startForum, type Forum } from './console.site.js';
import { ROOT } from './helpers/cli.js';

const WEB_DIR = join(ROOT, 'web', 'dist');
const SHOTS = '/tmp/voc-e2e';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let forum: Forum;
let fx: ConsoleFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** Requests to anywhere but the console: the UI must work offline (no CDN, no remote fonts). */
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (npm test does it) before this test');
  mkdirSync(SHOTS, { recursive: true });
  forum = await startForum();
  fx = await startConsole({ webDir: WEB_DIR });
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (req) => {
    if (!req.url().startsWith(`${fx.base}/`) && !req.url().startsWith('data:')) foreignRequests.push(req.url());
  });
  page.on('console', (msg) => {
    // 401 (before login, a wrong password) and 503 (schedules without Redis) are expected answers.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource: the server responded with a status of')) pageErrors.push(msg.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  await forum?.close();
});

/** axe-core in the page (evaluated through the devtools protocol, so the page's CSP still holds). */
async function seriousViolations(): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('analyst console in Chromium', () => {
  it('logs in (zh-CN by default)', async () => {
    const index = await page.goto(fx.base);
    expect(index!.headers()['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    );
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await seriousViolations()).toEqual([]);
    await shot('01-login');
    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('登录失败: 用户名或密码错误');
    await page.getByLabel('密码').fill(PASSWORDS.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '抓取目标' }).waitFor();
    expect(page.url()).toBe(`${fx.base}/#/targets`);
  });

  it('guesses a listing page\'s selectors from the page itself and previews what they extract', async () => {
    await page.getByRole('button', { name: '猜测选择器' }).click();
    expect(await page.locator('.guess-status').textContent()).toBe('请先填写网址');
    await page.getByLabel('网址').fill(forum.url);
    await page.getByRole('button', { name: '猜测选择器' }).click();
    await expect.poll(() => page.locator('.guess-status').textContent(), { timeout: 20_000 }).toBe('找到 3 条结构相同的帖子，已填入选择器；请对照下面的预览核对');
    const value = (label: string) => page.getByLabel(label).inputValue();
    expect([await value('帖子（item）'), await value('正文（text）'), await value('帖子 ID（id）'), await value('时间（time）'), await value('链接（link）'), await value('下一页（nextPage）')]).toEqual([
      'article.post',
      'p.content',
      '@data-id',
      'time@datetime',
      'a.permalink@href',
      'a.next@href',
    ]);
    await expect.poll(() => page.locator('.preview-count').textContent(), { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');
    // Times in the console's zone, as everywhere else in it (10:00 in Shanghai is 02:00 UTC).
    expect(await page.locator('.preview-posts small').first().textContent()).toBe('2026-10-20 10:00 · p6');
    await shot('02a-target-guessed');
  });

  it('adds a target with a live preview that shows hostile text as text', async () => {
    await page.getByLabel('ID', { exact: true }).fill('acme-forum');
    await page.getByLabel('最多页数').fill('5');
    await page.getByLabel('帖子（item）').fill(FORUM_SELECTORS.item);
    await page.getByLabel('正文（text）').fill(FORUM_SELECTORS.text);
    await page.getByLabel('帖子 ID（id）').fill(FORUM_SELECTORS.id);
    await page.getByLabel('时间（time）').fill(FORUM_SELECTORS.time);
    await page.getByLabel('链接（link）').fill(FORUM_SELECTORS.link);
    await page.getByLabel('下一页（nextPage）').fill(FORUM_SELECTORS.nextPage);
    // Typing the URL last starts the live preview (no button pressed).
    await page.getByLabel('网址').fill(forum.url);
    await expect.poll(() => page.locator('.preview-count').textContent(), { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');
    const texts = await page.locator('.preview-posts .post-text').allTextContents();
    expect(texts).toEqual(['官网上说有现货，到了门店店员却说没货，前后说法不一致，太敷衍了。', '<img src=x onerror="window.__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球。', '门店服务很专业，店员很热情。']);
    expect(await page.locator('.preview img').count()).toBe(0);
    expect(await seriousViolations()).toEqual([]);
    await shot('02-target-preview');

    // A robots.txt refusal is shown, not hidden.
    await page.getByLabel('网址').fill(`${forum.origin}/private`);
    await expect.poll(() => page.locator('.refused').textContent(), { timeout: 20_000 }).toBe(
      `已拒绝 ${forum.origin}/private：robots.txt 禁止抓取（针对 voc-test 的规则，第 2 行）；该站点要求爬虫不要抓取这个路径，请换一个列表页，或向站点申请许可`,
    );
    await shot('03-target-refused');
    await page.getByLabel('网址').fill(forum.url);
    await expect.poll(() => page.locator('.preview-count').textContent(), { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');

    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存: acme-forum' }).waitFor();
    expect(await page.locator('table tbody tr td:first-child').allTextContents()).toEqual(['acme-forum']);
    expect((await fx.app.store.getTarget('acme-forum'))?.selectors).toEqual(FORUM_SELECTORS);
  });

  it('crawls the target and shows the progress until it finishes', async () => {
    await page.getByRole('link', { name: '抓取', exact: true }).click();
    await page.getByLabel('acme-forum').check();
    await page.getByRole('button', { name: '开始抓取' }).click();
    await page.locator('#run-live[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    const stat = (name: string) => page.locator(`#run-live dd[data-stat="${name}"]`).textContent();
    expect([await stat('已抓取页数'), await stat('新帖'), await stat('已分类'), await stat('错误')]).toEqual(['2', '6', '6', '0']);
    expect(await page.locator('#run-live progress').evaluate((el: HTMLProgressElement) => [el.value, el.max])).toEqual([2, 2]);
    expect(await page.locator('#run-live > p').first().textContent()).toMatch(/^运行 \d{8}T\d{6}-[0-9a-f]{6}$/); // not "run …" in a Chinese page
    await expect.poll(() => page.locator('#recent-h + table tbody tr').count()).toBe(1);
    expect(await page.locator('#recent-h + table tbody td').allTextContents()).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), 'acme-forum', '已完成', '2', '6', '0']);
    expect(await seriousViolations()).toEqual([]);
    await shot('04-crawl-done');
  });

  it('finds the runaround post from its breakpoint count, with its evidence highlighted', async () => {
    await page.getByRole('link', { name: '查看帖子' }).click();
    await page.getByRole('heading', { name: '帖子浏览' }).waitFor();
    expect(await page.locator('.total').textContent()).toBe('共 6 条');
    expect(await page.locator('.bp-counts a').allTextContents()).toEqual(['说法不一致 1', '交接断裂 0', '互相推诿 1']);
    await page.getByRole('link', { name: '互相推诿 1' }).click();
    await expect.poll(() => page.locator('.total').textContent()).toBe('共 1 条');
    const post = page.locator('li.post');
    expect(await post.locator('.post-text').textContent()).toBe('<img src=x onerror="window.__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球。');
    expect(await post.locator('mark.hl-ch').allTextContents()).toEqual(['客服', '门店']); // one mention per channel: its first alias
    // The open-vocabulary verb about both channels, inside the breakpoint evidence: both in the title.
    expect(await post.locator('mark.hl-open').allTextContents()).toEqual(['来回']);
    expect(await post.locator('mark.hl-open').getAttribute('title')).toBe('互相推诿: 客服 ↔ 门店 · 来回 · 门店 · 来回 · 客服');
    expect(await page.locator('.legend mark.hl-open').textContent()).toBe('词典外用词');
    expect((await post.locator('mark.hl-bp').allTextContents()).join('')).toBe('__pwned=1">客服让我去找门店，门店又让我找客服，来回踢皮球');
    expect(await post.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await post.getByRole('link', { name: '查看原帖' }).getAttribute('href')).toBe(`${forum.origin}/t/p5`);
    expect(await seriousViolations()).toEqual([]);
    await shot('05-posts-runaround');
  });

  it('classifies a typed text without storing it, its evidence marked and its labels listed', async () => {
    const stored = await fx.app.store.countPosts({});
    await page.getByText('试一试：分类一段文字（不保存）').click();
    const hostile = '<b>在官网</b>下单，门店说查不到订单，让我找客服，客服又让我找门店。';
    await page.getByLabel('文字').fill(hostile);
    await page.getByRole('button', { name: '分类' }).click();
    const result = page.locator('.explain-result');
    await result.locator('dl').waitFor();
    expect(await result.locator('.post-text').textContent()).toBe(hostile);
    expect(await result.locator('b').count()).toBe(0);
    expect(await result.locator('mark.hl-ch').allTextContents()).toEqual(['官网', '门店', '客服']);
    expect(await result.locator('dt').allTextContents()).toEqual(['情感', '渠道', '断点', '品牌承诺描述词', '词典外用词', '方面', '场景', '提问', '词典版本']);
    const evidence = '「<b>在官网</b>下单，门店说查不到订单，让我找客服，客服又让我找门店」';
    expect(await result.locator('dd').allTextContents()).toEqual([
      '负面',
      '官网 中性 「官网」；门店 负面 「门店」 · 判定词 「查不到」；客服 负面 「客服」 · 判定词 「又让」',
      `交接断裂: 门店 ↔ 官网 · 线索 查无记录 ${evidence}；互相推诿: 客服 ↔ 门店 · 线索 被推来推去 ${evidence}`,
      '无',
      '无',
      '无',
      '无',
      '否',
      fx.app.classifier.lexiconVersion,
    ]);
    expect(await page.getByRole('button', { name: '分类' }).isEnabled()).toBe(true);
    // Nothing was stored.
    expect(await fx.app.store.countPosts({})).toBe(stored);
    expect(await seriousViolations()).toEqual([]);
    await shot('05b-posts-explain');
  });

  it('renders a report, shows it and downloads its PDF', async () => {
    await page.getByRole('link', { name: '报告' }).click();
    // The posts page has a 月份 field too: wait for the reports page before filling its own.
    await page.getByRole('heading', { name: '立即生成报告' }).waitFor();
    await page.getByLabel('月份').fill('2026-10');
    await page.getByLabel('报告语言').selectOption('zh-CN');
    await page.getByRole('button', { name: '立即生成报告' }).click();
    await page.locator('tr[data-report]').waitFor({ timeout: 120_000 });
    expect(await page.locator('tr[data-report] td').first().textContent()).toBe('acme');
    await page.getByRole('button', { name: '查看' }).click();
    const frame = page.frameLocator('iframe.report-frame');
    await frame.locator('body').waitFor();
    expect(await frame.locator('body').textContent()).toContain('Acme 艾克米');
    expect(await seriousViolations()).toEqual([]);
    await shot('06-report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('acme-2026-10-zh-CN.pdf');
    const file = join(SHOTS, 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    // From the report to the posts behind its breakpoint figures.
    await page.getByRole('link', { name: '断点帖子' }).click();
    await expect.poll(() => page.locator('.total').textContent()).toBe('共 2 条');
    expect(await page.locator('li.post').evaluateAll((els) => els.map((e) => e.getAttribute('data-post')))).toEqual(['acme-forum:p6', 'acme-forum:p5']);
  }, 180_000);

  it('schedules say they need Redis; the UI switches to English', async () => {
    await page.getByRole('link', { name: '定时任务' }).click();
    await page.getByRole('status').filter({ hasText: 'REDIS_URL' }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await shot('07-schedules');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Posts' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('link', { name: 'Posts' }).click();
    await expect.poll(() => page.locator('.total').textContent()).toBe('6 posts');
    expect(await seriousViolations()).toEqual([]);
    await shot('08-posts-en');
  });

  it('a viewer sees reports only', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('User name').fill('viewer');
    await page.getByLabel('Password').fill(PASSWORDS.viewer);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    expect(await page.locator('header nav a').allTextContents()).toEqual(['Reports', 'API docs']);
    expect(await page.getByRole('button', { name: 'Render a report now' }).count()).toBe(0);
    expect(await seriousViolations()).toEqual([]);
    await shot('09-viewer');
  });

  it('an admin adds and removes a user', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(PASSWORDS.admin);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Add a user' }).waitFor();
    expect(await page.locator('header nav a').allTextContents()).toEqual(['Targets', 'Crawl', 'Posts', 'Reports', 'Schedules', 'Users', 'API docs']);
    await page.getByLabel('User name').fill('carol');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByLabel('Password').fill('carol-password-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('tr[data-user="carol"]').waitFor();
    expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(['admin', 'analyst', 'carol', 'viewer']);
    expect((await fx.app.store.getUser('carol'))?.role).toBe('viewer');
    expect(await seriousViolations()).toEqual([]);
    await shot('11-users');
    await page.getByRole('button', { name: 'Remove carol' }).click();
    await expect.poll(() => page.locator('tbody tr td:first-child').allTextContents()).toEqual(['admin', 'analyst', 'viewer']);
    expect(await fx.app.store.getUser('carol')).toBeUndefined();
  });

  it('a crawl whose target fails says which target failed', async () => {
    // A copy of the working target whose listing page is gone (404): errors and no post read.
    await fx.app.store.saveTarget({ ...(await fx.app.store.getTarget('acme-forum'))!, id: 'dead-forum', url: `${forum.origin}/gone` });
    await page.getByRole('link', { name: 'Crawl', exact: true }).click();
    await page.getByLabel('dead-forum').check();
    await page.getByRole('button', { name: 'Start crawl' }).click();
    await page.locator('#run-live[data-status="failed"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#run-live p[data-failed]').textContent()).toBe('Targets that failed: dead-forum (errors and no post read; the causes are below)');
    expect(await page.locator('#run-live p.error').last().textContent()).toContain(`${forum.origin}/gone`);
    expect(await seriousViolations()).toEqual([]);
    await shot('12-crawl-failed');
  });

  it('made no request outside the console and raised no script error', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors.join('\n')).toBe('');
  });
});
