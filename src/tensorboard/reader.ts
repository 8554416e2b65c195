/**
 * @fileoverview Reads TensorBoard event files back: the intact records of each file, decoded.
 * A damaged tail (a process killed mid-write) ends the file's events, as in TensorBoard.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent, type SummaryValue, type TbEvent } from './proto.js';
import { readRecords } from './record.js';

export interface EventFileContents {
  events: TbEvent[];
  /** Why reading stopped early (see readRecords), or null when the whole file was read. */
  damage: string | null;
}

/** The events of one file, up to its first damaged record. */
export function readEventFile(path: string): EventFileContents {
  const scan = readRecords(readFileSync(path));
  const events: TbEvent[] = [];
  for (const [i, r] of scan.records.entries()) {
    try {
      events.push(decodeEvent(r));
    } catch (err) {
      return { events, damage: `record ${i} is not an Event (${(err as Error).message})` };
    }
  }
  return { events, damage: scan.damage };
}

/** Event files in `dir` (names containing `tfevents`, no temp files), in name order as TensorBoard loads them; [] when absent. */
export function eventFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.includes('tfevents') && !n.startsWith('.')).sort().map((n) => join(dir, n));
}

/** The Markdown of a text summary value, or undefined for other values. */
export function textOf(v: SummaryValue): string | undefined {
  const s = v.tensor?.string_val?.[0];
  return v.metadata?.plugin_data?.plugin_name === 'text' && s ? Buffer.from(s).toString('utf8') : undefined;
}
