/**
 * @fileoverview `${vars.x}` interpolation (and `${item}`/`${key}` inside foreach). A string
 * that is exactly one placeholder keeps the value's type (`lr: ${vars.lr}` stays a number).
 */
import { errors } from '../errors/index.js';
import { isForbiddenKey, setOwn } from '../util/safe-keys.js';
import type { Path, SourceMap } from './source-map.js';

const PLACEHOLDER = /\$\{\s*([A-Za-z_][\w.-]*)\s*\}/g;
const WHOLE = /^\$\{\s*([A-Za-z_][\w.-]*)\s*\}$/;

/**
 * Walks a dotted name through the scope: 'vars.a.b' → scope.vars.a.b. Only own members count
 * (`${vars.toString}` is no variable), and `forbidden` reports the first segment that names
 * JavaScript internals (`__proto__`, `constructor`, `prototype`).
 */
function lookup(scope: Record<string, unknown>, name: string): { found: boolean; value?: unknown; forbidden?: string } {
  const parts = name.split('.');
  const forbidden = parts.find(isForbiddenKey);
  if (forbidden !== undefined) return { found: false, forbidden };
  let cur: unknown = scope;
  for (const part of parts) {
    if (cur && typeof cur === 'object' && Object.hasOwn(cur, part)) cur = (cur as Record<string, unknown>)[part];
    else return { found: false };
  }
  return { found: true, value: cur };
}

function names(scope: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(scope)) {
    const n = prefix ? `${prefix}.${k}` : k;
    out.push(n);
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...names(v as Record<string, unknown>, n));
  }
  return out;
}

/** Returns a deep copy of `value` with placeholders replaced; unknown names throw E_VAR at their position. */
export function interpolate(value: unknown, scope: Record<string, unknown>, map: SourceMap, path: Path): unknown {
  if (typeof value === 'string') return interpolateString(value, scope, map, path);
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, scope, map, [...path, i]));
  if (value && typeof value === 'object') {
    // setOwn: a `__proto__` key stays data (`out[k] = v` would set out's prototype).
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, interpolate(v, scope, map, [...path, k]));
    return out;
  }
  return value;
}

function interpolateString(s: string, scope: Record<string, unknown>, map: SourceMap, path: Path): unknown {
  if (!s.includes('${')) return s;
  const resolveName = (name: string): unknown => {
    const r = lookup(scope, name);
    if (r.forbidden !== undefined) {
      throw errors.varForbidden({ name, segment: r.forbidden }, { file: map.file, ...map.frame(path) });
    }
    if (!r.found) {
      throw errors.unknownVar({ name, known: names(scope) }, { file: map.file, ...map.frame(path) });
    }
    return r.value;
  };
  const whole = WHOLE.exec(s);
  if (whole) return structuredClone(resolveName(whole[1]!));
  return s.replace(PLACEHOLDER, (_, name: string) => {
    const v = resolveName(name);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}
