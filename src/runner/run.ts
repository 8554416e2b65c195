/**
 * @fileoverview `runPlan`: one run of a plan. The scheduler (./scheduler.ts) decides what
 * starts when: stages start as soon as their inputs exist (independent branches run
 * concurrently, up to `jobs`); a failure skips its dependents and names them; without
 * keep-going no new stage starts after a failure. Each stage runs through ./execute.ts: a
 * cached stage is restored instantly, others run in a worker process and commit atomically.
 * The lock file is written in batches (./lock-writer.ts), so a kill loses at most the stages
 * that were running.
 *
 *   plan ─▶ schedule ─▶ executeStage (cache? lock → executor: staging → worker → commit) ─▶ lock writer
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { registerLockFile } from '../cache/gc.js';
import type { Plan } from '../graph/plan.js';
import { executeStage, type RunContext } from './execute.js';
import { CompositeLifecycle, type RunLifecycle, type RunSummary } from './lifecycle.js';
import { LockWriter } from './lock-writer.js';
import { syncOuts } from './outs.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './local-executor.js';
import { schedule } from './scheduler.js';
import type { EngineState } from './staleness.js';

export interface RunOptions {
  plan: Plan;
  lifecycle: RunLifecycle;
  jobs?: number;
  force?: boolean;
  keepGoing?: boolean;
  signal?: AbortSignal;
  /** Grace period for stages to checkpoint after cancel. */
  graceMs?: number;
  /** Once aborted, no further stage starts (running ones go on): a newer plan supersedes this run. */
  drain?: AbortSignal;
  /** A per-stage cancel signal (watch mode cancels just the stages an edit made stale). */
  stageSignal?: (name: string) => AbortSignal | undefined;
  runId?: string;
  /** How long a stage waits for another run computing the same result before E_LOCKED. @default 10 minutes */
  lockTimeoutMs?: number;
  /** Threads each stage may use (a sweep running trials side by side shares the cores). @default cores / stages in flight */
  threads?: number;
  /** Runs the stages that miss every cache; the run closes it. @default a LocalExecutor (worker processes here) */
  executor?: Executor;
}

/** A sortable, unique run id: `20240131T120000-a1b2c3`. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '')}-${randomBytes(3).toString('hex')}`;
}

/** Runs the plan's stages (and restores its lookups); resolves with the summary after `runEnd`. */
export async function runPlan(state: EngineState, opts: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const pipeline = state.compiled.pipeline;
  const order = [...opts.plan.lookups, ...opts.plan.stages];
  const counts: RunSummary['counts'] = { cached: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  const ctx = runContext(state, opts, new CompositeLifecycle([counter(counts), opts.lifecycle]));
  await state.store.cleanStaging(); // what killed runs left in .trainyard/tmp
  ctx.lifecycle.runStart?.({ runId: ctx.runId, pipeline: pipeline.file, stages: order.map((n) => ({ name: n, type: pipeline.stages.get(n)!.type, willRun: true, reason: '' })) });
  try {
    await schedule({
      stages: order, upstream: (name) => upstreamOf(state, name), jobs: ctx.jobs,
      keepGoing: opts.keepGoing ?? pipeline.onError === 'keep-going', signal: ctx.signal, drain: opts.drain,
      runStage: (name, inFlight) => executeStage(ctx, name, inFlight),
      onSkip: (name, why) => ctx.lifecycle.stageEnd?.({ name, status: 'skipped', durationMs: 0, error: { code: 'E_SKIPPED', message: why } }),
    });
  } finally {
    await ctx.executor.close();
    await Promise.all(ctx.pushes);
    await ctx.lockWriter.flush();
    await syncOuts(state, ctx.manifests, ctx.lifecycle);
    if (counts.done + counts.cached > 0) await registerLockFile(state.store.root, state.lockPath);
    await state.files.save();
  }
  const summary: RunSummary = { runId: ctx.runId, ok: counts.failed === 0 && counts.cancelled === 0 && counts.skipped === 0 && !ctx.signal.aborted, durationMs: Date.now() - t0, counts };
  await opts.lifecycle.runEnd?.(summary);
  return summary;
}

function runContext(state: EngineState, opts: RunOptions, lifecycle: RunLifecycle): RunContext {
  return {
    state, lifecycle, runId: opts.runId ?? newRunId(),
    executor: opts.executor ?? localExecutor(state, opts.graceMs),
    lockWriter: new LockWriter(state.lockPath),
    signal: opts.signal ?? new AbortController().signal,
    stageSignal: opts.stageSignal,
    jobs: Math.max(1, opts.jobs ?? availableParallelism()),
    force: opts.force === true,
    lookupsOnly: new Set(opts.plan.lookups),
    lockTimeoutMs: opts.lockTimeoutMs,
    threads: opts.threads,
    results: new Map(),
    manifests: new Map(),
    pushes: [],
    repairs: new Set(),
  };
}

/** Worker processes on this machine, with the pipeline's settings. */
export function localExecutor(state: EngineState, graceMs?: number): LocalExecutor {
  const p = state.compiled.pipeline;
  return new LocalExecutor(state.store, { cwd: p.dir, backend: p.backend, seed: p.seed, plugins: p.pluginPaths }, { graceMs });
}

/** Counts stage ends by status (a cached stage has no stage end of its own). */
function counter(counts: RunSummary['counts']): RunLifecycle {
  return {
    stageCached: () => { counts.cached += 1; },
    stageEnd: (info) => { counts[info.status] += 1; },
  };
}

/** The stages whose outputs `name` reads. */
function upstreamOf(state: EngineState, name: string): string[] {
  return [...new Set(Object.values(state.compiled.bindings.get(name) ?? {}).flat().map((b) => b.stage))];
}
