/**
 * @fileoverview Builds the StageContext a stage sees from a plain StageJob, and runs a stage
 * on it. Used by the worker process and by tests (test/helpers/stage-tester.ts) alike, so tests
 * exercise the real code path.
 */
import { mkdir } from 'node:fs/promises';
import type { StageContext, StageDefinition, Tensors } from '../stages/define.js';
import { Rng, seedFrom } from '../util/random.js';
import type { JobEvent, StageJob } from './job.js';
import type { RegistryView } from '../plugins/registry.js';

export function createStageContext(job: StageJob, emit: (e: JobEvent) => void, signal: AbortSignal, registry: RegistryView): StageContext {
  const rng = new Rng(seedFrom(`${job.seed}:${job.name}`)).uniform();
  let lastProgress = 0;
  let tensors: Promise<Tensors> | undefined;
  const ctx: StageContext = {
    name: job.name,
    inputs: job.inputs,
    outputs: job.outputs,
    checkpointDir: job.checkpointDir,
    tmpDir: job.tmpDir,
    cwd: job.cwd,
    backend: job.backend,
    precision: job.precision,
    seed: job.seed,
    threads: job.threads,
    signal,
    log: {
      debug: (message) => emit({ type: 'log', level: 'debug', message }),
      info: (message) => emit({ type: 'log', level: 'info', message }),
      warn: (message) => emit({ type: 'log', level: 'warn', message }),
    },
    progress(progress) {
      // Throttle to ~10 events/s, but always pass the final one through.
      const now = Date.now();
      if (now - lastProgress < 100 && progress.done !== progress.total) return;
      lastProgress = now;
      emit({ type: 'progress', progress });
    },
    metric: (name, value, step) => emit({ type: 'metric', name, value, step }),
    stats: (values) => emit({ type: 'stats', values }),
    random: rng,
    registry,
    tensors: () => (tensors ??= loadTensors(ctx)),
  };
  return ctx;
}

/** Sets up the stage's backend. Imported on demand: data stages never load TF.js. */
async function loadTensors(ctx: StageContext): Promise<Tensors> {
  const { setupBackend } = await import('../backends/index.js');
  const { name, tf } = await setupBackend(ctx.backend, ctx.registry, { onNotice: (notice) => ctx.log.info(notice), precision: ctx.precision });
  return { tf, backend: name, precision: ctx.precision };
}

/** Creates the job's folders and runs the stage. */
export async function runStageJob(def: StageDefinition, job: StageJob, emit: (e: JobEvent) => void, signal: AbortSignal, registry: RegistryView): Promise<void> {
  await mkdir(job.checkpointDir, { recursive: true });
  await mkdir(job.tmpDir, { recursive: true });
  for (const out of Object.values(job.outputs)) await mkdir(out.dir, { recursive: true });
  await def.run(createStageContext(job, emit, signal, registry), job.options);
}
