/**
 * @fileoverview Run record + store manifests + run histories + sweep state → ReportModel.
 *
 *   const run = await resolveRun(store.runsDir(), 'latest', pipelineFile);
 *   const model = await gatherReport(run, store);
 */
import type { Store } from '../../cache/store.js';
import { listRuns, type RunRecord } from '../history.js';
import { gatherCurves } from './curves.js';
import { gatherEvals } from './evals.js';
import { gatherFunnel } from './funnel.js';
import type { ReportModel } from './model.js';
import { reportStages, runManifests } from './stages.js';
import { findSweep, sweepReport } from './sweep.js';

/** Everything the report shows about `run`. */
export async function gatherReport(run: RunRecord, store: Store): Promise<ReportModel> {
  const manifests = await runManifests(run, store);
  const stages = reportStages(run, manifests);
  const notes = stages.filter((s) => s.key && (s.status === 'done' || s.status === 'cached') && !manifests.has(s.name)).map((s) => `${s.name}: its result is no longer in the store (removed by trainyard gc?), so its data and metrics are missing here.`);
  const order = stages.map((s) => s.name);
  const runs = await listRuns(store.runsDir(), run.pipeline);
  const evals = await gatherEvals(order, manifests, store);
  const sweep = await findSweep(store.root, run);
  return {
    runId: run.runId, pipeline: run.pipeline, ok: run.ok, durationMs: run.durationMs, counts: run.counts ?? {},
    git: run.git, version: run.version, backend: run.backend, trial: run.sweep,
    stages,
    funnel: await gatherFunnel(stages, manifests, store),
    curves: await gatherCurves(run, runs, store.runsDir(), order),
    evalMetrics: evals.metrics,
    samples: evals.samples,
    ...(sweep ? { sweep: sweepReport(sweep, run) } : {}),
    notes,
  };
}
