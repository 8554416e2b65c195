/**
 * @fileoverview The local executor: staging folder → a worker process of the pool → atomic
 * commit to the store. A failed stage leaves no staging behind. `trainyard worker` runs
 * its queue's jobs through the same code, against its own store.
 */
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { checkpointKey } from '../cache/fingerprint.js';
import type { Manifest, Store } from '../cache/store.js';
import type { ResolvedStage } from '../config/types.js';
import { portSpec, type OutputSpec } from '../stages/define.js';
import type { Executor, StageRequest } from './executor.js';
import type { JobEvent, StageJob } from './job.js';
import { StagePool, type PoolOptions } from './process-pool.js';

/** Where a stage runs and with what (the pipeline's settings, or a queued job's). */
export interface LocalSettings {
  /** The stage's working folder (relative paths in its options resolve against it). */
  cwd: string;
  backend: string;
  seed: number;
  /** Plugin modules the worker loads before looking up the stage type. */
  plugins: string[];
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  readonly pool: StagePool;

  constructor(private readonly store: Store, private readonly settings: LocalSettings, opts: PoolOptions = {}) {
    this.pool = new StagePool(opts);
  }

  async run(req: StageRequest, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
    return runLocally(this.store, this.pool, this.settings, req, onEvent, signal);
  }

  async close(): Promise<void> {
    this.pool.close();
  }
}

/** Runs one stage in `pool` and commits it to `store` under the request's key. */
export async function runLocally(store: Store, pool: StagePool, settings: LocalSettings, req: StageRequest, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<Manifest> {
  const def = req.stage.def;
  const staging = await store.stagingDir(req.name);
  const { job, kinds } = await stageJob(store, settings, req, staging);
  const metrics: Record<string, number> = {};
  const stats: Record<string, number | string> = {};
  const collect = (e: JobEvent) => {
    if (e.type === 'metric') metrics[e.name] = e.value;
    else if (e.type === 'stats') Object.assign(stats, e.values);
    onEvent(e);
  };
  const t = Date.now();
  try {
    await pool.run(job, collect, signal);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await rm(job.tmpDir, { recursive: true, force: true });
  if (!def.checkpoints) await rm(job.checkpointDir, { recursive: true, force: true });
  return store.commit(staging, { key: req.key, stage: req.name, details: req.details, kinds, metrics, stats, backend: settings.backend, durationMs: Date.now() - t });
}

/** The job a worker process runs, with its output folders under `staging`. */
async function stageJob(store: Store, settings: LocalSettings, req: StageRequest, staging: string): Promise<{ job: StageJob; kinds: Record<string, OutputSpec['kind']> }> {
  const stage: ResolvedStage = req.stage;
  const outputs: StageJob['outputs'] = {};
  const kinds: Record<string, OutputSpec['kind']> = {};
  for (const [port, spec] of Object.entries(stage.def.outputs)) {
    const kind = portSpec<OutputSpec>(spec).kind;
    outputs[port] = { kind, dir: join(staging, 'outputs', port) };
    kinds[port] = kind;
  }
  const ckpt = stage.def.checkpoints ? store.checkpointDir(checkpointKey(req.details, stage.def.checkpointKeyIgnores)) : join(staging, 'checkpoint');
  // --force means recompute: a training stage starts over instead of resuming its checkpoints.
  if (req.force && stage.def.checkpoints) await rm(ckpt, { recursive: true, force: true });
  const job: StageJob = {
    name: req.name, type: stage.type, options: stage.options, inputs: req.inputs, outputs, checkpointDir: ckpt, tmpDir: join(staging, 'tmp'),
    cwd: settings.cwd, backend: settings.backend, precision: req.details.precision ?? 'fp32', seed: settings.seed, threads: req.threads, plugins: settings.plugins,
  };
  return { job, kinds };
}
