/**
 * @fileoverview `--set stages.pretrain.with.lr=3e-4` overrides. The value is parsed as a YAML
 * scalar/flow value, so `3e-4` is a number and `[a, b]` a list. The path is user input walked
 * over pipeline data, so `__proto__`, `constructor` and `prototype` segments are refused (they
 * would write to Object.prototype), as are numbers that are not finite (`1e999` is Infinity,
 * which JSON and so the cache key turn into null).
 */
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors/index.js';
import { isForbiddenKey, setOwn } from '../util/safe-keys.js';

/** Applies `path=value` assignments to raw pipeline data (mutates and returns it). */
export function applySets(data: Record<string, unknown>, sets: string[]): Record<string, unknown> {
  for (const assignment of sets) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw errors.setMalformed({ assignment });
    }
    const dotted = assignment.slice(0, eq).trim();
    const path = dotted.split('.');
    const bad = path.find(isForbiddenKey);
    if (bad !== undefined) throw errors.setForbidden({ path: dotted, segment: bad });
    const text = assignment.slice(eq + 1);
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch {
      value = text;
    }
    if (!allFinite(value)) throw errors.setNotFinite({ path: dotted, value: text });
    let cur: Record<string, unknown> = data;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = Object.hasOwn(cur, key) ? cur[key] : undefined;
      if (next === undefined && (i >= 3 || (i >= 2 && path[0] === 'stages'))) {
        setOwn(cur, key, {});
      } else if (next === undefined || next === null || typeof next !== 'object') {
        const known = Object.keys(cur);
        throw errors.setNoSuchKey({ path: path.slice(0, i + 1).join('.'), key, known });
      }
      cur = cur[key] as Record<string, unknown>;
    }
    setOwn(cur, path[path.length - 1]!, value);
  }
  return data;
}

/** False when a number anywhere in `value` is NaN or ±Infinity. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}
