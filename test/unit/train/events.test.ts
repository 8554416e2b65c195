/**
 * The training-stage event log (src/train/events.ts) across sessions: a resume drops what was
 * logged after the checkpoint it resumes from and logs those steps again once; a repeat of
 * the last step (a resume with no step left) is not logged twice; a tail cut by kill -9 is
 * repaired; off, nothing is written and the context is the stage's own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventFilesIn, readEventFile, textOf, type TbEvent } from '../../../src/tensorboard/index.js';
import { OPTIONS_TAG, optionsTable, trainingEvents } from '../../../src/train/events.js';
import { tempDir } from '../../helpers/stage-tester.js';
import { HAS_PYTHON, pyReadEvents, scalarsByTag } from '../../helpers/tfevents.js';

function host(checkpointDir: string) {
  const logs: string[] = [];
  const metrics: Array<[string, number, number | undefined]> = [];
  return {
    logs, metrics, checkpointDir,
    log: { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(`warn: ${m}`) },
    metric: (n: string, v: number, s?: number) => { metrics.push([n, v, s]); },
  };
}

/** One session: starts at `from`, logs loss (session-tagged values) for steps from+1..to, val_loss every 2. */
function session(dir: string, from: number, to: number, tag: number, opts: object = {}) {
  const h = host(dir);
  const ev = trainingEvents(h, { tensorboard: true, ...opts });
  ev.context.metric('base_val_loss', 9); // no step: metrics.json only
  ev.start(from);
  for (let s = from + 1; s <= to; s++) {
    ev.context.metric('loss', tag + s / 100, s);
    if (s % 2 === 0) ev.context.metric('val_loss', tag + s / 100, s);
  }
  return { h, ev };
}

const all = (dir: string): TbEvent[] => eventFilesIn(join(dir, 'tensorboard')).flatMap((f) => readEventFile(f).events);
function scalars(dir: string, tag: string): Array<[number, number]> {
  return all(dir).flatMap((e) => (e.summary?.value ?? []).filter((v) => v.tag === tag && v.simple_value !== undefined).map((v) => [e.step, v.simple_value!] as [number, number]));
}

test('events: a resume drops the steps logged after its checkpoint and logs them again, each step once', async () => {
  const dir = await tempDir();
  const first = session(dir, 0, 7, 1); // crashed after step 7, last checkpoint at step 4
  first.ev.close();
  assert.deepEqual(first.h.metrics.slice(0, 2), [['base_val_loss', 9, undefined], ['loss', 1.01, 1]], 'the stage still gets every metric');
  const second = session(dir, 4, 9, 2);
  second.ev.close();
  assert.ok(second.h.logs.some((l) => /resuming at step 4: dropped 4 event\(s\) logged after it/.test(l)), second.h.logs.join('\n'));
  const f = Math.fround;
  assert.deepEqual(scalars(dir, 'loss'), [1, 2, 3, 4].map((s) => [s, f(1 + s / 100)]).concat([5, 6, 7, 8, 9].map((s) => [s, f(2 + s / 100)])));
  assert.deepEqual(scalars(dir, 'val_loss').map(([s]) => s), [2, 4, 6, 8]);
  assert.deepEqual(scalars(dir, 'base_val_loss'), [], 'metrics without a step stay out');
  const options = all(dir).filter((e) => e.summary?.value[0]?.tag === OPTIONS_TAG);
  assert.deepEqual(options.map((e) => e.step), [0, 4], 'each session logs its options at the step it starts from');
  assert.equal(textOf(options[0]!.summary!.value[0]!), optionsTable({ tensorboard: true }));
  assert.equal(eventFilesIn(join(dir, 'tensorboard')).length, 2, 'one file per session');
  if (HAS_PYTHON) {
    const py = pyReadEvents(eventFilesIn(join(dir, 'tensorboard')));
    assert.equal(py.error, undefined);
    assert.equal(scalarsByTag(py.events).get('loss')!.size, 9); // throws on a repeated step
  }
});

test('events: a resume with no step left repeats the last step\'s metrics, logged once', async () => {
  const dir = await tempDir();
  session(dir, 0, 4, 1).ev.close();
  const h = host(dir);
  const ev = trainingEvents(h, { tensorboard: true });
  ev.start(4);
  ev.context.metric('loss', 1.04, 4); // trainLoop re-reports the restored last step
  ev.close();
  assert.deepEqual(scalars(dir, 'loss').map(([s]) => s), [1, 2, 3, 4]);
  assert.equal(h.metrics.length, 1, 'the run record still gets it');
});

test('events: a tail cut by kill -9 is repaired on resume; a log switched on mid-run says where it starts', async () => {
  const dir = await tempDir();
  const first = session(dir, 0, 3, 1);
  first.ev.close();
  const [file] = eventFilesIn(join(dir, 'tensorboard'));
  const bytes = readFileSync(file!);
  writeFileSync(file!, bytes.subarray(0, bytes.length - 5));
  const second = session(dir, 2, 4, 2);
  second.ev.close();
  assert.equal(readEventFile(file!).damage, null);
  assert.ok(second.h.logs.some((l) => /partial record/.test(l)));
  assert.deepEqual(scalars(dir, 'loss').map(([s]) => s), [1, 2, 3, 4]);

  const late = await tempDir();
  const h = host(late);
  trainingEvents(h, { tensorboard: true }).start(500);
  assert.ok(h.logs.some((l) => /^warn: tensorboard: the event log starts at step 500/.test(l)), h.logs.join('\n'));
});

test('events: off, the stage context is its own and nothing is written', async () => {
  const dir = await tempDir();
  for (const o of [{}, { tensorboard: false }]) {
    const h = host(dir);
    const ev = trainingEvents(h, o);
    assert.equal(ev.context, h);
    ev.start(0);
    ev.context.metric('loss', 1, 1);
    await ev.exportTo(join(dir, 'out'));
    ev.close();
  }
  assert.equal(existsSync(join(dir, 'tensorboard')), false);
  assert.equal(existsSync(join(dir, 'out')), false);
});

test('events: exportTo copies every session\'s file into <output>/tensorboard', async () => {
  const dir = await tempDir();
  session(dir, 0, 2, 1).ev.close();
  const { ev } = session(dir, 2, 4, 2);
  mkdirSync(join(dir, 'model'));
  appendFileSync(join(dir, 'tensorboard', '.x.tmp'), 'partial');
  await ev.exportTo(join(dir, 'model'));
  const out = eventFilesIn(join(dir, 'model', 'tensorboard'));
  assert.equal(out.length, 2);
  assert.equal(existsSync(join(dir, 'model', 'tensorboard', '.x.tmp')), false);
});
