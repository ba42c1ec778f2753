/**
 * `voc targets suggest` prints a `targets add` line that works as printed: its id is made from the
 * URL and is one no stored target has (-2, -3... otherwise); and a page no selector can be guessed
 * for (a PDF, JSON, an empty page) is named for what it is, with what to do. The real binary over
 * a static forum on 127.0.0.1 and a real embedded store.
 */
import { describe, expect, it } from 'vitest';
import { suggestedTargetId } from '../cli/targets-suggest.js';
import { useOutcomeProject } from './crawler.outcome-site.js';

const project = useOutcomeProject('voc-suggest-id-', 'suggest-id-secret-0123456789abcdef');
const voc = project.voc;
/** The `voc targets add` line a suggestion ends with, split into words (quotes dropped). */
const addLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1)!.trim().replace(/'/g, '').split(' ');

describe('voc targets suggest', () => {
  it('prints an id made from the URL that no stored target has, and the printed line runs', async () => {
    const url = `${project.site.origin}/forum/list.html`;
    const first = await voc(['targets', 'suggest', url]);
    expect(first.code).toBe(0);
    const words = addLine(first.stdout);
    expect(words.slice(0, 7)).toEqual(['voc', 'targets', 'add', '--id', '127-0-0-1-list', '--brand', 'youpin']);
    expect((await voc(words.slice(1))).code).toBe(0);
    // The id is taken now: the next suggestion for the same page avoids it, and that line runs too.
    const second = addLine((await voc(['targets', 'suggest', url])).stdout);
    expect(second[4]).toBe('127-0-0-1-list-2');
    expect((await voc(second.slice(1))).code).toBe(0);
    expect(addLine((await voc(['targets', 'suggest', url])).stdout)[4]).toBe('127-0-0-1-list-3');
  });

  it('makes ids from hosts and paths', () => {
    const none = new Set<string>();
    expect(suggestedTargetId('https://www.bbs.example.cn/forum/acme.html', none)).toBe('bbs-example-acme');
    expect(suggestedTargetId('https://forum.example.com/acme/', none)).toBe('forum-example-acme');
    expect(suggestedTargetId('https://example.com/', none)).toBe('example');
    expect(suggestedTargetId('https://example.com/index.php', new Set(['example', 'example-2']))).toBe('example-3');
    expect(suggestedTargetId('https://bbs.example.cn/论坛/', none)).toBe('bbs-example');
  });

  it('names a PDF, JSON or an empty page for what it is, in either language, exit code 1', async () => {
    const pdf = await voc(['targets', 'suggest', `${project.site.origin}/forum/file.pdf`]);
    expect([pdf.code, pdf.stdout, pdf.stderr]).toEqual([
      1,
      '',
      `voc: ${project.site.origin}/forum/file.pdf：页面是 application/pdf（HTTP 200），不是 HTML 页面，无从猜测选择器；请改用站点列表页（论坛版块、评价列表）的 URL\n`,
    ]);
    const json = await voc(['targets', 'suggest', `${project.site.origin}/forum/data.json`], 'en');
    expect([json.code, json.stderr]).toEqual([
      1,
      `voc: ${project.site.origin}/forum/data.json: the page is application/json (HTTP 200), not an HTML page, so there are no selectors to guess; a JSON API is read by kind json with a json: mapping of its fields (voc targets add --spec FILE; README, Configuration), or by --preset for Mastodon, Bluesky or Reddit\n`,
    ]);
    const empty = await voc(['targets', 'suggest', `${project.site.origin}/forum/empty.html`], 'en');
    expect([empty.code, empty.stderr]).toEqual([
      1,
      `voc: ${project.site.origin}/forum/empty.html: the page is empty (HTTP 200, no content), so there are no selectors to guess; open the URL in a browser: if the posts show there, the site builds its pages with JavaScript (write selectors for --kind browser); if not, the URL is not the listing page\n`,
    ]);
  });
});
