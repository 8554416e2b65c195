/**
 * @fileoverview Batched lock-file writes for one run. The lock file is YAML of every stage,
 * so writing it after each of 1,000 tiny stages would be quadratic: entries collect and are
 * written at most once per interval, and once more at the end. A kill between writes loses no
 * work: the store still has the results (run cache), only the lock file lags.
 */
import { updateLock, type LockEntry } from '../cache/lockfile.js';
import type { Manifest } from '../cache/store.js';

export interface LockWriterOptions {
  /** Least time between two writes. @default 1000 */
  intervalMs?: number;
  /** Merges entries into the lock file. @default updateLock */
  write?: (path: string, entries: Record<string, LockEntry>) => Promise<void>;
}

/** The lock-file entry that records a stage result. */
export function lockEntryOf(m: Manifest): LockEntry {
  return { key: m.key, details: m.details, outputs: Object.fromEntries(Object.entries(m.outputs).map(([p, o]) => [p, o.hash])) };
}

export class LockWriter {
  private batch: Record<string, LockEntry> = {};
  private lastWrite = Date.now();
  private writing: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly write: NonNullable<LockWriterOptions['write']>;

  constructor(private readonly path: string, opts: LockWriterOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.write = opts.write ?? updateLock;
  }

  /** Queues a stage's entry for the next write. */
  set(stage: string, entry: LockEntry): void {
    this.batch[stage] = entry;
  }

  /** Writes the queued entries if the interval has passed; else settles with the write in progress. */
  flushIfDue(): Promise<void> {
    return Date.now() - this.lastWrite < this.intervalMs ? this.writing : this.flush();
  }

  /** Writes the queued entries now (after any write in progress). */
  flush(): Promise<void> {
    this.lastWrite = Date.now();
    this.writing = this.writing.then(async () => {
      const entries = this.batch;
      this.batch = {};
      if (Object.keys(entries).length > 0) await this.write(this.path, entries);
    });
    return this.writing;
  }
}
