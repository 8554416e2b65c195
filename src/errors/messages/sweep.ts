/**
 * @fileoverview Messages for sweeps (`sweep:` block, `trainyard sweep`, its state file) and
 * `--params` override files.
 */
import { didYouMean } from '../did-you-mean.js';
import { listOf, make, type Where } from './make.js';

export const sweepErrors = {
  noSweepBlock: (a: { file: string }, at?: Where) =>
    make('E_SWEEP', `${a.file} has no \`sweep:\` block.`,
      'Add one, e.g. `sweep: { objective: { metric: pretrain.val_loss }, parameters: { stages.pretrain.with.lr: { type: float, low: 1e-4, high: 1e-2, log: true } } }`.', at),

  /** A parameter path that names nothing (`problem` says which part). */
  sweepParamPath: (a: { path: string; problem: string; key: string; known: readonly string[] }, at?: Where) =>
    make('E_SWEEP', `sweep.parameters: "${a.path}": ${a.problem}.${didYouMean(a.key, a.known)}`,
      a.known.length ? `Known here: ${listOf(a.known)}.` : 'Paths are written as for --set: stages.<stage>.with.<option>, vars.<name> or seed.', at),

  sweepRange: (a: { path: string; problem: string }, at?: Where) =>
    make('E_SWEEP', `sweep.parameters: "${a.path}": ${a.problem}.`, undefined, at),

  sweepStage: (a: { where: string; stage: string; known: readonly string[] }, at?: Where) =>
    make('E_SWEEP', `${a.where} names stage "${a.stage}", which is not in the pipeline.${didYouMean(a.stage, a.known)}`, `Stages: ${listOf(a.known)}.`, at),

  sweepPruneStage: (a: { stage: string; problem: string }, at?: Where) =>
    make('E_SWEEP', `sweep.prune.stage "${a.stage}" ${a.problem}.`,
      'Prune on a training stage (pretrain, sft, …) that reports a metric with a step, e.g. `prune: { method: asha, stage: pretrain, metric: val_loss }`.', at),

  sweepChanged: (a: { name: string; dir: string }, at?: Where) =>
    make('E_SWEEP', `Sweep "${a.name}" was started with a different sweep block or --set overrides (${a.dir}/state.json).`,
      'Pass --fresh to start it over (cached results are reused), or give this sweep another `name:`.', at),

  sweepStateCorrupt: (a: { file: string; reason: string }, at?: Where) =>
    make('E_SWEEP', `Cannot read the sweep state ${a.file}: ${a.reason}.`, 'Pass --fresh to start the sweep over (cached results are reused).', at),

  sweepMetricMissing: (a: { metric: string; stage: string; available: readonly string[] }, at?: Where) =>
    make('E_SWEEP', `Stage "${a.stage}" reported no metric "${a.metric}".${didYouMean(a.metric, a.available)}`, `It reported: ${listOf(a.available)}.`, at),

  sweepTrialRef: (a: { ref: string; count: number }, at?: Where) =>
    make('E_USAGE', `No trial "${a.ref}": the sweep has ${a.count} trial(s).`, 'Trials are numbered from 0 in the results table: e.g. `--promote 3`, or `compare mysweep#3 mysweep#5`.', at),

  sweepUnknown: (a: { name: string; known: readonly string[] }, at?: Where) =>
    make('E_USAGE', `No sweep "${a.name}" in this store.${didYouMean(a.name, a.known)}`, `Sweeps: ${listOf(a.known)}.`, at),

  paramsFile: (a: { file: string; problem: string }, at?: Where) =>
    make('E_SET', `--params ${a.file}: ${a.problem}.`, 'A params file maps option paths to values, one a line: `stages.pretrain.with.lr: 0.003` (what `trainyard sweep` writes as best.yaml).', at),
};
