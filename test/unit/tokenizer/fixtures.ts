/** Shared test text: real corpora from @stdlib datasets, read once. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../../src/util/random.js';

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

/** Seeded PRNG (the project's mulberry32 Rng) as a plain function. */
export function rng(seed: number): () => number {
  return new Rng(seed).uniform();
}
