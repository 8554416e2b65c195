/**
 * @fileoverview A trial is a pipeline variant: the pipeline with the trial's params as `--set`
 * overrides, run through the ordinary runner up to the objective's stage. Stages the trials
 * share have the same cache key, so the first trial computes them and the others restore
 * them (or wait on the key's lock while another trial computes it). The pruned stage's
 * stepped metric goes to `report`; when the pruner says stop, that stage alone is cancelled
 * through the runner's per-stage signal, and like any cancelled training stage it writes a
 * checkpoint under its key first: re-running the trial (a promotion) resumes from it.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { paramsToSets } from '../config/params-file.js';
import { planSelection } from '../graph/plan.js';
import { manifestMetrics } from '../report/history.js';
import { CompositeLifecycle, type RunLifecycle } from '../runner/lifecycle.js';
import { newRunId, runPlan } from '../runner/run.js';
import type { EngineState } from '../runner/staleness.js';
import { errors } from '../errors/index.js';
import type { TrialExecutor } from './driver.js';
import type { Trial } from './types.js';

/** How often each stage ran and was restored from the cache, over all trials. */
export type CacheCounts = Map<string, { ran: number; cached: number }>;

export interface PipelineTrialOptions {
  /** The engine of the pipeline with these extra `--set`s, keeping its lock file at `lockPath`. */
  engine(sets: string[], lockPath: string): Promise<EngineState>;
  /** Folder of the sweep's state (trial lock files go under trials/). */
  dir: string;
  objective: { stage: string; metric: string };
  prune?: { stage: string; metric: string };
  /** Threads per stage (the cores shared by the trials in flight). */
  threads: number;
  signal: AbortSignal;
  /** Lifecycles that also hear a trial's run (its run record, a log). */
  listeners(trial: Trial, runId: string, state: EngineState): RunLifecycle[];
  counts: CacheCounts;
}

/** Runs trials as pipeline variants. */
export function pipelineTrials(o: PipelineTrialOptions): TrialExecutor {
  return async (trial, hooks) => {
    await mkdir(join(o.dir, 'trials'), { recursive: true });
    const state = await o.engine(paramsToSets(trial.params), join(o.dir, 'trials', `${trial.number}.lock`));
    const plan = planSelection(state.compiled, { targets: [o.objective.stage] });
    const runId = newRunId();
    hooks.runId(runId);
    const pruneCtl = new AbortController();
    let pruned = false;
    let objectiveMetrics: Record<string, number> | undefined;
    let objectiveKey: string | undefined;
    let failure: string | undefined;
    const watch: RunLifecycle = {
      stageMetric(name, metric, value, step) {
        if (!o.prune || pruned || name !== o.prune.stage || metric !== o.prune.metric || step === undefined) return;
        if (hooks.report(step, value)) { pruned = true; pruneCtl.abort(); }
      },
      stageCached(name, outputs) {
        count(o.counts, name).cached += 1;
        if (name === o.objective.stage) objectiveKey = /([0-9a-f]{64})/.exec(Object.values(outputs)[0] ?? '')?.[1];
      },
      stageEnd(info) {
        if (info.status === 'done') count(o.counts, info.name).ran += 1;
        if (info.status === 'done' && info.name === o.objective.stage) objectiveMetrics = info.metrics ?? {};
        if (info.status === 'failed' && failure === undefined) failure = `${info.name}: ${info.error?.message ?? 'failed'}`;
      },
    };
    const summary = await runPlan(state, {
      plan, runId, jobs: 1, threads: o.threads, signal: o.signal,
      lifecycle: new CompositeLifecycle([watch, ...o.listeners(trial, runId, state)]),
      stageSignal: (name) => (name === o.prune?.stage ? pruneCtl.signal : undefined),
    });
    if (o.signal.aborted) return { status: 'cancelled' };
    if (pruned && !objectiveMetrics) return { status: 'pruned' };
    if (!summary.ok && !objectiveMetrics && !objectiveKey) return { status: 'failed', error: failure ?? 'the trial\'s run did not finish' };
    const metrics = objectiveMetrics ?? (objectiveKey ? await manifestMetrics(state.store, objectiveKey) : {});
    const value = metrics[o.objective.metric];
    if (value === undefined) {
      const e = errors.sweepMetricMissing({ metric: o.objective.metric, stage: o.objective.stage, available: Object.keys(metrics) });
      return { status: 'failed', error: e.message };
    }
    return { status: 'complete', value };
  };
}

function count(c: CacheCounts, name: string): { ran: number; cached: number } {
  let e = c.get(name);
  if (!e) c.set(name, (e = { ran: 0, cached: 0 }));
  return e;
}
