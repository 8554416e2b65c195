/**
 * @fileoverview The shape of a built-in filter rule: published defaults plus a factory that
 * returns a pure `(doc) => verdict` function (datatrove's BaseFilter.filter). Rules run inside
 * worker threads, so they must not close over anything that cannot be rebuilt from options.
 */
import type { Document } from '../../../artifacts/documents.js';

/** Drop, with the measurement that decided it. */
export interface Drop {
  keep: false;
  /** Machine-readable reason (`gopher_short_doc`, `too_few_sentences`, …). */
  reason: string;
  value?: number | string;
  threshold?: number | string;
  /** What matched, when that helps (`bad_words`: the first word; `url`: the domain). */
  detail?: string;
}

/** Keep (true), drop, or keep and annotate `meta` (e.g. `language`). */
export type RuleVerdict = true | Drop | { keep: true; meta: Record<string, unknown> };

export type RuleFn = (doc: Document) => RuleVerdict;

export interface BuiltinRule<O extends Record<string, unknown> = Record<string, any>> {
  name: string;
  description: string;
  /** Published defaults (research §1b); every option a user may set. */
  defaults: O;
  create(options: O): RuleFn;
}

/** Rounds a ratio for readable `meta.rejected.value`. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function drop(reason: string, value: number | string, threshold: number | string): Drop {
  return { keep: false, reason, value: typeof value === 'number' ? round(value) : value, threshold };
}
