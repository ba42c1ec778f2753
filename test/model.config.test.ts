/**
 * Trained models named in the config (`models:`) decide sentiment and aspects of every post the app
 * classifies (issue 3, item 6): paths relative to the config file, a missing file named at load.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { classifierFor } from '../cli/app.js';
import { assertBuilt, runVoc } from './helpers/cli.js';
import { createClassifier } from '../analysis/index.js';
import { trainAspectModel } from '../analysis/model/aspect-model.js';
import { loadModel, saveModel } from '../analysis/model/serialize.js';
import { evalClassifier } from '../analysis/eval/run.js';
import { trainSentimentModel } from '../analysis/model/sentiment-model.js';
import { aspectExamples, sentimentExamples } from './model.data.js';
import { trainChannelModel } from '../analysis/model/channel-model.js';
import { breakpointGold } from './model.channels.data.js';

const dir = mkdtempSync(join(tmpdir(), 'voc-model-config-'));
mkdirSync(join(dir, 'models'));
saveModel(trainSentimentModel(sentimentExamples().train), join(dir, 'models', 'sentiment.json'));
saveModel(trainAspectModel(aspectExamples().train), join(dir, 'models', 'aspects.json'));
{
  const rules = createClassifier(loadConfig(writeConfig('rules.yaml', '')).config);
  const examples = breakpointGold().train.map((r) => ({
    text: r.text,
    rules: rules.classify({ id: 'x', text: r.text, brand: 'car' }),
    channels: r.channels,
    breakpoint: r.breakpoint,
    breakpointChannels: r.breakpoint_channels,
    breakpointKind: r.breakpoint_kind,
  }));
  saveModel(trainChannelModel(examples), join(dir, 'models', 'channels.json'));
}

function writeConfig(name: string, models: string): string {
  const file = join(dir, name);
  writeFileSync(file, `brands:\n  - { id: car, name: 星驰, aspectTaxonomy: car }\n${models}`);
  return file;
}

describe('models named in the config', () => {
  it('resolves the paths against the config file and lets the models decide sentiment and aspects', () => {
    const { config } = loadConfig(writeConfig('with-models.yaml', 'models:\n  sentiment: models/sentiment.json\n  aspects: models/aspects.json\n'));
    expect(config.models).toEqual({ sentiment: join(dir, 'models', 'sentiment.json'), aspects: join(dir, 'models', 'aspects.json') });
    const rules = createClassifier(config);
    const classifier = classifierFor(config);
    expect(classifier.lexiconVersion).toMatch(new RegExp(`^${rules.lexiconVersion.replace(/[.+]/g, '\\$&')}\\+m[0-9a-f]{8}$`));
    // 退货 names a process the rules do not judge; in the model's training data it is a complaint.
    const text = '外卖退货，老板退货。';
    expect(rules.classify({ id: 'a', text, brand: 'car' }).sentiment.label).toBe('neutral');
    expect(classifier.classify({ id: 'a', text, brand: 'car' }).sentiment.label).toBe('neg');
    // Aspect subjects map onto the brand's taxonomy (car): 马力 -> power, 颜值 -> exterior.
    const car = classifier.classify({ id: 'b', text: '这车的马力太差，新款的颜值太差。', brand: 'car' });
    expect(car.aspects.map((a) => `${a.aspect}:${a.polarity}`).sort()).toEqual(['exterior:neg', 'power:neg']);
  });

  it('lets a channel model decide stances and breakpoints, and names its file when missing', () => {
    const { config } = loadConfig(writeConfig('with-channels.yaml', 'models:\n  channels: models/channels.json\n'));
    const text = '官网上写的保修和专卖店两码事。';
    expect(createClassifier(config).classify({ id: 'a', text, brand: 'car' }).breakpoints).toEqual([]);
    const c = classifierFor(config).classify({ id: 'a', text, brand: 'car' });
    expect(c.breakpoints.map((b) => [b.channels.join('+'), b.kind, b.cue])).toEqual([['store+website', 'inconsistency', 'model']]);
    expect(c.lexiconVersion).toMatch(/\+m[0-9a-f]{8}$/);
    const missing = loadConfig(writeConfig('missing-channels.yaml', 'models:\n  channels: models/none.json\n')).config;
    expect(() => classifierFor(missing)).toThrow(
      `models.channels: model file not found: ${join(dir, 'models', 'none.json')}; train one with \`voc train channels --gold GOLD.jsonl --out ${join(dir, 'models', 'none.json')}\` or remove the entry`,
    );
  });

  it('keeps the rules when no model is named', () => {
    const { config } = loadConfig(writeConfig('no-models.yaml', ''));
    expect(config.models).toEqual({});
    expect(classifierFor(config).lexiconVersion).toBe(createClassifier(config).lexiconVersion);
  });

  it('names a missing model file and what to do when the classifier is built, not when the config is read', () => {
    const file = writeConfig('missing.yaml', 'models:\n  sentiment: models/nope.json\n');
    // `voc train` must be able to read this config to make the file; other commands need no model.
    const { config } = loadConfig(file);
    const model = join(dir, 'models', 'nope.json');
    expect(config.models.sentiment).toBe(model);
    expect(() => classifierFor(config)).toThrow(InputError);
    expect(() => classifierFor(config)).toThrow(
      `models.sentiment: model file not found: ${model}; train one with \`voc train sentiment --data FILE --out ${model}\` or remove the entry`,
    );
  });

  it('refuses a model of the other task, naming the field, in the classifier and in `voc config check`', async () => {
    const file = writeConfig('swapped.yaml', 'models:\n  sentiment: models/aspects.json\n');
    const { config } = loadConfig(file);
    const model = join(dir, 'models', 'aspects.json');
    const message = `models.sentiment: ${model}: this is an aspects model; this command needs one made by \`voc train sentiment\``;
    expect(() => classifierFor(config)).toThrow(message);
    assertBuilt();
    const r = await runVoc(['--config', file, '--lang', 'en', 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`voc: ${file}: ${message}`);
    const ok = await runVoc(['--config', writeConfig('right.yaml', 'models:\n  sentiment: models/sentiment.json\n  aspects: models/aspects.json\n'), 'config', 'check']);
    expect(ok.code).toBe(0);
  });

  it('voc config check notes a model trained under another lexicon version, and accepts the config', async () => {
    const file = writeConfig('stale.yaml', 'models:\n  channels: models/stale-channels.json\n');
    const { config } = loadConfig(file);
    const current = evalClassifier({ config }, 'retail').lexiconVersion;
    const trained = loadModel(join(dir, 'models', 'channels.json'), 'channels');
    saveModel(trained, join(dir, 'models', 'stale-channels.json'), { lexiconVersion: '1.1.0+00000000' });
    saveModel(trained, join(dir, 'models', 'fresh-channels.json'), { lexiconVersion: current });
    assertBuilt();
    const stale = await runVoc(['--config', file, '--lang', 'en', 'config', 'check']);
    expect(stale.code).toBe(0);
    expect(stale.stderr.trim()).toBe(
      `note: models.channels was trained with lexicon 1.1.0+00000000; the config now gives ${current}. The model still applies; retrain it with voc train channels so it learns from the current rules' output`,
    );
    const fresh = await runVoc(['--config', writeConfig('fresh.yaml', 'models:\n  channels: models/fresh-channels.json\n'), 'config', 'check']);
    expect([fresh.code, fresh.stderr.trim()]).toEqual([0, '']);
  });

  it('rejects an unknown model kind with the field named', () => {
    const file = writeConfig('unknown.yaml', 'models:\n  questions: models/sentiment.json\n');
    expect(() => loadConfig(file)).toThrow(/models/);
  });
});
