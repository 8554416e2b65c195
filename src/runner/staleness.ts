/**
 * @fileoverview Decides, for one stage whose inputs are known, whether it is cached and why
 * it would run (DVC `changed()`: cheapest check first, every branch says why).
 */
import type { ArtifactRef } from '../artifacts/kinds.js';
import { computeDetails, keyParams } from '../cache/details.js';
import type { FileHashes } from '../cache/file-hashes.js';
import { explainChange, stageKey, type KeyDetails } from '../cache/fingerprint.js';
import type { LockData } from '../cache/lockfile.js';
import type { Manifest, Store } from '../cache/store.js';
import type { RemoteCache } from '../cache/remote/cache.js';
import type { CompiledPipeline } from '../graph/compile.js';
import { errors } from '../errors/index.js';

export interface EngineState {
  compiled: CompiledPipeline;
  store: Store;
  files: FileHashes;
  lock: LockData;
  lockPath: string;
  /** The remote cache: pull-on-miss and push-after-run (as its spec allows). */
  remote?: RemoteCache;
}

export interface Evaluation {
  key: string;
  details: KeyDetails;
  /** Present when the result is in the store and verified. */
  manifest?: Manifest;
  /** Why the stage is cached or must run. */
  reasons: string[];
  /** A corrupt store entry was found (and removed). */
  corrupt?: string;
}

/** Input refs of a stage from its upstream results. */
export function inputRefs(state: EngineState, name: string, results: Map<string, Record<string, ArtifactRef>>): Record<string, ArtifactRef[]> | undefined {
  const out: Record<string, ArtifactRef[]> = {};
  for (const [port, bs] of Object.entries(state.compiled.bindings.get(name) ?? {})) {
    out[port] = [];
    for (const b of bs) {
      const ref = results.get(b.stage)?.[b.output];
      if (!ref) return undefined;
      out[port]!.push(ref);
    }
  }
  return out;
}

export async function evaluateStage(state: EngineState, name: string, inputs: Record<string, ArtifactRef[]>, force: boolean): Promise<Evaluation> {
  const stage = state.compiled.pipeline.stages.get(name)!;
  const prev = state.lock.stages[name];
  if (stage.frozen) {
    if (!prev) throw errors.frozenNeverRan({ stage: name });
    const hit = await state.store.lookup(prev.key);
    if (!hit.manifest) throw errors.frozenNotCached({ stage: name, corrupt: hit.corrupt });
    return { key: prev.key, details: prev.details, manifest: hit.manifest, reasons: ['frozen'] };
  }
  const hashes = Object.fromEntries(Object.entries(inputs).map(([p, refs]) => [p, refs.map((r) => r.hash)]));
  let details: KeyDetails;
  try {
    details = await computeDetails(stage, state.compiled.pipeline, hashes, state.files);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw errors.stageFileMissing({ stage: name, path: (err as NodeJS.ErrnoException).path }, { cause: err });
    }
    throw err;
  }
  const key = stageKey(details);
  const from = Object.fromEntries(Object.entries(inputs).map(([p, refs]) => [p, refs.map((r) => r.from.split('.')[0]!)]));
  const changes = prev ? explainChange(prev.details, details, from) : ['never ran'];
  if (force) return { key, details, reasons: ['forced (--force)'] };
  const hit = await state.store.lookup(key);
  if (hit.manifest) {
    const reasons = prev?.key === key ? ['up to date'] : [`restored from the run cache${prev ? ` (${changes.join('; ')})` : ''}`];
    return { key, details, manifest: hit.manifest, reasons };
  }
  const reasons = prev?.key === key ? [hit.corrupt ? `cached result was corrupt: ${hit.corrupt}` : 'output missing from the cache'] : changes;
  return { key, details, reasons: reasons.length > 0 ? reasons : ['output missing from the cache'], corrupt: hit.corrupt };
}

/** Status of every planned stage without running anything (`status`, `run --dry-run`). */
export interface StatusRow {
  name: string;
  type: string;
  willRun: boolean;
  reasons: string[];
  /** The cached outputs by port, when the stage is up to date. */
  outputs?: Record<string, ArtifactRef>;
  /** The stage's cache key, when its inputs are known. */
  key?: string;
  /** The store entry, when the stage is up to date. */
  manifest?: Manifest;
}

export async function computeStatus(state: EngineState, stages: string[], force: boolean): Promise<StatusRow[]> {
  const results = new Map<string, Record<string, ArtifactRef>>();
  const willRun = new Set<string>();
  const out: StatusRow[] = [];
  for (const name of stages) {
    const stage = state.compiled.pipeline.stages.get(name)!;
    const inputs = inputRefs(state, name, results);
    if (!inputs) {
      const ups = [...new Set(Object.values(state.compiled.bindings.get(name) ?? {}).flat().map((b) => b.stage).filter((s) => willRun.has(s)))];
      const prev = state.lock.stages[name];
      const paramChanges = prev ? explainChange({ ...prev.details, inputs: {}, deps: {} }, { ...prev.details, params: keyParams(stage), type: stage.type, version: stage.def.version, inputs: {}, deps: {} }) : ['never ran'];
      willRun.add(name);
      out.push({ name, type: stage.type, willRun: true, reasons: [...paramChanges, `upstream ${ups.join(', ')} will run`] });
      continue;
    }
    const ev = await evaluateStage(state, name, inputs, force);
    const outputs = ev.manifest ? state.store.refs(ev.manifest, name) : undefined;
    if (outputs) results.set(name, outputs);
    else willRun.add(name);
    out.push({ name, type: stage.type, willRun: !outputs, reasons: ev.reasons, outputs, key: ev.key, manifest: ev.manifest });
  }
  return out;
}
