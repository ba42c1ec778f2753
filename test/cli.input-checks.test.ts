/**
 * Input the CLI used to take silently or answer badly (an audit's findings): each is one line in the
 * output language naming the field or option, exit 2, or the output the user was missing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, runVoc } from './helpers/cli.js';
import { openStore } from '../store/open.js';
import { startServer, type TestServer } from './crawler.server.js';

beforeAll(assertBuilt);

/** A folder with a config file of `yaml`; commands run with VOC_LANG unset unless a test sets it. */
function project(yaml: string): { dir: string; file: string; voc: (args: string[], env?: NodeJS.ProcessEnv) => ReturnType<typeof runVoc> } {
  const dir = mkdtempSync(join(tmpdir(), 'voc-input-'));
  const file = join(dir, 'voc.config.yaml');
  writeFileSync(file, yaml);
  return { dir, file, voc: (args, env = {}) => runVoc(['--config', file, ...args], { cwd: dir, env: { VOC_LANG: '', ...env } }) };
}

const BRAND = 'brands:\n  - { id: youpin, name: 优品汇 }\n';
const LOOPBACK = 'crawler:\n  allowPrivateHosts: [127.0.0.1]\n';

describe('config check', () => {
  it('a misspelt aspectTaxonomy is refused with the valid ones', async () => {
    const p = project('brands:\n  - { id: youpin, name: 优品汇, aspectTaxonomy: retial }\n');
    const r = await p.voc(['config', 'check']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `voc: ${p.file}：brands.0.aspectTaxonomy：未知的方面分类“retial”；是否想写 retail？应为 car、retail、electronics 之一（或在配置的 aspects: 下定义的分类）\n`,
    ]);
  });

  it('a misspelt channel id is refused with the shipped one it is near', async () => {
    const p = project(`${BRAND}channels:\n  stroe: { aliases: [门市] }\n`);
    const r = await p.voc(['--lang', 'en', 'config', 'check']);
    expect([r.code, r.stderr]).toEqual([2, `voc: ${p.file}: channels.stroe: unknown channel "stroe"; did you mean store? (a new channel needs a label { zh-CN, en })\n`]);
  });

  it('a file without brands is valid with a notice saying voc init writes one; nothing is created', async () => {
    for (const yaml of ['', 'brands: []\n']) {
      const p = project(yaml);
      const r = await p.voc(['config', 'check']);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        0,
        '配置有效：0 个品牌，抓取目标 0 个（配置文件中 0 个，用 voc targets add 添加的 0 个）\n',
        '提示：配置中没有品牌，抓取和报告都需要至少一个；voc init 可生成含一个品牌的初始配置，或在 brands: 下添加\n',
      ]);
      expect(readdirSync(p.dir)).toEqual(['voc.config.yaml']);
    }
  });

  it('counts the targets in the file and those added with voc targets add', async () => {
    const p = project(`${LOOPBACK}${BRAND}targets:\n  - { id: in-file, brand: youpin, url: "http://127.0.0.1:9/a/", selectors: { item: li, text: p } }\n`);
    const add = await p.voc(['targets', 'add', '--id', 'added', '--brand', 'youpin', '--url', 'http://127.0.0.1:9/b/', '--selectors', 'item=li,text=p']);
    expect(add.code).toBe(0);
    const r = await p.voc(['--lang', 'en', 'config', 'check']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'Config valid: 1 brand, 2 targets (1 in the config file, 1 added with voc targets add)\n', '']);
  });

  it('a YAML error names the line and column and quotes the line; a folder and a missing file say what they are', async () => {
    const p = project('brands:\n  - id: a\n\t  name: A\n');
    const r = await p.voc(['config', 'check']);
    expect(r.stderr).toBe(`voc: ${p.file}：不是有效的 YAML：第 3 行第 1 列：Tabs are not allowed as indentation（该行内容为 "name: A"）\n`);
    const folder = await runVoc(['-c', p.dir, '--lang', 'en', 'config', 'check']);
    expect([folder.code, folder.stderr]).toEqual([2, `voc: ${p.dir}: is a folder, not a config file; pass the file itself (e.g. --config ${join(p.dir, 'voc.config.yaml')})\n`]);
    const missing = join(p.dir, 'nope.yaml');
    const gone = await runVoc(['-c', missing, '--lang', 'en', 'config', 'check']);
    expect([gone.code, gone.stderr]).toEqual([2, `voc: config file not found: ${missing}; \`voc -c ${missing} init\` writes a starter one, or pass --config with the path of yours\n`]);
  });
});

