/**
 * TensorBoard event files: what EventFileWriter writes is read back by an independent Python
 * reader (its own CRC32C and protobuf decoding) and by ours; a flipped byte or a cut tail is
 * caught by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EventFileWriter, eventFilesIn, maskedCrc32c, readEventFile, textOf } from '../../../src/tensorboard/index.js';
import { tempDir } from '../../helpers/stage-tester.js';
import { HAS_PYTHON, NO_PYTHON, pyReadEvents, scalarsByTag } from '../../helpers/tfevents.js';

const f32 = Math.fround;

async function sample(): Promise<string> {
  const dir = await tempDir();
  const w = new EventFileWriter(dir);
  w.text('options', '| option | value |\n|---|---|\n| lr | 0.001 |', 0);
  for (let step = 1; step <= 3; step++) {
    w.scalar('loss', 4 / step, step);
    w.scalar('rewards/accuracies', 0.1 * step, step);
  }
  w.scalar('big_step', -1.5, 2 ** 40);
  w.close();
  return w.path;
}

test('masked CRC32C: the CRC32C check value and TensorFlow\'s mask', () => {
  // CRC32C("123456789") = 0xe3069283; mask = ((c >>> 15) | (c << 17)) + 0xa282ead8 mod 2^32
  const c = 0xe3069283;
  assert.equal(maskedCrc32c(Buffer.from('123456789')), ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
});

test('event file: the name TensorBoard looks for, a file_version first, scalars and text read back', async () => {
  const path = await sample();
  assert.match(basename(path), /^events\.out\.tfevents\.\d{10}\.[^.]+\.\d+\.\d+$/);
  const { events, damage } = readEventFile(path);
  assert.equal(damage, null);
  assert.equal(events[0]!.file_version, 'brain.Event:2');
  const loss = events.filter((e) => e.summary?.value[0]?.tag === 'loss').map((e) => [e.step, e.summary!.value[0]!.simple_value]);
  assert.deepEqual(loss, [[1, f32(4)], [2, f32(2)], [3, f32(4 / 3)]]);
  assert.equal(textOf(events[1]!.summary!.value[0]!), '| option | value |\n|---|---|\n| lr | 0.001 |');
  assert.equal(events.at(-1)!.step, 2 ** 40, 'int64 steps past 2^32');
  assert.deepEqual(eventFilesIn(dirname(path)), [path]);
});

test('event file: an independent Python reader verifies every checksum and decodes the same events', { skip: HAS_PYTHON ? false : NO_PYTHON }, async () => {
  const path = await sample();
  const { events, error } = pyReadEvents([path]);
  assert.equal(error, undefined);
  assert.equal(events.length, 9);
  assert.equal(events[0]!.file_version, 'brain.Event:2');
  assert.ok(events.every((e) => Math.abs(e.wall_time - Date.now() / 1000) < 60), 'wall_time is seconds since the epoch');
  const text = events[1]!.values![0]!;
  assert.deepEqual({ ...text }, { tag: 'options', plugin: 'text', data_class: 2, dtype: 7, text: '| option | value |\n|---|---|\n| lr | 0.001 |' });
  const s = scalarsByTag(events);
  assert.deepEqual([...s.get('loss')!], [[1, f32(4)], [2, f32(2)], [3, f32(4 / 3)]]);
  assert.deepEqual([...s.get('rewards/accuracies')!], [[1, f32(0.1)], [2, f32(0.2)], [3, f32(0.1 * 3)]]);
  assert.deepEqual([...s.get('big_step')!], [[2 ** 40, -1.5]]);
});

test('event file: a flipped byte and a cut tail are caught by both readers; ours keeps the intact prefix', async () => {
  const path = await sample();
  const bytes = readFileSync(path);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 10] = flipped[bytes.length - 10]! ^ 0x01; // inside the last record's data
  writeFileSync(path, flipped);
  const ours = readEventFile(path);
  assert.match(ours.damage ?? '', /bad data checksum/);
  assert.equal(ours.events.length, 8);
  if (HAS_PYTHON) assert.match(pyReadEvents([path]).error ?? '', /bad data crc/);
  writeFileSync(path, bytes.subarray(0, bytes.length - 3));
  assert.match(readEventFile(path).damage ?? '', /partial record/);
  if (HAS_PYTHON) assert.match(pyReadEvents([path]).error ?? '', /partial record/);
});
