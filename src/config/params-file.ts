/**
 * @fileoverview `--params best.yaml`: a file of overrides, option path → value, as
 * `trainyard sweep` writes its best trial. Each entry becomes a `--set path=value`, so the
 * same checks apply (paths that name nothing, forbidden keys, non-finite numbers).
 *
 *   stages.pretrain.with.lr: 0.0031
 *   stages.pretrain.with.n_embd: 96
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { errors } from '../errors/index.js';

/** `path=value` assignments for an option-path → value map (values written as JSON, which YAML reads back exactly). */
export function paramsToSets(params: Record<string, unknown>): string[] {
  return Object.entries(params).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
}

/** Reads a params file into `--set` assignments. */
export async function readParamsFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw errors.paramsFile({ file, problem: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message }, { cause: err });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw errors.paramsFile({ file, problem: `not YAML (${(err as Error).message.split('\n')[0]})` }, { cause: err });
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) throw errors.paramsFile({ file, problem: 'must be a mapping of option paths to values' });
  return paramsToSets(data as Record<string, unknown>);
}
