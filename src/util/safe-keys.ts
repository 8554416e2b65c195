/**
 * @fileoverview Path segments that must never be walked over user data. `a.__proto__.x = 1`
 * written with `obj[seg]` lands on Object.prototype (every object in the process then has
 * `x`); `constructor` and `prototype` reach functions rather than data. No pipeline key has
 * these names, so every path walker (--set, ${vars.x}) refuses them outright.
 */

/** The segments a path walker refuses. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** True for `__proto__`, `constructor` and `prototype`. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.includes(key);
}

/** Sets an own, enumerable property, even for `__proto__` (where `obj[key] = v` would set the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
