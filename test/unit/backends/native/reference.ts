/**
 * @fileoverview Float64 reference implementations (forward and backward) of the fused ops, in
 * plain JS, to check the native kernels and the TF.js fallbacks against.
 */
const GS = Math.sqrt(2 / Math.PI);
const GA = 0.044715;

/** Mean and 1/std (with eps) of row r of x [rows, c]. */
function rowStats(x: ArrayLike<number>, r: number, c: number, eps: number): { mean: number; rstd: number } {
  let mean = 0, v = 0;
  for (let i = 0; i < c; i++) mean += x[r * c + i]!;
  mean /= c;
  for (let i = 0; i < c; i++) v += (x[r * c + i]! - mean) ** 2;
  return { mean, rstd: 1 / Math.sqrt(v / c + eps) };
}

export function layerNormRef(x: ArrayLike<number>, g: ArrayLike<number>, b: ArrayLike<number>, c: number, eps: number) {
  const rows = x.length / c;
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const { mean, rstd } = rowStats(x, r, c, eps);
    for (let i = 0; i < c; i++) y[r * c + i] = (x[r * c + i]! - mean) * rstd * g[i]! + b[i]!;
  }
  return y;
}

export function layerNormGradRef(dy: ArrayLike<number>, x: ArrayLike<number>, g: ArrayLike<number>, c: number, eps: number) {
  const rows = x.length / c;
  const dx = new Float64Array(x.length), dg = new Float64Array(c), db = new Float64Array(c);
  for (let r = 0; r < rows; r++) {
    const { mean, rstd } = rowStats(x, r, c, eps);
    let sd = 0, sdx = 0;
    for (let i = 0; i < c; i++) {
      const xh = (x[r * c + i]! - mean) * rstd, d = dy[r * c + i]! * g[i]!;
      sd += d; sdx += d * xh;
      dg[i] = dg[i]! + dy[r * c + i]! * xh; db[i] = db[i]! + dy[r * c + i]!;
    }
    for (let i = 0; i < c; i++) {
      const xh = (x[r * c + i]! - mean) * rstd;
      dx[r * c + i] = rstd * (dy[r * c + i]! * g[i]! - sd / c - xh * (sdx / c));
    }
  }
  return [dx, dg, db];
}

export const geluRef = (x: number) => 0.5 * x * (1 + Math.tanh(GS * (x + GA * x ** 3)));
export function geluGradRef(x: number): number {
  const t = Math.tanh(GS * (x + GA * x ** 3));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GS * (1 + 3 * GA * x * x);
}

export function crossEntropyRef(z: ArrayLike<number>, labels: ArrayLike<number>, v: number) {
  const rows = z.length / v;
  const loss = new Float64Array(rows), grad = new Float64Array(z.length);
  for (let r = 0; r < rows; r++) {
    const t = labels[r]!;
    if (t < 0) continue;
    let m = -Infinity, s = 0;
    for (let i = 0; i < v; i++) m = Math.max(m, z[r * v + i]!);
    for (let i = 0; i < v; i++) s += Math.exp(z[r * v + i]! - m);
    loss[r] = m + Math.log(s) - z[r * v + t]!;
    for (let i = 0; i < v; i++) grad[r * v + i] = Math.exp(z[r * v + i]! - m) / s - (i === t ? 1 : 0);
  }
  return { loss, grad };
}

export function adamwRef(p: number[], g: number[], m: number[], v: number[], o: { lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number; step: number }) {
  for (let i = 0; i < p.length; i++) {
    m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
    v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! ** 2;
    const mh = m[i]! / (1 - o.beta1 ** o.step), vh = v[i]! / (1 - o.beta2 ** o.step);
    p[i] = p[i]! * (1 - o.lr * o.weightDecay) - o.lr * mh / (Math.sqrt(vh) + o.epsilon);
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return w;
}
