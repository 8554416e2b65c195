/**
 * @fileoverview Canonical JSON: sorted keys, no whitespace. Two configs that mean the
 * same thing hash the same (Nx `hashCommand` sorts keys before stringifying).
 */

import { setOwn } from './safe-keys.js';

/**
 * Stringify with object keys sorted at every depth, inside arrays too; `undefined` members are
 * dropped. Plain objects and objects without a prototype (the YAML loader's) are sorted; a
 * `__proto__` key is kept as data, so `{ __proto__: {…} }` never hashes like `{}`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined) setOwn(out, key, sortDeep(v));
    }
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
