/**
 * @fileoverview Options of one rule entry, validated against the rule's JSON Schema by ajv
 * (defaults applied) — the same path for built-in rules and plugin filters. The first schema
 * error becomes a TrainyardError whose `path` points inside `with:` at the offending option.
 */
import type { ErrorObject } from 'ajv';
import { applyDefaults } from '../../config/ajv.js';
import { pointerToPath } from '../../config/schema-errors.js';
import { errors, type TrainyardError } from '../../errors/index.js';
import type { ComponentValues } from '../../plugins/contracts.js';

/** Validates `options` of the rule at `rules[index]`; returns them with schema defaults applied. */
export function ruleOptions(name: string, def: ComponentValues['filter'], options: Record<string, unknown>, index: number): Record<string, unknown> {
  const where = `rules[${index}] (${name})`;
  if (typeof def === 'function' || !def.schema) {
    if (Object.keys(options).length > 0) {
      throw errors.ruleTakesNoOptions({ where, options: Object.keys(options) }, { path: ['rules', index] });
    }
    return options;
  }
  const { value, errors: problems } = applyDefaults(def.schema, options);
  if (problems?.length) throw optionError(name, where, index, problems[0]!);
  return value;
}

function optionError(name: string, where: string, index: number, e: ErrorObject): TrainyardError {
  // Array positions as numbers, so the source map finds the YAML sequence item.
  const path = pointerToPath(e.instancePath).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return errors.ruleUnknownOption({ where, rule: name, key, known }, { path: ['rules', index, ...path, key] });
  }
  const schema = e.parentSchema as { description?: string; default?: unknown } | undefined;
  const hint = [schema?.description, schema?.default !== undefined ? `The default is ${JSON.stringify(schema.default)}.` : undefined].filter(Boolean).join(' ');
  const what = path.length ? `option "${path.join('.')}"` : 'options';
  return errors.ruleOptionInvalid({ where, what, problem: e.message ?? 'is invalid', hint: hint || undefined }, { path: ['rules', index, ...path] });
}
