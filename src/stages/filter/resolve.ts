/**
 * @fileoverview Turns the `rules:` option into runnable rules: each entry is a name or
 * `{ name, ...options }`, looked up with `registry.get('filter', name)` — built-in rules and
 * plugin filters alike — and its options validated by the rule's schema. Built-in rules run in
 * worker threads (they are re-created there from name and options); plugin filters run on the
 * main thread. Unknown names and options fail with did-you-mean.
 */
import { errors } from '../../errors/index.js';
import type { ComponentValues, Entry, FilterFn, RegistryView } from '../../plugins/contracts.js';
import { ruleOptions } from './options.js';

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
    const { value: def, plugin } = lookup(registry, name, index);
    const options = ruleOptions(name, def, opts, index);
    if (!plugin) out.push({ index, name, label, kind: 'builtin', options });
    else out.push({ index, name, label, kind: 'plugin', fn: typeof def === 'function' ? def : await def.create(options), plugin: plugin.name });
  }
  return out;
}

/** `registry.find`, with the miss pointing at `rules[index]`. */
function lookup(registry: RegistryView, name: string, index: number): Entry<ComponentValues['filter']> {
  const hit = registry.find('filter', name);
  if (hit) return hit;
  throw errors.unknownRule({ rule: name, known: registry.names('filter').sort(), index }, { path: ['rules', index] });
}
