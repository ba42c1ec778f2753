/**
 * Subject contexts of the aspect model (aspect-context.ts): clause splitting, anchoring a subject
 * to its clauses, and the case they exist for, one post judging two subjects in opposite ways.
 * The posts are synthetic, written for this test (no corpus text).
 */
import { describe, expect, it } from 'vitest';
import { clauses, subjectContexts } from '../analysis/model/aspect-context.js';
import { decideAspects, predictAspects, scoreAspects, trainAspectModel, type AspectExample, type SubjectSentiment } from '../analysis/model/aspect-model.js';
import { DEFAULT_FEATURES, Vocabulary } from '../analysis/model/features.js';
import { seededRandom } from '../analysis/model/random.js';
import { modelFromJson, modelToJson } from '../analysis/model/serialize.js';

const KEYWORDS: Record<string, string[]> = { 价格: ['价格', '售价'], 动力: ['动力', '加速'], 外观: ['外观', '造型'] };
const OPINION: Record<SubjectSentiment, string[]> = { 1: ['很满意', '没得说'], [-1]: ['太失望', '很垃圾'], 0: ['怎么样'] };
const OPENERS = ['这车的', '新款的', '老款的'];

/** Posts naming two subjects, each with its own, independently drawn sentiment. */
function twoSubjectPosts(seed: number, n: number): AspectExample[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const names = Object.keys(KEYWORDS);
  const out: AspectExample[] = [];
  for (let i = 0; i < n; i++) {
    const a = names[i % 3]!;
    const b = names[(i + 1 + (Math.floor(i / 3) % 2)) % 3]!;
    const sa = pick<SubjectSentiment>([1, -1, 0]);
    const sb = pick<SubjectSentiment>([1, -1, 0]);
    out.push({
      text: `${pick(OPENERS)}${pick(KEYWORDS[a]!)}${pick(OPINION[sa])}，${pick(OPENERS)}${pick(KEYWORDS[b]!)}${pick(OPINION[sb])}。`,
      labels: [
        { subject: a, sentiment: sa },
        { subject: b, sentiment: sb },
      ],
    });
  }
  return out;
}

function pairsRight(model: ReturnType<typeof trainAspectModel>, test: AspectExample[]): number {
  let right = 0;
  for (const e of test) {
    const got = new Set(predictAspects(model, e.text).map((p) => `${p.subject}${p.sentiment}`));
    for (const l of e.labels) if (got.has(`${l.subject}${l.sentiment}`)) right++;
  }
  return right;
}

describe('clauses', () => {
  it('splits at punctuation, line breaks and spaces, and keeps offsets of the original text', () => {
    const text = '动力不错，油耗太高!  空间\n还行';
    const spans = clauses(text);
    expect(spans.map((c) => text.slice(c.start, c.end))).toEqual(['动力不错', '油耗太高', '空间', '还行']);
    expect(clauses('')).toEqual([]);
    expect(clauses('，。')).toEqual([]);
  });
});

describe('subject contexts', () => {
  it('keeps the clauses holding an anchor term, and every clause when no anchor is found', () => {
    const cfg = { ...DEFAULT_FEATURES, minDf: 1 };
    const { vocab } = Vocabulary.fit(['油耗', '空间'], cfg);
    const anchors = [Int32Array.of(vocab.columns('油耗', cfg)[0]!), Int32Array.of(vocab.columns('空间', cfg)[0]!)];
    const text = '空间够用，油耗偏高，其他一般';
    const [fuel, space] = subjectContexts(text, cfg, vocab, anchors, [0, 1], 0);
    expect(fuel!.map((c) => text.slice(c.start, c.end))).toEqual(['油耗偏高']);
    expect(space!.map((c) => text.slice(c.start, c.end))).toEqual(['空间够用']);
    const [wide] = subjectContexts(text, cfg, vocab, anchors, [0], 1);
    expect(wide!.map((c) => text.slice(c.start, c.end))).toEqual(['空间够用', '油耗偏高', '其他一般']);
    const [none] = subjectContexts('外观好看，内饰一般', cfg, vocab, anchors, [0], 0);
    expect(none!.length).toBe(2);
  });

  it('tells apart the sentiments of two subjects of one post, which the whole-post model cannot', () => {
    const train = twoSubjectPosts(3, 240);
    const test = twoSubjectPosts(17, 30);
    const withContext = trainAspectModel(train);
    const postOnly = trainAspectModel(train, { context: false });
    // 60 gold pairs: contexts get every one right; one bag of words per post gets 33.
    expect(pairsRight(withContext, test)).toBe(60);
    expect(pairsRight(postOnly, test)).toBe(33);
  });

  it('survives a model.json round trip, and older models without contexts still load', () => {
    const train = twoSubjectPosts(3, 120);
    const test = twoSubjectPosts(17, 10);
    const model = trainAspectModel(train);
    const back = modelFromJson(modelToJson(model), 'mem') as typeof model;
    expect(back.context!.vocab.size).toBe(model.context!.vocab.size);
    for (const e of test) expect(predictAspects(back, e.text)).toEqual(predictAspects(model, e.text));
    // A model written before contexts existed has no context field and the old sentiment layout.
    const old = trainAspectModel(train, { context: false });
    const json = JSON.parse(modelToJson(old)) as Record<string, unknown>;
    expect(json.context).toBeUndefined();
    const oldBack = modelFromJson(JSON.stringify(json), 'old.json') as typeof old;
    expect(oldBack.context).toBeUndefined();
    for (const e of test) expect(predictAspects(oldBack, e.text)).toEqual(predictAspects(old, e.text));
  });

  it('scores the sentiment of reportable subjects only, and never reports an unscored one', () => {
    const model = trainAspectModel(twoSubjectPosts(3, 120));
    const text = '这车的价格很满意，新款的外观太失望。';
    const all = scoreAspects(model, text)!;
    expect(all.sentiment.every((p) => p.length === 3)).toBe(true);
    const some = scoreAspects(model, text, model.threshold)!;
    // 价格 and 外观 are scored, 动力 (absent) is not.
    expect(some.sentiment.map((p) => p.length)).toEqual([3, 0, 3]);
    expect(some.sentiment[0]).toEqual(all.sentiment[0]);
    expect(decideAspects(model, some, { threshold: 0 }).map((p) => `${p.subject}${p.sentiment}`)).toEqual(['价格1', '外观-1']);
    expect(decideAspects(model, all, { threshold: 0 }).map((p) => p.subject).sort()).toEqual(['价格', '动力', '外观']);
  });

  it('rejects a model whose context does not match its subjects, asking to retrain', () => {
    const model = trainAspectModel(twoSubjectPosts(3, 60));
    const json = JSON.parse(modelToJson(model)) as { context: { anchors: string[] } };
    json.context.anchors.pop();
    expect(() => modelFromJson(JSON.stringify(json), 'bad.json')).toThrow(
      'bad.json: damaged model file: subject anchors do not match the vocabulary; retrain it',
    );
  });
});
