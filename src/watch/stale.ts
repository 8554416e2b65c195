/**
 * @fileoverview Which stages an edit made stale, comparing the pipeline before and after:
 * a stage is stale when its type, version, options, inputs, frozen flag or plugin code
 * changed, when it was removed, when one of its own files (source inputs) changed, or when
 * anything upstream of it is stale. Pure: the cache decides what actually re-runs; this only
 * decides whether a *running* stage is worth cancelling.
 *
 *   books ──▶ clean ──▶ train        edit clean.with  →  stale: clean, train
 */
import type { ResolvedStage } from '../config/types.js';
import type { CompiledPipeline } from '../graph/compile.js';

/** What identifies a stage's work, as canonical JSON (keys sorted). */
export function stageSignature(s: ResolvedStage): string {
  return canonical({ type: s.type, version: s.def.version, options: s.options, inputs: s.inputs, frozen: s.frozen, plugin: s.plugin?.codeHash ?? null });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Stages of `before` that are stale in `after`.
 * @param changedFiles absolute paths that changed
 * @param deps stage → absolute paths of its external files (source inputs)
 */
export function staleStages(before: CompiledPipeline, after: CompiledPipeline, changedFiles: Iterable<string> = [], deps: Map<string, string[]> = new Map()): Set<string> {
  const changed = new Set(changedFiles);
  const direct = new Set<string>();
  for (const [name, old] of before.pipeline.stages) {
    const now = after.pipeline.stages.get(name);
    if (!now || stageSignature(now) !== stageSignature(old)) direct.add(name);
    else if ((deps.get(name) ?? []).some((f) => changed.has(f))) direct.add(name);
  }
  const stale = new Set<string>();
  for (const name of before.order) {
    const ups = before.graph.predecessors(name) ?? [];
    if (direct.has(name) || ups.some((u) => stale.has(u))) stale.add(name);
  }
  return stale;
}
