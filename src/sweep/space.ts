/**
 * @fileoverview The search space: each parameter's prior draw, the internal (possibly log)
 * scale TPE models it on, snapping a draw to a legal value, and the grid of values.
 *
 *   float  [low, high]           uniform, or log-uniform with log: true (low > 0)
 *   int    low, low+step, … high  uniform over the values, or log-uniform then rounded
 *   categorical values[i]        each choice equally likely
 */
import type { ParameterSpec } from './types.js';

/** A numeric parameter on its modelling scale: bounds in internal units (log for log: true). */
export interface NumericScale { low: number; high: number; log: boolean; int: boolean; step?: number }

/** The internal scale of a float or int parameter; int bounds widen by half a step so each value gets an equal bin. */
export function numericScale(p: Exclude<ParameterSpec, { type: 'categorical' }>): NumericScale {
  const int = p.type === 'int';
  const half = int ? (p.step ?? 1) / 2 : 0;
  if (p.log) {
    const lo = int ? Math.max(p.low - half, p.low / 2) : p.low;
    return { low: Math.log(lo), high: Math.log(p.high + half), log: true, int, step: p.step };
  }
  return { low: p.low - half, high: p.high + half, log: false, int, step: p.step };
}

/** The legal value nearest to internal-scale `x` (clamped, rounded to int/step). */
export function fromInternal(p: Exclude<ParameterSpec, { type: 'categorical' }>, x: number): number {
  let v = p.log ? Math.exp(x) : x;
  if (p.type === 'int') {
    const step = p.step ?? 1;
    v = p.low + Math.round((v - p.low) / step) * step;
  } else if (p.step !== undefined) {
    v = p.low + Math.round((v - p.low) / p.step) * p.step;
    v = Number(v.toPrecision(12)); // 0.1 + 2 * 0.05 is 0.20000000000000004
  }
  return Math.min(p.high, Math.max(p.low, v));
}

/** A legal value on the internal scale (for the Parzen estimators). */
export function toInternal(p: Exclude<ParameterSpec, { type: 'categorical' }>, v: number): number {
  return p.log ? Math.log(v) : v;
}

/** A draw from the parameter's prior. */
export function samplePrior(p: ParameterSpec, u: () => number): unknown {
  if (p.type === 'categorical') return p.values[Math.floor(u() * p.values.length)];
  const s = numericScale(p);
  return fromInternal(p, s.low + u() * (s.high - s.low));
}

/** The values a grid takes for the parameter: the choices, every int (by step) up to `points` of them, else `points` evenly spaced values. */
export function gridValues(p: ParameterSpec): unknown[] {
  if (p.type === 'categorical') return [...p.values];
  if (p.type === 'int') {
    const step = p.step ?? 1;
    const all: number[] = [];
    for (let v = p.low; v <= p.high; v += step) all.push(v);
    if (all.length <= p.points) return all;
  }
  const n = p.points;
  const [lo, hi] = p.log ? [Math.log(p.low), Math.log(p.high)] : [p.low, p.high];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = fromInternal(p, lo + ((hi - lo) * i) / (n - 1));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Every combination of the parameters' grid values, the first parameter varying slowest. */
export function gridPoints(space: Record<string, ParameterSpec>): Array<Record<string, unknown>> {
  let points: Array<Record<string, unknown>> = [{}];
  for (const [path, p] of Object.entries(space)) {
    const values = gridValues(p);
    points = points.flatMap((pt) => values.map((v) => ({ ...pt, [path]: v })));
  }
  return points;
}
