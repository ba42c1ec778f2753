/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search.
 * Full-batch and free of randomness, so the same data always gives the same weights; on the smooth,
 * strongly convex L2-regularised logistic loss it converges in a few dozen iterations.
 */

/** Writes the gradient at `x` into `grad` and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Iteration cap (default 200). */
  maxIterations?: number;
  /** Pairs of correction vectors kept (default 10). */
  memory?: number;
  /** Stop when the gradient norm falls below this times max(1, |x|) (default 1e-5). */
  gradientTolerance?: number;
  /** Stop when an iteration lowers the objective by less than this share of it (default 1e-9). */
  relativeDecrease?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
}

/** Minimises `f` from `x0` (left untouched). */
export function minimiseLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIterations ?? 200;
  const m = options.memory ?? 10;
  const gtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.relativeDecrease ?? 1e-9;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const dir = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (norm(g) <= gtol * Math.max(1, norm(x))) break;
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, dir);
      axpy(-alpha[k]!, y[k]!, dir);
    }
    if (s.length) {
      const last = s.length - 1;
      scale(dir, dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!));
    } else {
      scale(dir, 1 / Math.max(norm(g), 1e-12));
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, dir);
      axpy(alpha[k]! - beta, s[k]!, dir);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i]! / Math.max(norm(g), 1e-12);
      slope = dot(g, dir);
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break; // no progress possible along this direction
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    const decrease = fx - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (decrease <= ftol * Math.max(1, Math.abs(fx))) {
      iter++;
      break;
    }
  }
  return { x, value: fx, iterations: iter };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}

function scale(a: Float64Array, k: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= k;
}
