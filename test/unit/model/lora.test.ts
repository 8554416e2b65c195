/**
 * LoRA: fresh adapters (B = 0) leave the model exactly the base model; merged weights give the
 * adapted model's logits; only adapters (and new token rows) are trained; PEFT's file layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { nativeSkipReason } from '../backends/native/harness.js';
import { GPT, initParams, NEW_ROWS } from '../../../src/model/gpt.js';
import { initLora, loraModules, mergeLora, saveLoraAdapter, unknownTargets, type LoraSpec } from '../../../src/model/lora.js';
import { readSafetensors } from '../../../src/model/safetensors.js';
import { maskedLmObjective, type TokenBatch } from '../../../src/train/objective.js';
import { Trainer } from '../../../src/train/trainer.js';
import { Rng } from '../../../src/util/random.js';

const nativeSkip = await nativeSkipReason();
const skipFor = (backend: string) => (backend === 'native' ? nativeSkip : false);

const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 12, vocab_size: 23, dropout: 0 };
const spec: LoraSpec = { r: 4, alpha: 8, dropout: 0, targets: ['c_attn', 'c_proj', 'c_fc'] };
const IDS = Int32Array.from([1, 5, 9, 2, 7, 3, 20, 22, 4, 6]);

function logits(m: GPT): Float32Array {
  return tf.tidy(() => m.forward(tf.tensor2d(IDS, [2, 5], 'int32'))).dataSync() as Float32Array;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Adapters with random B (as after training), so the update is not zero. */
function trainedAdapters(seed: number) {
  const a = initLora(cfg, spec, seed);
  const rng = new Rng(seed + 7);
  for (const [n, t] of a) if (n.endsWith('lora_B')) for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * 0.05;
  return a;
}

for (const backend of ['cpu', 'native']) {
  test(`${backend}: step 0 of LoRA is the base model exactly (B = 0), with and without trainable new token rows`, { skip: skipFor(backend) }, async () => {
    await setupBackend(backend);
    const w = initParams(cfg, 3);
    const base = new GPT(cfg, w);
    const lora = new GPT(cfg, w, { lora: { spec, weights: initLora(cfg, spec, 5) } });
    const split = new GPT(cfg, w, { lora: { spec, weights: initLora(cfg, spec, 5) }, trainRowsFrom: 20 });
    const ref = logits(base);
    assert.equal(maxDiff(logits(lora), ref), 0);
    assert.equal(maxDiff(logits(split), ref), 0);
    for (const m of [base, lora, split]) m.dispose();
  });

  test(`${backend}: merged weights give the adapted model's logits within 1e-5`, { skip: skipFor(backend) }, async () => {
    await setupBackend(backend);
    const w = initParams(cfg, 4);
    const adapters = trainedAdapters(9);
    const lora = new GPT(cfg, w, { lora: { spec, weights: adapters } });
    const merged = new GPT(cfg, mergeLora(w, await lora.adapterWeights(), spec));
    const base = new GPT(cfg, w);
    const d = maxDiff(logits(lora), logits(merged));
    assert.ok(d < 1e-5, `max |Δlogit| ${d}`);
    assert.ok(maxDiff(logits(lora), logits(base)) > 1e-3, 'the adapters change the model');
    for (const m of [base, lora, merged]) m.dispose();
  });
}

test('only the adapters and the new token rows train; the base weights stay bit-identical', async () => {
  await setupBackend('cpu');
  const w = initParams(cfg, 6);
  const m = new GPT(cfg, w, { lora: { spec, weights: initLora(cfg, spec, 1) }, trainRowsFrom: 20 });
  const x = Int32Array.from([1, 21, 3, 22, 5, 6, 7, 8, 9, 10, 11, 12]);
  const y = Int32Array.from([21, 3, 22, -1, 6, 7, -1, 9, 10, 11, 12, 1]);
  const batch: TokenBatch = { x, y, rows: 1, cols: 12 };
  const t = new Trainer(m, { source: { next: () => batch, state: 0 }, objective: maskedLmObjective }, {
    batchSize: 1, gradAccum: 1, gradClip: 1, seed: 1, schedule: { lr: 1e-2, minLr: 1e-2, warmupSteps: 0, decaySteps: 10 },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  });
  assert.deepEqual([...t.trainable.keys()].sort(), [NEW_ROWS, ...loraModules(cfg, spec.targets).flatMap((mm) => [`${mm.module}.lora_A`, `${mm.module}.lora_B`])].sort());
  const first = t.trainStep().loss;
  for (let i = 0; i < 20; i++) t.trainStep();
  const last = t.estimateLoss([batch]);
  assert.ok(last < first, `loss ${first} → ${last}`);
  const after = await m.weights();
  for (const [name, data] of w) {
    if (name === 'transformer.wte.weight') {
      assert.deepEqual(after.get(name)!.subarray(0, 20 * 16), data.subarray(0, 20 * 16), 'old token rows are frozen');
      assert.notDeepEqual(after.get(name)!.subarray(20 * 16), data.subarray(20 * 16), 'new token rows train');
    } else assert.deepEqual(after.get(name), data, name);
  }
  t.dispose();
  m.dispose();
});

test('targets match module-name suffixes like PEFT; unknown ones are reported', () => {
  assert.equal(loraModules(cfg, ['c_attn']).length, 2);
  assert.equal(loraModules(cfg, ['c_proj']).length, 4);
  assert.equal(loraModules(cfg, ['attn.c_proj']).length, 2);
  assert.deepEqual(unknownTargets(cfg, ['c_attn', 'q_proj']), ['q_proj']);
});

test('adapters are saved with PEFT names and torch Linear shapes (A [r, in], B [out, r])', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-lora-'));
  const a = trainedAdapters(2);
  await saveLoraAdapter(dir, new Map([...a].map(([n, t]) => [n, t.data])), spec, { baseModel: 'pretrain' });
  const { tensors } = await readSafetensors(join(dir, 'adapter_model.safetensors'));
  const A = tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight')!;
  const B = tensors.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')!;
  assert.deepEqual(A.shape, [4, 16]);
  assert.deepEqual(B.shape, [48, 4]);
  const ours = a.get('transformer.h.0.attn.c_attn.lora_A')!; // [in, r]
  assert.equal(A.data[1 * 16 + 3], ours.data[3 * 4 + 1]); // A_peft[k][i] = A_ours[i][k]
  const config = JSON.parse(await readFile(join(dir, 'adapter_config.json'), 'utf8'));
  assert.equal(config.peft_type, 'LORA');
  assert.equal(config.fan_in_fan_out, true);
  assert.deepEqual(config.target_modules, spec.targets);
  assert.equal(config.lora_alpha, 8);
});
