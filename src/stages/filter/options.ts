/**
 * @fileoverview Options of one rule entry, validated against the rule's JSON Schema by ajv
 * (defaults applied) — the same path for built-in rules and plugin filters. The first schema
 * error becomes a TrainyardError whose `path` points inside `with:` at the offending option.
 */
import type { ErrorObject } from 'ajv';
import { applyDefaults } from '../../config/ajv.js';
import { pointerToPath } from '../../config/schema-errors.js';
import { TrainyardError, didYouMean } from '../../errors/index.js';
import type { ComponentValues } from '../../plugins/contracts.js';

/** Validates `options` of the rule at `rules[index]`; returns them with schema defaults applied. */
export function ruleOptions(name: string, def: ComponentValues['filter'], options: Record<string, unknown>, index: number): Record<string, unknown> {
  const where = `rules[${index}] (${name})`;
  if (typeof def === 'function' || !def.schema) {
    if (Object.keys(options).length > 0) {
      throw new TrainyardError('E_SCHEMA', `${where}: this filter takes no options, got ${Object.keys(options).join(', ')}`, { path: ['rules', index] });
    }
    return options;
  }
  const { value, errors } = applyDefaults(def.schema, options);
  if (errors?.length) throw optionError(name, index, errors[0]!);
  return value;
}

function optionError(name: string, index: number, e: ErrorObject): TrainyardError {
  const where = `rules[${index}] (${name})`;
  // Array positions as numbers, so the source map finds the YAML sequence item.
  const path = pointerToPath(e.instancePath).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return new TrainyardError('E_SCHEMA', `${where}: unknown option "${key}".${didYouMean(key, known)}`, {
      hint: known.length ? `Options of ${name}: ${known.join(', ')}.` : 'This rule takes no options.',
      path: ['rules', index, ...path, key],
    });
  }
  const schema = e.parentSchema as { description?: string; default?: unknown } | undefined;
  const hint = [schema?.description, schema?.default !== undefined ? `The default is ${JSON.stringify(schema.default)}.` : undefined].filter(Boolean).join(' ');
  const what = path.length ? `option "${path.join('.')}"` : 'options';
  return new TrainyardError('E_SCHEMA', `${where}: ${what} ${e.message ?? 'is invalid'}`, { hint: hint || undefined, path: ['rules', index, ...path] });
}
