/**
 * A deployment's config adds to the shipped lexicons (issue 3, item 3: "a brand's config can add or
 * override entries"): new promises with their descriptors, more descriptors for a shipped promise,
 * sentiment words with a strength, a word moved to the other side; the version records it all.
 */
import { describe, it, expect } from 'vitest';
import { parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { createClassifier } from '../analysis/index.js';
import { reportLabels } from '../workers/labels.js';

const brand = { id: 'b', name: '星驰', promises: ['convenience', 'eco'] };
const lexicon = {
  promises: {
    eco: { label: { 'zh-CN': '绿色环保', en: 'Eco-friendly' }, positive: ['环保', '节能'], negative: ['污染', '浪费'] },
    convenience: { negative: ['跑断腿'] },
  },
  sentiment: { positive: { 嘎嘎顺: 1.5 }, negative: { 翻车: 2 } },
};

describe('lexicon additions in the config', () => {
  const plain = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰', promises: ['convenience'] }] }));
  const added = createClassifier(parseConfig({ brands: [brand], lexicon }));
  const run = (text: string) => added.classify({ id: 't', text, brand: 'b' });

  it('reads descriptors of a new promise and new descriptors of a shipped one, per channel', () => {
    expect(run('门店包装很环保').descriptors.map((d) => `${d.channel}:${d.promise}:${d.polarity}:${d.word}`)).toEqual(['store:eco:pos:环保']);
    expect(run('去门店办个手续跑断腿').descriptors.map((d) => `${d.channel}:${d.promise}:${d.polarity}:${d.word}`)).toEqual([
      'store:convenience:neg:跑断腿',
    ]);
    expect(added.lexicons.promises.eco!.label).toEqual({ 'zh-CN': '绿色环保', en: 'Eco-friendly' });
  });

  it('scores the added sentiment words with their strength', () => {
    expect(plain.classify({ id: 't', text: 'App用起来嘎嘎顺', brand: 'b' }).sentiment.label).toBe('neutral');
    expect(run('App用起来嘎嘎顺').sentiment.label).toBe('pos');
    expect(run('客服这次又翻车了').sentiment.label).toBe('neg');
  });

  it('moves a shipped word to the side the config puts it on', () => {
    // 便宜 is positive in the shipped lexicon; a luxury brand may hear it as a complaint.
    const luxury = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰' }], lexicon: { sentiment: { negative: { 便宜: 1 } } } }));
    expect(plain.classify({ id: 't', text: '门店的东西很便宜', brand: 'b' }).sentiment.label).toBe('pos');
    expect(luxury.classify({ id: 't', text: '门店的东西很便宜', brand: 'b' }).sentiment.label).toBe('neg');
  });

  it('finds a new scenario and more keywords of a shipped one', () => {
    const withScenarios = createClassifier(
      parseConfig({
        brands: [{ id: 'b', name: '星驰' }],
        lexicon: { scenarios: { charging: { type: 'place', label: { 'zh-CN': '充电站', en: 'Charging station' }, keywords: ['充电站'] }, winter: { keywords: ['数九寒天'] } } },
      }),
    );
    const scenarios = (text: string) => withScenarios.classify({ id: 't', text, brand: 'b' }).scenarios.map((s) => `${s.scenario}:${s.type}:${s.polarity}`);
    expect(scenarios('在充电站等了半天，太麻烦了')).toEqual(['charging:place:neg']);
    expect(scenarios('数九寒天门店也很热情')).toEqual(['winter:time:pos']);
    expect(() => createClassifier(parseConfig({ lexicon: { scenarios: { charging: { keywords: ['充电站'] } } } }))).toThrow(
      /^lexicon\.scenarios\.charging: a new scenario needs a type/,
    );
  });

  it('labels a promise and a scenario the config defines in reports, in both languages', () => {
    const labels = reportLabels(
      parseConfig({ brands: [brand], lexicon: { ...lexicon, scenarios: { charging: { type: 'place', label: { 'zh-CN': '充电站', en: 'Charging station' }, keywords: ['充电站'] } } } }),
    );
    expect([labels.promise('eco', 'zh-CN'), labels.promise('eco', 'en'), labels.scenario('charging', 'en'), labels.promise('convenience', 'zh-CN')]).toEqual([
      '绿色环保',
      'Eco-friendly',
      'Charging station',
      '便利',
    ]);
  });

  it('records the additions in the lexicon version', () => {
    expect(added.lexiconVersion).not.toBe(plain.lexiconVersion);
    expect(createClassifier(parseConfig({ brands: [brand], lexicon })).lexiconVersion).toBe(added.lexiconVersion);
  });

  it('names the field of a new promise without a label, and of a brand promise nobody defined', () => {
    const noLabel = parseConfig({ brands: [], lexicon: { promises: { eco: { positive: ['环保'] } } } });
    expect(() => createClassifier(noLabel)).toThrow(InputError);
    expect(() => createClassifier(noLabel)).toThrow('lexicon.promises.eco.label: a new promise needs a label in zh-CN and en');
    const unknown = parseConfig({ brands: [{ id: 'b', name: '星驰', promises: ['eco'] }] });
    expect(() => createClassifier(unknown)).toThrow(/^brands\.0\.promises: unknown promise "eco"; known: convenience, .*; define a new one under lexicon\.promises$/);
  });

  it('rejects a strength out of range with the field named', () => {
    expect(() => parseConfig({ lexicon: { sentiment: { positive: { 丝滑: 9 } } } })).toThrow(/lexicon\.sentiment\.positive\.丝滑/);
  });
});
