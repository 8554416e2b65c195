/**
 * @fileoverview Small deterministic PRNGs. Seeds are derived from strings so that each stage
 * gets its own stream from the run seed (`seed:stageName`), independent of run order.
 */
import { createHash } from 'node:crypto';

/** A 32-bit seed derived from any string. */
export function seedFrom(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** mulberry32: fast, 32-bit state, good enough for sampling and shuffling. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
