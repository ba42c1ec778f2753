/**
 * The target editor beyond the `html` kind, in real Chromium against real loopback servers: an
 * analyst adds an RSS feed target (kind feed) and a Mastodon hashtag target (preset mastodon,
 * its URL built from the hashtag and instance) and sees each live preview extract the forum's
 * three known posts; the list shows each target's kind. axe-core finds no serious violation;
 * screenshots under /tmp/voc-e2e/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_PAGES, startForum, type Forum } from './console.site.js';
import { ROOT } from './helpers/cli.js';

const WEB_DIR = join(ROOT, 'web', 'dist');
const SHOTS = '/tmp/voc-e2e';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGE1_TEXTS = FORUM_PAGES[0]!.map((p) => p.text);

let forum: Forum;
let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (npm test does it) before this test');
  mkdirSync(SHOTS, { recursive: true });
  forum = await startForum();
  fx = await startConsole({ webDir: WEB_DIR });
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  await forum?.close();
});

async function seriousViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE_SOURCE);
  return p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe;
    return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

const previewCount = () => page.locator('.preview-count').textContent();

describe('target editor: every kind and preset', () => {
  it('adds a feed target with its live preview', async () => {
    await page.goto(`${fx.base}/#/targets`);
    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill(PASSWORDS.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '目标编辑器' }).waitFor();
    // Every kind is offered, and every preset.
    expect(await page.getByLabel('类型').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['html', 'browser', 'feed', 'json', 'sitemap']);
    expect(await page.getByLabel('预设').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['', 'mastodon', 'mastodon-search', 'bluesky', 'reddit', 'appstore', 'forum']);

    await page.getByLabel('ID', { exact: true }).fill('acme-feed');
    await page.getByLabel('类型').selectOption('feed');
    // A feed needs no selectors: the selector boxes go away, the feed hint shows.
    expect(await page.getByLabel('帖子（item）').isVisible()).toBe(false);
    expect(await page.locator('.feed-hint').isVisible()).toBe(true);
    await page.getByLabel('网址').fill(`${forum.origin}/feed.xml`);
    await expect.poll(previewCount, { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');
    expect(await page.locator('.preview-posts .post-text').allTextContents()).toEqual(PAGE1_TEXTS);
    expect(await page.locator('.preview img').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, '20-target-feed.png'), fullPage: true });
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存: acme-feed' }).waitFor();
    expect(await fx.app.store.getTarget('acme-feed')).toMatchObject({ kind: 'feed', url: `${forum.origin}/feed.xml`, brand: 'acme' });
  });

  it('adds a Mastodon hashtag target from the preset parameters', async () => {
    await page.getByLabel('ID', { exact: true }).fill('acme-mastodon');
    await page.getByLabel('预设').selectOption('mastodon');
    // The preset sets the kind (json) and asks for its parameters, not for a mapping.
    expect(await page.getByLabel('类型').inputValue()).toBe('json');
    expect(await page.getByLabel('类型').isDisabled()).toBe(true);
    expect(await page.getByLabel('正文路径（text）').isVisible()).toBe(false);
    expect(await page.getByLabel('搜索词（query）').isVisible()).toBe(false);
    await page.getByLabel('实例地址（base，可选）').fill(forum.origin);
    await page.getByLabel('话题标签（hashtag）').fill('acme');
    await expect.poll(previewCount, { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');
    expect(await page.locator('.preview-posts .post-text').allTextContents()).toEqual(PAGE1_TEXTS);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, '21-target-mastodon.png'), fullPage: true });
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存: acme-mastodon' }).waitFor();
    expect(await fx.app.store.getTarget('acme-mastodon')).toMatchObject({ kind: 'json', preset: 'mastodon', url: `${forum.origin}/api/v1/timelines/tag/acme?limit=40` });
    const rows = await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(rows).toEqual([
      ['acme-feed', 'acme', 'feed'],
      ['acme-mastodon', 'acme', 'json · Mastodon 话题标签'],
    ]);
    await page.screenshot({ path: join(SHOTS, '22-targets-list.png'), fullPage: true });
  });

  it('opens a saved preset target with its preset and kind', async () => {
    await page.getByRole('row', { name: /acme-mastodon/ }).getByRole('button', { name: '编辑' }).click();
    expect(await page.getByLabel('预设').inputValue()).toBe('mastodon');
    expect(await page.getByLabel('网址').inputValue()).toBe(`${forum.origin}/api/v1/timelines/tag/acme?limit=40`);
    // Opening an existing target previews it at once, from its stored URL.
    await expect.poll(previewCount, { timeout: 20_000 }).toBe('预览抓取 1 页，提取到 3 条帖子');
    expect(pageErrors).toEqual([]);
  });
});
