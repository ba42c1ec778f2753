/**
 * The trainable breakpoint detector (issue 3, item 10 on the user's own data): it learns a
 * breakpoint wording no rule cue knows, keeps or vetoes the rules' breakpoints, picks the pair and
 * kind from its training posts, quotes the sentences of the hand-off, and survives model.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { createClassifier } from '../analysis/index.js';
import { breakpointScore, predictBreakpoints, trainBreakpointModel, type BreakpointExample, type BreakpointModel } from '../analysis/model/breakpoint-model.js';
import { loadModel, saveModel } from '../analysis/model/serialize.js';
import { breakpointGold, type SyntheticGoldRow } from './model.breakpoints.data.js';

const tmp = mkdtempSync(join(tmpdir(), 'voc-breakpoint-model-'));
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

describe('breakpoint model.json', () => {
  const path = join(tmp, 'breakpoints.json');
  saveModel(model, path, { dataFile: 'gold.jsonl' });

  it('loads back to the same predictions, and is refused where another task is expected', () => {
    const loaded = loadModel(path, 'breakpoints');
    expect(loaded).toMatchObject({ task: 'breakpoints', threshold: model.threshold, pairs: model.pairs, note: { dataFile: 'gold.jsonl' } });
    for (const r of test) expect(predictBreakpoints(loaded as BreakpointModel, r.text, classify(r.text))).toEqual(predict(model, r.text));
    expect(() => loadModel(path, 'sentiment')).toThrow(`${path}: this is a breakpoints model; this command needs one made by \`voc train sentiment\``);
  });

  it('names the damaged field', () => {
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.defaultKind = 'detour';
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    expect(() => loadModel(bad)).toThrow(InputError);
    expect(() => loadModel(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: damaged model file: field defaultKind: `));
  });
});
