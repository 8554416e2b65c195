/**
 * @fileoverview The sweep state file, `.trainyard/sweeps/<name>/state.json`: the spec it was
 * started with and every trial (params, status, intermediate values, objective). Each change
 * is written atomically (temp file + rename), one write at a time in order, so Ctrl-C or
 * kill -9 leaves the last complete state, and `trainyard sweep` resumes from it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { hashJson } from '../util/hash.js';
import type { SweepSpec, Trial } from './types.js';

export interface SweepState {
  version: 1;
  name: string;
  /** Absolute pipeline path. */
  pipeline: string;
  /** Hash of the spec and the --set overrides: a changed sweep does not resume an old state. */
  specHash: string;
  spec: SweepSpec;
  trials: Trial[];
  /** Sum of the wall time of the sweep's sessions (a resumed sweep adds to it). */
  wallMs: number;
}

/** The folder of a sweep's state. */
export const sweepDir = (storeRoot: string, name: string): string => join(storeRoot, 'sweeps', name);

/** The hash that decides whether a state belongs to this sweep. */
export function specHash(spec: SweepSpec, sets: readonly string[]): string {
  return hashJson({ spec, sets: [...sets] });
}

/** Reads the state in `dir`; null when there is none. A corrupt file is E_SWEEP (never silently reset). */
export async function readState(dir: string): Promise<SweepState | null> {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as SweepState;
    if (s.version !== 1 || !Array.isArray(s.trials)) throw new Error('unknown layout');
    return s;
  } catch (err) {
    throw errors.sweepStateCorrupt({ file, reason: (err as Error).message }, { cause: err });
  }
}

/** Removes a sweep's state (--fresh). Results in the store stay (and are cache hits). */
export async function removeState(dir: string): Promise<void> {
  await rm(join(dir, 'state.json'), { force: true });
}

/** Serialised atomic writes of one state. */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly dir: string, readonly state: SweepState) {}

  /** Queues a write of the current state; resolves once it (and those before it) are on disk. */
  save(): Promise<void> {
    const text = JSON.stringify(this.state, null, 2);
    this.chain = this.chain.then(async () => {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(join(this.dir, 'state.json'), text);
    });
    return this.chain;
  }
}
