/**
 * The source stage on input that is too big or broken: a document over `max_document_bytes`
 * (text, JSONL line, JSON file, plain or gzip'd) is a counted skip naming the file, and the
 * rest of the file still reads; a truncated or corrupt gzip is a counted bad file, named,
 * never E_INTERNAL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { WARCRecord, WARCSerializer } from 'warcio';
import source from '../../../src/stages/source/index.js';
import { readDocuments } from '../../../src/artifacts/documents.js';
import { collect, runStage, tempDir } from '../../helpers/stage-tester.js';

async function files(entries: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'data'));
  for (const [name, body] of Object.entries(entries)) await writeFile(join(dir, 'data', name), body);
  return dir;
}

const jsonl = (...texts: string[]) => texts.map((text, i) => JSON.stringify({ id: `r${i}`, text })).join('\n') + '\n';

test('max_document_bytes: a text file over the limit is skipped, counted and named; the user can raise it', async () => {
  const big = 'x'.repeat(5000);
  const dir = await files({ 'big.txt': big, 'big2.txt.gz': gzipSync(big), 'small.txt': 'short enough' });
  const res = await runStage(source, { options: { files: 'data/*', max_document_bytes: 1000 }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.id), ['data/small.txt']);
  assert.equal(res.stats.oversized_documents, 2);
  const log = res.logs.join('\n');
  assert.match(log, /data\/big\.txt\b.*max_document_bytes/);
  assert.match(log, /data\/big2\.txt\.gz\b.*max_document_bytes/);
  const raised = await runStage(source, { options: { files: 'data/*', max_document_bytes: 10_000 }, cwd: dir });
  assert.equal(raised.stats.documents, 3);
  assert.equal(raised.stats.oversized_documents ?? 0, 0);
});

test('max_document_bytes: an oversized JSONL line is skipped with its line number; lines after it still read', async () => {
  const body = jsonl('first', 'y'.repeat(3000), 'third');
  const dir = await files({ 'a.jsonl': body, 'b.jsonl.gz': gzipSync(body) });
  const res = await runStage(source, { options: { files: 'data/*', max_document_bytes: 1000 }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.text), ['first', 'third', 'first', 'third']);
  assert.equal(res.stats.oversized_documents, 2);
  assert.match(res.logs.join('\n'), /data\/a\.jsonl:2\b.*max_document_bytes/);
  assert.match(res.logs.join('\n'), /data\/b\.jsonl\.gz:2\b.*max_document_bytes/);
});

test('JSONL ids fall back to file:line, the same for plain and gzip files (blank lines counted)', async () => {
  const body = `${JSON.stringify({ text: 'one' })}\n\n${JSON.stringify({ text: 'two' })}\n`;
  const dir = await files({ 'a.jsonl': body, 'b.jsonl.gz': gzipSync(body) });
  const res = await runStage(source, { options: { files: 'data/*' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.id), ['data/a.jsonl:1', 'data/a.jsonl:3', 'data/b.jsonl.gz:1', 'data/b.jsonl.gz:3']);
});

test('max_document_bytes: a .json file is parsed whole, so one over the limit is a counted, named skip', async () => {
  const dir = await files({ 'a.json': JSON.stringify([{ text: 'z'.repeat(3000) }]), 'b.json': JSON.stringify({ text: 'fits' }) });
  const res = await runStage(source, { options: { files: 'data/*', max_document_bytes: 1000 }, cwd: dir });
  assert.equal(res.stats.documents, 1);
  assert.equal(res.stats.oversized_files, 1);
  assert.match(res.logs.join('\n'), /data\/a\.json\b.*max_document_bytes/);
});

test('a truncated or corrupt .gz is a counted bad file naming the file, not E_INTERNAL; other files still read', async () => {
  const whole = gzipSync(jsonl(...Array.from({ length: 2000 }, (_, i) => `record ${i} `.repeat(20))));
  const dir = await files({
    'cut.jsonl.gz': whole.subarray(0, Math.floor(whole.length / 2)),
    'cut.txt.gz': gzipSync('some text '.repeat(1000)).subarray(0, -8), // no CRC/size trailer
    'garbage.txt.gz': Buffer.from('this was never gzip'),
    'ok.txt': 'fine',
  });
  const res = await runStage(source, { options: { files: 'data/*' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.equal(res.stats.corrupt_files, 3);
  const log = res.logs.join('\n');
  for (const f of ['cut.jsonl.gz', 'cut.txt.gz', 'garbage.txt.gz']) assert.match(log, new RegExp(`data/${f.replace(/\./g, '\\.')}\\b.*(corrupt|truncated)`), f);
  assert.ok(docs.some((d) => d.id === 'data/ok.txt'));
  assert.ok(!docs.some((d) => d.id === 'data/cut.txt.gz'), 'a truncated text file yields no partial document');
  // The records before the cut are kept, and said so.
  assert.ok(docs.filter((d) => d.meta?.source === 'data/cut.jsonl.gz').length > 0);
});

test('binary and invalid UTF-8 files are named in the log as well as counted', async () => {
  const dir = await files({ 'g.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'e.txt': Buffer.from([0x43, 0x61, 0x66, 0xe9]) });
  const res = await runStage(source, { options: { files: 'data/*' }, cwd: dir });
  assert.equal(res.stats.binary_files, 1);
  assert.equal(res.stats.invalid_utf8_files, 1);
  assert.match(res.logs.join('\n'), /data\/g\.txt/);
  assert.match(res.logs.join('\n'), /data\/e\.txt/);
});

async function warcRecord(url: string, body: string, gzipBody = false): Promise<Uint8Array> {
  const bytes = gzipBody ? gzipSync(body) : new TextEncoder().encode(body);
  async function* reader() { yield bytes; }
  const rec = await WARCRecord.create({ url, date: '2024-01-01T00:00:00Z', type: 'response', statusline: 'HTTP/1.1 200 OK',
    httpHeaders: { 'Content-Type': 'text/html; charset=utf-8', ...(gzipBody ? { 'Content-Encoding': 'gzip' } : {}) } }, reader());
  return WARCSerializer.serialize(rec, { gzip: true });
}

test('max_document_bytes: a WARC record over the limit (declared, or after Content-Encoding) is skipped; the next one reads', async () => {
  const parts = [
    await warcRecord('https://example.com/big', `<p>${'b'.repeat(5000)}</p>`),
    await warcRecord('https://example.com/bomb', `<p>${'g'.repeat(50_000)}</p>`, true), // ~100 bytes on the wire
    await warcRecord('https://example.com/small', '<p>small page</p>'),
  ];
  const dir = await files({ 'crawl.warc.gz': Buffer.concat(parts) });
  const res = await runStage(source, { options: { files: 'data/*', max_document_bytes: 1000 }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.meta!.url), ['https://example.com/small']);
  assert.equal(res.stats.oversized_documents, 2);
  assert.match(res.logs.join('\n'), /data\/crawl\.warc\.gz record .*max_document_bytes/);
});

test('a truncated .warc.gz is a counted, named bad file; the records before the cut are kept', async () => {
  const first = await warcRecord('https://example.com/a', '<p>first page</p>');
  const second = await warcRecord('https://example.com/b', `<p>${Array.from({ length: 3000 }, (_, i) => `w${i * 7919 % 10007}`).join(' ')}</p>`);
  const dir = await files({ 'cut.warc.gz': Buffer.concat([first, second.subarray(0, Math.floor(second.length / 2))]), 'ok.txt': 'fine' });
  const res = await runStage(source, { options: { files: 'data/*' }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.meta!.url ?? d.id), ['https://example.com/a', 'data/ok.txt']);
  assert.equal(res.stats.corrupt_files, 1);
  assert.match(res.logs.join('\n'), /data\/cut\.warc\.gz\b.*(corrupt|truncated)/);
});

test('max_document_bytes: a Parquet text cell over the limit is skipped and named by row', async () => {
  const buf = parquetWriteBuffer({ columnData: [{ name: 'text', data: ['short', 'p'.repeat(5000), 'also short'], type: 'STRING' }] });
  const dir = await files({ 't.parquet': Buffer.from(buf) });
  const res = await runStage(source, { options: { files: 'data/*', max_document_bytes: 1000 }, cwd: dir });
  const docs = await collect(readDocuments(res.outputs.docs!));
  assert.deepEqual(docs.map((d) => d.text), ['short', 'also short']);
  assert.equal(res.stats.oversized_documents, 1);
  assert.match(res.logs.join('\n'), /data\/t\.parquet row 1: .*max_document_bytes/);
});
