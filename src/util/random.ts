/**
 * @fileoverview The one seeded PRNG (mulberry32) and string-derived seeds. Seeds come from
 * strings so that each stage gets its own stream from the run seed (`seed:stageName`),
 * independent of run order. The generator's whole state is one 32-bit integer, so it can be
 * saved in a checkpoint and restored (exact resume: nanoGPT#467 replays batches because it
 * re-seeds).
 *
 *   const rng = new Rng(seedFrom(`${seed}:${name}`));
 *   rng.next(); rng.int(10); rng.normal();
 */
import { createHash } from 'node:crypto';

/** A 32-bit seed derived from any string. */
export function seedFrom(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** mulberry32: fast, 32-bit state, good enough for sampling, shuffling and initialisation. */
export class Rng {
  /** The full generator state (uint32); assign it to restore. */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; one draw per call, so the state advances by two). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `next` as a plain function, for APIs that take `() => number`. */
  uniform(): () => number {
    return () => this.next();
  }
}
