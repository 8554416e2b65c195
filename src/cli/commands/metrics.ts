/**
 * @fileoverview `trainyard metrics [-f pipeline] [--run ID] [--json]`: the final metrics of
 * each stage in the latest (or a given) run of the pipeline, with `± stderr` where reported.
 */
import { resolve } from 'node:path';
import { Store } from '../../cache/store.js';
import { formatMetricsTable, resolveRun, runMetrics } from '../../report/history.js';
import { pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function metricsCommand(o: CommonOptions & { run?: string; json?: boolean }): Promise<number> {
  const file = pipelinePath(o.file);
  const store = new Store(storeRoot(file, o.store));
  const run = await resolveRun(store.runsDir(), o.run ?? 'latest', resolve(file));
  const metrics = await runMetrics(run, store);
  if (o.json) {
    process.stdout.write(JSON.stringify({ runId: run.runId, metrics }, null, 2) + '\n');
    return EXIT.OK;
  }
  process.stdout.write(`run ${run.runId}${run.ok ? '' : ' (failed)'}\n`);
  process.stdout.write(Object.keys(metrics).length ? formatMetricsTable(metrics) + '\n' : 'no metrics recorded\n');
  return EXIT.OK;
}
