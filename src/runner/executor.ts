/**
 * @fileoverview Executors: what turns one ready stage into a committed store entry. The
 * runner (./execute.ts) owns the DAG, the cache keys, the key locks and the store; an
 * executor only runs one stage whose key is known and its inputs are in the local store,
 * and resolves with the entry's manifest (Bazel's remote-execution split).
 *
 *   local   (./local-executor.ts)          a pool of worker processes on this machine
 *   redis   (./queue/redis-executor.ts)    BullMQ jobs pulled by `trainyard worker`s
 *   slurm   (./slurm/slurm-executor.ts)    one sbatch job per stage, running `trainyard worker --once`
 *
 * A stage is handed over as plain data (StageRequest); events (logs, progress, metrics)
 * come back through `onEvent`, whichever machine ran it.
 */
import type { ArtifactRef } from '../artifacts/kinds.js';
import type { KeyDetails } from '../cache/fingerprint.js';
import type { Manifest } from '../cache/store.js';
import type { ResolvedStage } from '../config/types.js';
import type { JobEvent } from './job.js';

/** One stage ready to run: its key is known and its inputs are in the local store. */
export interface StageRequest {
  name: string;
  stage: ResolvedStage;
  key: string;
  details: KeyDetails;
  /** Input port → the artifacts it reads (in the local store). */
  inputs: Record<string, ArtifactRef[]>;
  /** Input port → the store entries those artifacts live in (`key`, output `port`), same order as `inputs`. */
  entries: Record<string, Array<{ key: string; port: string }>>;
  /** Threads the stage may use. */
  threads: number;
  /** Recompute: a checkpointing stage starts over instead of resuming. */
  force: boolean;
  runId: string;
}

export interface Executor {
  /** `local`, `redis://host:6379`, for messages. */
  readonly name: string;
  /**
   * Runs the stage and resolves with its committed manifest in the local store; rejects
   * with a TrainyardError (E_ABORTED once `signal` aborts).
   */
  run(req: StageRequest, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest>;
  /** Releases workers and connections. */
  close(): Promise<void>;
}
