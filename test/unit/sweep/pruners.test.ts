/**
 * Pruner decisions on synthetic learning curves, and the sweep driver on a fake executor:
 * pruned trials stop early, the state file survives an interruption and the sweep resumes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decidePrune, medianOf, rungValues, rungs } from '../../../src/sweep/pruners.js';
import { driveSweep, type TrialExecutor } from '../../../src/sweep/driver.js';
import { StateWriter, readState, type SweepState } from '../../../src/sweep/state.js';
import type { PruneSpec, SweepSpec, Trial } from '../../../src/sweep/types.js';
import { tempDir } from '../../helpers/stage-tester.js';

const median: PruneSpec & { min_steps: number } = { method: 'median', metric: 'val_loss', direction: 'minimize', startup_trials: 2, warmup_steps: 10, min_steps: 10, reduction_factor: 3 };
const asha = { ...median, method: 'asha' as const };

/** A trial with curve values at the given steps. */
function curve(number: number, points: Record<number, number>, status: Trial['status'] = 'complete'): Trial {
  return { number, params: {}, status, intermediate: Object.fromEntries(Object.entries(points).map(([k, v]) => [k, v])), runIds: [], durationMs: 0 };
}

test('median rule: prune when the best value so far is worse than the completed trials\' median at the step', () => {
  const done = [curve(0, { 10: 3, 20: 2.0 }), curve(1, { 10: 3, 20: 2.2 }), curve(2, { 10: 3, 20: 2.4 })];
  assert.equal(medianOf([2.0, 2.2, 2.4]), 2.2);
  assert.equal(medianOf([1, 2, 3, 4]), 2.5);
  assert.equal(decidePrune(median, curve(9, { 10: 3, 20: 2.5 }, 'running'), 20, done, 100).prune, true);
  assert.equal(decidePrune(median, curve(9, { 10: 3, 20: 2.1 }, 'running'), 20, done, 100).prune, false);
  // Its best so far counts, not only the latest value.
  assert.equal(decidePrune(median, curve(9, { 10: 2.1, 20: 2.5 }, 'running'), 20, done, 100).prune, false);
  // Before the warmup, with fewer completed trials than startup_trials, or at a step no one reported: keep.
  assert.equal(decidePrune(median, curve(9, { 5: 9 }, 'running'), 5, done, 100).prune, false);
  assert.equal(decidePrune(median, curve(9, { 20: 9 }, 'running'), 20, done.slice(0, 1), 100).prune, false);
  assert.equal(decidePrune(median, curve(9, { 30: 9 }, 'running'), 30, done, 100).prune, false);
  // Pruned and running trials are not the yardstick.
  assert.equal(decidePrune(median, curve(9, { 20: 9 }, 'running'), 20, done.map((t) => ({ ...t, status: 'pruned' as const })), 100).prune, false);
  // Maximize flips it.
  assert.equal(decidePrune({ ...median, direction: 'maximize' }, curve(9, { 20: 2.5 }, 'running'), 20, done, 100).prune, false);
});

test('ASHA rungs and the values trials bring to them (the first report at or past a rung)', () => {
  assert.deepEqual(rungs(10, 3, 100), [10, 30, 90]);
  assert.deepEqual(rungs(10, 3, 90), [10, 30]);
  assert.deepEqual([...rungValues(curve(0, { 12: 5, 24: 4, 36: 3, 48: 2 }), [10, 30])], [[10, 5], [30, 3]]);
  assert.deepEqual([...rungValues(curve(0, { 40: 5 }), [10, 30])], [[30, 5]]);
});

test('ASHA: at a rung, only the top 1/rf of the values recorded there go on', () => {
  const others = [1.0, 1.1, 1.2, 1.3, 1.4].map((v, i) => curve(i, { 10: v }, 'pruned'));
  // 6 values at rung 10 with rf 3: the best 2 go on (cutoff 1.1).
  assert.equal(decidePrune(asha, curve(9, { 10: 1.05 }, 'running'), 10, others, 90).prune, false);
  assert.equal(decidePrune(asha, curve(9, { 10: 1.15 }, 'running'), 10, others, 90).prune, true);
  assert.match(decidePrune(asha, curve(9, { 10: 1.15 }, 'running'), 10, others, 90).reason, /top 2 of 6/);
  // Between rungs no decision is due.
  assert.equal(decidePrune(asha, curve(9, { 10: 1.05, 20: 9 }, 'running'), 20, others, 90).prune, false);
  // Fewer values than rf: only the best goes on.
  assert.equal(decidePrune(asha, curve(9, { 10: 1.05 }, 'running'), 10, others.slice(0, 1), 90).prune, true);
  assert.equal(decidePrune(asha, curve(9, { 10: 0.9 }, 'running'), 10, others.slice(0, 1), 90).prune, false);
  assert.equal(decidePrune({ ...asha, method: 'none' }, curve(9, { 10: 99 }, 'running'), 10, others, 90).prune, false);
});

