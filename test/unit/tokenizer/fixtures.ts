/** Shared test text: real corpora from @stdlib datasets, read once. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(process.cwd(), 'node_modules', '@stdlib');

function readAll(dataset: string): string[] {
  const dir = join(root, dataset, 'data');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
}

let sotu: string[] | undefined;
let moby: string[] | undefined;
/** State of the Union addresses (10.8 MB), one text per address. */
export function sotuTexts(): string[] { return (sotu ??= readAll('datasets-sotu')); }
/** Moby Dick chapters. */
export function mobyTexts(): string[] { return (moby ??= readAll('datasets-moby-dick')); }

/** Seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
