/**
 * @fileoverview Hash helpers. Content hashes (sha256) of files and folders identify
 * artifacts; the cache key of a stage is a hash of canonical JSON. The data stages use fast
 * non-cryptographic 32-bit hashes for shingles and line keys (FNV-1a over UTF-16 code units,
 * finished with murmur3's fmix32) and a 64-bit hex key for exact duplicates.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { canonicalJson } from './canonical.js';

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 hex of the canonical JSON of a value. */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** Streams a file through sha256. */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Every regular file under `dir`, as sorted POSIX-style relative paths. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else if (ent.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  }
  await walk(dir);
  return out.sort();
}

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
