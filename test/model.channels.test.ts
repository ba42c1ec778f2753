/**
 * The trainable channel model (`voc train channels`, issue 3 items 4 and 10 on the user's own data).
 * Its breakpoint detector learns a breakpoint wording no rule cue knows, keeps or vetoes the rules'
 * breakpoints, picks the pair and kind from its training posts and quotes the sentences of the
 * hand-off; its stance calibration learns how a label set reads channel stances; both survive
 * model.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { createClassifier } from '../analysis/index.js';
import { breakpointScore, predictBreakpoints, trainBreakpointModel, type BreakpointExample, type BreakpointModel } from '../analysis/model/breakpoint-model.js';
import { withModels } from '../analysis/model/apply.js';
import { applyChannelModel, trainChannelModel, type ChannelExample, type ChannelModel } from '../analysis/model/channel-model.js';
import { loadModel, saveModel } from '../analysis/model/serialize.js';
import { calibrateStances, predictStance, trainStanceModel, type StanceExample } from '../analysis/model/stance-model.js';
import type { Polarity } from '../core/types.js';
import { breakpointGold, type SyntheticGoldRow } from './model.channels.data.js';

const tmp = mkdtempSync(join(tmpdir(), 'voc-channel-model-'));
const rules = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰' }] }));
const classify = (text: string) => rules.classify({ id: 'x', text, brand: 'b' });
const example = (r: SyntheticGoldRow): BreakpointExample => ({
  text: r.text,
  rules: classify(r.text),
  breakpoint: r.breakpoint,
  channels: r.breakpoint_channels,
  kind: r.breakpoint_kind,
});

const { train, test } = breakpointGold();
const model = trainBreakpointModel(train.map(example));
const predict = (m: BreakpointModel, text: string) => predictBreakpoints(m, text, classify(text));

describe('trainBreakpointModel', () => {
  it('learns from 35 posts, two of which the rules find, and records how', () => {
    const examples = train.map(example);
    expect([examples.length, examples.filter((e) => e.breakpoint).length, examples.filter((e) => e.rules.breakpoints.length > 0).length]).toEqual([35, 17, 2]);
    expect(model.training).toEqual({ posts: 35, breakpoints: 17, l2: 1e-4, cvF1: 1 });
    // Every threshold from -3 to 1.5 separates the cross-validated posts; the middle one is kept.
    expect(model.threshold).toBe(-0.75);
    expect(model.pairs).toEqual({ 'store+website': { seen: 35, broke: 17, kinds: { inconsistency: 15, handoff: 2 } } });
    expect(model.defaultKind).toBe('inconsistency');
    expect(model.signals).toEqual(['rule_breakpoint']);
  });

  it('finds the unseen wording 两码事 / 不是一回事 with the pair, the kind and the whole sentence as evidence', () => {
    expect(predict(model, test[0]!.text)).toEqual([
      { channels: ['store', 'website'], kind: 'inconsistency', cue: 'model', evidence: { start: 0, end: 15, text: '官网上写的保修和专卖店两码事。' } },
    ]);
    expect(predict(model, test[1]!.text)).toEqual([
      { channels: ['store', 'website'], kind: 'inconsistency', cue: 'model', evidence: { start: 0, end: 20, text: '网站上的说法和门店不是一回事，白跑一趟。' } },
    ]);
  });

  it('calls praise of one channel and blame of the other no breakpoint', () => {
    for (const r of test.slice(2, 4)) {
      expect(r.breakpoint).toBe(false);
      expect(breakpointScore(model, r.text, classify(r.text))).toBeLessThan(model.threshold - 4);
      expect(predict(model, r.text)).toEqual([]);
    }
  });

  it("keeps the rules' own breakpoint, cue and evidence included", () => {
    const text = test[4]!.text;
    expect(predict(model, text)).toEqual(classify(text).breakpoints);
    expect(predict(model, text)[0]!.cue).toBe('info_contradiction');
  });

  it('quotes only the sentences between the two channels, at most 200 characters', () => {
    const text = '我一直很喜欢这个牌子。官网上的价格和门店两码事。后来再也没去过。';
    expect(predict(model, text)[0]!.evidence).toEqual({ start: 11, end: 24, text: '官网上的价格和门店两码事。' });
    const long = `官网上的价格${'真的'.repeat(150)}和门店两码事。`;
    const evidence = predict(model, long)[0]!.evidence;
    expect([evidence.end - evidence.start, evidence.end, evidence.text]).toEqual([200, long.length, long.slice(long.length - 200)]);
  });

  it('is deterministic: the same data gives the same weights', () => {
    const again = trainBreakpointModel(train.map(example));
    expect(Buffer.from(again.linear.weights.buffer).equals(Buffer.from(model.linear.weights.buffer))).toBe(true);
    expect(again.threshold).toBe(model.threshold);
  });

  it('needs ten breakpoint posts and ten others', () => {
    const few = train.map(example).filter((e, i) => !e.breakpoint || i < 10);
    expect(few.filter((e) => e.breakpoint).length).toBe(5);
    expect(() => trainBreakpointModel(few)).toThrow('5 breakpoint post(s) and 18 other(s); the model needs at least 10 of each');
  });
});

describe('the breakpoint decision', () => {
  const rulePost = test[4]!.text;
  const modelPost = test[0]!.text;

  it('adds a breakpoint above the threshold, and vetoes a rule breakpoint only below threshold minus the margin', () => {
    const score = breakpointScore(model, rulePost, classify(rulePost));
    expect(predict({ ...model, threshold: score + 0.5, vetoMargin: 1 }, rulePost)).toHaveLength(1);
    expect(predict({ ...model, threshold: score + 1.5, vetoMargin: 1 }, rulePost)).toEqual([]);
    const own = breakpointScore(model, modelPost, classify(modelPost));
    expect(predict({ ...model, threshold: own - 0.01 }, modelPost)).toHaveLength(1);
    expect(predict({ ...model, threshold: own + 0.01 }, modelPost)).toEqual([]);
  });

  it('picks the detected pair that broke most often (then the closest), and the kind it broke with; an unseen pair takes the default kind', () => {
    const text = '客服说官网上的价格和门店两码事。';
    expect(new Set(classify(text).channels.map((m) => m.channel))).toEqual(new Set(['customer_service', 'website', 'store']));
    expect(predict(model, text)[0]).toMatchObject({ channels: ['store', 'website'], kind: 'inconsistency' });
    const onlyService = { ...model, pairs: { 'customer_service+website': { seen: 4, broke: 3, kinds: { runaround: 3 } } } };
    expect(predict(onlyService, text)[0]).toMatchObject({ channels: ['customer_service', 'website'], kind: 'runaround' });
    // No pair ever broke: the two channels mentioned closest together, and the model's most frequent kind.
    const noPairs = { ...model, pairs: {}, defaultKind: 'handoff' as const };
    expect(predict(noPairs, text)[0]).toMatchObject({ channels: ['customer_service', 'website'], kind: 'handoff' });
    expect(predict(noPairs, '客服态度很好很好很好。官网上的价格和门店两码事。')[0]).toMatchObject({ channels: ['store', 'website'] });
  });

  it('adds nothing to a post with fewer than two channels', () => {
    expect(predict({ ...model, threshold: -100 }, '价格和说法两码事。')).toEqual([]);
  });
});

/**
 * A label set that never calls the store positive (its annotators read praise of a shop as no
 * judgement of the channel) and otherwise agrees with the rules' stances.
 */
