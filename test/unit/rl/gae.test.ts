/**
 * GAE against hand numbers on a 3-step episode and against TRL's loop (padded rows, values and
 * rewards zeroed past each row's end) on a fixed random trajectory; whitening with and
 * without the mean shift; shaped rewards put the score at the last real token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gae, responseMask, shapedRewards, tokenKl, whiten } from '../../../src/rl/index.js';
import { Rng } from '../../../src/util/random.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

test('GAE on a 3-step episode matches hand-computed advantages and returns (γ 1, λ 0.5)', () => {
  // δ2 = 2 − 1.5 = 0.5; δ1 = 0 + 1.5 − 1 = 0.5; δ0 = 1 + 1 − 0.5 = 1.5
  // A2 = 0.5; A1 = 0.5 + 0.5·0.5 = 0.75; A0 = 1.5 + 0.5·0.75 = 1.875
  const { advantages, returns } = gae([1, 0, 2], [0.5, 1, 1.5], [3], 3, 1, 0.5);
  close(advantages, [1.875, 0.75, 0.5]);
  close(returns, [2.375, 1.75, 2]);
});

/** TRL's loop (ppo_trainer.py): full-length rows, padding values and rewards set to 0. */
function referenceGae(rewards: number[][], values: number[][], gamma: number, lam: number): { adv: number[][]; ret: number[][] } {
  const adv = rewards.map((r) => r.map(() => 0));
  for (let b = 0; b < rewards.length; b++) {
    const R = rewards[b]!.length;
    let last = 0;
    for (let t = R - 1; t >= 0; t--) {
      const next = t < R - 1 ? values[b]![t + 1]! : 0;
      const delta = rewards[b]![t]! + gamma * next - values[b]![t]!;
      last = delta + gamma * lam * last;
      adv[b]![t] = last;
    }
  }
  return { adv, ret: adv.map((row, b) => row.map((a, t) => a + values[b]![t]!)) };
}

test('GAE equals the reference loop on a fixed random trajectory with ragged rows (γ 0.99, λ 0.95)', () => {
  const rng = new Rng(7);
  const B = 4, R = 6, lengths = [6, 3, 1, 5];
  const rewards = new Float32Array(B * R), values = new Float32Array(B * R);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]!; t++) { rewards[b * R + t] = rng.normal(); values[b * R + t] = rng.normal(); }
  const rows = (x: Float32Array) => Array.from({ length: B }, (_, b) => Array.from(x.subarray(b * R, (b + 1) * R)));
  const ref = referenceGae(rows(rewards), rows(values), 0.99, 0.95);
  const { advantages, returns } = gae(rewards, values, lengths, R, 0.99, 0.95);
  const mask = responseMask(lengths, R);
  close(advantages, ref.adv.flat().map((a, i) => (mask[i] ? a : 0)));
  close(returns, ref.ret.flat().map((a, i) => (mask[i] ? a : 0)));
});

test('whitening: zero mean and unit (unbiased) variance over real tokens; without the mean shift the mean stays', () => {
  const mask = [1, 1, 1, 0];
  close(whiten([1, 2, 3, 99], mask), [-1, 0, 1, 0], 1e-4);
  close(whiten([1, 2, 3, 99], mask, false), [1, 2, 3, 0], 1e-4);
});

test('shaped rewards: −β·KL per token, the score added at the last real token only; k1 and k3', () => {
  const lengths = [2, 3], R = 3, mask = responseMask(lengths, R);
  const logp = [-1, -2, 0, -1, -1, -1], ref = [-1.5, -1, 0, -1, -2, -0.5];
  const k1 = tokenKl(logp, ref, mask, 'k1');
  close(k1, [0.5, -1, 0, 0, 1, -0.5]);
  const k3 = tokenKl(logp, ref, mask, 'k3'); // (e^{ref−logp} − 1) − (ref − logp)
  close(k3, [Math.exp(-0.5) - 1 + 0.5, Math.exp(1) - 2, 0, 0, Math.exp(-1), Math.exp(0.5) - 1.5]);
  close(shapedRewards([10, 20], k1, lengths, R, 0.1), [-0.05, 0.1 + 10, 0, 0, -0.1, 0.05 + 20]);
});
