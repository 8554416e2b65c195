/**
 * @fileoverview Worker task of the filter stage: evaluates the built-in rules of a rule list
 * on a batch of documents and returns, per document, the first rule that drops it (by its
 * position in the list) or the meta annotations of the rules that kept it.
 */
import type { Document } from '../../artifacts/documents.js';
import { BUILTIN_RULES, type Drop, type RuleFn } from './rules/index.js';

/** A built-in rule at position `index` of the user's rule list, options defaults-applied. */
export interface BuiltinRuleSpec { index: number; name: string; options: Record<string, unknown> }

export type BuiltinVerdict =
  | { drop: Drop; index: number }
  | { meta?: Record<string, unknown> };

const cache = new Map<string, RuleFn>();

function ruleFn(spec: BuiltinRuleSpec): RuleFn {
  const key = JSON.stringify([spec.name, spec.options]);
  let fn = cache.get(key);
  if (!fn) {
    fn = BUILTIN_RULES[spec.name]!.create(spec.options);
    cache.set(key, fn);
  }
  return fn;
}

/** Evaluates `rules` in order on each document; stops at the first drop. */
export function evaluate(batch: Document[], o: { rules: BuiltinRuleSpec[] }): BuiltinVerdict[] {
  const fns = o.rules.map(ruleFn);
  return batch.map((doc) => {
    let meta: Record<string, unknown> | undefined;
    for (let i = 0; i < fns.length; i++) {
      const v = fns[i]!(doc);
      if (v === true) continue;
      if (v.keep === false) return { drop: v, index: o.rules[i]!.index };
      meta = { ...meta, ...v.meta };
    }
    return meta ? { meta } : {};
  });
}