const STORE_PRAISE = ['门店的服务很好', '专卖店环境很棒', '实体店的店员很热情', '门店真不错'];
const OTHER_PRAISE = ['官网下单也方便', '网站也清楚', '快递也快', '客服也耐心'];
const COMPLAINTS = ['门店排队太久了，官网也卡。', '实体店的店员很冷淡，客服也敷衍。', '专卖店停车很麻烦，快递也慢。', '门店的服务很差，网站也乱。'];
const storeNeverPositive = (channel: string, rule: Polarity): Polarity => (channel === 'store' && rule === 'pos' ? 'neutral' : rule);

function stanceExamples(texts: string[]): StanceExample[] {
  return texts.flatMap((text) => {
    const c = classify(text);
    return c.channels.map((mention) => ({ rules: c, mention, gold: storeNeverPositive(mention.channel, mention.polarity) }));
  });
}

describe('trainStanceModel', () => {
  const texts = [...STORE_PRAISE.flatMap((a) => OTHER_PRAISE.map((b) => `${a}，${b}。`)), ...COMPLAINTS];
  const examples = stanceExamples(texts);
  const stance = trainStanceModel(examples);

  it("learns the label set's reading: 24 of 40 rule stances agree with it, all 40 out of fold after training", () => {
    expect(examples.length).toBe(40);
    expect(stance.training).toEqual({ mentions: 40, l2: 1e-3, ruleAccuracy: 0.6, cvAccuracy: 1 });
  });

  it('calls a praised store neutral in unseen posts and leaves the other channels and a criticised store alone', () => {
    const praised = classify('专卖店的服务很好，快递也快。');
    expect(praised.channels.map((m) => [m.channel, m.polarity])).toEqual([
      ['store', 'pos'],
      ['delivery', 'pos'],
    ]);
    expect(praised.channels.map((m) => predictStance(stance, praised, m))).toEqual(['neutral', 'pos']);
    const criticised = classify('门店排队太久了，快递也慢。');
    expect(criticised.channels.map((m) => predictStance(stance, criticised, m))).toEqual(['neg', 'neg']);
  });

  it('drops the deciding word of a stance it changes and keeps the mention otherwise', () => {
    const c = classify('门店真不错，快递也快。');
    expect(c.channels[0]!.stanceEvidence).toBeDefined();
    const calibrated = calibrateStances(stance, c);
    expect(calibrated[0]).toEqual({ channel: 'store', polarity: 'neutral', alias: c.channels[0]!.alias, evidence: c.channels[0]!.evidence });
    expect(calibrated[1]).toBe(c.channels[1]);
  });

  it('needs twenty labelled mentions', () => {
    expect(() => trainStanceModel(examples.slice(0, 19))).toThrow('19 labelled channel(s) the rules also detected; the stance model needs at least 20');
  });
});

