/**
 * @fileoverview The preference file as an append-only log: on open, a half-written last line
 * (a crash mid-write) is cut back to the last complete line and reported; the prompts already
 * answered or skipped are read back; every answer is appended and fsynced before the next
 * question, so quitting or crashing loses nothing and a restart resumes where it stopped.
 *
 *   const log = await openPreferenceLog('prefs.jsonl');
 *   if (log.repaired) console.error(log.repaired);
 *   if (!log.done.has(prompt)) await log.append(answerLine(pair, 'left'));
 *   await log.close();
 */
import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors } from '../errors/index.js';
import { promptOf, type PreferenceLine } from './records.js';

/** An open preference file. */
export interface PreferenceLog {
  readonly file: string;
  /** Prompts that already have a line (answered, tied or skipped). */
  readonly done: Set<string>;
  /** Lines already in the file. */
  readonly lines: number;
  /** A notice when a cut-off last line was removed on open, else null. */
  readonly repaired: string | null;
  /** Appends one line and fsyncs it. */
  append(line: PreferenceLine): Promise<void>;
  close(): Promise<void>;
}

/** Reads `file` (missing = empty), repairs a cut-off last line and opens it for appending. */
export async function openPreferenceLog(file: string): Promise<PreferenceLog> {
  await mkdir(dirname(file), { recursive: true });
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; });
  const repaired = await repairTail(file, text);
  const complete = repaired === null ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const done = new Set<string>();
  let lines = 0;
  for (const [i, raw] of complete.split('\n').entries()) {
    if (raw.trim() === '') continue;
    const prompt = parseLine(raw, `${file}:${i + 1}`);
    done.add(prompt);
    lines++;
  }
  const fh = await open(file, 'a');
  return { file, done, lines, repaired, append: (line) => appendLine(fh, done, line), close: () => fh.close() };
}

/** Truncates a last line without its newline; returns the notice, or null when the file ends cleanly. */
async function repairTail(file: string, text: string): Promise<string | null> {
  if (text === '' || text.endsWith('\n')) return null;
  const keep = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
  const cut = Buffer.byteLength(text) - keep;
  await truncate(file, keep);
  return `${file}: the last line was cut off mid-write (${cut} bytes); truncated to the last complete line`;
}

function parseLine(raw: string, where: string): string {
  let line: unknown;
  try { line = JSON.parse(raw); } catch { throw errors.labelLineInvalid({ where, problem: 'not valid JSON' }); }
  const prompt = line && typeof line === 'object' ? promptOf(line as PreferenceLine) : null;
  if (prompt === null) throw errors.labelLineInvalid({ where, problem: 'no "prompt" (or user turn in "chosen")' });
  return prompt;
}

async function appendLine(fh: FileHandle, done: Set<string>, line: PreferenceLine): Promise<void> {
  await fh.write(JSON.stringify(line) + '\n');
  await fh.sync();
  const prompt = promptOf(line);
  if (prompt !== null) done.add(prompt);
}
