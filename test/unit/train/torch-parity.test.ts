/**
 * @fileoverview Two clipped AdamW steps of a tiny GPT against numbers PyTorch 1.13 computed for
 * the same weights and batches: the whole training step (forward, backward, global-norm clip,
 * AdamW with decay on >= 2-D parameters only, schedule) in one check, on every backend here.
 *
 * How the constants were produced: initParams(cfg, 7) below was written as float32 in
 * paramShapes order, then bench/peers/torch_char.py ran on it with
 *   {"n_layer":2,"n_head":2,"n_embd":16,"block_size":8,"batch_size":2,"vocab_size":11,"steps":2,
 *    "lr":0.01,"min_lr":0.01,"warmup_steps":0,"decay_steps":2,"weight_decay":0.1,"beta1":0.9,
 *    "beta2":0.99,"eps":1e-8,"grad_clip":1.0,"init":…,"batches":[offsets 0,9 then 3,7],"save":…}
 * on the tokens (i*5+3) % 11, i < 19; the losses and norms are its train_loss log, the weights
 * the first values of its saved tensors. Step 0's norm (1.74) is clipped, step 1's (0.98) is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupBackend } from '../../../src/backends/index.js';
import { nativeBackend } from '../../../src/backends/native/index.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { lmObjective, type BatchSource, type TokenBatch } from '../../../src/train/objective.js';
import { Trainer } from '../../../src/train/trainer.js';

const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 8, vocab_size: 11, dropout: 0 };
const tokens = Array.from({ length: 19 }, (_, i) => (i * 5 + 3) % 11);
const offsets = [[0, 9], [3, 7]];

const TORCH = {
  loss: [2.426481008529663, 2.3964321613311768],
  gradNorm: [1.7391525506973267, 0.983919084072113],
  after: {
    'transformer.wte.weight': [0.013876190409064293, 0.0019116769544780254, -0.03951716795563698, 0.019322406500577927],
    'transformer.h.0.ln_1.weight': [0.9823171496391296, 1.0042800903320312, 0.9939873218536377, 1.0189896821975708],
    'transformer.h.0.attn.c_attn.weight': [0.013806735165417194, 0.02837124466896057, -0.04329851642251015, 0.00422194879502058],
    'transformer.h.0.attn.c_attn.bias': [0.018503990024328232, 0.003988247364759445, 0.018544916063547134, -0.005027692299336195],
  } as Record<string, number[]>,
};

/** The two fixed batches, in order. */
function fixedSource(): BatchSource<TokenBatch> {
  let step = 0;
  return {
    next() {
      const T = cfg.block_size;
      const rows = offsets[step++]!;
      const x = new Int32Array(rows.length * T);
      const y = new Int32Array(rows.length * T);
      rows.forEach((s, i) => { for (let t = 0; t < T; t++) { x[i * T + t] = tokens[s + t]!; y[i * T + t] = tokens[s + t + 1]!; } });
      return { x, y, rows: rows.length, cols: T };
    },
    get state() { return step; },
    set state(s) { step = Number(s); },
  };
}

for (const backend of ['cpu', 'wasm', 'native']) {
  test(`${backend}: two clipped AdamW steps of a tiny GPT match PyTorch`, async (t) => {
    if (backend === 'native' && !(await nativeBackend.isAvailable())) { t.skip('native addon not built'); return; }
    await setupBackend(backend);
    const model = new GPT(cfg, initParams(cfg, 7));
    const trainer = new Trainer(model, { source: fixedSource(), objective: lmObjective }, {
      batchSize: 2, gradAccum: 1, gradClip: 1, seed: 1,
      schedule: { lr: 0.01, minLr: 0.01, warmupSteps: 0, decaySteps: 2 },
      adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
    });
    try {
      for (let s = 0; s < 2; s++) {
        const r = trainer.trainStep();
        assert.ok(Math.abs(r.loss - TORCH.loss[s]!) < 1e-5, `step ${s} loss ${r.loss} vs ${TORCH.loss[s]}`);
        assert.ok(Math.abs(r.gradNorm - TORCH.gradNorm[s]!) < 1e-4, `step ${s} grad norm ${r.gradNorm} vs ${TORCH.gradNorm[s]}`);
      }
      for (const [name, want] of Object.entries(TORCH.after)) {
        const got = model.params.get(name)!.dataSync();
        want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) < 2e-6, `${name}[${i}] ${got[i]} vs ${w}`));
      }
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });
}