const channelExample = (r: SyntheticGoldRow): ChannelExample => ({
  text: r.text,
  rules: classify(r.text),
  channels: r.channels,
  breakpoint: r.breakpoint,
  breakpointChannels: r.breakpoint_channels,
  breakpointKind: r.breakpoint_kind,
});

describe('trainChannelModel', () => {
  const channelModel = trainChannelModel(train.map(channelExample));

  it('fits both parts from channel gold and applies them together', () => {
    expect(channelModel.skipped).toEqual([]);
    expect(channelModel.breakpoints!.threshold).toBe(model.threshold);
    // The gold calls the website neutral next to a broken store; the rules call it negative.
    const text = test[1]!.text;
    const c = classify(text);
    const applied = applyChannelModel(channelModel, text, c);
    expect(c.channels.map((m) => `${m.channel}:${m.polarity}`)).toEqual(['website:neg', 'store:neg']);
    expect(applied.channels.map((m) => `${m.channel}:${m.polarity}`)).toEqual(['website:neutral', 'store:neg']);
    expect(applied.breakpoints).toEqual(predict(model, text));
    expect({ ...applied, channels: c.channels, breakpoints: c.breakpoints }).toEqual(c);
  });

  it('fits the part the data is enough for, and says which it left out', () => {
    const noBreakpoints = trainChannelModel(train.filter((r) => !r.breakpoint).map(channelExample));
    expect([noBreakpoints.stance !== undefined, noBreakpoints.breakpoints]).toEqual([true, undefined]);
    expect(noBreakpoints.skipped).toEqual([{ part: 'breakpoints', found: 0, needed: 10 }]);
    expect(() => trainChannelModel(train.slice(0, 3).map(channelExample))).toThrow(
      '6 labelled channel(s) the rules also detected (at least 20 needed) and 2 post(s) with "breakpoint": true against 1 without (at least 10 of each needed)',
    );
  });

  describe('model.json', () => {
    const path = join(tmp, 'channels.json');
    saveModel(channelModel, path, { dataFile: 'gold.jsonl' });

    it('loads back to the same classifications, and is refused where another task is expected', () => {
      const loaded = loadModel(path, 'channels') as ChannelModel;
      expect(loaded).toMatchObject({ task: 'channels', skipped: [], training: { posts: 35 }, note: { dataFile: 'gold.jsonl' } });
      expect(loaded.breakpoints).toMatchObject({ threshold: model.threshold, pairs: model.pairs });
      for (const r of [...test, ...train]) expect(applyChannelModel(loaded, r.text, classify(r.text))).toEqual(applyChannelModel(channelModel, r.text, classify(r.text)));
      expect(() => loadModel(path, 'sentiment')).toThrow(`${path}: this is a channels model; this command needs one made by \`voc train sentiment\``);
      const missing = join(tmp, 'missing.json');
      expect(() => loadModel(missing, 'channels')).toThrow(`model file not found: ${missing}; train one with \`voc train channels --gold GOLD.jsonl --out ${missing}\``);
    });

    it('names the damaged field', () => {
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      doc.breakpoints.defaultKind = 'detour';
      const bad = join(tmp, 'bad.json');
      writeFileSync(bad, JSON.stringify(doc));
      expect(() => loadModel(bad)).toThrow(InputError);
      expect(() => loadModel(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: damaged model file: field breakpoints.defaultKind: `));
    });
  });
});

describe('a classifier with a channel model', () => {
  const classifier = withModels(rules, { channels: trainChannelModel(train.map(channelExample)) });

  it('is deterministic and survives hostile posts, with evidence that is text of the post', () => {
    const hostile = ['', '   ', '😊😊😊', '\u0000\u0001\uFFFF\uD800', '官網上的價格和門店兩碼事。', 'ＡＢＣ 官网上的价格和门店两码事！！', '<script>alert(1)</script>官网上的价格和门店两码事'];
    for (const text of hostile) {
      const a = classifier.classify({ id: 'x', text, brand: 'b' });
      expect(classifier.classify({ id: 'x', text, brand: 'b' })).toEqual(a);
      for (const b of a.breakpoints) expect(text.slice(b.evidence.start, b.evidence.end)).toBe(b.evidence.text);
    }
    expect(classifier.classify({ id: 'e', text: '', brand: 'b' }).breakpoints).toEqual([]);
    const huge = `${'官网上的价格和门店两码事。'.repeat(80_000)}`; // about a million characters
    const big = classifier.classify({ id: 'h', text: huge, brand: 'b' });
    expect(big.breakpoints).toHaveLength(1);
    const e = big.breakpoints[0]!.evidence;
    expect(huge.slice(e.start, e.end)).toBe(e.text);
    expect(e.text.length).toBeLessThanOrEqual(200);
  });
});
