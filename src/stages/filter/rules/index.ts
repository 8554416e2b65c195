/**
 * @fileoverview The built-in rule library of the filter stage: FilterDefinitions, registered
 * in the Registry like plugin filters and re-created by name inside the worker threads.
 */
import type { FilterDefinition } from '../../../plugins/contracts.js';
import { c4 } from './c4.js';
import { fineweb } from './fineweb.js';
import { gopherQuality } from './gopher-quality.js';
import { gopherRepetition } from './gopher-repetition.js';
import { language } from './language.js';
import { length } from './length.js';
import { toxicity } from './toxicity.js';
import { urlBlocklist } from './url-blocklist.js';

/** Every built-in rule, in the order the docs list them. */
export const BUILTIN_FILTERS: readonly FilterDefinition<any>[] = [gopherQuality, gopherRepetition, c4, fineweb, length, language, toxicity, urlBlocklist];

/** A built-in rule by name, for the worker threads (which have no registry). */
export function builtinFilter(name: string): FilterDefinition<any> | undefined {
  return BUILTIN_FILTERS.find((f) => f.name === name);
}
