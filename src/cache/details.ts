/**
 * @fileoverview Computes a stage's KeyDetails once its inputs' artifact hashes are known.
 */
import { relative } from 'node:path';
import type { ResolvedPipeline, ResolvedStage } from '../config/types.js';
import type { PluginMeta } from '../plugins/contracts.js';
import type { FileHashes } from './file-hashes.js';
import type { KeyDetails } from './fingerprint.js';

/** Paths inside the pipeline folder stay relative; files of installed packages read `npm:<pkg>/<path>`. */
function displayPath(file: string, dir: string): string {
  const rel = relative(dir, file);
  if (!rel.startsWith('..')) return rel;
  const i = file.lastIndexOf('/node_modules/');
  return i >= 0 ? `npm:${file.slice(i + '/node_modules/'.length)}` : file;
}

const pluginId = (p: PluginMeta): string => `${p.name}@${p.version}#${p.codeHash.slice(0, 12)}`;

/** Plugins whose filters, metrics or rewards a stage names anywhere in its options. */
function pluginsUsed(stage: ResolvedStage, pipeline: ResolvedPipeline): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') names.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(stage.options);
  const ids = new Set<string>();
  for (const n of names) {
    const p = pipeline.registry.find('filter', n)?.plugin ?? pipeline.registry.find('metric', n)?.plugin ?? pipeline.registry.find('reward', n)?.plugin;
    if (p) ids.add(pluginId(p));
  }
  return [...ids].sort();
}

/** The options that enter the key: the stage's opt-in options stay out while off (unset or false). */
export function keyParams(stage: Pick<ResolvedStage, 'def' | 'options'>): Record<string, unknown> {
  const off = (stage.def.optInOptions ?? []).filter((k) => k in stage.options && stage.options[k] === false);
  if (off.length === 0) return stage.options;
  const params = { ...stage.options };
  for (const k of off) delete params[k];
  return params;
}

export async function computeDetails(
  stage: ResolvedStage, pipeline: ResolvedPipeline, inputHashes: Record<string, string[]>, files: FileHashes,
): Promise<KeyDetails> {
  const deps: Record<string, string> = {};
  if (stage.def.externalDeps) {
    for (const f of await stage.def.externalDeps(stage.options, { cwd: pipeline.dir })) {
      deps[displayPath(f, pipeline.dir)] = await files.hash(f);
    }
  }
  const details: KeyDetails = {
    type: stage.type, version: stage.def.version, params: keyParams(stage), inputs: inputHashes, deps, seed: pipeline.seed,
  };
  if (stage.def.matmulPrecision && pipeline.precision !== 'fp32') details.precision = pipeline.precision;
  if (stage.plugin) details.plugin = pluginId(stage.plugin);
  const used = pluginsUsed(stage, pipeline);
  if (used.length > 0) details.plugins = used;
  return details;
}
