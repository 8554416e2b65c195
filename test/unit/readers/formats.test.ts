import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WARCRecord, WARCSerializer } from 'warcio';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readWarc } from '../../../src/readers/warc.js';
import { readParquet } from '../../../src/readers/parquet.js';
import { collect, tempDir } from '../../helpers/stage-tester.js';
import { sotuDocs } from '../../helpers/corpus.js';

const enc = new TextEncoder();

async function record(type: 'response' | 'request' | 'warcinfo' | 'conversion', url: string, body: Uint8Array, contentType?: string): Promise<WARCRecord> {
  async function* reader() { yield body; }
  return WARCRecord.create({
    url, date: '2024-03-01T12:00:00Z', type,
    ...(type === 'response' ? { httpHeaders: { 'Content-Type': contentType ?? 'text/html' }, statusline: 'HTTP/1.1 200 OK' } : {}),
    ...(type === 'conversion' ? { warcHeaders: { 'Content-Type': 'text/plain' } } : {}),
  }, reader());
}

async function warcFile(gzip: boolean): Promise<string> {
  const latin1 = Uint8Array.from([...'<html><body><p>Caf'].map((c) => c.charCodeAt(0)).concat([0xe9, ...[...' au lait</p></body></html>'].map((c) => c.charCodeAt(0))]));
  const records = [
    await record('warcinfo', '', enc.encode('software: trainyard-test\r\n')),
    await record('request', 'https://example.com/a', enc.encode('')),
    await record('response', 'https://example.com/a', enc.encode('<html><body><p>Grüße aus Köln — “quotes”</p></body></html>'), 'text/html; charset=utf-8'),
    await record('response', 'https://example.com/b', latin1, 'text/html; charset=ISO-8859-1'),
    await record('response', 'https://example.com/c.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'image/png'),
    await record('conversion', 'https://example.com/d', enc.encode('Plain extracted WET text.')),
  ];
  const parts = [];
  for (const r of records) parts.push(await WARCSerializer.serialize(r, { gzip }));
  const path = join(await tempDir(), gzip ? 'crawl.warc.gz' : 'crawl.warc');
  await writeFile(path, Buffer.concat(parts));
  return path;
}

for (const gzip of [false, true]) {
  test(`readWarc (${gzip ? 'gzip' : 'plain'}): responses decoded per charset, non-text skipped, WET conversions kept`, async () => {
    const recs = await collect(readWarc(await warcFile(gzip), {}));
    assert.deepEqual(recs.map((r) => r.meta.url), ['https://example.com/a', 'https://example.com/b', 'https://example.com/d']);
    assert.equal(recs[0]!.text, '<html><body><p>Grüße aus Köln — “quotes”</p></body></html>');
    assert.equal(recs[1]!.text, '<html><body><p>Café au lait</p></body></html>');
    assert.equal(recs[2]!.text, 'Plain extracted WET text.');
    assert.equal(recs[0]!.meta.content_type, 'text/html; charset=utf-8');
    assert.equal(recs[0]!.meta.status, 200);
    assert.equal(recs[0]!.meta.date, '2024-03-01T12:00:00Z');
    assert.match(recs[0]!.id!, /^urn:uuid:/);
  });
}

test('readParquet: text column selectable, scalar columns to meta, several row groups', async () => {
  const docs = sotuDocs(25);
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: docs.map((d) => d.id), type: 'STRING' },
      { name: 'speech', data: docs.map((d) => d.text), type: 'STRING' },
      { name: 'year', data: docs.map((d) => d.meta!.year as number), type: 'INT32' },
      { name: 'president', data: docs.map((d) => d.meta!.president as string), type: 'STRING' },
    ],
    rowGroupSize: 10,
  });
  const path = join(await tempDir(), 'sotu.parquet');
  await writeFile(path, Buffer.from(buf));
  const recs = await collect(readParquet(path, { field: 'speech' }));
  assert.equal(recs.length, 25);
  assert.equal(recs[24]!.id, docs[24]!.id);
  assert.equal(recs[24]!.text, docs[24]!.text);
  assert.deepEqual(recs[0]!.meta, { year: 1790, president: 'George Washington' });
  await assert.rejects(collect(readParquet(path, { field: 'text' })), /no column "text" \(columns: id, speech, year, president\)/);
});

test('readParquet: a codec it cannot read (LZO) and a file that is not Parquet are E_ARTIFACT naming the file', async () => {
  const dir = await tempDir();
  const lzo = join(dir, 'lzo.parquet');
  // The writer stores the bytes as given; only the codec recorded in the footer matters here.
  await writeFile(lzo, Buffer.from(parquetWriteBuffer({
    columnData: [{ name: 'text', data: ['a', 'b'], type: 'STRING' }], codec: 'LZO', compressors: { LZO: (b: Uint8Array) => b },
  })));
  await assert.rejects(collect(readParquet(lzo)), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_ARTIFACT');
    assert.match(e.message, /lzo\.parquet is compressed with LZO, which Trainyard cannot read \(it reads .*ZSTD/);
    return true;
  });
  const notParquet = join(dir, 'x.parquet');
  await writeFile(notParquet, 'version https://git-lfs.github.com/spec/v1\n');
  await assert.rejects(collect(readParquet(notParquet)), (e: Error & { code?: string }) => e.code === 'E_ARTIFACT' && e.message.includes('x.parquet is not a readable Parquet file'));
});
