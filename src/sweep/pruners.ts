/**
 * @fileoverview Pruning decisions, pure: given a trial's new intermediate value at a step and
 * what the other trials reported, stop it or let it go on.
 *
 *   median (Optuna's MedianPruner): once `startup_trials` trials completed and past
 *     `warmup_steps`, prune when the trial's best value so far is worse than the median of the
 *     completed trials' values at this step.
 *   asha (Optuna's SuccessiveHalvingPruner, asynchronous): rungs at min_steps·rf^k steps; at
 *     its first report at or past a rung, a trial goes on only if its value is in the top
 *     ⌊n/rf⌋ of the n values recorded at that rung so far (the best one while n < rf).
 */
import type { Direction, PruneSpec, Trial } from './types.js';

export interface PruneDecision { prune: boolean; reason: string }

const KEEP: PruneDecision = { prune: false, reason: '' };

/** Decides for `trial`, which just reported `value` at `step` (already in trial.intermediate). */
export function decidePrune(spec: PruneSpec & { min_steps: number }, trial: Trial, step: number, others: readonly Trial[], maxSteps: number): PruneDecision {
  if (spec.method === 'median') return median(spec, trial, step, others);
  if (spec.method === 'asha') return asha(spec, trial, step, others, maxSteps);
  return KEEP;
}

const better = (d: Direction, a: number, b: number) => (d === 'minimize' ? a < b : a > b);

function median(spec: PruneSpec, trial: Trial, step: number, others: readonly Trial[]): PruneDecision {
  const complete = others.filter((t) => t.status === 'complete' && t.number !== trial.number);
  if (complete.length < spec.startup_trials || step < spec.warmup_steps) return KEEP;
  const at = complete.map((t) => t.intermediate[String(step)]).filter((v): v is number => v !== undefined);
  if (at.length === 0) return KEEP;
  const m = medianOf(at);
  const best = bestSoFar(trial, step, spec.direction);
  if (best === undefined || !better(spec.direction, m, best)) return KEEP;
  return { prune: true, reason: `best ${spec.metric} ${best.toFixed(4)} is worse than the median ${m.toFixed(4)} of ${at.length} completed trial(s) at step ${step}` };
}

/** The trial's best value over the steps up to `step`. */
function bestSoFar(t: Trial, step: number, d: Direction): number | undefined {
  let best: number | undefined;
  for (const [s, v] of Object.entries(t.intermediate)) {
    if (Number(s) <= step && (best === undefined || better(d, v, best))) best = v;
  }
  return best;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rung steps below `maxSteps`: min_steps · rf^k. */
export function rungs(minSteps: number, rf: number, maxSteps: number): number[] {
  const out: number[] = [];
  for (let r = minSteps; r < maxSteps; r *= rf) out.push(r);
  return out;
}

/**
 * The value a trial brought to each rung: its first report at or after the rung step (evaluations
 * need not fall on rungs exactly), and only if that report comes before the next rung.
 */
export function rungValues(t: Trial, rungSteps: readonly number[]): Map<number, number> {
  const steps = Object.keys(t.intermediate).map(Number).sort((a, b) => a - b);
  const out = new Map<number, number>();
  rungSteps.forEach((r, k) => {
    const next = rungSteps[k + 1] ?? Infinity;
    const s = steps.find((x) => x >= r);
    if (s !== undefined && s < next) out.set(r, t.intermediate[String(s)]!);
  });
  return out;
}

function asha(spec: PruneSpec & { min_steps: number }, trial: Trial, step: number, others: readonly Trial[], maxSteps: number): PruneDecision {
  const rs = rungs(spec.min_steps, spec.reduction_factor, maxSteps);
  // A decision is due when this report is the trial's first at or after a rung (and before the next).
  const steps = Object.keys(trial.intermediate).map(Number).sort((a, b) => a - b);
  const rung = rs.find((r, k) => step >= r && step < (rs[k + 1] ?? Infinity) && steps.find((x) => x >= r) === step);
  if (rung === undefined) return KEEP;
  const mine = rungValues(trial, rs);
  const value = mine.get(rung)!;
  const competing = [value, ...others.filter((t) => t.number !== trial.number).map((t) => rungValues(t, rs).get(rung)).filter((v): v is number => v !== undefined)];
  const sorted = [...competing].sort((a, b) => (spec.direction === 'minimize' ? a - b : b - a));
  const keep = Math.max(1, Math.floor(sorted.length / spec.reduction_factor));
  const cutoff = sorted[keep - 1]!;
  if (!better(spec.direction, cutoff, value)) return KEEP;
  return { prune: true, reason: `${spec.metric} ${value.toFixed(4)} at rung ${rung} is outside the top ${keep} of ${sorted.length} (cutoff ${cutoff.toFixed(4)})` };
}
