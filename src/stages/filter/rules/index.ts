/**
 * @fileoverview The built-in rule library of the filter stage, by name.
 */
import { c4 } from './c4.js';
import { fineweb } from './fineweb.js';
import { gopherQuality } from './gopher-quality.js';
import { gopherRepetition } from './gopher-repetition.js';
import { language } from './language.js';
import { length } from './length.js';
import { toxicity } from './toxicity.js';
import type { BuiltinRule } from './types.js';
import { urlBlocklist } from './url-blocklist.js';

export type { BuiltinRule, Drop, RuleFn, RuleVerdict } from './types.js';

export const BUILTIN_RULES: Readonly<Record<string, BuiltinRule>> = Object.fromEntries(
  [gopherQuality, gopherRepetition, c4, fineweb, length, language, toxicity, urlBlocklist].map((r) => [r.name, r]),
);
