/**
 * `voc targets suggest URL` through the real binary against the demo forum served over HTTP on
 * 127.0.0.1: the guessed selectors, the posts they extract, the `voc targets add` line it prints
 * (which, run as printed, crawls the forum with pagination), and its refusals.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoPosts } from '../demo/corpus/index.js';
import { startDemoSite, type DemoSite } from '../demo/site.js';
import { assertBuilt, runVoc } from './helpers/cli.js';

let site: DemoSite;
const root = mkdtempSync(join(tmpdir(), 'voc-suggest-'));
const allowed = join(root, 'allowed.yaml');
const strict = join(root, 'strict.yaml');

beforeAll(async () => {
  assertBuilt();
  site = await startDemoSite(loadDemoPosts());
  const base = `timeZone: Asia/Shanghai\ndataDir: data\nbrands:\n  - { id: youpinhui, name: 优品汇 }\n`;
  writeFileSync(allowed, `${base}crawler:\n  defaultDelayMs: 0\n  allowPrivateHosts: [127.0.0.1]\n`);
  writeFileSync(strict, base);
});

afterAll(async () => {
  await site?.close();
});

const voc = (config: string, args: string[]) => runVoc(['--config', config, ...args], { cwd: root, env: { VOC_AUTHOR_SECRET: 'suggest-cli-test-secret-0123456789' } });
const SELECTORS = 'item=article.post,text=div.content,id=@data-id,author=span.author,time=time@datetime,link=a.permalink@href,nextPage=a:contains("下一页")@href';

describe('voc targets suggest', () => {
  it('guesses the forum\'s selectors, shows what they extract and prints the add command', async () => {
    const url = site.forumUrl('youpinhui');
    const r = await voc(allowed, ['targets', 'suggest', url]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toEqual([
      `在 ${url} 上找到 12 条结构相同的帖子，建议的选择器：`,
      '  item     article.post',
      '  text     div.content',
      '  id       @data-id',
      '  author   span.author',
      '  time     time@datetime',
      '  link     a.permalink@href',
      '  nextPage a:contains("下一页")@href',
      '按这些选择器从本页提取的前 3 条：',
      '  2026-10-31 21:03  想问一下App里的优惠券和会员折扣能一起用吗？结账的时候好像只扣了一个。',
      '  2026-10-31 18:59  这款T恤面料很薄，洗了一次就起球了，领口也变形了，质量太差。',
      '  2026-10-31 18:38  App上预约了上门安装，安装师傅来了却说系统里没有我的单，只能重新预约，白请了一天假。',
      '确认无误后添加为抓取目标（ID 取自网址且未被占用，ID 和品牌可按需修改）：',
      `  voc targets add --id 127-0-0-1-youpinhui --brand youpinhui --url '${url}' --selectors '${SELECTORS}'`,
      '',
    ]);
    // What it printed works: the target crawls the first two pages of the forum.
    expect((await voc(allowed, ['targets', 'add', '--id', '127-0-0-1-youpinhui', '--brand', 'youpinhui', '--url', url, '--selectors', SELECTORS])).code).toBe(0);
    const test = await voc(allowed, ['targets', 'test', '127-0-0-1-youpinhui', '--max-pages', '2', '--json']);
    const tested = JSON.parse(test.stdout) as { posts: unknown[]; summary: { pages: number } };
    expect([tested.summary.pages, tested.posts.length]).toEqual([2, 24]);
  });

  it('--json in English: the selectors, the next page and the sample posts', async () => {
    const url = site.forumUrl('youpinhui');
    const r = await voc(allowed, ['--lang', 'en', 'targets', 'suggest', url, '--json', '--limit', '1']);
    expect(JSON.parse(r.stdout)).toEqual({
      url,
      items: 12,
      selectors: { item: 'article.post', text: 'div.content', id: '@data-id', time: 'time@datetime', author: 'span.author', link: 'a.permalink@href', nextPage: 'a:contains("下一页")@href' },
      nextPage: `${url}?page=2`,
      posts: [{ text: '想问一下App里的优惠券和会员折扣能一起用吗？结账的时候好像只扣了一个。', publishedAt: '2026-10-31T13:03:00.000Z', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/forum\/youpinhui\/post\/yp-\d+$/) }],
    });
  });

  it('a page without posts, a loopback address not allowed, and a bad URL: one line each', async () => {
    const none = await voc(allowed, ['--lang', 'en', 'targets', 'suggest', site.url + '/']);
    expect([none.code, none.stdout]).toEqual([1, '']);
    expect(none.stderr).toBe(
      `voc: ${site.url}/: no repeated, post-like structure found on the page; if its posts are made by JavaScript, write the selectors by hand and use --kind browser (README, Configuration)\n`,
    );
    const refused = await voc(strict, ['targets', 'suggest', site.forumUrl('youpinhui')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^voc: 已拒绝 http:\/\/127\.0\.0\.1:\d+\/forum\/youpinhui\/：.*crawler\.allowPrivateHosts.*\n$/);
    const bad = await voc(allowed, ['targets', 'suggest', 'ftp://example.com/x']);
    expect([bad.code, bad.stderr]).toEqual([2, 'voc: URL：应为以 http:// 或 https:// 开头的完整 URL，实际为“ftp://example.com/x”\n']);
  });
});