describe('targets added from the CLI follow the config as it is now', () => {
  it('removing the host from allowPrivateHosts revokes access, also for a target an older voc stored with allowPrivate: true', async () => {
    const p = project(`dataDir: data\n${LOOPBACK}${BRAND}`);
    expect((await p.voc(['targets', 'add', '--id', 'my-forum', '--brand', 'youpin', '--url', 'http://127.0.0.1:9/forum/', '--selectors', 'item=li,text=p'])).code).toBe(0);
    // As voc 0.1 stored targets: every default frozen in, the allowance included.
    const store = await openStore({ dataDir: join(p.dir, 'data') });
    await store.saveTarget({ id: 'old', kind: 'html', url: 'http://127.0.0.1:9/old/', brand: 'youpin', source: 'old', maxPages: 50, delayMs: 1000, allowPrivate: true, timeZone: 'Asia/Shanghai', selectors: { item: 'li', text: 'p' } });
    await store.close();
    const shown = JSON.parse((await p.voc(['targets', 'show', 'my-forum'])).stdout) as { target: Record<string, unknown> };
    expect([shown.target.allowPrivate, shown.target.delayMs]).toEqual([true, 1000]);

    writeFileSync(p.file, `dataDir: data\ncrawler:\n  defaultDelayMs: 2500\n${BRAND}`);
    for (const id of ['my-forum', 'old']) {
      const after = JSON.parse((await p.voc(['targets', 'show', id])).stdout) as { target: Record<string, unknown> };
      expect([after.target.allowPrivate, after.target.delayMs]).toEqual([false, id === 'old' ? 1000 : 2500]);
      const test = await p.voc(['--lang', 'en', 'targets', 'test', id]);
      expect(test.stdout).toContain(`refused http://127.0.0.1:9/${id === 'old' ? 'old' : 'forum'}/: is a loopback address`);
    }
  });

  it('allowPrivate is not taken from a target spec: the config file grants it', async () => {
    const p = project(`${LOOPBACK}${BRAND}`);
    const spec = join(p.dir, 't.yaml');
    writeFileSync(spec, 'id: t\nbrand: youpin\nurl: http://127.0.0.1:9/\nallowPrivate: true\nselectors: { item: li, text: p }\n');
    const r = await p.voc(['--lang', 'en', 'targets', 'add', '--spec', spec]);
    expect([r.code, r.stderr]).toEqual([2, `voc: ${spec}: allowPrivate: not accepted on a target added outside the config file; list the host under crawler.allowPrivateHosts in the config instead\n`]);
  });

  it('--selectors: invalid CSS and unknown keys are refused when added, with the key meant', async () => {
    const p = project(`${LOOPBACK}${BRAND}`);
    const add = (selectors: string) => p.voc(['targets', 'add', '--id', 't', '--brand', 'youpin', '--url', 'http://127.0.0.1:9/', '--selectors', selectors]);
    const dots = await add('item=article..post,text=b');
    expect([dots.code, dots.stderr]).toEqual([2, 'voc: --selectors item：“article..post”不是有效的 CSS 选择器（类名或 ID 为空：是否连写了两个 . 或 #？）\n']);
    const unclosed = await add('item=div[data-x,text=b');
    expect([unclosed.code, unclosed.stderr]).toEqual([2, "voc: --selectors item：“div[data-x”不是有效的 CSS 选择器（Attribute selector didn't terminate）\n"]);
    const typo = await add('item=article.post,txt=.content');
    expect([typo.code, typo.stderr]).toEqual([2, 'voc: --selectors：未知的键 txt；是否想写 text？可用的键：item、text、id、author、time、timeFormat、link、rating、likes、replies、shares、nextPage\n']);
    expect((await p.voc(['targets', 'list'])).stdout).toBe('还没有抓取目标：用 `voc targets add` 添加，或写在 voc.config.yaml 的 targets 下\n');
    const ok = await add('item=article.post,text=.content,id=@data-id,link=a.permalink@href');
    expect([ok.code, ok.stdout]).toEqual([0, '已添加目标 t（html，http://127.0.0.1:9/）\n']);
  });

  it('an import names the file and the target in the output language\'s punctuation', async () => {
    const p = project(BRAND);
    const file = join(p.dir, 'imp.yaml');
    writeFileSync(file, '- { id: t, brand: nope, url: "https://example.com/", selectors: { item: li, text: p } }\n');
    const r = await p.voc(['targets', 'import', file]);
    expect(r.stderr).toBe(`voc: ${file}：targets.0：brand：未知品牌“nope”；应为 brands 下的某个 id（youpin）\n`);
  });
});