const spec: SweepSpec = {
  method: 'random', trials: 9, objective: { metric: 'train.val_loss', direction: 'minimize' },
  parameters: { x: { type: 'float', low: 0, high: 1, log: false, points: 3 } },
  prune: { ...asha, stage: 'train' },
};

/** A fake training run: loss(step) = x + 10/step, reported every 10 steps up to 90; stops when told. */
function fakeTraining(stopAfter?: { trials: number; abort: AbortController }): { execute: TrialExecutor; stepsRun: () => number } {
  let steps = 0, started = 0;
  const execute: TrialExecutor = async (t, hooks) => {
    started += 1;
    hooks.runId(`run-${t.number}-${started}`);
    const x = t.params.x as number;
    const from = Math.max(0, ...Object.keys(t.intermediate).map(Number)); // resume where it was
    for (let s = from + 10; s <= 90; s += 10) {
      steps += 10;
      await new Promise((r) => setImmediate(r));
      if (stopAfter && started > stopAfter.trials) { stopAfter.abort.abort(); return { status: 'cancelled' }; }
      if (hooks.report(s, x + 10 / s)) return { status: 'pruned' };
    }
    return { status: 'complete', value: x + 10 / 90 };
  };
  return { execute, stepsRun: () => steps };
}

function newState(): SweepState {
  return { version: 1, name: 's', pipeline: '/p.yaml', specHash: 'h', spec, trials: [], wallMs: 0 };
}

test('driver: ASHA prunes trials early, so far fewer steps run than without pruning', async () => {
  const dir = await tempDir();
  const pruned = fakeTraining();
  await driveSweep({ writer: new StateWriter(dir, newState()), execute: pruned.execute, jobs: 2, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  const s = (await readState(dir))!;
  assert.equal(s.trials.length, 9);
  const n = s.trials.filter((t) => t.status === 'pruned').length;
  assert.ok(n >= 3, `${n} of 9 pruned`);
  assert.ok(s.trials.every((t) => t.status === 'pruned' ? t.pruned!.step < 90 : t.value !== undefined));
  const full = fakeTraining();
  await driveSweep({ writer: new StateWriter(dir, { ...newState(), spec: { ...spec, prune: undefined } }), execute: full.execute, jobs: 2, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  assert.equal(full.stepsRun(), 9 * 90);
  assert.ok(pruned.stepsRun() < 0.75 * full.stepsRun(), `${pruned.stepsRun()} vs ${full.stepsRun()} steps`);
  // The best complete trial is the one with the smallest x among those that finished.
  const best = s.trials.filter((t) => t.status === 'complete').sort((a, b) => a.value! - b.value!)[0]!;
  assert.ok(s.trials.filter((t) => t.status === 'complete').every((t) => (t.params.x as number) >= (best.params.x as number)));
});

test('driver: an interrupted sweep resumes its running trials, then samples the rest with the same seeds', async () => {
  const dir = await tempDir();
  const abort = new AbortController();
  const first = fakeTraining({ trials: 3, abort });
  await driveSweep({ writer: new StateWriter(dir, newState()), execute: first.execute, jobs: 2, signal: abort.signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  const mid = (await readState(dir))!;
  const running = mid.trials.filter((t) => t.status === 'running').map((t) => t.number);
  assert.ok(running.length >= 1 && mid.trials.length < 9, JSON.stringify(mid.trials.map((t) => t.status)));
  const second = fakeTraining();
  await driveSweep({ writer: new StateWriter(dir, mid), execute: second.execute, jobs: 2, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  const end = (await readState(dir))!;
  assert.equal(end.trials.length, 9);
  assert.ok(end.trials.every((t) => t.status !== 'running'));
  for (const n of running) assert.ok(end.trials[n]!.runIds.length >= 2, 'a resumed trial has a run of each session');
  // Random draws depend on the trial number and seed only: the same params as an uninterrupted sweep.
  const ref = await tempDir();
  await driveSweep({ writer: new StateWriter(ref, newState()), execute: fakeTraining().execute, jobs: 2, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  assert.deepEqual(end.trials.map((t) => t.params), (await readState(ref))!.trials.map((t) => t.params));
  assert.ok(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).trials.length === 9);
});

test('driver: --promote trains a pruned trial on to the end without pruning', async () => {
  const dir = await tempDir();
  await driveSweep({ writer: new StateWriter(dir, newState()), execute: fakeTraining().execute, jobs: 1, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1 });
  const s = (await readState(dir))!;
  const victim = s.trials.find((t) => t.status === 'pruned')!;
  const again = fakeTraining();
  await driveSweep({ writer: new StateWriter(dir, s), execute: again.execute, jobs: 1, signal: new AbortController().signal, maxSteps: 90, defaultMinSteps: 10, seed: 1, promote: victim.number });
  const after = (await readState(dir))!;
  assert.equal(after.trials.length, 9);
  assert.equal(after.trials[victim.number]!.status, 'complete');
  assert.ok(again.stepsRun() < 90, 'it continued from where it stopped');
});
