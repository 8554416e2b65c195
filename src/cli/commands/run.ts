/**
 * @fileoverview `trainyard run [stages…]`: plan, then run (or --dry-run: explain).
 */
import { availableParallelism } from 'node:os';
import { planSelection } from '../../graph/plan.js';
import { CompositeLifecycle, type RunLifecycle } from '../../runner/lifecycle.js';
import { JsonRenderer, PlainRenderer } from '../../ui/line-renderers.js';
import { localExecutor, newRunId, runPlan } from '../../runner/run.js';
import type { Executor } from '../../runner/executor.js';
import type { EngineState } from '../../runner/staleness.js';
import { RunRecorder } from '../../report/run-record.js';
import { gitInfo, trainyardVersion } from '../../report/provenance.js';
import { shouldUseInkUi, startInkUi, type InkUi } from '../../ui/index.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';
import { errors } from '../../errors/index.js';
import { printStatus } from './status.js';

export interface RunCliOptions extends CommonOptions {
  from?: string; until?: string; only?: boolean; force?: boolean; dryRun?: boolean;
  jobs?: string; keepGoing?: boolean; json?: boolean; plain?: boolean; verbose?: boolean;
  /** `local`, `redis://host:port` or `slurm[:partition]`. */
  executor?: string;
}

export async function runCommand(targets: string[], o: RunCliOptions): Promise<number> {
  if (o.jobs !== undefined && !(Number.isInteger(Number(o.jobs)) && Number(o.jobs) >= 1)) {
    throw errors.jobs({ value: o.jobs });
  }
  const state = await loadEngine(o);
  const plan = planSelection(state.compiled, { targets, from: o.from, until: o.until, only: o.only });
  if (o.dryRun) return printStatus(state, plan.stages, { force: o.force, json: o.json });
  const executor = await openExecutor(state, o.executor);
  const runId = newRunId();
  const pipeline = state.compiled.pipeline;
  const params = Object.fromEntries([...pipeline.stages.values()].map((s) => [s.name, s.options]));
  const controller = new AbortController();
  let interrupts = 0;
  let ui: InkUi | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts === 1) {
      if (!ui) process.stderr.write(`\n${sig}: stopping — running stages get a moment to checkpoint (press Ctrl-C again to kill)\n`);
      controller.abort();
    } else process.exit(EXIT.CANCELLED);
  };
  // The ink UI on an interactive terminal (q / Ctrl-C cancel like SIGINT); plain lines or JSON otherwise.
  ui = shouldUseInkUi(o) ? await startInkUi({ onCancel: () => onSignal('SIGINT'), verbose: o.verbose }) : undefined;
  const parts: RunLifecycle[] = [
    ui ? ui.lifecycle : o.json ? new JsonRenderer() : new PlainRenderer(process.stdout, { verbose: o.verbose }),
    new RunRecorder(state.store.runsDir(), runId, { pipeline: pipeline.file, params, backend: pipeline.backend, git: await gitInfo(pipeline.dir), version: trainyardVersion() }),
  ];
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const jobs = o.jobs === undefined ? availableParallelism() : Number(o.jobs);
    const summary = await runPlan(state, {
      plan, lifecycle: new CompositeLifecycle(parts), jobs, force: o.force, keepGoing: o.keepGoing, signal: controller.signal, runId, executor,
    });
    if (controller.signal.aborted) return EXIT.CANCELLED;
    return summary.ok ? EXIT.OK : EXIT.STAGE_FAILED;
  } finally {
    await ui?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `--executor`: undefined (local worker processes), a queue of remote workers, or Slurm jobs. */
async function openExecutor(state: EngineState, url: string | undefined): Promise<Executor | undefined> {
  if (url === undefined || url === 'local') return undefined;
  if (url === 'slurm' || url.startsWith('slurm:')) {
    const { SlurmExecutor, slurmOptionsFromEnv } = await import('../../runner/slurm/slurm-executor.js');
    return SlurmExecutor.open(url, { store: state.store, pipeline: state.compiled.pipeline, remote: state.remote, local: localExecutor(state), ...slurmOptionsFromEnv() });
  }
  const { RedisExecutor } = await import('../../runner/queue/redis-executor.js');
  const { retryPolicyFromEnv } = await import('../../runner/queue/retry.js');
  return RedisExecutor.open(url, { store: state.store, pipeline: state.compiled.pipeline, remote: state.remote, local: localExecutor(state), retry: retryPolicyFromEnv() });
}
