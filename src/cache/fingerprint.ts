/**
 * @fileoverview Cache keys that explain themselves (Nx createHashDetails). A stage's key is
 * the hash of its KeyDetails: type + implementation version, canonical options (defaults
 * applied), content hashes of input artifacts and external files, the providing plugin's
 * name@version + code hash, the seed, and for training stages a matmul precision other than
 * fp32. The backend is recorded in the manifest but does not invalidate: results across
 * backends agree to float tolerance, and retraining because a faster backend appeared would
 * waste hours. A bf16 run does not agree with fp32 to that tolerance, so precision does.
 */
import { canonicalJson } from '../util/canonical.js';
import { flattenParams } from '../util/flatten.js';
import { hashJson } from '../util/hash.js';
import type { MatmulPrecision } from '../plugins/contracts.js';

export interface KeyDetails {
  type: string;
  version: number;
  params: Record<string, unknown>;
  /** Port → artifact content hashes. */
  inputs: Record<string, string[]>;
  /** External files (absolute paths relative to the pipeline dir) → content hash. */
  deps: Record<string, string>;
  /** `name@version#codehash` of the plugin providing the stage type. */
  plugin?: string;
  /** Plugins the stage can reach (filters/metrics/backends), as `name@version#codehash`. */
  plugins?: string[];
  seed: number;
  /**
   * The pipeline's `precision:` for a stage that declares `matmulPrecision`, when not fp32.
   * Absent for fp32, so unset and `precision: fp32` share the keys results had before it existed.
   */
  precision?: Exclude<MatmulPrecision, 'fp32'>;
}

export function stageKey(details: KeyDetails): string {
  return hashJson(details);
}

/** Key of the checkpoint folder: the stage key without options that only extend a run. */
export function checkpointKey(details: KeyDetails, ignores: string[] = []): string {
  const params = { ...details.params };
  for (const k of ignores) delete params[k];
  return hashJson({ ...details, params, checkpoint: true });
}

const show = (v: unknown): string => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));

/** Human reasons why `now` differs from `before` (DVC's "changed because …"). */
export function explainChange(before: KeyDetails, now: KeyDetails, inputFrom: Record<string, string[]> = {}): string[] {
  const reasons: string[] = [];
  if (before.type !== now.type) reasons.push(`type ${before.type} → ${now.type}`);
  else if (before.version !== now.version) reasons.push(`${now.type} implementation v${before.version} → v${now.version}`);
  const a = flattenParams(before.params), b = flattenParams(now.params);
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    // Canonically, as the key does: reordered keys inside a list of objects (`rules`) are no change.
    if (canonicalJson(a[k]) !== canonicalJson(b[k])) reasons.push(`with.${k} ${show(a[k])} → ${show(b[k])}`);
  }
  for (const port of [...new Set([...Object.keys(before.inputs), ...Object.keys(now.inputs)])].sort()) {
    if (JSON.stringify(before.inputs[port]) !== JSON.stringify(now.inputs[port])) {
      const from = inputFrom[port]?.join(', ');
      reasons.push(`input ${port}${from ? ` (from ${from})` : ''} changed`);
    }
  }
  for (const f of [...new Set([...Object.keys(before.deps), ...Object.keys(now.deps)])].sort()) {
    if (before.deps[f] !== now.deps[f]) reasons.push(before.deps[f] === undefined ? `new file ${f}` : now.deps[f] === undefined ? `file ${f} removed` : `file ${f} changed`);
  }
  if (before.plugin !== now.plugin) reasons.push(`plugin ${before.plugin ?? '(none)'} → ${now.plugin ?? '(none)'}`);
  if (JSON.stringify(before.plugins ?? []) !== JSON.stringify(now.plugins ?? [])) reasons.push('plugins changed');
  if (before.seed !== now.seed) reasons.push(`seed ${before.seed} → ${now.seed}`);
  if (before.precision !== now.precision) reasons.push(`precision ${before.precision ?? 'fp32'} → ${now.precision ?? 'fp32'}`);
  return reasons;
}
