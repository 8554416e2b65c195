/**
 * Packing without attention across samples: a window holding several samples (block-diagonal
 * causal mask, positions reset) gives every sample the per-token losses it has alone — the
 * leak TRL's default packing has (trl#805) cannot happen — and the masked loss averages over
 * supervised tokens only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { nativeSkipReason } from '../backends/native/harness.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { packSamples } from '../../../src/sft/pack.js';
import type { Sample } from '../../../src/sft/encode.js';
import { toBatch } from '../../../src/stages/sft/data.js';
import { Rng } from '../../../src/util/random.js';

const nativeSkip = await nativeSkipReason();
const skipFor = (backend: string) => (backend === 'native' ? nativeSkip : false);

const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 24, vocab_size: 31, dropout: 0 };

function sample(n: number, rng: Rng): Sample {
  const ids = Int32Array.from({ length: n }, () => 1 + rng.int(30));
  const supervised = Uint8Array.from({ length: n }, (_, i) => (i >= n / 2 ? 1 : 0));
  return { ids, supervised, roles: Array.from({ length: n }, () => 'assistant'), where: `s${n}` };
}

/** Per-token losses of a batch, as a plain array. */
function losses(m: GPT, b: ReturnType<typeof toBatch>, packed: boolean): Float32Array {
  return tf.tidy(() => m.tokenLosses(tf.tensor2d(b.x, [b.rows, b.cols], 'int32'), b.y, packed ? b.layout : undefined)).dataSync() as Float32Array;
}

for (const backend of ['cpu', 'native']) {
  test(`${backend}: a packed window gives each sample the losses it has alone (and the masked mean matches)`, { skip: skipFor(backend) }, async () => {
    await setupBackend(backend);
    const w = initParams(cfg, 11);
    for (const x of w.values()) for (let i = 0; i < x.length; i++) x[i] = x[i]! * 8; // make attention sharp, so a leak would show
    const m = new GPT(cfg, w);
    const rng = new Rng(4);
    const samples = [sample(9, rng), sample(7, rng), sample(6, rng), sample(12, rng)];
    const packed = packSamples(samples, 24, { packing: true, padId: 0 });
    assert.ok(packed.windows.length < samples.length, 'several samples share a window');
    const alone = samples.map((_, i) => packSamples([samples[i]!], 24, { packing: false, padId: 0 }).windows[0]!);
    let checked = 0;
    for (const win of packed.windows) {
      const got = losses(m, toBatch([win], 24), true);
      win.samples.forEach((index, seg) => {
        const ref = losses(m, toBatch([alone[index]!], 24), true);
        const refPlain = losses(m, toBatch([alone[index]!], 24), false); // alone, no layout: the ordinary causal model
        const at = [...win.segment.keys()].filter((k) => win.segment[k] === seg);
        at.forEach((k, j) => {
          assert.ok(Math.abs(got[k]! - ref[j]!) < 1e-5, `sample ${index} token ${j}: packed ${got[k]} vs alone ${ref[j]}`);
          assert.ok(Math.abs(ref[j]! - refPlain[j]!) < 1e-5);
          checked++;
        });
      });
    }
    assert.equal(checked, samples.reduce((n, s) => n + s.ids.length - 1, 0));
    // Without the layout (attention across samples), the later samples' losses change.
    const multi = packed.windows.find((x) => x.samples.length > 1)!;
    const leaky = losses(m, toBatch([multi], 24), false);
    const exact = losses(m, toBatch([multi], 24), true);
    assert.ok(Math.max(...leaky.map((v, i) => Math.abs(v - exact[i]!))) > 1e-3, 'the mask matters');
    // maskedLoss = mean of the supervised tokens' losses.
    const b = toBatch(packed.windows, 24);
    const all = losses(m, b, true);
    const sup = [...b.y.keys()].filter((k) => b.y[k]! >= 0);
    const mean = sup.reduce((s, k) => s + all[k]!, 0) / sup.length;
    const ml = tf.tidy(() => m.maskedLoss(tf.tensor2d(b.x, [b.rows, 24], 'int32'), b.y, false, b.layout)).dataSync()[0]!;
    assert.ok(Math.abs(ml - mean) < 1e-5, `${ml} vs ${mean}`);
    m.dispose();
  });
}

for (const backend of ['cpu', 'native']) {
  test(`${backend}: targets -1 add nothing to the gradient (the TF.js path and the fused kernel alike)`, { skip: skipFor(backend) }, async () => {
    await setupBackend(backend);
    const m = new GPT(cfg, initParams(cfg, 2));
    const x = tf.tensor2d(Int32Array.from([1, 2, 3, 4, 5, 6]), [1, 6], 'int32');
    const vars = [...m.params.values()];
    const grad = (f: () => tf.Scalar) => tf.tidy(() => tf.variableGrads(f, vars).grads[vars[0]!.name]!.dataSync() as Float32Array);
    const masked = grad(() => m.maskedLoss(x, Int32Array.from([-1, -1, 4, -1, 6, 7])) as tf.Scalar);
    // Reference: real targets everywhere, then only positions 2, 4, 5 weighted (1/3 each).
    const full = Int32Array.from([9, 8, 4, 3, 6, 7]);
    const ref = grad(() => tf.sum(tf.mul(m.tokenLosses(x, full), tf.tensor1d([0, 0, 1 / 3, 0, 1 / 3, 1 / 3]))) as tf.Scalar);
    let d = 0;
    for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(masked[i]! - ref[i]!));
    assert.ok(d < 1e-6, `max |Δgrad| ${d}`);
    const none = grad(() => m.maskedLoss(x, Int32Array.from([-1, -1, -1, -1, -1, -1])) as tf.Scalar);
    assert.ok(none.every((v) => v === 0), 'no supervised target, no gradient');
    m.dispose();
  });
}
