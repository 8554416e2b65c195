/**
 * @fileoverview The one helper every message factory uses: a code, a message, a hint and
 * where the error points (file, position, stage, cause).
 */
import type { ErrorCodeName } from '../codes.js';
import { TrainyardError, type TrainyardErrorInit } from '../error.js';

/** Where an error points and what caused it; the factory owns the message and the hint. */
export type Where = Omit<TrainyardErrorInit, 'hint'>;

/** Builds one error; `hint` undefined means none. */
export function make(code: ErrorCodeName, message: string, hint: string | undefined, at: Where = {}): TrainyardError {
  return new TrainyardError(code, message, { ...at, hint });
}

/** `a, b, c`, or `(none)` for an empty list. */
export const listOf = (names: readonly string[]): string => names.join(', ') || '(none)';
