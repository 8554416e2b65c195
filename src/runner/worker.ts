/**
 * @fileoverview Entry of a stage worker process. The runner forks a few of these and sends
 * them StageJobs (plain data) over IPC; a crash or out-of-memory here fails one stage and
 * never takes the runner down. Ctrl-C reaches the whole process group, so the worker
 * ignores SIGINT and waits for the runner's `abort` message (which gives the stage a grace
 * period to checkpoint).
 */
import { asTrainyardError } from '../errors/index.js';
import { loadPlugin } from '../plugins/load.js';
import { Registry } from '../plugins/registry.js';
import { runStageJob } from './context.js';
import type { JobEvent, StageJob } from './job.js';

export type ToWorker = { type: 'job'; job: StageJob } | { type: 'abort' };
export type FromWorker = JobEvent | { type: 'ready' } | { type: 'done' } | { type: 'error'; error: Record<string, unknown>; stack?: string };

const send = (m: FromWorker) => process.send?.(m);
const registries = new Map<string, Registry>();
let controller: AbortController | undefined;

async function registryFor(plugins: string[]): Promise<Registry> {
  const id = plugins.join('\n');
  let reg = registries.get(id);
  if (!reg) {
    reg = new Registry();
    for (const p of plugins) {
      const { plugin, meta } = await loadPlugin(p, process.cwd());
      reg.addPlugin(plugin, meta);
    }
    registries.set(id, reg);
  }
  return reg;
}

async function runJob(job: StageJob): Promise<void> {
  controller = new AbortController();
  try {
    const registry = await registryFor(job.plugins);
    const def = await registry.get('stage', job.type).value();
    await runStageJob(def, job, send, controller.signal, registry);
    send({ type: 'done' });
  } catch (err) {
    const e = asTrainyardError(err);
    send({ type: 'error', error: e.toJSON(), stack: err instanceof Error ? err.stack : undefined });
  } finally {
    controller = undefined;
  }
}

process.on('SIGINT', () => { /* the runner decides; see abort */ });
process.on('message', (msg: ToWorker) => {
  if (msg.type === 'job') void runJob(msg.job);
  else if (msg.type === 'abort') controller?.abort();
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
