/**
 * @fileoverview The one ajv factory (ESLint's lib/shared/ajv.js): all errors at once, schema
 * defaults applied to the data, unknown formats tolerated.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../plugins/contracts.js';

type AjvInstance = InstanceType<typeof Ajv>;

let shared: AjvInstance | undefined;

/** A shared ajv instance with `useDefaults` and `allErrors`. */
function getAjv(): AjvInstance {
  shared ??= new Ajv({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, verbose: true });
  return shared;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a schema once (cached by object identity). */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const v = getAjv().compile(schema);
  compiled.set(schema, v);
  return v;
}

/** Applies schema defaults to a copy of `options` and returns it with the validation errors. */
export function applyDefaults(schema: JsonSchema, options: unknown): { value: Record<string, unknown>; errors: ValidateFunction['errors'] } {
  const value = structuredClone(options ?? {}) as Record<string, unknown>;
  const validate = compileSchema(schema);
  const ok = validate(value);
  return { value, errors: ok ? null : validate.errors };
}
