/**
 * @fileoverview Writes TensorBoard event files: `events.out.tfevents.<secs>.<host>.<pid>.<n>`
 * (PyTorch's SummaryWriter naming, so two writers in one second never collide), a
 * `file_version` event first, then one Event per scalar or text summary. Every event goes to
 * the disk as it is added (synchronous writes of a few dozen bytes), so TensorBoard follows a
 * run live and a killed process loses at most a partial last record, which readers skip.
 *
 *   const w = new EventFileWriter(dir);
 *   w.scalar('loss', 2.31, 1);
 *   w.text('hyperparameters', '| lr | 0.001 |', 0);
 *   w.close();
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DATA_CLASS_TENSOR, DT_STRING, FILE_VERSION, encodeEvent, type SummaryValue, type TbEvent } from './proto.js';
import { frameRecord } from './record.js';

let opened = 0;

const now = (): number => Date.now() / 1000;

/** A fresh event file name (TensorBoard reads every file whose name contains `tfevents`). */
export function eventFileName(time = now()): string {
  return `events.out.tfevents.${Math.floor(time)}.${hostname()}.${process.pid}.${opened++}`;
}

/** The Summary.Value of a text summary (TensorBoard's text plugin: a scalar DT_STRING tensor, Markdown). */
export function textValue(tag: string, markdown: string): SummaryValue {
  return {
    tag,
    metadata: { plugin_data: { plugin_name: 'text' }, data_class: DATA_CLASS_TENSOR },
    tensor: { dtype: DT_STRING, tensor_shape: {}, string_val: [Buffer.from(markdown, 'utf8')] },
  };
}

export class EventFileWriter {
  /** Absolute path of the file being written. */
  readonly path: string;
  private fd: number | null;

  /** Creates a new event file in `dir` (made if missing) and writes its file_version event. */
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, eventFileName());
    this.fd = openSync(this.path, 'wx');
    this.write({ wall_time: now(), step: 0, file_version: FILE_VERSION });
  }

  /** A scalar (TensorBoard's Scalars tab); stored as float32, as TensorFlow's simple_value is. */
  scalar(tag: string, value: number, step: number, wallTime = now()): void {
    this.write({ wall_time: wallTime, step, summary: { value: [{ tag, simple_value: value }] } });
  }

  /** Markdown text (TensorBoard's Text tab). */
  text(tag: string, markdown: string, step: number, wallTime = now()): void {
    this.write({ wall_time: wallTime, step, summary: { value: [textValue(tag, markdown)] } });
  }

  write(e: TbEvent): void {
    if (this.fd === null) throw new Error(`event file ${this.path} is closed`);
    writeSync(this.fd, frameRecord(encodeEvent(e)));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Replaces the file at `path` with exactly `events` (temp file + rename: a crash leaves the old or the new one). */
export function rewriteEventFile(path: string, events: TbEvent[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, Buffer.concat(events.map((e) => frameRecord(encodeEvent(e)))));
  renameSync(tmp, path);
}
