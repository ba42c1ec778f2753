/**
 * Config checks that used to pass silently: a misspelt aspect taxonomy or channel id, and the
 * defaults a target added outside the config froze into the store (delay, time zone, and the
 * private-address allowance, which must follow the config as it is now).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brandNamed, effectiveTarget, loadConfig, parseConfig, resolveTarget, storedFormOf, type VocConfig } from '../core/config.js';
import { editDistance, nearest } from '../core/nearest.js';
import { STARTER_TAXONOMIES } from '../core/starter-config.js';
import { DEFAULT_CHANNELS, type Target } from '../core/types.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { failure } from './helpers/errors.js';


const brand = (extra: Record<string, unknown> = {}) => ({ id: 'youpin', name: '优品汇', ...extra });

describe('aspectTaxonomy', () => {
  it('a misspelt taxonomy is an error naming the field, the nearest id and the valid ones', () => {
    expect(failure(() => parseConfig({ brands: [brand({ aspectTaxonomy: 'retial' })] }, 'voc.config.yaml'))).toEqual({
      en: 'voc.config.yaml: brands.0.aspectTaxonomy: unknown taxonomy "retial"; did you mean retail? expected one of car, retail, electronics (or a taxonomy defined in the config under aspects:)',
      zh: 'voc.config.yaml：brands.0.aspectTaxonomy：未知的方面分类“retial”；是否想写 retail？应为 car、retail、electronics 之一（或在配置的 aspects: 下定义的分类）',
    });
  });

  it('a taxonomy defined under aspects: is valid, and is listed when another id is not', () => {
    const aspects = { watch: { strap: ['表带'] } };
    expect(parseConfig({ brands: [brand({ aspectTaxonomy: 'watch' })], aspects }).brands[0]!.aspectTaxonomy).toBe('watch');
    expect(failure(() => parseConfig({ brands: [brand({ aspectTaxonomy: 'food' })], aspects })).en).toBe(
      'voc.config.yaml: brands.0.aspectTaxonomy: unknown taxonomy "food"; expected one of car, retail, electronics (or watch defined under aspects:)',
    );
  });

  it('the shipped taxonomies and channels named in core are those of the lexicons', () => {
    const lex = loadLexicons();
    expect(Object.keys(lex.aspects).sort()).toEqual([...STARTER_TAXONOMIES].sort());
    expect(Object.keys(lex.channels).sort()).toEqual([...DEFAULT_CHANNELS].sort());
  });
});

describe('channels:', () => {
  it('an id two edits from a shipped channel is named with it', () => {
    expect(failure(() => parseConfig({ brands: [brand()], channels: { stroe: { aliases: ['门市'] } } }))).toEqual({
      en: 'voc.config.yaml: channels.stroe: unknown channel "stroe"; did you mean store? (a new channel needs a label { zh-CN, en })',
      zh: 'voc.config.yaml：channels.stroe：未知的渠道“stroe”；是否想写 store？（新渠道需要 label { zh-CN, en }）',
    });
  });

  it('a new channel needs its label in both languages; with it, and for shipped ids, the config is as before', () => {
    expect(failure(() => parseConfig({ channels: { forum: { label: { en: 'Forum' }, aliases: ['论坛'] } } })).en).toBe(
      'voc.config.yaml: channels.forum.label: a new channel needs a label in zh-CN and en, e.g. { zh-CN: 车友论坛, en: Owners forum }; the shipped channels are website, app, marketplace, store, customer_service, delivery, after_sales, social_media',
    );
    const ok = parseConfig({ channels: { forum: { label: { 'zh-CN': '论坛', en: 'Forum' }, aliases: ['论坛'] }, store: { aliases: ['门市'] } } });
    expect(ok.channels).toEqual({ forum: { label: { 'zh-CN': '论坛', en: 'Forum' }, aliases: ['论坛'] }, store: { aliases: ['门市'] } });
  });

  it('nearest offers an id only within two edits, counting a swap as one', () => {
    expect(editDistance('stroe', 'store')).toBe(1);
    expect(nearest('txt', ['item', 'text'])).toBe('text');
    expect(nearest('forum', DEFAULT_CHANNELS)).toBeUndefined();
  });
});

describe('targets keep what the user gave; defaults and allowances come from the config when read', () => {
  const yaml = (allow: string[], delay = 1000) =>
    parseConfig({ timeZone: 'Asia/Shanghai', crawler: { allowPrivateHosts: allow, defaultDelayMs: delay }, brands: [brand()] });
  const input = { id: 'my-forum', brand: 'youpin', url: 'http://127.0.0.1:8080/forum/', selectors: { item: 'article', text: '.content' } };

  it('the stored form has no delay, time zone or allowance the input did not give', () => {
    const target = resolveTarget(input, yaml(['127.0.0.1']));
    expect([target.allowPrivate, target.delayMs, target.timeZone]).toEqual([true, 1000, 'Asia/Shanghai']);
    expect(storedFormOf(target)).toEqual({ id: 'my-forum', kind: 'html', url: input.url, brand: 'youpin', source: 'my-forum', maxPages: 50, selectors: input.selectors });
  });

  it('removing the host from allowPrivateHosts revokes it; a new defaultDelayMs and timeZone reach the target', () => {
    const stored = storedFormOf(resolveTarget(input, yaml(['127.0.0.1'])));
    const later = parseConfig({ timeZone: 'Europe/Paris', crawler: { defaultDelayMs: 3000 }, brands: [brand()] });
    const t = effectiveTarget(stored, later);
    expect([t.allowPrivate, t.delayMs, t.timeZone]).toEqual([false, 3000, 'Europe/Paris']);
  });

  it('an allowPrivate stored by an older voc grants nothing the config does not', () => {
    const old: Target = { ...input, kind: 'html', source: 'my-forum', maxPages: 50, delayMs: 1000, allowPrivate: true, timeZone: 'Asia/Shanghai' };
    expect(effectiveTarget(old, yaml([])).allowPrivate).toBe(false);
    expect(effectiveTarget(old, yaml(['127.0.0.1'])).allowPrivate).toBe(true);
    // Values it gave (or that were frozen) other than the allowance stay: they grant nothing.
    expect(effectiveTarget(old, yaml([], 5000)).delayMs).toBe(1000);
  });

  it('a target the config file declares is read as the file has it, with its own allowPrivate', () => {
    const config: VocConfig = parseConfig({ brands: [brand()], targets: [{ ...input, allowPrivate: true, delayMs: 0 }] });
    const staleCopy: Target = { ...input, kind: 'html', source: 'my-forum', maxPages: 50, delayMs: 9000, allowPrivate: false, timeZone: 'UTC' };
    const t = effectiveTarget(staleCopy, config);
    expect([t.allowPrivate, t.delayMs, t.timeZone]).toEqual([true, 0, 'Asia/Shanghai']);
  });
});

describe('brands by name', () => {
  const config = parseConfig({ brands: [brand({ aliases: ['优品'] }), { id: 'xingchi', name: '星驰汽车' }] });
  it('an id, a name or an alias finds the brand; an unknown value lists the ids', () => {
    expect(['youpin', '优品汇', '优品'].map((v) => brandNamed(config, v).id)).toEqual(['youpin', 'youpin', 'youpin']);
    expect(failure(() => brandNamed(config, 'nope')).en).toBe('unknown brand "nope"; expected one of: youpin, xingchi');
  });
  it('a name two brands share is refused with both ids', () => {
    const shared = parseConfig({ brands: [brand({ aliases: ['优'] }), { id: 'other', name: 'Other', aliases: ['优'] }] });
    expect(failure(() => brandNamed(shared, '优')).en).toBe('brand "优" is a name of several brands: youpin, other; give one of those ids');
  });
});

describe('reading the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voc-config-read-'));
  it('a YAML error gives the line, the column and that line, on one line', () => {
    const file = join(dir, 'tab.yaml');
    writeFileSync(file, 'brands:\n  - id: a\n\t  name: A\n');
    expect(failure(() => loadConfig(file))).toEqual({
      en: `${file}: not valid YAML: line 3, column 1: Tabs are not allowed as indentation (the line reads "name: A")`,
      zh: `${file}：不是有效的 YAML：第 3 行第 1 列：Tabs are not allowed as indentation（该行内容为 "name: A"）`,
    });
    const open = join(dir, 'quote.yaml');
    writeFileSync(open, 'brands:\n  - id: a\n    name: "A\n');
    expect(failure(() => loadConfig(open)).en).toBe(`${open}: not valid YAML: line 4, column 1: Missing closing "quote (at the end of the file)`);
  });

  it('a folder and a missing file say so, and how to get a config', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(failure(() => loadConfig(folder))).toEqual({
      en: `${folder}: is a folder, not a config file; pass the file itself (e.g. --config ${join(folder, 'voc.config.yaml')})`,
      zh: `${folder}：是文件夹，不是配置文件；请指定文件本身（例如 --config ${join(folder, 'voc.config.yaml')}）`,
    });
    const missing = join(dir, 'missing.yaml');
    expect(failure(() => loadConfig(missing))).toEqual({
      en: `config file not found: ${missing}; \`voc -c ${missing} init\` writes a starter one, or pass --config with the path of yours`,
      zh: `找不到配置文件：${missing}；\`voc -c ${missing} init\` 可生成一个初始配置，或用 --config 指定已有配置文件的路径`,
    });
  });
});
