/**
 * `voc crawl` (in-process) reports what happened to each target and derives the run's status and
 * exit code from it: a target that failed (errors, no post read, no 304) fails the run, names
 * itself under the table and in `voc runs show`; an unchanged target (304) does not. Also: fixing
 * a target's selectors with `targets add --replace` gets its posts on the next crawl (no 304),
 * `--refetch`, and a page snapshot named once, on its own line. The real binary over a static
 * forum on 127.0.0.1 and a real embedded store.
 */
import { describe, expect, it } from 'vitest';
import { GOOD_SELECTORS, useOutcomeProject, WRONG_SELECTORS } from './crawler.outcome-site.js';

const project = useOutcomeProject('voc-outcome-', 'outcome-cli-secret-0123456789abcdef');
const voc = project.voc;
const add = async (id: string, path: string, selectors: string, replace = false) => {
  const r = await voc(['targets', 'add', ...(replace ? ['--replace'] : []), '--id', id, '--brand', 'youpin', '--url', `${project.site.origin}${path}`, '--selectors', selectors]);
  expect([r.code, r.stderr]).toEqual([0, '']);
};
interface CrawlJson {
  id: string;
  status: string;
  failedTargets: string[];
  targets: Array<{ targetId: string; stoppedBecause: string; outcome: string; stats: { statuses: Record<string, number>; postsNew: number } }>;
}
const crawlJson = async (args: string[]) => {
  const r = await voc(['crawl', ...args, '--json']);
  const out = JSON.parse(r.stdout) as CrawlJson;
  return { code: r.code, status: out.status, failed: out.failedTargets, targets: out.targets.map((t) => [t.targetId, t.outcome, t.stoppedBecause, t.stats.postsNew]), id: out.id };
};
/** The lines of a text, each with the run's random parts (ids, dates, ports) left as they are. */
const lines = (s: string) => s.trimEnd().split('\n');

describe('a crawl run is what its targets did', () => {
  it('selectors that find nothing fail the run with exit code 1, name the target, and keep no validators; the fixed target gets its posts', async () => {
    await add('fixme2', '/forum/list.html', WRONG_SELECTORS);
    const r = await voc(['crawl', 'fixme2']);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    // The snapshot is named once, whole, on its own line; the message above it does not cut it.
    expect(out[3]).toBe(`  fixme2: 提取失败 × 1 — ${project.site.origin}/forum/list.html：抓取目标 fixme2 的选择器在页面上没有找到帖子（HTTP 200）；站点可能改了页面结构`);
    expect(out[4]).toMatch(/^ {6}页面快照: \S+\/snapshots\/fixme2\/\d{4}-\d{2}-\d{2}\/\d{6}-[0-9a-f]{12}\.html\.gz$/);
    expect(out.slice(5, 7)).toEqual([
      '已分类 0 条帖子',
      '失败的目标：fixme2（出错，没有读到帖子，也没有 304 未变化），所以本次运行算失败；原因见各目标的错误，`voc targets test ID` 可查看目标能提取到什么',
    ]);
    expect(out[7]).toMatch(/^运行 \S+（pipeline）：失败$/);

    await add('fixme2', '/forum/list.html', GOOD_SELECTORS, true);
    expect(await crawlJson(['fixme2'])).toMatchObject({ code: 0, status: 'succeeded', failed: [], targets: [['fixme2', 'ok', 'no_next', 3]] });
    // Now it is unchanged: a 304, and the run still succeeds.
    expect(await crawlJson(['fixme2'])).toMatchObject({ code: 0, status: 'succeeded', failed: [], targets: [['fixme2', 'unchanged', 'not_modified', 0]] });
    // --refetch: no 304 this once; the posts are all stored already.
    const refetched = await voc(['crawl', 'fixme2', '--refetch', '--json']);
    expect((JSON.parse(refetched.stdout) as CrawlJson).targets[0]).toMatchObject({ outcome: 'ok', stoppedBecause: 'known', stats: { statuses: { '200': 1 } } });
  });

  it('an unchanged target and a 404 target: failed because of the 404 only; all kinds together: failed, naming each failed target', async () => {
    await add('healthy', '/forum/other.html', GOOD_SELECTORS);
    await add('t404', '/forum/gone.html', 'item=a.b,text=.c');
    await add('pdf', '/forum/file.pdf', 'item=a.b,text=.c');
    await add('wrong', '/forum/other.html', WRONG_SELECTORS);
    // fixme2 is unchanged (304) since the test above.
    expect(await crawlJson(['fixme2', 't404'])).toMatchObject({
      code: 1,
      status: 'failed',
      failed: ['t404'],
      targets: [
        ['fixme2', 'unchanged', 'not_modified', 0],
        ['t404', 'failed', 'error', 0],
      ],
    });
    const all = await crawlJson(['healthy', 'fixme2', 't404', 'wrong', 'pdf']);
    expect(all).toMatchObject({
      code: 1,
      status: 'failed',
      failed: ['t404', 'wrong', 'pdf'],
      targets: [
        ['healthy', 'ok', 'no_next', 3],
        ['fixme2', 'unchanged', 'not_modified', 0],
        ['t404', 'failed', 'error', 0],
        ['wrong', 'failed', 'empty_page', 0],
        ['pdf', 'failed', 'error', 0],
      ],
    });
    // A 404 target crawled again still stopped on its error, not on a "loop".
    expect(await crawlJson(['t404'])).toMatchObject({ code: 1, targets: [['t404', 'failed', 'error', 0]] });
    // `voc runs show` says the same as the crawl did.
    const show = await voc(['runs', 'show', all.id], 'en');
    expect(show.code).toBe(0);
    expect(lines(show.stdout)[0]).toBe(`Run ${all.id} (pipeline): failed`);
    expect(lines(show.stdout)).toContain(
      '  Failed targets: t404, wrong, pdf (errors, no post read, no 304 Not Modified), so the run failed; their errors say why, and `voc targets test ID` shows what a target extracts',
    );
    expect(lines(show.stdout)).toContain(
      `  ! pdf: ${project.site.origin}/forum/file.pdf: the page is application/pdf (HTTP 200), not an HTML page, so the selectors of target pdf cannot read it; use the URL of the site's listing page (a forum board, a review list)`,
    );
  });

  it('healthy and unchanged targets only: succeeded, exit code 0, no failed-target line', async () => {
    const r = await voc(['crawl', 'healthy', 'fixme2'], 'en');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.some((l) => l.startsWith('Failed targets'))).toBe(false);
    expect(out.at(-1)).toMatch(/^Run \S+ \(pipeline\): succeeded$/);
  });
});
