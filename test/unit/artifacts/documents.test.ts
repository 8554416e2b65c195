import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { DocumentsWriter, listSplits, readDocuments, readDocumentsWithSplit } from '../../../src/artifacts/documents.js';
import { collect, tempDir } from '../../helpers/stage-tester.js';

test('documents round-trip through shards, per split, in order', async () => {
  const dir = await tempDir();
  const w = new DocumentsWriter(dir, { shardBytes: 200 });
  for (let i = 0; i < 50; i++) await w.write({ id: `d${i}`, text: `doc ${i} ${'x'.repeat(i)}`, meta: { i } }, i % 5 === 0 ? 'test' : 'train');
  await w.close();
  assert.deepEqual(await listSplits(dir), ['train', 'test']);
  assert.ok((await readdir(dir)).length > 2, 'wrote several shards');
  const train = await collect(readDocuments(dir, 'train'));
  assert.equal(train.length, 40);
  assert.deepEqual(train.map((d) => d.meta?.i), [...Array(50).keys()].filter((i) => i % 5 !== 0));
  const all = await collect(readDocumentsWithSplit(dir));
  assert.equal(all.length, 50);
  assert.equal(w.counts.test, 10);
});

test('an empty writer still creates its folder', async () => {
  const dir = `${await tempDir()}/empty`;
  const w = new DocumentsWriter(dir);
  await w.close();
  assert.deepEqual(await collect(readDocuments(dir)), []);
});
