/**
 * @fileoverview Reads a JSON file that a user's artifact or model folder provides, with the
 * caller's errors for the two ways it fails (not there / not JSON), so each reader names the
 * file in its own terms.
 */
import { readFile } from 'node:fs/promises';

export interface JsonFileErrors {
  /** The file cannot be read (missing, a folder, no permission). */
  missing(cause: unknown): Error;
  /** The file is not valid JSON. */
  invalid(cause: unknown): Error;
}

/** Parsed content of `file` (unvalidated: the caller checks its shape). */
export async function readJsonFile(file: string, fail: JsonFileErrors): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fail.missing(err);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail.invalid(err);
  }
}
