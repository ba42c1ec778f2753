/**
 * The schedules page in real Chromium against a console with real Redis (own key prefix): an
 * analyst adds a weekly crawl schedule, sees when it fires next, and removes it; axe-core finds
 * no serious violation; screenshots under /tmp/voc-e2e/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolveTarget } from '../core/config.js';
import { listSchedules } from '../workers/schedules.js';
import { openQueues, type Queues } from '../workers/queues.js';
import { createRedis, type RedisClient } from '../workers/redis.js';
import { PASSWORDS, startConsole, type ConsoleFixture } from './console.fixture.js';
import { FORUM_SELECTORS } from './console.site.js';
import { dropPrefix, testQueueEnv } from './fixtures/workers/redis.js';
import { ROOT } from './helpers/cli.js';

const WEB_DIR = join(ROOT, 'web', 'dist');
const SHOTS = '/tmp/voc-e2e';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const env = testQueueEnv('console-e2e');
let redis: RedisClient;
let queues: Queues;
let fx: ConsoleFixture;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (npm test does it) before this test');
  mkdirSync(SHOTS, { recursive: true });
  redis = createRedis(env);
  queues = openQueues(redis, env.prefix);
  fx = await startConsole({ webDir: WEB_DIR, queues, queuePrefix: env.prefix });
  await fx.app.store.saveTarget(resolveTarget({ id: 'acme-forum', brand: 'acme', url: 'http://127.0.0.1:9/forum', selectors: FORUM_SELECTORS }, fx.config));
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await (await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 800 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  await queues?.close();
  redis?.disconnect();
  await dropPrefix(env.redisUrl, env.prefix);
});

describe('schedules page', () => {
  it('adds a weekly crawl schedule, shows its next run and removes it', async () => {
    await page.goto(`${fx.base}/#/schedules`);
    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill(PASSWORDS.analyst);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '添加定时任务' }).waitFor();
    expect(await page.getByText('还没有定时任务').count()).toBe(1);
    // Brand and period are for report schedules: hidden for a crawl.
    expect(await page.getByLabel('品牌').isVisible()).toBe(false);
    await page.getByLabel('类型').selectOption('report');
    expect(await page.getByLabel('品牌').isVisible()).toBe(true);
    await page.getByLabel('类型').selectOption('crawl');
    await page.getByLabel('ID', { exact: true }).fill('acme-forum');
    await page.getByLabel('Cron 表达式').fill('0 9 * * 1');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('table tbody tr').waitFor();
    const cells = await page.locator('table tbody tr td').allTextContents();
    expect(cells.slice(0, 5)).toEqual(['抓取', 'acme-forum', '0 9 * * 1', 'Asia/Shanghai', 'acme-forum']);
    // Next run: a Monday 09:00 in Shanghai, printed in the console's zone.
    expect(cells[5]).toMatch(/^\d{4}-\d{2}-\d{2} 09:00$/);
    expect(cells[6]).toBe('控制台添加'); // origin: made in the console, not by `voc schedule add`
    expect(new Date(`${cells[5]!.replace(' ', 'T')}:00+08:00`).getUTCDay()).toBe(1);
    expect((await listSchedules(queues)).map((s) => [s.kind, s.id])).toEqual([['crawl', 'acme-forum']]);

    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe;
      return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(SHOTS, '10-schedules-redis.png'), fullPage: true });

    await page.getByLabel('ID', { exact: true }).fill('acme-forum');
    await page.getByLabel('Cron 表达式').fill('every monday');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^出错了: 字段 cron\/tz 无效：“every monday”不是 cron 表达式/);

    await page.getByRole('button', { name: '删除' }).click();
    await page.getByText('还没有定时任务').waitFor();
    expect(await listSchedules(queues)).toEqual([]);
  });
});
