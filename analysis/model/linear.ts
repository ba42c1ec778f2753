/**
 * L2-regularised logistic regression on sparse rows: binary (one weight vector, sigmoid) and
 * multinomial (one vector per class, softmax). Trained full-batch with L-BFGS, so training is
 * deterministic; the intercepts are not regularised.
 */
import { minimiseLbfgs } from './lbfgs.js';
import type { SparseRows } from './features.js';

/** A trained linear scorer: `weights` is classes x features (row-major), one row for binary models. */
export interface LinearModel {
  /** 1 = binary (score = logit of the positive class), K >= 3 = softmax over K classes. */
  outputs: number;
  features: number;
  weights: Float32Array;
  bias: Float64Array;
}

export interface TrainOptions {
  /** L2 strength per example (the loss is averaged over examples); default 1e-4. */
  l2?: number;
  /** Per-example weights (class balancing); default 1. */
  sampleWeights?: Float64Array;
  maxIterations?: number;
}

/** Trains a binary classifier; `labels[i]` is 1 for the positive class, 0 otherwise. */
export function trainBinary(x: SparseRows, labels: Uint8Array, options: TrainOptions = {}): LinearModel {
  const d = x.cols;
  const l2 = options.l2 ?? 1e-4;
  const sw = options.sampleWeights;
  const total = sw ? sw.reduce((a, b) => a + b, 0) : x.rows;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const b = theta[d]!;
    let loss = 0;
    for (let i = 0; i < x.rows; i++) {
      let z = b;
      for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) z += theta[x.indices[k]!]! * x.values[k]!;
      const y = labels[i] ? 1 : -1;
      const margin = y * z;
      const wi = sw ? sw[i]! : 1;
      loss += wi * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
      // d loss / d z = -y * sigmoid(-margin)
      const gz = (wi * -y) / (1 + Math.exp(margin));
      for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) grad[x.indices[k]!]! += gz * x.values[k]!;
      grad[d]! += gz;
    }
    loss /= total;
    let reg = 0;
    for (let j = 0; j < d; j++) {
      grad[j] = grad[j]! / total + l2 * theta[j]!;
      reg += theta[j]! * theta[j]!;
    }
    grad[d] = grad[d]! / total;
    return loss + 0.5 * l2 * reg;
  };
  const { x: theta } = minimiseLbfgs(objective, new Float64Array(d + 1), { maxIterations: options.maxIterations ?? 300 });
  return { outputs: 1, features: d, weights: Float32Array.from(theta.subarray(0, d)), bias: Float64Array.of(theta[d]!) };
}

/** Trains a softmax classifier over `classes` classes; `labels[i]` is the class index. */
export function trainSoftmax(x: SparseRows, labels: Uint8Array | Int32Array, classes: number, options: TrainOptions = {}): LinearModel {
  const d = x.cols;
  const K = classes;
  const l2 = options.l2 ?? 1e-4;
  const sw = options.sampleWeights;
  const total = sw ? sw.reduce((a, b) => a + b, 0) : x.rows;
  const z = new Float64Array(K);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const biasAt = K * d;
    for (let i = 0; i < x.rows; i++) {
      for (let c = 0; c < K; c++) z[c] = theta[biasAt + c]!;
      for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) {
        const j = x.indices[k]!;
        const v = x.values[k]!;
        for (let c = 0; c < K; c++) z[c]! += theta[c * d + j]! * v;
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, z[c]!);
      let sum = 0;
      for (let c = 0; c < K; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      const y = labels[i]!;
      const wi = sw ? sw[i]! : 1;
      loss += wi * -Math.log(Math.max(z[y]! / sum, 1e-300));
      for (let c = 0; c < K; c++) {
        const gz = wi * (z[c]! / sum - (c === y ? 1 : 0));
        if (gz === 0) continue;
        for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) grad[c * d + x.indices[k]!]! += gz * x.values[k]!;
        grad[biasAt + c]! += gz;
      }
    }
    loss /= total;
    let reg = 0;
    for (let j = 0; j < K * d; j++) {
      grad[j] = grad[j]! / total + l2 * theta[j]!;
      reg += theta[j]! * theta[j]!;
    }
    for (let c = 0; c < K; c++) grad[K * d + c] = grad[K * d + c]! / total;
    return loss + 0.5 * l2 * reg;
  };
  const { x: theta } = minimiseLbfgs(objective, new Float64Array(K * d + K), { maxIterations: options.maxIterations ?? 300 });
  return { outputs: K, features: d, weights: Float32Array.from(theta.subarray(0, K * d)), bias: Float64Array.from(theta.subarray(K * d)) };
}

/** Raw scores of one row (given as column indices and one shared value): logits per output. */
export function scoreColumns(model: LinearModel, columns: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(model.bias);
  if (!columns.length) return out;
  const v = 1 / Math.sqrt(columns.length);
  const d = model.features;
  for (let c = 0; c < model.outputs; c++) {
    let s = 0;
    for (let k = 0; k < columns.length; k++) s += model.weights[c * d + columns[k]!]!;
    out[c]! += s * v;
  }
  return out;
}

/** Class probabilities from raw scores: [P(neg), P(pos)] for a binary model, softmax otherwise. */
export function probabilities(model: LinearModel, scores: Float64Array): number[] {
  if (model.outputs === 1) {
    const p = 1 / (1 + Math.exp(-scores[0]!));
    return [1 - p, p];
  }
  const max = Math.max(...scores);
  const e = Array.from(scores, (s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
