/**
 * @fileoverview Runs one stage whose upstream stages are done: check the cache (a hit is
 * restored at once), take the key's lock (another run may be computing the same result),
 * try the remote cache (pull on a miss), then the run's executor (./executor.ts: staging
 * folder → worker process → atomic commit, here or on a queue's worker) and a push to the
 * remote in the background, reporting each step to the lifecycle. Every failure becomes a `failed` stage end; nothing here throws.
 */
import { availableParallelism } from 'node:os';
import type { ArtifactRef } from '../artifacts/kinds.js';
import type { KeyDetails } from '../cache/fingerprint.js';
import { describeHolder, lockKey } from '../cache/key-lock.js';
import type { Manifest } from '../cache/store.js';
import { asTrainyardError, errors, type TrainyardError } from '../errors/index.js';
import type { JobEvent } from './job.js';
import type { RunLifecycle } from './lifecycle.js';
import { lockEntryOf, type LockWriter } from './lock-writer.js';
import type { Executor, StageRequest } from './executor.js';
import type { StageOutcome } from './scheduler.js';
import { evaluateStage, inputRefs, type EngineState } from './staleness.js';

/** What every stage of one run shares. */
export interface RunContext {
  state: EngineState;
  runId: string;
  lifecycle: RunLifecycle;
  /** Runs the stages that miss every cache (local processes, or a queue of workers). */
  executor: Executor;
  lockWriter: LockWriter;
  /** Cancels the whole run. */
  signal: AbortSignal;
  /** A per-stage cancel signal (watch mode). */
  stageSignal?: (name: string) => AbortSignal | undefined;
  jobs: number;
  force: boolean;
  /** Stages that must be cached (--only's upstream): a miss is an error, not a run. */
  lookupsOnly: ReadonlySet<string>;
  /** How long to wait for another run's lock on a cache key. */
  lockTimeoutMs?: number;
  /** Outputs of the stages done so far. */
  results: Map<string, Record<string, ArtifactRef>>;
  /** Threads per stage, when the caller shares the cores out itself. */
  threads?: number;
  /** Store entries of the stages done so far (for pipeline `outs:`). */
  manifests: Map<string, Manifest>;
  /** Uploads to the remote cache in flight (the run waits for them before it ends). */
  pushes: Array<Promise<void>>;
  /** Keys whose remote entry a pull found damaged: their push overwrites it. */
  repairs: Set<string>;
}

/** One stage in flight. */
interface StageRun {
  name: string;
  inputs: Record<string, ArtifactRef[]>;
  /** This stage's own cancel signal, if any. */
  own?: AbortSignal;
  startedAt: number;
  inFlight: () => number;
}

/** Runs (or restores) one stage; resolves with how it ended, never rejects. */
export async function executeStage(ctx: RunContext, name: string, inFlight: () => number): Promise<StageOutcome> {
  const run: StageRun = { name, inputs: inputRefs(ctx.state, name, ctx.results)!, own: ctx.stageSignal?.(name), startedAt: Date.now(), inFlight };
  try {
    await produce(ctx, run);
    return 'ok';
  } catch (err) {
    const cancelled = ctx.signal.aborted || run.own?.aborted === true;
    const e = failureOf(err, cancelled);
    ctx.lifecycle.stageEnd?.({ name, status: cancelled ? 'cancelled' : 'failed', durationMs: Date.now() - run.startedAt, error: { code: e.code, message: e.message, hint: e.hint } });
    return cancelled ? 'cancelled' : 'failed';
  }
}

/** A stage that reacted to the abort says what it saved; anything else is "cancelled". */
function failureOf(err: unknown, cancelled: boolean): TrainyardError {
  const raw = asTrainyardError(err);
  return cancelled && raw.code !== 'E_ABORTED' ? errors.runCancelled() : raw;
}

async function produce(ctx: RunContext, run: StageRun): Promise<void> {
  const { state, lifecycle } = ctx;
  const { name } = run;
  const ev = await evaluateStage(state, name, run.inputs, ctx.force && !ctx.lookupsOnly.has(name));
  if (ev.corrupt) lifecycle.stageLog?.(name, 'warn', `cached result was corrupt (${ev.corrupt}); running again`);
  if (ev.manifest) return restored(ctx, name, ev.manifest);
  const recompute = ctx.force && !ctx.lookupsOnly.has(name);
  if (ctx.lookupsOnly.has(name) && !state.remote?.spec.pull) {
    throw errors.onlyNotCached({ stage: name });
  }
  const release = await lockKey(state.store.locksDir(), ev.key, {
    signal: ctx.signal, timeoutMs: ctx.lockTimeoutMs, runId: ctx.runId,
    onWait: (holder) => lifecycle.stageLog?.(name, 'info', `waiting for ${describeHolder(holder)}, which is computing this stage`),
    onStale: (holder) => lifecycle.stageLog?.(name, 'warn', `${describeHolder(holder)} is gone (killed?); taking over its lock`),
  });
  try {
    // Another run may have produced it while we waited for the lock.
    const again = ctx.force ? undefined : await state.store.lookup(ev.key);
    if (again?.manifest) return restored(ctx, name, again.manifest);
    // Under the key's lock, so two runs here never pull the same entry at once.
    const pulled = recompute ? undefined : await pullOnMiss(ctx, name, ev.key);
    if (pulled) return restored(ctx, name, pulled);
    if (ctx.lookupsOnly.has(name)) throw errors.onlyNotCached({ stage: name });
    lifecycle.stageStart?.(name, state.compiled.pipeline.stages.get(name)!.type);
    for (const r of ev.reasons) lifecycle.stageLog?.(name, 'debug', `runs because: ${r}`);
    const manifest = await runInWorker(ctx, run, ev.key, ev.details);
    await recordDone(ctx, run, manifest);
    pushAfterRun(ctx, name, manifest.key);
  } finally {
    await release();
  }
}

