/**
 * The byte-level helpers under the source readers: line splitting across chunk boundaries
 * (UTF-8 split mid-character, no final newline, blank lines numbered), oversized lines counted
 * and dropped, bounded whole-file reads that stop early, and gzip errors as CorruptInputError.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CorruptInputError, fileChunks, readBounded, splitLines, type Line } from '../../../src/readers/bytes.js';
import { collect, tempDir } from '../../helpers/stage-tester.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const show = (lines: Line[]) =>
  lines.map((l) => (l.oversized ? `${l.n}:>${l.size}` : `${l.n}:${l.bytes.toString()}`));

test('splitLines: the same lines whatever the chunking, UTF-8 split mid-character, last line without newline', async () => {
  const text = 'Grüße\n\nKöln — “x”\nlast';
  for (const size of [1, 2, 3, 5, 1000]) {
    assert.deepEqual(show(await collect(splitLines(chunksOf(text, size), 100))), ['1:Grüße', '2:', '3:Köln — “x”', '4:last'], `chunk ${size}`);
  }
});

test('splitLines: a line over the limit comes out as its size, and the next line is intact', async () => {
  const text = `ok\n${'z'.repeat(50)}\nafter\n`;
  for (const size of [1, 7, 1000]) {
    assert.deepEqual(show(await collect(splitLines(chunksOf(text, size), 10))), ['1:ok', '2:>50', '3:after'], `chunk ${size}`);
  }
  assert.deepEqual(show(await collect(splitLines(chunksOf('exactly10!', 3), 10))), ['1:exactly10!']);
});

test('readBounded: stops past the limit (plain and gzip), stops at a probe, and reads small files whole', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.txt'), 'a'.repeat(100));
  await writeFile(join(dir, 'a.txt.gz'), gzipSync('a'.repeat(100)));
  await writeFile(join(dir, 'nul.bin'), Buffer.alloc(3 << 20));
  assert.deepEqual(await readBounded(join(dir, 'a.txt'), 99), { oversized: true, seen: 100 });
  assert.equal((await readBounded(join(dir, 'a.txt.gz'), 99)).oversized, true);
  const whole = await readBounded(join(dir, 'a.txt.gz'), 100);
  assert.equal(whole.oversized ? 'oversized' : whole.bytes.toString(), 'a'.repeat(100));
  const probed = await readBounded(join(dir, 'nul.bin'), 1 << 30, (head) => head.includes(0));
  assert.ok(!probed.oversized && probed.bytes.length < 3 << 20, 'the probe stopped the read early');
});

test('fileChunks: a cut or non-gzip .gz raises CorruptInputError with zlib\'s reason', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'cut.gz'), gzipSync('hello world').subarray(0, -8));
  await writeFile(join(dir, 'bad.gz'), 'plain text');
  await assert.rejects(collect(fileChunks(join(dir, 'cut.gz'))), (e) => e instanceof CorruptInputError && /unexpected end/.test(e.reason));
  await assert.rejects(collect(fileChunks(join(dir, 'bad.gz'))), (e) => e instanceof CorruptInputError && /header/.test(e.reason));
});
