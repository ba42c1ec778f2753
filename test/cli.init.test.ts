import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config.js';
import { assertBuilt, runVoc } from './helpers/cli.js';

beforeAll(assertBuilt);

const tempDir = () => mkdtempSync(join(tmpdir(), 'voc-init-'));
const period = new Date().toISOString().slice(0, 7);

describe('voc init: a starter config a new user can edit', () => {
  it('writes a valid file with the brand, in Chinese by default, and says what to do next', async () => {
    const dir = tempDir();
    const r = await runVoc(['init', '--id', 'xingchi', '--brand', '星驰汽车', '--taxonomy', 'car'], { cwd: dir });
    expect(r.code).toBe(0);
    const file = join(dir, 'voc.config.yaml');
    expect(r.stdout.split('\n')).toEqual([
      `已写入 ${file}：品牌 xingchi（“星驰汽车”），方面分类 car。下一步：`,
      '  1. 添加抓取目标：voc targets add --id xingchi-forum --brand xingchi --url URL --selectors item=…,text=…（或用 --preset）',
      '  2. 试抓：        voc targets test xingchi-forum',
      '  3. 抓取：        voc crawl',
      `  4. 生成报告：    voc report --brand xingchi --period ${period}`,
      '品牌别名、竞品、产品和定时报告请直接编辑该文件；voc config check 可校验它。',
      '',
    ]);
    expect(readdirSync(dir)).toEqual(['voc.config.yaml']); // no temp file left beside it
    const { config } = loadConfig(file);
    expect(config.locale).toBe('zh-CN');
    expect(config.brands).toEqual([
      { id: 'xingchi', name: '星驰汽车', aliases: [], competitors: [], promises: ['convenience', 'premium_service', 'reliable_quality', 'modern'], aspectTaxonomy: 'car', products: [] },
    ]);
    expect(config.crawler.respectRobots).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('# 定时报告：voc scheduler 按 cron 安装');
    const check = await runVoc(['config', 'check'], { cwd: dir });
    expect([check.code, check.stdout, check.stderr]).toEqual([0, '配置有效：1 个品牌，抓取目标 0 个（配置文件中 0 个，用 voc targets add 添加的 0 个）\n', '']);
  });

  it('its commented target and report examples are valid config once uncommented', async () => {
    const dir = tempDir();
    expect((await runVoc(['init', '--id', 'acme'], { cwd: dir })).code).toBe(0);
    const file = join(dir, 'voc.config.yaml');
    const uncommented = readFileSync(file, 'utf8').replace(/^# (targets:|reports:|  )/gm, '$1');
    writeFileSync(file, uncommented);
    const check = await runVoc(['--lang', 'en', 'config', 'check'], { cwd: dir });
    expect([check.code, check.stdout, check.stderr]).toEqual([0, 'Config valid: 1 brand, 1 target (1 in the config file, 0 added with voc targets add)\n', '']);
    const { config } = loadConfig(file);
    expect(config.targets.map((t) => [t.id, t.brand, t.url])).toEqual([['acme-forum', 'acme', 'https://forum.example.com/acme/']]);
    expect(config.reports.map((s) => [s.id, s.brand, s.schedule, s.period])).toEqual([['acme-weekly', 'acme', '0 9 * * 1', 'last-week']]);
  });

  it('in English: comments, locale and the next steps; a Latin brand name gives the id', async () => {
    const dir = tempDir();
    const r = await runVoc(['--lang', 'en', 'init', '--brand', 'Acme Retail'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`Wrote ${join(dir, 'voc.config.yaml')}: brand acme-retail ("Acme Retail"), aspect taxonomy retail. Next:`);
    const text = readFileSync(join(dir, 'voc.config.yaml'), 'utf8');
    expect(text).toMatch(/^locale: en +# report language: zh-CN or en$/m);
    expect(text).not.toMatch(/[\u4e00-\u9fff]/); // no Chinese comment left in an English file
    expect(loadConfig(join(dir, 'voc.config.yaml')).config.brands.map((b) => [b.id, b.name])).toEqual([['acme-retail', 'Acme Retail']]);
  });

  it('keeps a hostile brand name as data: quotes, a colon, a hash and a line break do not change the YAML', async () => {
    const dir = tempDir();
    const name = 'Acme "Retail": #1\nbrands: []';
    expect((await runVoc(['init', '--id', 'acme', '--brand', name], { cwd: dir })).code).toBe(0);
    const { config } = loadConfig(join(dir, 'voc.config.yaml'));
    expect(config.brands.map((b) => [b.id, b.name])).toEqual([['acme', name]]);
  });

  it('never replaces a file without --force, and with it replaces the file whole', async () => {
    const dir = tempDir();
    const file = join(dir, 'voc.config.yaml');
    writeFileSync(file, 'brands: []\n# my own file\n');
    for (const [lang, line] of [
      ['zh-CN', `voc: ${file}：已存在；请直接编辑它，或加 --force 用初始配置替换`],
      ['en', `voc: ${file}: already exists; edit it, or pass --force to replace it with a starter`],
    ]) {
      const r = await runVoc(['--lang', lang, 'init', '--id', 'acme'], { cwd: dir });
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `${line}\n`]);
    }
    expect(readFileSync(file, 'utf8')).toBe('brands: []\n# my own file\n');
    expect((await runVoc(['init', '--id', 'acme', '--force'], { cwd: dir })).code).toBe(0);
    expect(loadConfig(file).config.brands.map((b) => b.id)).toEqual(['acme']);
    expect(readdirSync(dir)).toEqual(['voc.config.yaml']);
  });

  it('writes to the --config path', async () => {
    const dir = tempDir();
    const r = await runVoc(['--config', 'other.yaml', 'init', '--id', 'acme'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['other.yaml']);
    const check = await runVoc(['--config', 'other.yaml', 'config', 'check'], { cwd: dir });
    expect(check.stdout).toBe('配置有效：1 个品牌，抓取目标 0 个（配置文件中 0 个，用 voc targets add 添加的 0 个）\n');
  });

  const bad: Array<[string, string[], string, string]> = [
    ['a Chinese name without --id', ['--brand', '星驰汽车'], '--id：必须提供，因为无法从品牌名称“星驰汽车”生成 ID；请给出由小写字母、数字、_ 或 - 组成的 ID（例如 --id xingchi）', '--id: needed, as no id can be made from the brand name "星驰汽车"; give one of lower-case letters, digits, _ or - (e.g. --id xingchi)'],
    ['an id with capitals', ['--id', 'Acme'], '--id：“Acme”不是有效的 ID；请使用小写字母、数字、_ 或 -（例如 --id acme）', '--id: "Acme" is not an id; use lower-case letters, digits, _ or - (e.g. --id acme)'],
    ['an empty name', ['--brand', ' '], '--brand：为空；请给出帖子中写的品牌名称', '--brand: empty; give the brand name as posts write it'],
    ['an unknown taxonomy', ['--id', 'acme', '--taxonomy', 'food'], '--taxonomy：未知的方面分类“food”；应为 car、retail、electronics 之一（自定义分类可在生成后写在文件的 aspects: 下）', '--taxonomy: unknown taxonomy "food"; use one of car, retail, electronics (define your own under aspects: in the file afterwards)'],
  ];
  for (const [what, args, zh, en] of bad)
    it(`refuses ${what}: one line naming the option, exit 2, no file`, async () => {
      const dir = tempDir();
      for (const [lang, line] of [['zh-CN', zh], ['en', en]]) {
        const r = await runVoc(['--lang', lang, 'init', ...args], { cwd: dir });
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `voc: ${line}\n`]);
      }
      expect(readdirSync(dir)).toEqual([]);
    });

  it('a folder that does not exist: one line naming the file, and nothing left behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'missing', 'voc.config.yaml');
    const r = await runVoc(['--lang', 'en', '--config', file, 'init', '--id', 'acme'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, `voc: ${file}: cannot write it (ENOENT); check that the folder exists and is writable\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('voc config check without a config file says so and how to make one', async () => {
    const dir = tempDir();
    const r = await runVoc(['config', 'check'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '配置有效：0 个品牌，抓取目标 0 个（配置文件中 0 个，用 voc targets add 添加的 0 个）\n', '提示：找不到 voc.config.yaml，以下按默认配置（没有品牌）校验；voc init 可生成一个含一个品牌的初始配置\n']);
  });
});
