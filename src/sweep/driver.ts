/**
 * @fileoverview The sweep loop: up to `jobs` trials at once; each free slot takes a trial the
 * state left running (a resume), else samples a new one while the budget lasts. A trial is run
 * by the `execute` function it is given (the CLI's runs the pipeline variant through the
 * runner); every intermediate value it reports is recorded and put to the pruner, and every
 * change is saved to the state file before the loop goes on.
 *
 *   state ─▶ next trial (resume | sample) ─▶ execute ─report(step, v)→ prune? ─▶ end ─▶ state
 */
import { decidePrune } from './pruners.js';
import { gridSize, sampleParams } from './samplers.js';
import type { StateWriter } from './state.js';
import type { Params, PruneSpec, SweepSpec, Trial } from './types.js';

/** How one run of a trial ended. `cancelled`: the sweep was interrupted (the trial resumes later). */
export type TrialOutcome =
  | { status: 'complete'; value: number }
  | { status: 'pruned' }
  | { status: 'failed'; error: string }
  | { status: 'cancelled' };

export interface TrialHooks {
  /** Records `value` at `step`; true when the trial is to stop (pruned) now. */
  report(step: number, value: number): boolean;
  /** Records the id of a pipeline run the trial takes. */
  runId(id: string): void;
}

export type TrialExecutor = (trial: Trial, hooks: TrialHooks) => Promise<TrialOutcome>;

/** What a sweep reports as it goes (the CLI prints it). */
export interface SweepEvents {
  trialStart?(t: Trial, resumed: boolean): void;
  trialPruned?(t: Trial): void;
  trialEnd?(t: Trial): void;
}

export interface DriveOptions {
  writer: StateWriter;
  execute: TrialExecutor;
  jobs: number;
  signal: AbortSignal;
  events?: SweepEvents;
  /** Steps of the pruned stage's full run (ASHA's last rung). */
  maxSteps: number;
  /** Default first ASHA rung (the pruned stage's eval interval). */
  defaultMinSteps: number;
  /** Take these params for trials 0, 1, … instead of sampling (the same trials as another sweep). */
  replay?: Params[];
  /** Train on this (pruned) trial without pruning, then stop. */
  promote?: number;
  /** Sampler seed. */
  seed: number;
}

/** The sweep's budget in trials. */
export function budgetOf(spec: SweepSpec, replay?: Params[]): number {
  if (replay) return replay.length;
  if (spec.method === 'grid') return Math.min(spec.trials ?? Infinity, gridSize(spec.parameters));
  return spec.trials ?? 20;
}

/** Runs the sweep until the budget is spent (or the signal aborts); the state holds the outcome. */
export async function driveSweep(o: DriveOptions): Promise<void> {
  const state = o.writer.state;
  const spec = state.spec;
  const prune = pruneOf(spec, o);
  const budget = budgetOf(spec, o.replay);
  const queue: Trial[] = o.promote !== undefined
    ? [state.trials[o.promote]!]
    : state.trials.filter((t) => t.status === 'running');
  const next = (): { trial: Trial; resumed: boolean } | undefined => {
    if (o.signal.aborted) return undefined;
    const resumed = queue.shift();
    if (resumed) return { trial: resumed, resumed: true };
    if (o.promote !== undefined || state.trials.length >= budget) return undefined;
    const params = o.replay?.[state.trials.length] ?? sampleParams({
      method: spec.method, space: spec.parameters, trials: state.trials, direction: spec.objective.direction, seed: o.seed, tpe: spec.tpe,
    });
    const trial: Trial = { number: state.trials.length, params, status: 'running', intermediate: {}, runIds: [], durationMs: 0 };
    state.trials.push(trial);
    return { trial, resumed: false };
  };
  const slot = async () => {
    for (let n = next(); n; n = next()) await runOne(o, n.trial, n.resumed, o.promote === undefined ? prune : undefined);
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, slot));
}

function pruneOf(spec: SweepSpec, o: DriveOptions): (PruneSpec & { min_steps: number }) | undefined {
  const p = spec.prune;
  if (!p || p.method === 'none') return undefined;
  return { ...p, min_steps: p.min_steps ?? o.defaultMinSteps };
}

async function runOne(o: DriveOptions, trial: Trial, resumed: boolean, prune: (PruneSpec & { min_steps: number }) | undefined): Promise<void> {
  const state = o.writer.state;
  trial.status = 'running';
  delete trial.pruned;
  delete trial.error;
  await o.writer.save();
  o.events?.trialStart?.(trial, resumed);
  const t0 = Date.now();
  let prunedNow: Trial['pruned'];
  const hooks: TrialHooks = {
    report(step, value) {
      trial.intermediate[String(step)] = value;
      // The last step is the trial's end, not a point to stop it at.
      const d = prune && step < o.maxSteps ? decidePrune(prune, trial, step, state.trials, o.maxSteps) : { prune: false, reason: '' };
      if (d.prune && !prunedNow) prunedNow = { step, reason: d.reason };
      void o.writer.save();
      return d.prune;
    },
    runId(id) { trial.runIds.push(id); void o.writer.save(); },
  };
  const outcome = await o.execute(trial, hooks);
  trial.durationMs += Date.now() - t0;
  if (outcome.status === 'cancelled') {
    await o.writer.save(); // stays running: the next `trainyard sweep` resumes it
    return;
  }
  trial.status = outcome.status;
  if (outcome.status === 'complete') trial.value = outcome.value;
  if (outcome.status === 'failed') trial.error = outcome.error;
  if (outcome.status === 'pruned') trial.pruned = prunedNow ?? { step: -1, reason: 'pruned' };
  await o.writer.save();
  if (outcome.status === 'pruned') o.events?.trialPruned?.(trial);
  o.events?.trialEnd?.(trial);
}
