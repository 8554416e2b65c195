/**
 * @fileoverview Worker task of the dedupe stage: per document, the exact key and LSH band keys.
 */
import { documentKeys, shingleSet, type MinHashConfig } from './minhash.js';

export function keys(texts: string[], o: MinHashConfig & { exactOnly: boolean }): Array<number[] | null> {
  return texts.map((t) => documentKeys(t, o, o.exactOnly));
}

/** Shingle sets for the exact-Jaccard check (plain arrays cross the thread boundary cheaply). */
export function shingles(texts: string[], o: { n_grams: number }): Uint32Array[] {
  return texts.map((t) => shingleSet(t, o.n_grams));
}
