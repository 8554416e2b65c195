/**
 * @fileoverview Loads a stage's JSON Schema from `schemas/stages/<type>.schema.json`, the one
 * source of truth for options: ajv validates against it, editors complete from it, and
 * `src/stages/options.gen.ts` is generated from it (`npm run gen:types`).
 */
import { readFileSync } from 'node:fs';
import type { JsonSchema } from '../plugins/contracts.js';

/** Path of the package's `schemas/` folder (works from src/ under tsx and from dist/). */
export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

/** Reads `schemas/stages/<type>.schema.json`. */
export function stageSchema(type: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(`stages/${type}.schema.json`, SCHEMAS_DIR), 'utf8')) as JsonSchema;
}
