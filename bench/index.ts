/**
 * `npm run bench -- <suite>…` runs benchmark suites from bench/<suite>.ts (each exports
 * `run(): Promise<void>` and prints its own figures). With no suite, runs them all.
 * Suites: engine, data, train, eval, parity (those present).
 */
import { existsSync, readdirSync } from 'node:fs';

const dir = new URL('./', import.meta.url);
const known = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = wanted.length > 0 ? wanted : known;
for (const s of suites) {
  if (!existsSync(new URL(`${s}.ts`, dir))) {
    console.error(`unknown bench suite "${s}"; known: ${known.join(', ')}`);
    process.exit(2);
  }
}
for (const s of suites) {
  console.log(`\n=== bench: ${s} ===`);
  const mod = (await import(new URL(`${s}.ts`, dir).href)) as { run(): Promise<void> };
  await mod.run();
}