/** The result from the remote cache, verified and committed locally; undefined when it has none. */
async function pullOnMiss(ctx: RunContext, name: string, key: string): Promise<Manifest | undefined> {
  const remote = ctx.state.remote;
  if (!remote?.spec.pull) return undefined;
  try {
    const r = await remote.pull(ctx.state.store, key);
    if (r.status === 'pulled') {
      ctx.lifecycle.stageLog?.(name, 'info', `pulled from the remote cache ${remote.url} (${r.files} file${r.files === 1 ? '' : 's'}, ${r.bytes} bytes)`);
      return r.manifest;
    }
    if (r.status === 'corrupt') {
      ctx.repairs.add(key);
      ctx.lifecycle.stageLog?.(name, 'warn', `the remote cache's entry is unusable (${r.reason}); running instead`);
    }
  } catch (err) {
    ctx.lifecycle.stageLog?.(name, 'warn', `could not read the remote cache ${remote.url}: ${(err as Error).message}; running instead`);
  }
  return undefined;
}

/** Uploads a fresh result in the background; a failure is a warning (the local result stands). */
function pushAfterRun(ctx: RunContext, name: string, key: string): void {
  const remote = ctx.state.remote;
  if (!remote?.spec.push) return;
  ctx.pushes.push(remote.push(ctx.state.store, key, { repair: ctx.repairs.has(key) }).then(
    (r) => { if (r.status === 'pushed') ctx.lifecycle.stageLog?.(name, 'info', `pushed to the remote cache ${remote.url} (${r.files} new file${r.files === 1 ? '' : 's'})`); },
    (err: unknown) => { ctx.lifecycle.stageLog?.(name, 'warn', `could not push to the remote cache ${remote.url}: ${(err as Error).message}`); },
  ));
}

/** A cached result: its outputs become the stage's, and the lock file learns of it if it did not know. */
function restored(ctx: RunContext, name: string, manifest: Manifest): void {
  const refs = outputsOf(ctx, name, manifest);
  if (ctx.state.lock.stages[name]?.key !== manifest.key) ctx.lockWriter.set(name, lockEntryOf(manifest));
  ctx.lifecycle.stageCached?.(name, pathsOf(refs));
}

async function recordDone(ctx: RunContext, run: StageRun, manifest: Manifest): Promise<void> {
  const refs = outputsOf(ctx, run.name, manifest);
  const entry = lockEntryOf(manifest);
  ctx.state.lock.stages[run.name] = entry;
  ctx.lockWriter.set(run.name, entry);
  await ctx.lockWriter.flushIfDue();
  ctx.lifecycle.stageEnd?.({ name: run.name, status: 'done', key: manifest.key, durationMs: Date.now() - run.startedAt, outputs: pathsOf(refs), metrics: manifest.metrics, stats: manifest.stats });
}

function outputsOf(ctx: RunContext, name: string, manifest: Manifest): Record<string, ArtifactRef> {
  const refs = ctx.state.store.refs(manifest, name);
  ctx.results.set(name, refs);
  ctx.manifests.set(name, manifest);
  return refs;
}

const pathsOf = (refs: Record<string, ArtifactRef>) => Object.fromEntries(Object.entries(refs).map(([p, r]) => [p, r.path]));

/** Hands the stage to the run's executor (a local worker process, or a queue of remote workers). */
async function runInWorker(ctx: RunContext, run: StageRun, key: string, details: KeyDetails): Promise<Manifest> {
  const { state } = ctx;
  const stage = state.compiled.pipeline.stages.get(run.name)!;
  const threads = ctx.threads ?? Math.max(1, Math.floor(availableParallelism() / Math.min(ctx.jobs, run.inFlight() || 1)));
  const entries: StageRequest['entries'] = {};
  for (const [port, bs] of Object.entries(state.compiled.bindings.get(run.name) ?? {})) {
    entries[port] = bs.map((b) => ({ key: ctx.manifests.get(b.stage)!.key, port: b.output }));
  }
  const req: StageRequest = { name: run.name, stage, key, details, inputs: run.inputs, entries, threads, force: ctx.force, runId: ctx.runId };
  return ctx.executor.run(req, (e) => relay(ctx.lifecycle, run.name, e), run.own ? AbortSignal.any([ctx.signal, run.own]) : ctx.signal);
}

/** Forwards a worker's event to the lifecycle (the executor collects metrics and stats for the manifest). */
function relay(lifecycle: RunLifecycle, name: string, e: JobEvent): void {
  if (e.type === 'log') lifecycle.stageLog?.(name, e.level, e.message);
  else if (e.type === 'progress') lifecycle.stageProgress?.(name, e.progress);
  else if (e.type === 'metric') lifecycle.stageMetric?.(name, e.name, e.value, e.step);
}
