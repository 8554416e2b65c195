/**
 * @fileoverview The files a watch follows: the pipeline file, its plugin modules, and the
 * local inputs of source stages (each stage's `externalDeps`).
 */
import { isAbsolute, resolve } from 'node:path';
import type { EngineState } from '../runner/staleness.js';

export interface WatchedFiles {
  /** Every path to watch (absolute, sorted). */
  all: string[];
  /** Stage → its external files. */
  deps: Map<string, string[]>;
  /** Folders that source globs search (so a new matching file is noticed). */
  dirs: string[];
}

const GLOB_CHARS = /[*?[\]{}()!]/;

/** The literal folder a glob starts from (`data/**\/*.txt` → `data`), relative to cwd. */
function globBase(pattern: string, cwd: string): string | undefined {
  if (pattern.startsWith('npm:')) return undefined; // installed packages do not change under us
  const parts = pattern.split('/');
  const lit: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (GLOB_CHARS.test(p)) break;
    lit.push(p);
  }
  if (lit.length === parts.length - 1 && !GLOB_CHARS.test(parts[parts.length - 1]!)) return undefined; // a plain file path
  return resolve(cwd, lit.join('/') || '.');
}

/** Collects the files of a loaded pipeline. A stage whose deps cannot be listed (no match yet) is skipped. */
export async function watchedFiles(state: EngineState, stages?: Iterable<string>): Promise<WatchedFiles> {
  const p = state.compiled.pipeline;
  const all = new Set<string>([p.file, ...p.pluginPaths.filter((f) => isAbsolute(f))]);
  const deps = new Map<string, string[]>();
  const dirs = new Set<string>();
  for (const name of stages ?? p.stages.keys()) {
    const s = p.stages.get(name);
    if (!s?.def.externalDeps) continue;
    const files = (s.options as { files?: string | string[] }).files;
    for (const pat of typeof files === 'string' ? [files] : Array.isArray(files) ? files : []) {
      const base = globBase(pat, p.dir);
      if (base) dirs.add(base);
    }
    try {
      const files = await s.def.externalDeps(s.options, { cwd: p.dir });
      deps.set(name, files);
      for (const f of files) all.add(f);
    } catch { /* the run reports it (e.g. E_NO_INPUT) */ }
  }
  return { all: [...all].sort(), deps, dirs: [...dirs].sort() };
}
