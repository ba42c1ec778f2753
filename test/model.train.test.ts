import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { predictAspects, trainAspectModel } from '../analysis/model/aspect-model.js';
import { buildRows, DEFAULT_FEATURES, foldForFeatures, forEachTerm, Vocabulary } from '../analysis/model/features.js';
import { minimiseLbfgs } from '../analysis/model/lbfgs.js';
import { probabilities, scoreColumns, trainBinary, trainSoftmax } from '../analysis/model/linear.js';
import { seededRandom, shuffled } from '../analysis/model/random.js';
import { loadModel, modelFromJson, modelToJson, saveModel } from '../analysis/model/serialize.js';
import { predictSentiment, trainSentimentModel } from '../analysis/model/sentiment-model.js';
import { aspectExamples, sentimentExamples } from './model.data.js';

const tmp = mkdtempSync(join(tmpdir(), 'voc-model-'));

describe('seeded randomness', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(first[0]);
    expect(shuffled([1, 2, 3, 4, 5], 7)).toEqual(shuffled([1, 2, 3, 4, 5], 7));
  });
});

describe('L-BFGS', () => {
  it('finds the minimum of a convex quadratic', () => {
    // f(x) = sum_i (i+1) (x_i - i)^2, minimum at x_i = i
    const f = (x: Float64Array, g: Float64Array) => {
      let v = 0;
      for (let i = 0; i < x.length; i++) {
        v += (i + 1) * (x[i]! - i) ** 2;
        g[i] = 2 * (i + 1) * (x[i]! - i);
      }
      return v;
    };
    const { x, value } = minimiseLbfgs(f, new Float64Array(6));
    expect(value).toBeLessThan(1e-10);
    Array.from(x).forEach((xi, i) => expect(xi).toBeCloseTo(i, 5));
  });
});

describe('logistic regression', () => {
  // Column 0 means positive, column 1 negative, column 2 is shared noise.
  const x = buildRows([[0, 2], [0], [1, 2], [1], [0, 2], [1, 2]], 3);
  const y = Uint8Array.from([1, 1, 0, 0, 1, 0]);

  it('separates separable data (binary)', () => {
    const m = trainBinary(x, y, { l2: 1e-4 });
    expect(probabilities(m, scoreColumns(m, [0]))[1]).toBeGreaterThan(0.9);
    expect(probabilities(m, scoreColumns(m, [1]))[1]).toBeLessThan(0.1);
    expect(m.weights[0]).toBeGreaterThan(0);
    expect(m.weights[1]).toBeLessThan(0);
  });

  it('separates three classes (softmax) and its probabilities sum to 1', () => {
    const x3 = buildRows([[0], [0, 2], [1], [1, 2], [2], [2]], 3);
    const m = trainSoftmax(x3, Int32Array.from([0, 0, 1, 1, 2, 2]), 3, { l2: 1e-4 });
    for (const [cols, cls] of [[[0], 0], [[1], 1]] as Array<[number[], number]>) {
      const p = probabilities(m, scoreColumns(m, cols));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(cls);
    }
  });

  it('is deterministic', () => {
    expect(Array.from(trainBinary(x, y).weights)).toEqual(Array.from(trainBinary(x, y).weights));
  });
});

