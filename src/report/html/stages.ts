/**
 * @fileoverview The run's stages for the report: each one's manifest from the store (type,
 * outputs, stats, compute time) and the DAG edges, found by matching the artifact hashes a
 * stage's key was computed from with the outputs of the other stages of the same run. That is
 * the graph as it ran, even when the pipeline file has changed since.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, Store } from '../../cache/store.js';
import type { RunRecord } from '../history.js';
import type { ReportStage } from './model.js';

/** The manifest of a store entry; undefined when it is gone or unreadable. */
export async function readManifest(store: Store, key: string | undefined): Promise<Manifest | undefined> {
  if (!key) return undefined;
  const file = join(store.entryDir(key), 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Manifests of the run's stages by stage name (stages without one are left out). */
export async function runManifests(run: RunRecord, store: Store): Promise<Map<string, Manifest>> {
  const out = new Map<string, Manifest>();
  for (const [name, s] of Object.entries(run.stages)) {
    const m = await readManifest(store, s.key);
    if (m) out.set(name, m);
  }
  return out;
}

/**
 * The stages that made artifact `hash` for `consumer`. A stage that changes nothing (a dedupe
 * that found no duplicates) outputs the very artifact it was given, so several stages can have
 * made the same hash: of those, a stage that itself took the hash as input is the nearer one.
 */
function producersOf(hash: string, consumer: string, producers: ReadonlyMap<string, string[]>, consumes: ReadonlyMap<string, Set<string>>): string[] {
  const cands = (producers.get(hash) ?? []).filter((p) => p !== consumer);
  const nearer = cands.filter((p) => !cands.some((q) => q !== p && consumes.get(q)?.has(hash)));
  return nearer.length ? nearer : cands;
}

/** The run's stages in topological order (ties in run order), with their upstream stages. */
export function reportStages(run: RunRecord, manifests: ReadonlyMap<string, Manifest>): ReportStage[] {
  const producers = new Map<string, string[]>();
  const consumes = new Map<string, Set<string>>();
  for (const [name, m] of manifests) {
    for (const o of Object.values(m.outputs)) producers.set(o.hash, [...producers.get(o.hash) ?? [], name]);
    consumes.set(name, new Set(Object.values(m.details.inputs ?? {}).flat()));
  }
  const stages = Object.entries(run.stages).map(([name, s]): ReportStage => {
    const m = manifests.get(name);
    const inputs = [...new Set([...consumes.get(name) ?? []].flatMap((h) => producersOf(h, name, producers, consumes)))];
    const cached = s.status === 'cached';
    return {
      name, type: m?.details.type, status: s.status ?? 'unknown', key: s.key, inputs,
      backend: s.backend ?? (m && m.backend !== 'auto' ? m.backend : undefined),
      durationMs: cached ? m?.durationMs : s.durationMs, durationFromCache: cached && m?.durationMs !== undefined,
    };
  });
  return topological(stages);
}

function topological(stages: ReportStage[]): ReportStage[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const done = new Set<string>();
  const out: ReportStage[] = [];
  const visit = (s: ReportStage, path: Set<string>) => {
    if (done.has(s.name) || path.has(s.name)) return;
    path.add(s.name);
    for (const i of s.inputs) { const up = byName.get(i); if (up) visit(up, path); }
    done.add(s.name);
    out.push(s);
  };
  for (const s of stages) visit(s, new Set());
  return out;
}

/** Longest-path layer of each stage (sources are 0): the DAG drawing's columns. */
export function layers(stages: readonly ReportStage[]): Map<string, number> {
  const layer = new Map<string, number>();
  for (const s of stages) layer.set(s.name, Math.max(-1, ...s.inputs.map((i) => layer.get(i) ?? -1)) + 1);
  return layer;
}
