/**
 * @fileoverview Worker task of the filter stage: evaluates the built-in rules of a rule list
 * on a batch of documents and returns, per document, the first rule that drops it (by its
 * position in the list) or the meta annotations of the rules that kept it.
 */
import type { Document } from '../../artifacts/documents.js';
import type { FilterDrop, FilterFn } from '../../plugins/contracts.js';
import { builtinFilter } from './rules/index.js';

/** A built-in rule at position `index` of the user's rule list, options defaults-applied. */
export interface BuiltinRuleSpec { index: number; name: string; options: Record<string, unknown> }

export type BuiltinVerdict =
  | { drop: FilterDrop; index: number }
  | { meta?: Record<string, unknown> };

const cache = new Map<string, Promise<FilterFn>>();

function ruleFn(spec: BuiltinRuleSpec): Promise<FilterFn> {
  const key = JSON.stringify([spec.name, spec.options]);
  let fn = cache.get(key);
  if (!fn) {
    fn = Promise.resolve(builtinFilter(spec.name)!.create(spec.options));
    cache.set(key, fn);
  }
  return fn;
}

/** Evaluates `rules` in order on each document; stops at the first drop. */
export async function evaluate(batch: Document[], o: { rules: BuiltinRuleSpec[] }): Promise<BuiltinVerdict[]> {
  const fns = await Promise.all(o.rules.map(ruleFn));
  return batch.map((doc) => {
    let meta: Record<string, unknown> | undefined;
    for (let i = 0; i < fns.length; i++) {
      const v = fns[i]!(doc);
      if (v === true) continue;
      if (v === false) return { drop: { keep: false, reason: o.rules[i]!.name }, index: o.rules[i]!.index };
      if (v.keep === false) return { drop: v, index: o.rules[i]!.index };
      meta = { ...meta, ...v.meta };
    }
    return meta ? { meta } : {};
  });
}