describe('features', () => {
  it('folds full-width forms and case without changing length', () => {
    expect(foldForFeatures('ＡＰＰ很好用！Ｏｋ')).toBe('app很好用!ok');
    expect(foldForFeatures('ＡＰＰ很好用！Ｏｋ')).toHaveLength('ＡＰＰ很好用！Ｏｋ'.length);
  });

  it('reads traditional characters as simplified with spans of the original text, unless the model predates it', () => {
    const text = '說明書寫得很清楚';
    const terms = (simplified: boolean | undefined) => {
      const out: string[] = [];
      const cfg = { ...DEFAULT_FEATURES, wordNgrams: 0, charNgrams: [1, 1] as [number, number], simplified };
      forEachTerm(text, cfg, (b, s, e) => out.push(`${b}:${text.slice(s, e)}`));
      return out;
    };
    const simplifiedText: string[] = [];
    forEachTerm('说明书写得很清楚', { ...DEFAULT_FEATURES, wordNgrams: 0, charNgrams: [1, 1] }, (b) => simplifiedText.push(String(b)));
    expect(terms(true).map((t) => t.split(':')[0])).toEqual(simplifiedText);
    expect(terms(true).map((t) => t.split(':')[1]).join('')).toBe(text);
    expect(terms(undefined).map((t) => t.split(':')[0])).not.toEqual(simplifiedText);
  });

  it('gives every term a span of the original text and keeps emoji whole', () => {
    const text = '客服很好😊 Great APP';
    const spans: string[] = [];
    forEachTerm(text, { ...DEFAULT_FEATURES, wordNgrams: 0, charNgrams: [1, 1] }, (_b, s, e) => spans.push(text.slice(s, e)));
    expect(spans).toEqual(['客', '服', '很', '好', '😊', 'G', 'r', 'e', 'a', 't', 'A', 'P', 'P']);
    const words: string[] = [];
    forEachTerm(text, { ...DEFAULT_FEATURES, wordNgrams: 1, charNgrams: [0, 0] }, (_b, s, e) => words.push(text.slice(s, e)));
    expect(words).toContain('Great');
    expect(words).toContain('APP');
    expect(words.every((w) => w.trim() === w && w.length > 0)).toBe(true);
  });

  it('hashes the same term to the same bucket wherever it occurs, word and character terms apart', () => {
    const cfg = { ...DEFAULT_FEATURES, wordNgrams: 1, charNgrams: [1, 1] as [number, number] };
    const buckets = (t: string) => {
      const out: Array<[number, string]> = [];
      forEachTerm(t, cfg, (b, s, e) => out.push([b, t.slice(s, e)]));
      return out;
    };
    const a = buckets('好');
    expect(a).toHaveLength(2); // the word 好 and the character 好
    expect(a[0]![0]).not.toBe(a[1]![0]);
    expect(buckets('很好').find(([, s]) => s === '好')![0]).toBe(a.find(([, s]) => s === '好')![0]);
  });

  it('learns a vocabulary by document frequency, ties by bucket', () => {
    const cfg = { ...DEFAULT_FEATURES, wordNgrams: 0, charNgrams: [1, 1] as [number, number], minDf: 2 };
    const { vocab, matrix } = Vocabulary.fit(['ab', 'ac', 'ad', 'bc'], cfg);
    // a: 3 documents, b and c: 2, d: 1 (dropped)
    expect(vocab.size).toBe(3);
    expect(matrix.rows).toBe(4);
    expect(Array.from(matrix.indptr)).toEqual([0, 2, 4, 5, 7]);
    const first = vocab.columns('a', cfg);
    expect(first).toEqual([0]);
  });

  it('survives empty, huge, binary and emoji-only texts', () => {
    const cfg = DEFAULT_FEATURES;
    const count = (t: string) => {
      let n = 0;
      forEachTerm(t, cfg, () => n++);
      return n;
    };
    expect(count('')).toBe(0);
    expect(count('   \n\t')).toBe(0);
    expect(count('😊😊😊')).toBe(6); // 3 unigrams, 2 bigrams, 1 trigram of one emoji
    expect(count('\u0000\u0001\uFFFF\uD800abc')).toBeGreaterThan(0);
    expect(count('好'.repeat(1_000_000))).toBe(3_000_000 - 3 + forEachWordCount('好'.repeat(1_000_000)));
  });
});

/** Word terms jieba gives for a text (helper of the huge-text case). */
function forEachWordCount(text: string): number {
  let n = 0;
  forEachTerm(text, { ...DEFAULT_FEATURES, charNgrams: [0, 0] }, () => n++);
  return n;
}

