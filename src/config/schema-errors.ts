/**
 * @fileoverview ajv errors → TrainyardErrors that point at the YAML: the dotted key path,
 * expected keys and "did you mean" for unknown keys and enum values (ESLint's
 * `Key "rules": …` messages), positions and frames from the SourceMap.
 */
import type { ErrorObject } from 'ajv';
import { errors, type TrainyardError } from '../errors/index.js';
import type { Path, SourceMap } from './source-map.js';

/** `/stages/a~1b/with/lr` → ['stages', 'a/b', 'with', 'lr'] */
export function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function dotted(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

/**
 * Converts ajv errors for data found at `base` (a path inside the YAML document) into
 * positioned errors. `label` prefixes the key path (e.g. `stages.pretrain.with`).
 * Noise from combinators (if/then/oneOf) is dropped when a more specific error exists.
 */
export function schemaErrors(errors: ErrorObject[], map: SourceMap, base: Path, label: Path = base): TrainyardError[] {
  const specific = errors.filter((e) => !['if', 'oneOf', 'anyOf', 'allOf'].includes(e.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const out: TrainyardError[] = [];
  for (const e of chosen) {
    const rel = pointerToPath(e.instancePath);
    const err = one(e, map, [...base, ...rel], [...label, ...rel]);
    const id = `${err.loc?.line}:${err.loc?.column}:${err.message}`;
    if (!seen.has(id)) { seen.add(id); out.push(err); }
  }
  return out;
}

function one(e: ErrorObject, map: SourceMap, path: Path, label: Path): TrainyardError {
  const where = dotted(label) || '(top level)';
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return errors.unknownKey({ key, where, known: props }, { file: map.file, ...map.frame([...path, key], { key: true }) });
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    return errors.notOneOf({ where, allowed, got: e.data }, { file: map.file, ...map.frame(path) });
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return errors.missingKey({ where, key: missing }, { file: map.file, ...map.frame(path, { key: true }) });
  }
  const desc = (e.parentSchema as { description?: string } | undefined)?.description;
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)?.slice(0, 60)})`;
  return errors.invalidValue({ where, problem: e.message ?? 'is invalid', got, description: desc }, { file: map.file, ...map.frame(path) });
}
