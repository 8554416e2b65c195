/**
 * The preference losses against values worked by hand (written out below), with their
 * hand-written gradients, on the cpu backend:
 *
 *   Bradley–Terry, r_c = [1, 0], r_r = [0, 1]: z = [1, −1];
 *     softplus(−1) = ln(1 + e^−1) = 0.313262, softplus(1) = 1.313262 → mean 0.813262
 *     ∂/∂r_c = −σ(−z)/2 = [−0.268941/2, −0.731059/2] = [−0.134471, −0.365529]; ∂/∂r_r = −∂/∂r_c
 *   margin [0.5, 0]: z = [0.5, −1]; softplus(−0.5) = ln 1.606531 = 0.474077 → mean 0.893669
 *   centering λ = 0.01, r_c + r_r = [1, 1]: + 0.01·1 → 0.823262
 *
 *   DPO, β = 0.1, π_c = [−1, −2], π_r = [−3, −2], ρ = −2 everywhere: h = [2, 0], βh = [0.2, 0]
 *     sigmoid: softplus(−0.2) = ln 1.818731 = 0.598139, softplus(0) = 0.693147 → mean 0.645643
 *     ∂/∂π_c = −β·σ(−βh)/2 = [−0.1·0.450166/2, −0.1·0.5/2] = [−0.022508, −0.025]
 *     label smoothing 0.1: 0.9·0.598139 + 0.1·softplus(0.2)=0.798139 → 0.618139; 0.693147 → mean 0.655643
 *     ipo: (h − 1/(2β))² = (2 − 5)², (0 − 5)² = 9, 25 → mean 17; ∂/∂π_c = 2(h − 5)/2 = [−3, −5]
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '../../../src/backends/index.js';
import { bradleyTerryLoss, dpoLoss, PairStats } from '../../../src/train/preference-objectives.js';

await setupBackend('cpu');
const t = (a: number[]) => tf.tensor1d(a);
const close = (a: ArrayLike<number>, b: number[], what: string) => b.forEach((x, i) => assert.ok(Math.abs(a[i]! - x) < 1e-5, `${what}[${i}]: ${a[i]} vs ${x}`));
const value = (x: tf.Tensor) => x.dataSync()[0]!;

test('Bradley–Terry: loss and gradients by hand; margin and centering', () => {
  const zero = t([0, 0]);
  close([value(bradleyTerryLoss(t([1, 0]), t([0, 1]), zero))], [0.813262], 'loss');
  const [gc, gr] = tf.grads((c: tf.Tensor, r: tf.Tensor) => bradleyTerryLoss(c, r, zero))([t([1, 0]), t([0, 1])]);
  close(gc!.dataSync(), [-0.134471, -0.365529], 'dc');
  close(gr!.dataSync(), [0.134471, 0.365529], 'dr');
  close([value(bradleyTerryLoss(t([1, 0]), t([0, 1]), t([0.5, 0])))], [0.893669], 'with margin');
  close([value(bradleyTerryLoss(t([1, 0]), t([0, 1]), zero, 0.01))], [0.823262], 'with centering');
  const [cc] = tf.grads((c: tf.Tensor, r: tf.Tensor) => bradleyTerryLoss(c, r, zero, 0.01))([t([1, 0]), t([0, 1])]);
  close(cc!.dataSync(), [-0.134471 + 0.01, -0.365529 + 0.01], 'dc with centering'); // + 2λ(r_c + r_r)/B = 0.01
});

test('DPO sigmoid, label smoothing and IPO: losses and gradients by hand', () => {
  const pc = [-1, -2], pr = [-3, -2], ref = t([-2, -2]);
  const loss = (o: Parameters<typeof dpoLoss>[4]) => value(dpoLoss(t(pc), t(pr), ref, ref, o));
  const grad = (o: Parameters<typeof dpoLoss>[4]) => tf.grads((c: tf.Tensor, r: tf.Tensor) => dpoLoss(c, r, ref, ref, o))([t(pc), t(pr)]).map((g) => g.dataSync());
  close([loss({ beta: 0.1, lossType: 'sigmoid' })], [0.645643], 'sigmoid');
  const [dc, dr] = grad({ beta: 0.1, lossType: 'sigmoid' });
  close(dc!, [-0.022508, -0.025], 'sigmoid dπ_c');
  close(dr!, [0.022508, 0.025], 'sigmoid dπ_r');
  close([loss({ beta: 0.1, lossType: 'sigmoid', labelSmoothing: 0.1 })], [0.655643], 'label smoothing');
  close([loss({ beta: 0.1, lossType: 'ipo' })], [17], 'ipo');
  close(grad({ beta: 0.1, lossType: 'ipo' })[0]!, [-3, -5], 'ipo dπ_c');
});

test('PairStats: TRL reward metrics over what was added, reset on take', () => {
  const s = new PairStats();
  s.add([1, -1], [0, 0]);
  assert.deepEqual(s.take(), { 'rewards/chosen': 0, 'rewards/rejected': 0, 'rewards/accuracies': 0.5, 'rewards/margins': 0 });
  assert.equal(s.take(), null);
});
