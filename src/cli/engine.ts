/**
 * @fileoverview Composition root helpers: pipeline file → compiled DAG → engine state
 * (store, lock file, file hashes). Only the CLI wires these together.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadPipelineFile } from '../config/load.js';
import { resolvePipeline } from '../config/resolve.js';
import { readParamsFile } from '../config/params-file.js';
import { FileHashes } from '../cache/file-hashes.js';
import { lockPathFor, readLockCached } from '../cache/lockfile.js';
import { Store } from '../cache/store.js';
import { chooseRemote, openRemote } from '../cache/remote/open.js';
import { compilePipeline } from '../graph/compile.js';
import type { EngineState } from '../runner/staleness.js';
import { errors } from '../errors/index.js';

export interface CommonOptions { file?: string; set?: string[]; store?: string; params?: string; remote?: string }

const DEFAULT_FILES = ['trainyard.yaml', 'trainyard.yml', 'pipeline.yaml'];

/** The pipeline file: -f, or trainyard.yaml / pipeline.yaml in the current folder. */
export function pipelinePath(file?: string): string {
  if (file) return file;
  const found = DEFAULT_FILES.find((f) => existsSync(f));
  if (!found) {
    throw errors.noPipelineFile();
  }
  return found;
}

/** `.trainyard/` lives at the nearest folder above the pipeline that has one, a .git or a package.json. */
export function storeRoot(pipelineFile: string, override?: string): string {
  if (override) return resolve(override);
  const start = dirname(resolve(pipelineFile));
  for (let d = start; ; d = dirname(d)) {
    if (['.trainyard', '.git', 'package.json'].some((m) => existsSync(join(d, m)))) return join(d, '.trainyard');
    if (dirname(d) === d) return join(start, '.trainyard');
  }
}

/** `--params FILE` then `--set`s (a --set wins over the file). */
export async function overrideSets(opts: CommonOptions): Promise<string[]> {
  return [...(opts.params ? await readParamsFile(opts.params) : []), ...(opts.set ?? [])];
}

/**
 * Loads, resolves and compiles the pipeline with its overrides. `extra.sets` come after the
 * options' own; `extra.lockPath` replaces the workspace lock file (a sweep trial keeps its own).
 */
export async function loadEngine(opts: CommonOptions, extra: { sets?: string[]; lockPath?: string } = {}): Promise<EngineState> {
  const file = pipelinePath(opts.file);
  const loaded = await loadPipelineFile(file);
  const pipeline = await resolvePipeline(loaded, { sets: [...await overrideSets(opts), ...extra.sets ?? []] });
  const compiled = compilePipeline(pipeline);
  const root = storeRoot(loaded.path, opts.store);
  const lockPath = extra.lockPath ?? lockPathFor(loaded.path);
  const spec = chooseRemote({ flag: opts.remote, pipeline: pipeline.remote });
  const remote = spec ? await openRemote(spec) : undefined;
  return { compiled, store: new Store(root), files: new FileHashes(root), lock: await readLockCached(lockPath, join(root, 'lock-cache')), lockPath, remote };
}
