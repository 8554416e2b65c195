/**
 * @fileoverview Fast non-cryptographic 32-bit hashes for shingles and line keys (FNV-1a over
 * UTF-16 code units, finished with murmur3's fmix32), and a 64-bit hex content key.
 */
import { createHash } from 'node:crypto';

/** murmur3 finaliser: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a string (FNV-1a + fmix32), optionally seeded. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** First 64 bits of sha1, as 16 hex characters: the exact-duplicate key (FineWeb uses sha1). */
export function hash64hex(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}
