/**
 * @fileoverview The files a watch follows: the pipeline file, its plugin modules, and the
 * local inputs of source stages (each stage's `externalDeps`).
 */
import { isAbsolute } from 'node:path';
import type { EngineState } from '../runner/evaluate.js';

export interface WatchedFiles {
  /** Every path to watch (absolute, sorted). */
  all: string[];
  /** Stage → its external files. */
  deps: Map<string, string[]>;
}

/** Collects the files of a loaded pipeline. A stage whose deps cannot be listed (no match yet) is skipped. */
export async function watchedFiles(state: EngineState, stages?: Iterable<string>): Promise<WatchedFiles> {
  const p = state.compiled.pipeline;
  const all = new Set<string>([p.file, ...p.pluginPaths.filter((f) => isAbsolute(f))]);
  const deps = new Map<string, string[]>();
  for (const name of stages ?? p.stages.keys()) {
    const s = p.stages.get(name);
    if (!s?.def.externalDeps) continue;
    try {
      const files = await s.def.externalDeps(s.options, { cwd: p.dir });
      deps.set(name, files);
      for (const f of files) all.add(f);
    } catch { /* the run reports it (e.g. E_NO_INPUT) */ }
  }
  return { all: [...all].sort(), deps };
}
