/**
 * @fileoverview Turns the `rules:` option into runnable rules: each entry is a name or
 * `{ name, ...options }`, looked up among the built-in rules and the plugins' filters
 * (`ctx.registry.filter(name)`). Unknown names and options fail with did-you-mean.
 */
import { applyDefaults } from '../../config/ajv.js';
import { TrainyardError, didYouMean } from '../../errors/index.js';
import type { FilterFn } from '../../plugins/define.js';
import type { RegistryView } from '../../plugins/registry.js';
import { BUILTIN_RULES } from './rules/index.js';

export type RuleEntry = string | ({ name: string } & Record<string, unknown>);

interface Common { index: number; name: string; /** Unique label for stats (`name`, or `name#2` when repeated). */ label: string }
export type ResolvedRule =
  | (Common & { kind: 'builtin'; options: Record<string, unknown> })
  | (Common & { kind: 'plugin'; fn: FilterFn; plugin: string });

/** Resolves and validates every rule; throws E_UNKNOWN_RULE / E_SCHEMA on user mistakes. */
export async function resolveRules(entries: RuleEntry[], registry: RegistryView): Promise<ResolvedRule[]> {
  const seen = new Map<string, number>();
  const out: ResolvedRule[] = [];
  for (const [index, entry] of entries.entries()) {
    const { name, ...opts } = typeof entry === 'string' ? { name: entry } : entry;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const label = n === 1 ? name : `${name}#${n}`;
    const plugin = registry.filter(name);
    if (plugin) {
      out.push({ index, name, label, kind: 'plugin', fn: await pluginFn(name, plugin.value, opts, index), plugin: plugin.plugin?.name ?? 'trainyard' });
    } else if (BUILTIN_RULES[name]) {
      out.push({ index, name, label, kind: 'builtin', options: builtinOptions(name, opts, index) });
    } else {
      const known = [...Object.keys(BUILTIN_RULES), ...registry.filterNames()].sort();
      throw new TrainyardError('E_UNKNOWN_RULE', `rules[${index}]: unknown filter rule "${name}".${didYouMean(name, known)}`, {
        hint: `Known rules: ${known.join(', ')}. A plugin listed under \`plugins:\` can add filters.`, path: ['rules', index],
      });
    }
  }
  return out;
}

function builtinOptions(name: string, opts: Record<string, unknown>, index: number): Record<string, unknown> {
  const defaults = BUILTIN_RULES[name]!.defaults;
  for (const [key, value] of Object.entries(opts)) {
    const def = (defaults as Record<string, unknown>)[key];
    if (def === undefined) {
      throw new TrainyardError('E_SCHEMA', `rules[${index}] (${name}): unknown option "${key}".${didYouMean(key, Object.keys(defaults))}`, {
        hint: `Options of ${name}: ${Object.keys(defaults).join(', ')}.`, path: ['rules', index, key],
      });
    }
    if (Array.isArray(def) !== Array.isArray(value) || typeof def !== typeof value) {
      throw new TrainyardError('E_SCHEMA', `rules[${index}] (${name}): option "${key}" must be ${Array.isArray(def) ? 'an array' : `a ${typeof def}`}`, {
        hint: `The default is ${JSON.stringify(def)}.`, path: ['rules', index, key],
      });
    }
  }
  return { ...defaults, ...opts };
}

async function pluginFn(name: string, value: FilterFn | { create(o: unknown): FilterFn | Promise<FilterFn>; schema?: Record<string, unknown> }, opts: Record<string, unknown>, index: number): Promise<FilterFn> {
  if (typeof value === 'function') {
    if (Object.keys(opts).length > 0) {
      throw new TrainyardError('E_SCHEMA', `rules[${index}] (${name}): this filter takes no options, got ${Object.keys(opts).join(', ')}`);
    }
    return value;
  }
  let options: Record<string, unknown> = opts;
  if (value.schema) {
    const res = applyDefaults(value.schema, opts);
    if (res.errors) {
      const msg = res.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
      throw new TrainyardError('E_SCHEMA', `rules[${index}] (${name}): invalid options: ${msg}`);
    }
    options = res.value;
  }
  return value.create(options);
}
