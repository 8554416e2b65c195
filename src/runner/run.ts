/**
 * @fileoverview The scheduler. Stages start as soon as their inputs exist (independent
 * branches run concurrently, up to `jobs`), each in a worker process. A cached stage is
 * restored instantly; a failure skips its dependents and names them; without keep-going no
 * new stage starts after a failure. Outputs commit atomically and the lock file is updated
 * after every stage, so a kill loses at most the stages that were running.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { ArtifactRef } from '../artifacts/kinds.js';
import { checkpointKey } from '../cache/fingerprint.js';
import { lockKey } from '../cache/key-lock.js';
import { updateLock, type LockEntry } from '../cache/lockfile.js';
import { registerLockFile } from '../cache/gc.js';
import type { Manifest } from '../cache/store.js';
import { TrainyardError, asTrainyardError } from '../errors/index.js';
import type { Plan } from '../graph/plan.js';
import { portSpec, type OutputSpec } from '../stages/define.js';
import { evaluateStage, inputRefs, type EngineState } from './staleness.js';
import type { StageJob } from './job.js';
import type { RunLifecycle, RunSummary, StageEndInfo } from './lifecycle.js';
import { StagePool } from './process-pool.js';

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
}

type Outcome = { refs: Record<string, ArtifactRef> } | { failed: true };

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '')}-${randomBytes(3).toString('hex')}`;
}

export async function runPlan(state: EngineState, opts: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const runId = opts.runId ?? newRunId();
  const { lifecycle } = opts;
  const pipeline = state.compiled.pipeline;
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const keepGoing = opts.keepGoing ?? pipeline.onError === 'keep-going';
  const signal = opts.signal ?? new AbortController().signal;
  const pool = new StagePool({ graceMs: opts.graceMs });
  const outcomes = new Map<string, Outcome>();
  const results = new Map<string, Record<string, ArtifactRef>>();
  const counts: RunSummary['counts'] = { cached: 0, done: 0, failed: 0, skipped: 0 };
  const lockUpdates: Record<string, LockEntry> = {};
  const lookupsOnly = new Set(opts.plan.lookups);
  const pending = [...opts.plan.lookups, ...opts.plan.stages];
  const running = new Map<string, Promise<void>>();
  const stageSignals = new Map<string, AbortSignal>();
  let failedAny = false;
  // Lock-file writes are batched (at most one a second, and at the end): the file is YAML of
  // every stage, so writing it after each of 1,000 tiny stages would be quadratic. A kill
  // between flushes loses no work: the store still has the results (run cache).
  let lastFlush = Date.now();
  let flushing: Promise<void> = Promise.resolve();
  const flushLock = (force: boolean): Promise<void> => {
    if (!force && Date.now() - lastFlush < 1000) return flushing;
    lastFlush = Date.now();
    flushing = flushing.then(async () => {
      const batch = { ...lockUpdates };
      for (const k of Object.keys(batch)) delete lockUpdates[k];
      if (Object.keys(batch).length > 0) await updateLock(state.lockPath, batch);
    });
    return flushing;
  };

  lifecycle.runStart?.({ runId, pipeline: pipeline.file, stages: pending.map((n) => ({ name: n, type: pipeline.stages.get(n)!.type, willRun: true, reason: '' })) });

  const end = (info: StageEndInfo) => { counts[info.status] += 1; lifecycle.stageEnd?.(info); };
  const finish = (name: string, manifest: Manifest) => {
    const refs = state.store.refs(manifest, name);
    results.set(name, refs);
    outcomes.set(name, { refs });
    return refs;
  };
  const cached = (name: string, manifest: Manifest) => {
    const refs = finish(name, manifest);
    if (state.lock.stages[name]?.key !== manifest.key) lockUpdates[name] = lockEntry(manifest);
    counts.cached += 1;
    lifecycle.stageCached?.(name, Object.fromEntries(Object.entries(refs).map(([p, r]) => [p, r.path])));
  };
  const skip = (name: string, why: string) => {
    outcomes.set(name, { failed: true });
    end({ name, status: 'skipped', durationMs: 0, error: { code: 'E_SKIPPED', message: why } });
  };

  async function start(name: string, inputs: Record<string, ArtifactRef[]>): Promise<void> {
    const stage = pipeline.stages.get(name)!;
    const t = Date.now();
    try {
      const ev = await evaluateStage(state, name, inputs, opts.force === true && !lookupsOnly.has(name));
      if (ev.corrupt) lifecycle.stageLog?.(name, 'warn', `cached result was corrupt (${ev.corrupt}); running again`);
      if (ev.manifest) return cached(name, ev.manifest);
      if (lookupsOnly.has(name)) {
        throw new TrainyardError('E_ARTIFACT', `Stage "${name}" has no cached result, and --only does not run upstream stages.`, { stage: name, hint: 'Run without --only, or run that stage first.' });
      }
      const release = await lockKey(state.store.locksDir(), ev.key, signal);
      try {
        // Another run may have produced it while we waited for the lock.
        if (!opts.force) {
          const again = await state.store.lookup(ev.key);
          if (again.manifest) return cached(name, again.manifest);
        }
        lifecycle.stageStart?.(name, stage.type);
        for (const r of ev.reasons) lifecycle.stageLog?.(name, 'debug', `runs because: ${r}`);
        const manifest = await execute(name, inputs, ev.key, ev.details);
        const refs = finish(name, manifest);
        const entry = lockEntry(manifest);
        state.lock.stages[name] = entry;
        lockUpdates[name] = entry;
        await flushLock(false);
        end({ name, status: 'done', key: manifest.key, durationMs: Date.now() - t, outputs: Object.fromEntries(Object.entries(refs).map(([p, r]) => [p, r.path])), metrics: manifest.metrics, stats: manifest.stats });
      } finally {
        await release();
      }
    } catch (err) {
      // A stage that reacted to the abort says what it saved; anything else is "cancelled".
      const raw = asTrainyardError(err);
      const cancelled = signal.aborted || stageSignals.get(name)?.aborted === true;
      const e = cancelled && raw.code !== 'E_ABORTED' ? new TrainyardError('E_ABORTED', 'cancelled; checkpoints, if any, were kept') : raw;
      failedAny = true;
      outcomes.set(name, { failed: true });
      end({ name, status: 'failed', durationMs: Date.now() - t, error: { code: e.code, message: e.message, hint: e.hint } });
    }
  }

  async function execute(name: string, inputs: Record<string, ArtifactRef[]>, key: string, details: Manifest['details']): Promise<Manifest> {
    const stage = pipeline.stages.get(name)!;
    const staging = await state.store.stagingDir(name);
    const outputs: StageJob['outputs'] = {};
    const kinds: Record<string, OutputSpec['kind']> = {};
    for (const [port, spec] of Object.entries(stage.def.outputs)) {
      const kind = portSpec<OutputSpec>(spec).kind;
      outputs[port] = { kind, dir: join(staging, 'outputs', port) };
      kinds[port] = kind;
    }
    const ckpt = stage.def.checkpoints ? state.store.checkpointDir(checkpointKey(details, stage.def.checkpointKeyIgnores)) : join(staging, 'checkpoint');
    // --force means recompute: a training stage starts over instead of resuming its checkpoints.
    if (opts.force && stage.def.checkpoints) await rm(ckpt, { recursive: true, force: true });
    const job: StageJob = {
      name, type: stage.type, options: stage.options, inputs, outputs, checkpointDir: ckpt, tmpDir: join(staging, 'tmp'),
      cwd: pipeline.dir, backend: pipeline.backend, seed: pipeline.seed, threads: Math.max(1, Math.floor(availableParallelism() / Math.min(jobs, running.size || 1))),
      plugins: pipeline.pluginPaths,
    };
    const metrics: Record<string, number> = {};
    const stats: Record<string, number | string> = {};
    const t = Date.now();
    const own = opts.stageSignal?.(name);
    if (own) stageSignals.set(name, own);
    try {
      await pool.run(job, (e) => {
        if (e.type === 'log') lifecycle.stageLog?.(name, e.level, e.message);
        else if (e.type === 'progress') lifecycle.stageProgress?.(name, e.progress);
        else if (e.type === 'metric') { metrics[e.name] = e.value; lifecycle.stageMetric?.(name, e.name, e.value, e.step); }
        else if (e.type === 'stats') Object.assign(stats, e.values);
      }, own ? AbortSignal.any([signal, own]) : signal);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    await rm(join(staging, 'tmp'), { recursive: true, force: true });
    if (!stage.def.checkpoints) await rm(ckpt, { recursive: true, force: true });
    return state.store.commit(staging, { key, stage: name, details, kinds, metrics, stats, backend: pipeline.backend, durationMs: Date.now() - t });
  }

  try {
    while (pending.length > 0 || running.size > 0) {
      let progressed = false;
      for (let i = 0; i < pending.length && running.size < jobs;) {
        const name = pending[i]!;
        const ups = [...new Set(Object.values(state.compiled.bindings.get(name) ?? {}).flat().map((b) => b.stage))];
        if (ups.some((u) => !outcomes.has(u))) { i++; continue; }
        pending.splice(i, 1);
        progressed = true;
        const bad = ups.filter((u) => 'failed' in outcomes.get(u)!);
        if (bad.length > 0) { skip(name, `upstream ${bad.join(', ')} failed`); continue; }
        if (signal.aborted) { skip(name, 'run cancelled'); continue; }
        if (opts.drain?.aborted) { skip(name, 'superseded by a newer change'); continue; }
        if (failedAny && !keepGoing) { skip(name, 'an earlier stage failed (use --keep-going to run unaffected stages)'); continue; }
        const p = start(name, inputRefs(state, name, results)!).finally(() => running.delete(name));
        running.set(name, p);
      }
      if (running.size > 0) await Promise.race(running.values());
      else if (!progressed && pending.length > 0) throw new Error(`scheduler stalled with pending stages: ${pending.join(', ')}`);
    }
  } finally {
    pool.close();
    await flushLock(true);
    if (counts.done + counts.cached > 0) await registerLockFile(state.store.root, state.lockPath);
    await state.files.save();
  }
  const summary: RunSummary = { runId, ok: counts.failed === 0 && counts.skipped === 0 && !signal.aborted, durationMs: Date.now() - t0, counts };
  await lifecycle.runEnd?.(summary);
  return summary;
}

function lockEntry(m: Manifest): LockEntry {
  return { key: m.key, details: m.details, outputs: Object.fromEntries(Object.entries(m.outputs).map(([p, o]) => [p, o.hash])) };
}
