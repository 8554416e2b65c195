/** PPO's clipped policy and value losses, approx-KL, clip fraction and entropy on hand values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { clippedPolicyLoss, clippedValueLoss, meanEntropy, tokenLogprobs } from '../../../src/rl/index.js';

await setupBackend('cpu');
const t1 = (x: number[]) => tf.tensor1d(x);
const num = (s: tf.Scalar) => s.dataSync()[0]!;
const near = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-5, `${msg}: ${a} vs ${b}`);

test('policy loss: max(−A·ρ, −A·clip(ρ, 0.8, 1.2)); clip fraction; approx-KL ½·E[Δ²]', () => {
  // ρ = [1, 1.5], A = [1, 1]: terms (−1, −1) and (−1.5, −1.2) → max −1 and −1.2 → mean −1.1; the second is clipped
  const p = clippedPolicyLoss(t1([0, Math.log(1.5)]), t1([0, 0]), t1([1, 1]), 0.2);
  near(num(p.loss), -1.1, 'loss');
  near(num(p.clipfrac), 0.5, 'clipfrac');
  near(num(p.approxKl), 0.5 * (Math.log(1.5) ** 2) / 2, 'approx-KL');
  near(num(p.ratio), 1.25, 'ratio');
  // A < 0 and ρ = 0.5: −A·ρ = 0.5, −A·clip = 0.8 → the pessimistic 0.8 (clipped)
  const q = clippedPolicyLoss(t1([Math.log(0.5)]), t1([0]), t1([-1]), 0.2);
  near(num(q.loss), 0.8, 'negative advantage');
  near(num(q.clipfrac), 1, 'clipped');
});

test('value loss: ½·max((V − R)², (V_old + clip(V − V_old, ±0.2) − R)²)', () => {
  // V 1 from V_old 0.5, R 2: clipped V 0.7 → errors 1 and 1.69 → ½·1.69
  const a = clippedValueLoss(t1([1]), t1([0.5]), t1([2]), 0.2);
  near(num(a.loss), 0.845, 'clipped wins');
  near(num(a.clipfrac), 1, 'clipfrac');
  // V 3 from V_old 2.9 (inside the clip), R 2: both errors 1 → ½
  const b = clippedValueLoss(t1([3]), t1([2.9]), t1([2]), 0.2);
  near(num(b.loss), 0.5, 'inside');
  near(num(b.clipfrac), 0, 'no clip');
});

test('token log-probs and entropy at temperature τ use softmax(logits/τ)', () => {
  const logits = tf.tensor2d([[0, Math.log(3)], [2, 2]]);
  const lp = tokenLogprobs(logits as tf.Tensor2D, tf.tensor1d([1, 0], 'int32'), 1).dataSync();
  near(lp[0]!, Math.log(0.75), 'row 0');
  near(lp[1]!, Math.log(0.5), 'row 1');
  const hot = tokenLogprobs(logits as tf.Tensor2D, tf.tensor1d([1, 0], 'int32'), 0.5).dataSync();
  near(hot[0]!, Math.log(9 / 10), 'τ 0.5 sharpens: p ∝ 3² vs 1');
  const h = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
  near(num(meanEntropy(logits as tf.Tensor2D, 1)), (h(0.75) + h(0.5)) / 2, 'entropy');
});

test('ppoLoss: value = policy + c_v·value − c_e·entropy, and its hand-written gradient matches finite differences', async () => {
  const { ppoLoss } = await import('../../../src/rl/index.js');
  const logits = [0.3, -0.2, 1.1, 0.5, -1, 0.2, 0.8, 0.1, 0.4, 0.9, -0.3, -0.7];
  const values = [0.2, -0.5, 1.4];
  const d = { targets: tf.tensor1d([2, 0, 1], 'int32'), oldLogp: t1([-1.2, -2.5, -1.0]), advantages: t1([1, -0.5, 0.8]), oldValues: t1([0.1, -0.45, 1.0]), returns: t1([1.0, -1, 1.2]) };
  const c = { temperature: 0.7, clip: 0.2, valueClip: 0.2, vfCoef: 0.1, entropyCoef: 0.05 };
  const f = (lg: number[], v: number[]) => tf.tidy(() => num(ppoLoss(tf.tensor2d(lg, [3, 4]), t1(v), d, c)));
  const lgT = tf.tensor2d(logits, [3, 4]);
  const logp = tokenLogprobs(lgT as tf.Tensor2D, d.targets, c.temperature);
  const expected = num(clippedPolicyLoss(logp, d.oldLogp, d.advantages, c.clip).loss) + c.vfCoef * num(clippedValueLoss(t1(values), d.oldValues, d.returns, c.valueClip).loss) - c.entropyCoef * num(meanEntropy(lgT as tf.Tensor2D, c.temperature));
  near(f(logits, values), expected, 'value');
  const [gl, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => ppoLoss(a as tf.Tensor2D, b as tf.Tensor1D, d, c))([lgT, t1(values)]).map((g) => g.dataSync());
  const h = 1e-3;
  const fd = (x: number[], i: number, g: (y: number[]) => number) => { const p = [...x], m = [...x]; p[i]! += h; m[i]! -= h; return (g(p) - g(m)) / (2 * h); };
  logits.forEach((_, i) => assert.ok(Math.abs(gl![i]! - fd(logits, i, (y) => f(y, values))) < 2e-3, `∂/∂logits[${i}]: ${gl![i]} vs ${fd(logits, i, (y) => f(y, values))}`));
  values.forEach((_, i) => assert.ok(Math.abs(gv![i]! - fd(values, i, (y) => f(logits, y))) < 2e-3, `∂/∂V[${i}]`));
});
