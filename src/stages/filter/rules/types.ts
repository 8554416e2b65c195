/**
 * @fileoverview Helpers shared by the built-in rules. A rule is a FilterDefinition
 * (`defineFilter({ name, description, schema, create })`, the contract plugin filters use):
 * ajv applies the schema's defaults and validates the options, `create` returns a pure
 * `(doc) => verdict` function (datatrove's BaseFilter.filter). Rules run inside worker threads,
 * so they must not close over anything that cannot be rebuilt from options.
 */
import type { FilterDrop } from '../../../plugins/contracts.js';

/** Rounds a ratio for readable `meta.rejected.value`. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A drop verdict with the measured value (rounded) and the threshold it crossed. */
export function drop(reason: string, value: number | string, threshold: number | string): FilterDrop {
  return { keep: false, reason, value: typeof value === 'number' ? round(value) : value, threshold };
}

/** JSON Schema of a number option with a default. */
export function numberOption(defaultValue: number, description: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'number', default: defaultValue, description, ...extra };
}

/** JSON Schema of an integer option with a default (`minimum: 0` unless told otherwise). */
export function integerOption(defaultValue: number, description: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'integer', minimum: 0, default: defaultValue, description, ...extra };
}

/** JSON Schema of a boolean option with a default. */
export function booleanOption(defaultValue: boolean, description: string): Record<string, unknown> {
  return { type: 'boolean', default: defaultValue, description };
}

/** JSON Schema of a list-of-strings option (default: empty). */
export function stringsOption(description: string, defaultValue: string[] = []): Record<string, unknown> {
  return { type: 'array', items: { type: 'string' }, default: defaultValue, description };
}

/** JSON Schema of a rule's options object: no unknown keys. */
export function optionsSchema(properties: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, properties };
}
