/**
 * Exporting artifacts: documents concatenated per split in shard order, tokens under
 * nanoGPT's names, and folder replacement that never leaves a mix of old and new.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentsWriter } from '../../../src/artifacts/documents.js';
import { exportArtifact } from '../../../src/artifacts/export/index.js';
import { replaceFolder } from '../../../src/artifacts/export/replace.js';
import { summarizeArtifact } from '../../../src/artifacts/summary.js';
import { writeTokens, writeTokensMeta } from '../../../src/artifacts/tokens.js';
import { tempDir } from '../../helpers/stage-tester.js';

test('documents: several shards of a split become one JSONL file, in order; the summary counts them', async () => {
  const src = join(await tempDir(), 'docs');
  const w = new DocumentsWriter(src, { shardBytes: 100 });
  for (let i = 0; i < 30; i++) await w.write({ id: `d${i}`, text: `document ${i}` }, i % 3 ? 'train' : 'validation');
  await w.close();
  assert.ok(readdirSync(src).length > 4);
  const dest = join(await tempDir(), 'out');
  await exportArtifact('documents', src, dest);
  assert.deepEqual(readdirSync(dest).sort(), ['train.jsonl', 'validation.jsonl']);
  const ids = readFileSync(join(dest, 'train.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  assert.deepEqual(ids, [...Array(30).keys()].filter((i) => i % 3).map((i) => `d${i}`));
  assert.deepEqual(await summarizeArtifact('documents', src), { documents: { train: 20, validation: 10 }, total: 30 });
});

test('tokens: train/validation become train.bin/val.bin, an unsplit set train.bin; meta.json says so', async () => {
  const src = await tempDir();
  await writeTokens(src, 'train', new Uint16Array([1, 2, 3]));
  await writeTokens(src, 'validation', new Uint16Array([4]));
  await writeTokensMeta(src, { vocab_size: 10, dtype: 'uint16', eot_id: 0, splits: { train: 3, validation: 1 }, tokenizer: 'tokenizer.json' });
  const dest = join(await tempDir(), 'nano');
  await exportArtifact('tokens', src, dest);
  assert.deepEqual(readdirSync(dest).sort(), ['meta.json', 'train.bin', 'val.bin']);
  const meta = JSON.parse(readFileSync(join(dest, 'meta.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(meta, { vocab_size: 10, dtype: 'uint16', eot_id: 0, splits: { train: 3, val: 1 }, files: { train: 'train.bin', val: 'val.bin' }, tokenizer: null });
  const val = readFileSync(join(dest, 'val.bin'));
  assert.deepEqual([...new Uint16Array(val.buffer, val.byteOffset, val.length / 2)], [4]);

  const all = await tempDir();
  await writeTokens(all, 'all', new Uint16Array([7, 8]));
  await writeTokensMeta(all, { vocab_size: 10, dtype: 'uint16', eot_id: null, splits: { all: 2 }, tokenizer: 'tokenizer.json' });
  await exportArtifact('tokens', all, dest);
  assert.deepEqual(readdirSync(dest).sort(), ['meta.json', 'train.bin'], 'the old export is replaced, not merged');
});

test('replaceFolder: a failing fill keeps the old folder; leftovers of dead processes go', async () => {
  const parent = await tempDir();
  const dest = join(parent, 'target');
  mkdirSync(dest);
  writeFileSync(join(dest, 'old.txt'), 'old');
  await assert.rejects(replaceFolder(dest, async (dir) => { writeFileSync(join(dir, 'half.txt'), 'x'); throw new Error('disk full'); }), /disk full/);
  assert.deepEqual(readdirSync(dest), ['old.txt']);
  assert.deepEqual(readdirSync(parent), ['target']);
  // A process killed mid-fill (pid 2^22+1 is above Linux's largest pid_max, so never alive).
  mkdirSync(join(parent, '.target.trainyard-new-4194305-0123abcd'));
  await replaceFolder(dest, async (dir) => { writeFileSync(join(dir, 'new.txt'), 'new'); });
  assert.deepEqual(readdirSync(parent), ['target']);
  assert.deepEqual(readdirSync(dest), ['new.txt']);
  assert.ok(!existsSync(join(dest, 'old.txt')));
});