describe('sentiment model', () => {
  const { train, test } = sentimentExamples();

  it('learns a separable data set: every clean test review right, the two mislabelled ones wrong', () => {
    const model = trainSentimentModel(train);
    expect(model.labels).toEqual(['0', '1']);
    const right = test.filter((e) => predictSentiment(model, e.text).label === e.label).length;
    expect(right).toBe(test.length - 2);
    expect(test.length).toBe(20);
  });

  it('is deterministic and survives a model.json round trip with identical predictions', () => {
    const a = trainSentimentModel(train);
    const b = trainSentimentModel(train);
    expect(modelToJson(a)).toBe(modelToJson(b));
    const path = join(tmp, 'sentiment.json');
    saveModel(a, path, { dataFile: 'synthetic.csv', holdout: { fraction: 0.5, seed: 1 } });
    const loaded = loadModel(path, 'sentiment');
    expect(loaded.note).toEqual({ dataFile: 'synthetic.csv', holdout: { fraction: 0.5, seed: 1 } });
    for (const e of test) expect(predictSentiment(loaded as typeof a, e.text)).toEqual(predictSentiment(a, e.text));
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(doc).toMatchObject({ format: 'voc-model', version: 1, task: 'sentiment', training: { rows: train.length } });
  });

  it('reads traditional characters as simplified ones, as the rules do; a model file from before keeps reading the text as written', () => {
    const model = trainSentimentModel(train);
    expect(model.features.simplified).toBe(true);
    // The same reviews in traditional characters (opencc t2cn's inverse, written out by hand).
    const pairs: Array<[string, string]> = [
      ['质量很好，物流很快，客服态度也好', '質量很好，物流很快，客服態度也好'],
      ['太差了，发错货，客服不理人，退货还要自己出运费', '太差了，發錯貨，客服不理人，退貨還要自己出運費'],
    ];
    for (const [simplified, traditional] of pairs) expect(predictSentiment(model, traditional)).toEqual(predictSentiment(model, simplified));
    // A model.json written before the option has no `simplified`: it featurises the text as written.
    const doc = JSON.parse(modelToJson(model)) as { features: Record<string, unknown> };
    expect(doc.features.simplified).toBe(true);
    delete doc.features.simplified;
    const older = modelFromJson(JSON.stringify(doc), 'older.json') as typeof model;
    expect(older.features.simplified).toBeUndefined();
    expect(predictSentiment(older, pairs[0]![0])).toEqual(predictSentiment(model, pairs[0]![0]));
    expect(predictSentiment(older, pairs[1]![1]).probabilities).not.toEqual(predictSentiment(model, pairs[1]![1]).probabilities);
  });

  it('handles hostile texts without crashing', () => {
    const model = trainSentimentModel(train);
    for (const text of ['', '😊😊', '\u0000\uFFFF\uD800', '好'.repeat(1_000_000), '這個東西真好用，推薦！', 'mixed 中文 and English']) {
      const p = predictSentiment(model, text);
      expect(model.labels).toContain(p.label);
      expect(p.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    }
  });
});

describe('aspect model', () => {
  const { train, test } = aspectExamples();

  it('finds the subjects and their sentiment of unseen posts', () => {
    const model = trainAspectModel(train);
    expect(model.subjects).toEqual(['价格', '动力', '外观']);
    expect(model.atLeastOne).toBe(true);
    for (const e of test) {
      const got = predictAspects(model, e.text).map((p) => `${p.subject}${p.sentiment}`).sort();
      expect(got, e.text).toEqual(e.labels.map((l) => `${l.subject}${l.sentiment}`).sort());
    }
  });

  it('points at the words behind a subject', () => {
    const model = trainAspectModel(train);
    const text = '这车的马力真的很给力';
    const [p] = predictAspects(model, text);
    expect(p!.subject).toBe('动力');
    // The evidence overlaps 马力 (3..5), the only word of the post about power.
    expect(p!.evidence!.start).toBeLessThan(5);
    expect(p!.evidence!.end).toBeGreaterThan(3);
  });

  it('predicts nothing for an empty post and survives a round trip', () => {
    const model = trainAspectModel(train);
    expect(predictAspects(model, '')).toEqual([]);
    const back = modelFromJson(modelToJson(model), 'mem');
    for (const e of test) expect(predictAspects(back as typeof model, e.text)).toEqual(predictAspects(model, e.text));
  });
});

describe('model.json errors', () => {
  const inputError = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('expected an InputError');
  };

  it('names the file and what is wrong', () => {
    const notJson = join(tmp, 'not.json');
    writeFileSync(notJson, 'hello');
    expect(inputError(() => loadModel(notJson))).toBe(`${notJson}: not a voc model (not JSON); train one with \`voc train sentiment|aspects|channels --out FILE\``);
    const newer = join(tmp, 'newer.json');
    writeFileSync(newer, JSON.stringify({ format: 'voc-model', version: 99 }));
    expect(inputError(() => loadModel(newer))).toBe(`${newer}: model format version 99 is newer than this voc reads (1); upgrade voc or retrain`);
    const model = trainSentimentModel(sentimentExamples().train);
    const doc = JSON.parse(modelToJson(model)) as { linear: { weights: string } };
    doc.linear.weights = doc.linear.weights.slice(0, 16); // three floats instead of one per feature
    const damaged = join(tmp, 'damaged.json');
    writeFileSync(damaged, JSON.stringify(doc));
    expect(inputError(() => loadModel(damaged))).toBe(`${damaged}: damaged model file: weight sizes do not match the vocabulary; retrain it`);
    const unknownTask = join(tmp, 'unknown-task.json');
    writeFileSync(unknownTask, JSON.stringify({ ...doc, task: 5 }));
    expect(inputError(() => loadModel(unknownTask))).toBe(`${unknownTask}: damaged model file: field task: expected one of "sentiment", "aspects", "channels"; retrain it`);
    const path = join(tmp, 'as-sentiment.json');
    saveModel(model, path);
    expect(inputError(() => loadModel(path, 'aspects'))).toBe(`${path}: this is a sentiment model; this command needs one made by \`voc train aspects\``);
    expect(inputError(() => loadModel(join(tmp, 'missing.json'), 'aspects'))).toBe(
      `model file not found: ${join(tmp, 'missing.json')}; train one with \`voc train aspects --out ${join(tmp, 'missing.json')}\``,
    );
  });
});