describe('dates given as options', () => {
  const p = project(BRAND);
  it('impossible days and years out of range are refused, naming the option', async () => {
    const cases: Array<[string[], string]> = [
      [['report', '--brand', 'youpin', '--from', '2026-11-01', '--to', '2026-11-31'], 'voc: --to：“2026-11-31”不是有效日期：2026-11 只有 30 天\n'],
      [['crawl', '--since', '2026-11-31'], 'voc: --since：“2026-11-31”不是有效日期：2026-11 只有 30 天\n'],
      [['report', '--brand', 'youpin', '--period', '0000-01'], 'voc: --period：“0000-01”的年份 0000 超出范围；应在 1970 到 9999 之间\n'],
      [['posts', 'list', '--from', '2026-02-30'], 'voc: --from：“2026-02-30”不是有效日期：2026-02 只有 28 天\n'],
      [
        ['report', '--brand', 'youpin', '--from', '2026-01-01', '--to', '9999-12-31'],
        'voc: --to：报告期 2026-01-01..9999-12-31 太长，无法生成报告：报告会与之前同样长的一段时间比较，而那段时间会早于 1970 年；请缩短报告期\n',
      ],
      [['crawl', '--report-period', '2026-13'], 'voc: --report-period：应为 YYYY-MM 格式的月份（例如 2026-10），实际为“2026-13”\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await p.voc(args);
      expect([args.join(' '), r.code, r.stdout, r.stderr]).toEqual([args.join(' '), 2, '', stderr]);
    }
    expect(readdirSync(p.dir)).toEqual(['voc.config.yaml']);
  });
});

describe('the output language', () => {
  it('an unknown --lang or VOC_LANG is refused in both languages; zh, EN-us and the like are taken', async () => {
    const p = project(BRAND);
    const fr = await p.voc(['--lang', 'fr', 'config', 'check']);
    expect([fr.code, fr.stdout, fr.stderr]).toEqual([
      2,
      '',
      'voc: --lang：不支持的语言“fr”；可用 zh-CN（或 zh）、en（或 en-US 等） | --lang: unsupported language "fr"; use zh-CN (or zh) or en (or en-US, en-GB…)\n',
    ]);
    const env = await p.voc(['config', 'check'], { VOC_LANG: 'fr' });
    expect([env.code, env.stderr]).toEqual([2, 'voc: VOC_LANG：不支持的语言“fr”；可用 zh-CN（或 zh）、en（或 en-US 等） | VOC_LANG: unsupported language "fr"; use zh-CN (or zh) or en (or en-US, en-GB…)\n']);
    const zh = await p.voc(['--lang', 'zh', 'config', 'check'], { VOC_LANG: 'en' });
    expect(zh.stdout).toBe('配置有效：1 个品牌，抓取目标 0 个（配置文件中 0 个，用 voc targets add 添加的 0 个）\n');
    const en = await p.voc(['--lang', 'EN-us', 'config', 'check']);
    expect(en.stdout).toBe('Config valid: 1 brand, 0 targets (0 in the config file, 0 added with voc targets add)\n');
  });

  it('voc init in a folder whose config says locale: en answers in English', async () => {
    const p = project(`locale: en\n${BRAND}`);
    const bad = await runVoc(['init', '--id', 'Bad ID', '--force'], { cwd: p.dir, env: { VOC_LANG: '' } });
    expect([bad.code, bad.stderr]).toEqual([2, 'voc: --id: "Bad ID" is not an id; use lower-case letters, digits, _ or - (e.g. --id acme)\n']);
    const exists = await runVoc(['init'], { cwd: p.dir, env: { VOC_LANG: '' } });
    expect([exists.code, exists.stderr]).toEqual([2, `voc: ${p.file}: already exists; edit it, or pass --force to replace it with a starter\n`]);
  });
});

describe('data directory and post filters', () => {
  it('a data directory that is a file says so', async () => {
    const p = project(BRAND);
    const file = join(p.dir, 'afile');
    writeFileSync(file, 'hi\n');
    const r = await p.voc(['--data-dir', file, 'targets', 'list']);
    expect([r.code, r.stderr]).toEqual([2, `voc: 数据目录 ${file}：是文件，不是文件夹；请用 --data-dir 或配置中的 dataDir 指定一个文件夹\n`]);
  });

  it('an unknown --target or --source lists the known ones; a brand name and a channel alias are taken', async () => {
    const p = project(`${LOOPBACK}${BRAND}`);
    await p.voc(['targets', 'add', '--id', 'my-forum', '--brand', 'youpin', '--url', 'http://127.0.0.1:9/', '--source', 'forum', '--selectors', 'item=li,text=p']);
    const target = await p.voc(['posts', 'list', '--target', 'nope']);
    expect([target.code, target.stderr]).toEqual([2, 'voc: --target：未知的抓取目标“nope”；已有：my-forum\n']);
    const source = await p.voc(['--lang', 'en', 'posts', 'list', '--source', 'nope']);
    expect([source.code, source.stderr]).toEqual([2, 'voc: --source: unknown source "nope"; known: forum\n']);
    for (const args of [['--brand', '优品汇'], ['--channel', '快递'], ['--target', 'my-forum'], ['--source', 'forum']]) {
      const r = await p.voc(['posts', 'list', ...args]);
      expect([args.join(' '), r.code, r.stdout, r.stderr]).toEqual([args.join(' '), 0, '没有符合条件的帖子\n', '']);
    }
  });
});

describe('crawl --report-period', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><article class="post" data-id="1"><p class="content">门店自提很方便，客服回复也快。</p><time datetime="2026-10-05T12:00:00+08:00">x</time></article></body></html>');
    });
  });
  afterAll(() => server.close());

  it('prints the path of each report it writes; report dates print in the config time zone', async () => {
    const p = project(
      `timeZone: Asia/Shanghai\ndataDir: data\n${LOOPBACK}${BRAND}targets:\n  - { id: f, brand: youpin, url: "${server.origin}/", delayMs: 0, maxPages: 1, selectors: { item: article.post, text: .content, id: "@data-id", time: time@datetime } }\n`,
    );
    const out = join(p.dir, 'out');
    const r = await p.voc(['crawl', '--report-period', '2026-10', '--report-format', 'html', '--report-out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(join(out, 'youpin-2026-10.html'));
    const list = await p.voc(['reports', 'list']);
    expect(list.stdout.split('\t')[5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });
});
