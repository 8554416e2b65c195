/** The adaptive KL controller's update rule (Ziegler et al., TRL classic) on hand values, and the fixed one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveKlController, FixedKlController } from '../../../src/rl/index.js';

test('adaptive KL: β·(1 + clip(KL/target − 1, ±0.2)·n/horizon)', () => {
  const cases: Array<[kl: number, expected: number]> = [
    [12, 0.2 * (1 + 0.2 * 128 / 10000)], // far above target: err clipped to +0.2 → 0.200512
    [6.6, 0.2 * (1 + 0.1 * 128 / 10000)], // 10 % above → 0.200256
    [6, 0.2], // on target: unchanged
    [0, 0.2 * (1 - 0.2 * 128 / 10000)], // far below: err clipped to −0.2 → 0.199488
  ];
  for (const [kl, expected] of cases) {
    const c = new AdaptiveKlController(0.2, 6, 10000);
    c.update(kl, 128);
    assert.ok(Math.abs(c.value - expected) < 1e-12, `KL ${kl}: ${c.value} vs ${expected}`);
  }
  const c = new AdaptiveKlController(0.2, 6, 10000);
  c.update(12, 128);
  c.update(12, 128);
  assert.ok(Math.abs(c.value - 0.2 * 1.00256 ** 2) < 1e-12, 'updates compound');
});

test('fixed KL: β never moves', () => {
  const c = new FixedKlController(0.05);
  c.update();
  assert.equal(c.value, 0.05);
});
