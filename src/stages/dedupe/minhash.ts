/**
 * @fileoverview MinHash signatures and LSH band keys (datatrove defaults: word 5-grams after
 * `simplify_text`, 14 bands × 8 rows). Hash i is fmix32(a_i·h + b_i) over the 32-bit shingle
 * hash h (a_i odd, so each is a permutation of uint32); a band's key is 64 bits (two seeded
 * hashes of its rows), so unrelated documents practically never share a bucket.
 */
import { fmix32, hash32, hash64hex } from '../../util/hash.js';
import { simplifyText } from '../../util/text.js';
import { Rng } from '../../util/random.js';

export interface MinHashConfig { n_grams: number; bands: number; rows: number; seed: number }

/** LSH S-curve: probability that a pair with Jaccard similarity `s` shares at least one band. */
export function sCurve(bands: number, rows: number, s: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** Similarity at the S-curve's steepest point, ≈ (1/b)^(1/r). */
export function lshThreshold(bands: number, rows: number): number {
  return (1 / bands) ** (1 / rows);
}

const permCache = new Map<string, { a: Uint32Array; b: Uint32Array }>();
function permutations(n: number, seed: number): { a: Uint32Array; b: Uint32Array } {
  const key = `${n}:${seed}`;
  let p = permCache.get(key);
  if (!p) {
    const rng = new Rng(seed);
    p = { a: new Uint32Array(n), b: new Uint32Array(n) };
    for (let i = 0; i < n; i++) {
      p.a[i] = (Math.floor(rng.next() * 2 ** 32) | 1) >>> 0;
      p.b[i] = Math.floor(rng.next() * 2 ** 32) >>> 0;
    }
    permCache.set(key, p);
  }
  return p;
}

/** 32-bit hashes of the word n-grams of already-simplified text (one shingle if shorter than n). */
function shingleHashes(simplified: string, n: number): Uint32Array {
  if (simplified.length === 0) return new Uint32Array(0);
  const words = simplified.split(' ');
  const count = Math.max(1, words.length - n + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = hash32(words.slice(i, i + n).join(' '));
  return out;
}

/** The bands×rows MinHash signature of a set of shingle hashes. */
function signature(shingles: Uint32Array, cfg: MinHashConfig): Uint32Array {
  const k = cfg.bands * cfg.rows;
  const { a, b } = permutations(k, cfg.seed);
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s++) {
    const h = shingles[s]!;
    for (let i = 0; i < k; i++) {
      const v = fmix32((Math.imul(h, a[i]!) + b[i]!) >>> 0);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

function hashInts(xs: Uint32Array, start: number, len: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < start + len; i++) h = fmix32((h ^ xs[i]!) + 0x9e3779b9);
  return h;
}

/**
 * Keys of one document: `[exactHi, exactLo, band0Hi, band0Lo, …]` (uint32 pairs), or null
 * for text that is empty after normalisation. With `exactOnly`, just the exact pair.
 */
export function documentKeys(text: string, cfg: MinHashConfig, exactOnly: boolean): number[] | null {
  const simplified = simplifyText(text);
  if (simplified.length === 0) return null;
  const exact = hash64hex(simplified);
  const keys = [parseInt(exact.slice(0, 8), 16), parseInt(exact.slice(8), 16)];
  if (exactOnly) return keys;
  const sig = signature(shingleHashes(simplified, cfg.n_grams), cfg);
  for (let band = 0; band < cfg.bands; band++) {
    keys.push(hashInts(sig, band * cfg.rows, cfg.rows, 1), hashInts(sig, band * cfg.rows, cfg.rows, 2));
  }
  return keys;
}

/** Exact Jaccard similarity of two sorted, de-duplicated shingle sets. */
export function jaccard(x: Uint32Array, y: Uint32Array): number {
  let i = 0, j = 0, inter = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) { inter++; i++; j++; } else if (x[i]! < y[j]!) i++; else j++;
  }
  const union = x.length + y.length - inter;
  return union === 0 ? 1 : inter / union;
}

/** Sorted unique shingle hashes of raw text (for the exact-Jaccard check). */
export function shingleSet(text: string, n: number): Uint32Array {
  const s = shingleHashes(simplifyText(text), n).sort();
  let w = 0;
  for (let r = 0; r < s.length; r++) if (r === 0 || s[r] !== s[r - 1]) s[w++] = s[r]!;
  return s.slice(0, w);
}
