/**
 * @fileoverview Nested options as dotted paths, for diffs that name what changed
 * (`status --explain`: `with.optimizer.lr 3e-4 → 1e-3`; `trainyard compare`).
 *
 *   flattenParams({ optimizer: { lr: 1e-3, betas: [0.9, 0.95] } })
 *   // → { 'optimizer.lr': 1e-3, 'optimizer.betas': [0.9, 0.95] }
 */

import { setOwn } from './safe-keys.js';

/**
 * Flattens nested plain objects to dotted keys. Arrays stay whole; an empty nested object
 * stays as `{}` under its path, so adding or removing one still shows up in a diff. Every key
 * is an own property, `__proto__` included.
 */
export function flattenParams(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) setOwn(out, prefix, {});
    for (const [k, v] of entries) flattenParams(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    // setOwn: a top-level `__proto__` option stays a key (`out[k] = v` would set a prototype).
    setOwn(out, prefix, value);
  }
  return out;
}
