/**
 * The default binary sentiment learner: plain LR and NB-LR averaged in log-odds, stored as one
 * linear model (analysis/model/sentiment-ensemble.ts). Fixtures are the synthetic reviews of
 * model.data.ts and hand-made matrices whose figures are worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { buildRows, Vocabulary } from '../analysis/model/features.js';
import { trainBinary } from '../analysis/model/linear.js';
import { modelFromJson, modelToJson } from '../analysis/model/serialize.js';
import { nbRatios, trainBinaryEnsemble, trainNbLr } from '../analysis/model/sentiment-ensemble.js';
import { predictSentiment, trainSentimentModel, type SentimentModel } from '../analysis/model/sentiment-model.js';
import { sentimentExamples } from './model.data.js';

const logit = (m: SentimentModel, text: string) => {
  const p = predictSentiment(m, text).probabilities[1]!;
  return Math.log(p / (1 - p));
};

describe('naive-Bayes log-count ratios', () => {
  it('compares smoothed feature shares of the positive and negative documents', () => {
    // Positive docs {0,1} and {0}, negative doc {1,2}; add-1: p = [3,2,1] (sum 6), q = [1,2,2] (sum 5).
    const x = buildRows([[0, 1], [1, 2], [0]], 3);
    const r = nbRatios(x, Uint8Array.of(1, 0, 1), 1);
    expect(Array.from(r)).toEqual([Math.log(3 / 6 / (1 / 5)), Math.log(2 / 6 / (2 / 5)), Math.log(1 / 6 / (2 / 5))]);
  });
});

describe('plain + NB-LR ensemble', () => {
  // Two features that each say "positive" and one that says "negative", plus a shared one.
  const x = buildRows([[0, 3], [1, 3], [2, 3], [0, 1], [2], [2, 3]], 4);
  const y = Uint8Array.of(1, 1, 0, 1, 0, 0);

  it('is the weighted average of its two members, weight by weight', () => {
    const plain = trainBinary(x, y, { l2: 1e-2 });
    const nb = trainNbLr(x, y, 3e-2);
    const ens = trainBinaryEnsemble(x, y, { l2: 1e-2, nbL2: 3e-2, nbShare: 0.25 });
    expect(ens.weights).toEqual(Float32Array.from(plain.weights, (w, j) => 0.75 * w + 0.25 * nb.weights[j]!));
    expect(ens.bias[0]).toBe(0.75 * plain.bias[0]! + 0.25 * nb.bias[0]!);
  });

  it('reduces to one member at share 0 or 1 and leaves the input rows untouched', () => {
    const before = Float32Array.from(x.values);
    expect(trainBinaryEnsemble(x, y, { l2: 1e-2, nbL2: 3e-2, nbShare: 0 })).toEqual(trainBinary(x, y, { l2: 1e-2 }));
    expect(trainBinaryEnsemble(x, y, { l2: 1e-2, nbL2: 3e-2, nbShare: 1 })).toEqual(trainNbLr(x, y, 3e-2));
    expect(x.values).toEqual(before);
  });
});

describe('trainSentimentModel methods', () => {
  const { train, test } = sentimentExamples();

  it('defaults to the ensemble and records how it was fitted', () => {
    const model = trainSentimentModel(train);
    expect(model.training).toEqual({ rows: 60, labelCounts: { '0': 30, '1': 30 }, l2: 1e-5, nbL2: 3e-5, nbShare: 0.5, method: 'ensemble' });
    // Every clean test review right, the two mislabelled ones wrong (see model.data.ts).
    expect(test.filter((e) => predictSentiment(model, e.text).label === e.label).length).toBe(18);
  });

  it('scores a text with the mean log-odds of the plain and the NB-LR model', () => {
    const ens = trainSentimentModel(train);
    const lr = trainSentimentModel(train, { method: 'lr' });
    const nb = trainSentimentModel(train, { method: 'nblr' });
    expect(lr.training.method).toBe('lr');
    for (const e of test) expect(logit(ens, e.text)).toBeCloseTo((logit(lr, e.text) + logit(nb, e.text)) / 2, 4);
  });

  it('method nblr: NB-LR alone, with its own L2 (the ratios folded into the weights)', () => {
    const nb = trainSentimentModel(train, { method: 'nblr', nbL2: 1e-4 });
    const { matrix } = Vocabulary.fit(train.map((e) => e.text), nb.features);
    expect(nb.linear).toEqual(trainNbLr(matrix, Uint8Array.from(train, (e) => Number(e.label)), 1e-4));
    expect(nb.training.method).toBe('nblr');
  });

  it('reads a model.json written before the method was recorded, and names the file when the method is unknown', () => {
    const model = trainSentimentModel(train);
    const doc = JSON.parse(modelToJson(model)) as { training: Record<string, unknown> };
    delete doc.training.method;
    delete doc.training.nbL2;
    delete doc.training.nbShare;
    const old = modelFromJson(JSON.stringify(doc), 'old.json') as SentimentModel;
    expect(old.training).toEqual({ rows: 60, labelCounts: { '0': 30, '1': 30 }, l2: 1e-5 });
    for (const e of test) expect(predictSentiment(old, e.text)).toEqual(predictSentiment(model, e.text));
    doc.training.method = 'forest';
    let message = '';
    try {
      modelFromJson(JSON.stringify(doc), 'odd.json');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^odd\.json: damaged model file: field training\.method: .*; retrain it$/);
  });
});
