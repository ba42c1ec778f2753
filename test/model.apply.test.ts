import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.js';
import { createClassifier } from '../analysis/index.js';
import { trainAspectModel } from '../analysis/model/aspect-model.js';
import { loadModels, withModels } from '../analysis/model/apply.js';
import { saveModel } from '../analysis/model/serialize.js';
import { trainSentimentModel } from '../analysis/model/sentiment-model.js';
import { aspectExamples, sentimentExamples } from './model.data.js';

const tmp = mkdtempSync(join(tmpdir(), 'voc-model-apply-'));
const config = parseConfig({ brands: [{ id: 'car', name: '星驰', aspectTaxonomy: 'car' }] });

describe('withModels', () => {
  const sentimentPath = join(tmp, 'sentiment.json');
  const aspectPath = join(tmp, 'aspects.json');
  saveModel(trainSentimentModel(sentimentExamples().train), sentimentPath);
  saveModel(trainAspectModel(aspectExamples().train), aspectPath);
  const base = createClassifier(config);
  const models = loadModels({ sentimentModel: sentimentPath, aspectModel: aspectPath });
  const classifier = withModels(base, models, { taxonomyOf: () => 'car' });

  it('takes post sentiment from the sentiment model', () => {
    // 给力 and 贴心 are positive in the synthetic training data, 变质 and 坑人 negative.
    const pos = classifier.classify({ id: 'a', text: '外卖给力，老板贴心。', brand: 'car' });
    expect(pos.sentiment.label).toBe('pos');
    expect(pos.sentiment.score).toBeGreaterThan(0);
    const neg = classifier.classify({ id: 'b', text: '米饭变质，老板坑人。', brand: 'car' });
    expect(neg.sentiment.label).toBe('neg');
    expect(neg.sentiment.score).toBeLessThan(0);
  });

  it('takes aspects from the aspect model, mapped to the car taxonomy ids, with evidence spans', () => {
    const text = '这车的马力太差，新款的颜值太差。';
    const c = classifier.classify({ id: 'c', text, brand: 'car' });
    expect(c.aspects.map((a) => `${a.aspect}:${a.polarity}`).sort()).toEqual(['exterior:neg', 'power:neg']);
    for (const a of c.aspects) {
      expect(text.slice(a.evidence.start, a.evidence.end)).toBe(a.evidence.text);
      expect(a.evidence.text.length).toBeGreaterThan(0);
    }
  });

  it('keeps the rules for everything else and marks the version', () => {
    const text = '在京东买的，快递很快。';
    const withModel = classifier.classify({ id: 'd', text, brand: 'car' });
    const rules = base.classify({ id: 'd', text, brand: 'car' });
    expect(withModel.channels).toEqual(rules.channels);
    expect(withModel.breakpoints).toEqual(rules.breakpoints);
    expect(classifier.lexiconVersion).toMatch(new RegExp(`^${base.lexiconVersion.replace(/[.+]/g, '\\$&')}\\+m[0-9a-f]{8}$`));
    expect(withModel.lexiconVersion).toBe(classifier.lexiconVersion);
    expect(withModels(base, {})).toBe(base);
  });

  it('is deterministic and survives hostile posts', () => {
    const texts = ['', '   ', '😊😊😊', '\u0000\u0001\uFFFF\uD800', '這輛車的動力很強', 'mixed 中文 and English 马力 great'];
    for (const text of texts) {
      const a = classifier.classify({ id: 'x', text, brand: 'car' });
      const b = classifier.classify({ id: 'x', text, brand: 'car' });
      expect(a).toEqual(b);
      for (const h of a.aspects) expect(text.slice(h.evidence.start, h.evidence.end)).toBe(h.evidence.text);
    }
    const huge = '这车马力很足'.repeat(200_000); // 1.2 million characters
    const big = classifier.classify({ id: 'h', text: huge, brand: 'car' });
    for (const h of big.aspects) expect(huge.slice(h.evidence.start, h.evidence.end)).toBe(h.evidence.text);
    const empty = classifier.classify({ id: 'e', text: '', brand: 'car' });
    expect(empty.aspects).toEqual([]);
    expect(empty.sentiment).toEqual({ label: 'neutral', score: 0 });
  });
});
