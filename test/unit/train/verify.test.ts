/**
 * Training checkpoints verify before a resume: each file's size and sha256 are recorded when
 * the checkpoint is written, a damaged newest checkpoint (truncated, changed, unreadable) is
 * skipped for the previous good one, and E_CHECKPOINT names the folder when none is good.
 * Checkpoints from before the manifest are verified by loading them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { TrainyardError } from '../../../src/errors/index.js';
import { initParams, paramShapes } from '../../../src/model/gpt.js';
import { saveCheckpoint, type TrainingCheckpoint } from '../../../src/train/state.js';
import { loadLatestGood } from '../../../src/train/verify.js';
import { tempDir } from '../../helpers/stage-tester.js';

const CFG = { n_layer: 1, n_head: 2, n_embd: 8, block_size: 8, vocab_size: 11, dropout: 0 };

function checkpoint(step: number): TrainingCheckpoint {
  const w = initParams(CFG, step);
  const shapes = new Map(paramShapes(CFG));
  const weights = new Map([...w].map(([n, data]) => [n, { shape: shapes.get(n)!, data }]));
  const zeros = new Map([...w].map(([n, d]) => [n, new Float32Array(d.length).fill(step)]));
  return { config: CFG, weights, m: zeros, v: zeros, state: { step, optimizer_t: step, sampler_state: step, best_val_loss: null, evals_since_best: 0, last_loss: 1 } };
}

async function twoCheckpoints(): Promise<{ root: string; older: string; newer: string }> {
  const root = await tempDir();
  const older = await saveCheckpoint(root, checkpoint(4), { keepLast: 2 });
  const newer = await saveCheckpoint(root, checkpoint(8), { keepLast: 2 });
  return { root, older, newer };
}

const sha256 = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');

test('a checkpoint records the size and sha256 of each of its files in trainer_state.json', async () => {
  const { newer } = await twoCheckpoints();
  const state = JSON.parse(await readFile(join(newer, 'trainer_state.json'), 'utf8'));
  assert.deepEqual(Object.keys(state.files).sort(), ['config.json', 'model.safetensors', 'optimizer.safetensors']);
  for (const [name, rec] of Object.entries(state.files as Record<string, { bytes: number; sha256: string }>)) {
    assert.equal(rec.bytes, (await stat(join(newer, name))).size, name);
    assert.equal(rec.sha256, await sha256(join(newer, name)), name);
  }
  const found = await loadLatestGood(join(newer, '..'));
  assert.equal(found?.path, newer);
  assert.equal(found?.ck.state.step, 8);
  assert.equal('files' in found!.ck.state, false, 'the manifest is not part of the trainer state');
  assert.deepEqual(found?.damaged, []);
});

test('checkpoints past maxStep (a longer run of the same stage) are not resumed from', async () => {
  const { root, older } = await twoCheckpoints();
  assert.equal((await loadLatestGood(root, 6))?.path, older);
  assert.equal((await loadLatestGood(root, 8))?.ck.state.step, 8);
  assert.equal(await loadLatestGood(root, 3), null);
});

test('a truncated newest model.safetensors: the previous checkpoint is used, both named; the damaged one is removed', async () => {
  const { root, older, newer } = await twoCheckpoints();
  const file = join(newer, 'model.safetensors');
  await truncate(file, (await stat(file)).size - 100);
  const found = await loadLatestGood(root);
  assert.equal(found?.path, older);
  assert.equal(found?.ck.state.step, 4);
  assert.equal(found?.damaged.length, 1);
  assert.equal(found?.damaged[0]!.path, newer);
  assert.match(found!.damaged[0]!.problem, /model\.safetensors has \d+ bytes; \d+ were written/);
  assert.equal(existsSync(newer), false);
});

test('a changed byte of the same size is caught by the hash; a missing file by its name', async () => {
  const { root, older, newer } = await twoCheckpoints();
  const file = join(newer, 'optimizer.safetensors');
  const bytes = await readFile(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
  await writeFile(file, bytes);
  const found = await loadLatestGood(root);
  assert.equal(found?.path, older);
  assert.match(found!.damaged[0]!.problem, /optimizer\.safetensors changed since it was written \(sha256 [0-9a-f]{12}, written [0-9a-f]{12}\)/);
  const { root: r2, older: o2, newer: n2 } = await twoCheckpoints();
  await rm(join(n2, 'config.json'));
  const again = await loadLatestGood(r2);
  assert.equal(again?.path, o2);
  assert.match(again!.damaged[0]!.problem, /config\.json is missing/);
});

test('no good checkpoint: E_CHECKPOINT naming the checkpoint and the problem; nothing is removed', async () => {
  const { root, older, newer } = await twoCheckpoints();
  await truncate(join(newer, 'model.safetensors'), 10);
  await writeFile(join(older, 'trainer_state.json'), '{"step": 4, ');
  await assert.rejects(loadLatestGood(root), (e: unknown) => {
    assert.ok(e instanceof TrainyardError, String(e));
    assert.equal(e.code, 'E_CHECKPOINT');
    assert.match(e.message, new RegExp(`${newer.replace(/[.]/g, '\\.')}: model\\.safetensors has 10 bytes`));
    assert.match(e.message, /1 older checkpoint is damaged too/);
    assert.match(e.hint ?? '', /--force/);
    return true;
  });
  assert.ok(existsSync(newer) && existsSync(older));
  assert.equal(await loadLatestGood(await tempDir()), null, 'no checkpoint at all is not an error');
});

test('checkpoints without a manifest (written before it existed) are verified by loading them', async () => {
  const { root, older, newer } = await twoCheckpoints();
  for (const dir of [older, newer]) {
    const state = JSON.parse(await readFile(join(dir, 'trainer_state.json'), 'utf8'));
    delete state.files;
    await writeFile(join(dir, 'trainer_state.json'), JSON.stringify(state));
  }
  assert.equal((await loadLatestGood(root))?.path, newer);
  const file = join(newer, 'model.safetensors');
  await truncate(file, (await stat(file)).size - 100);
  const found = await loadLatestGood(root);
  assert.equal(found?.path, older);
  assert.match(found!.damaged[0]!.problem, /model\.safetensors is not a valid safetensors file/);
});
