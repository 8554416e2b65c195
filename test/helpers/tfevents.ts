/**
 * Test helper: read TensorBoard event files with the independent Python reader
 * (test/helpers/read_tfevents.py: its own TFRecord framing, CRC32C and protobuf decoding).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface PyValue { tag: string; simple_value?: number; text?: string; plugin?: string; dtype?: number; data_class?: number }
export interface PyEvent { step: number; wall_time: number; file_version?: string; values?: PyValue[]; file: string; index: number }

export const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
export const NO_PYTHON = 'python3 is not installed: the independent event-file reader cannot run';

/** Events of `files` in order, or the reader's complaint as `error` (a bad checksum, a partial record). */
export function pyReadEvents(files: string[]): { events: PyEvent[]; error?: string } {
  const r = spawnSync('python3', [join(ROOT, 'test/helpers/read_tfevents.py'), ...files], { encoding: 'utf8' });
  if (r.status !== 0) return { events: [], error: (r.stderr || r.stdout).trim() };
  return { events: (JSON.parse(r.stdout) as { events: PyEvent[] }).events };
}

/** (tag → step → value) over every scalar, failing on a repeated (tag, step). */
export function scalarsByTag(events: PyEvent[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const e of events) {
    for (const v of e.values ?? []) {
      if (v.simple_value === undefined) continue;
      const m = out.get(v.tag) ?? new Map<number, number>();
      if (m.has(e.step)) throw new Error(`${v.tag} is logged twice at step ${e.step}`);
      m.set(e.step, v.simple_value);
      out.set(v.tag, m);
    }
  }
  return out;
}
