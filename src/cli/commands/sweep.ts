/**
 * @fileoverview `trainyard sweep`: runs the pipeline's `sweep:` block (src/sweep), resuming
 * its state if one was left, then prints the results table, the shared stages' cache hits,
 * and writes the best trial's params as `best.yaml` for `trainyard run --params`.
 */
import { availableParallelism } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { planSelection } from '../../graph/plan.js';
import { gitInfo, trainyardVersion } from '../../report/provenance.js';
import { fmt } from '../../report/history.js';
import { RunRecorder } from '../../report/run-record.js';
import type { RunLifecycle } from '../../runner/lifecycle.js';
import type { EngineState } from '../../runner/staleness.js';
import { budgetOf, driveSweep } from '../../sweep/driver.js';
import { bestParamsFile, bestTrial, formatResults } from '../../sweep/results.js';
import { readState, removeState, specHash, StateWriter, sweepDir, type SweepState } from '../../sweep/state.js';
import { pipelineTrials, type CacheCounts } from '../../sweep/trial.js';
import type { Params, SweepSpec, Trial } from '../../sweep/types.js';
import { errors } from '../../errors/index.js';
import { loadEngine, overrideSets, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export interface SweepCliOptions extends CommonOptions {
  jobs?: string; fresh?: boolean; promote?: string; replay?: string; out?: string; json?: boolean; verbose?: boolean;
}

export async function sweepCommand(o: SweepCliOptions): Promise<number> {
  if (o.jobs !== undefined && !(Number.isInteger(Number(o.jobs)) && Number(o.jobs) >= 1)) throw errors.jobs({ value: o.jobs });
  const base = await loadEngine(o);
  const pipeline = base.compiled.pipeline;
  const spec = pipeline.sweep;
  if (!spec) throw errors.noSweepBlock({ file: relative(process.cwd(), pipeline.file) || pipeline.file });
  const name = spec.name ?? pipeline.name.replace(/[^A-Za-z0-9_.-]+/g, '-');
  const dir = sweepDir(base.store.root, name);
  const sets = await overrideSets(o);
  if (o.fresh) await removeState(dir);
  const state = await openState(dir, name, pipeline.file, spec, sets);
  const [objStage, ...rest] = spec.objective.metric.split('.');
  const objective = { stage: objStage!, metric: rest.join('.') };
  const pruneStage = spec.prune && spec.prune.method !== 'none' ? spec.prune.stage ?? objective.stage : undefined;
  if (pruneStage && !planSelection(base.compiled, { targets: [objective.stage] }).stages.includes(pruneStage)) {
    throw errors.sweepPruneStage({ stage: pruneStage, problem: `is not upstream of the objective's stage "${objective.stage}"` });
  }
  const pruneOpts = pruneStage ? pipeline.stages.get(pruneStage)!.options : {};
  const promote = o.promote === undefined ? undefined : trialIndex(o.promote, state);
  const replay = o.replay ? await replayParams(base.store.root, o.replay) : undefined;
  const jobs = o.jobs === undefined ? availableParallelism() : Number(o.jobs);
  const controller = new AbortController();
  const stop = onSignals(controller);
  const counts: CacheCounts = new Map();
  const git = await gitInfo(pipeline.dir);
  const writer = new StateWriter(dir, state);
  const budget = budgetOf(spec, replay);
  const say = (line: string) => { if (!o.json) process.stdout.write(line + '\n'); };
  say(`sweep ${name}: ${spec.method}, ${budget} trials, ${jobs} at a time${pruneStage ? `, pruning ${pruneStage}.${spec.prune!.metric} (${spec.prune!.method})` : ''}${state.trials.length ? ` — resuming (${state.trials.length} trial(s) recorded)` : ''}`);
  const t0 = Date.now();
  try {
    await driveSweep({
      writer, jobs, signal: controller.signal, seed: spec.seed ?? pipeline.seed, replay, promote,
      maxSteps: Number(pruneOpts.steps ?? Infinity), defaultMinSteps: Math.max(1, Number(pruneOpts.eval_interval ?? 1)),
      events: {
        trialStart: (t, resumed) => say(`trial ${t.number} ${resumed ? 'resumed' : 'started'}: ${describe(t.params)}`),
        trialEnd: (t) => say(`trial ${t.number} ${t.status}${t.value !== undefined ? `: ${spec.objective.metric} ${fmt(t.value)}` : ''}${t.pruned ? ` at step ${t.pruned.step}: ${t.pruned.reason}` : ''}${t.error ? `: ${t.error}` : ''} (${(t.durationMs / 1000).toFixed(1)}s)`),
      },
      execute: pipelineTrials({
        engine: (extra, lockPath) => loadEngine(o, { sets: extra, lockPath }),
        dir, objective, prune: pruneStage ? { stage: pruneStage, metric: spec.prune!.metric } : undefined,
        threads: Math.max(1, Math.floor(availableParallelism() / jobs)), signal: controller.signal, counts,
        listeners: (trial, runId, st) => trialListeners(trial, runId, st, { name, git, verbose: o.verbose === true, say }),
      }),
    });
  } finally {
    stop();
    state.wallMs += Date.now() - t0;
    await writer.save();
  }
  const wall = Date.now() - t0;
  if (o.json) {
    process.stdout.write(JSON.stringify({ ...state, sessionWallMs: wall, cache: Object.fromEntries(counts) }, null, 2) + '\n');
  } else {
    say('\n' + formatResults(state));
    for (const [stage, c] of counts) say(`${stage}: ran ${c.ran}×, restored from cache ${c.cached}×`);
    const pruned = state.trials.filter((t) => t.status === 'pruned').length;
    say(`wall time ${(wall / 1000).toFixed(1)}s this session, ${(state.wallMs / 1000).toFixed(1)}s in all; ${pruned} of ${state.trials.length} trials pruned`);
  }
  const best = bestTrial(state);
  if (best) {
    const text = bestParamsFile(state, best, relative(process.cwd(), pipeline.file) || pipeline.file);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'best.yaml'), text);
    if (o.out) await writeFile(o.out, text);
    say(`best: trial ${best.number}, ${spec.objective.metric} ${fmt(best.value)} → ${o.out ?? relative(process.cwd(), join(dir, 'best.yaml'))}`);
  }
  if (controller.signal.aborted) {
    say('sweep interrupted: run `trainyard sweep` again to resume it');
    return EXIT.CANCELLED;
  }
  return state.trials.some((t) => t.status === 'failed') ? EXIT.STAGE_FAILED : EXIT.OK;
}

/** The recorded state when it belongs to this sweep, else a new one; a changed sweep is E_SWEEP. */
async function openState(dir: string, name: string, pipelineFile: string, spec: SweepSpec, sets: string[]): Promise<SweepState> {
  const hash = specHash(spec, sets);
  const old = await readState(dir);
  if (old && old.specHash !== hash) throw errors.sweepChanged({ name, dir });
  return old ?? { version: 1, name, pipeline: pipelineFile, specHash: hash, spec, trials: [], wallMs: 0 };
}

function trialIndex(ref: string, s: SweepState): number {
  const n = Number(ref);
  if (!Number.isInteger(n) || n < 0 || n >= s.trials.length) throw errors.sweepTrialRef({ ref, count: s.trials.length });
  return n;
}

/** The params of another sweep's trials, in order (`--replay NAME` or a path to its state.json: the same trials, e.g. without pruning). */
async function replayParams(root: string, name: string): Promise<Params[]> {
  const s = await readState(name.endsWith('.json') ? dirname(resolve(name)) : sweepDir(root, name));
  if (!s) {
    const all = join(root, 'sweeps');
    throw errors.sweepUnknown({ name, known: existsSync(all) ? readdirSync(all) : [] });
  }
  return s.trials.map((t) => t.params);
}

const describe = (p: Params) => Object.entries(p).map(([k, v]) => `${k.replace(/^stages\.[^.]+\.with\./, '')}=${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`).join(' ');

/** A trial's run record (with the sweep and trial in it) and its warnings on the terminal. */
function trialListeners(trial: Trial, runId: string, st: EngineState,
  o: { name: string; git: Awaited<ReturnType<typeof gitInfo>>; verbose: boolean; say: (l: string) => void }): RunLifecycle[] {
  const p = st.compiled.pipeline;
  const params = Object.fromEntries([...p.stages.values()].map((s) => [s.name, s.options]));
  return [
    new RunRecorder(st.store.runsDir(), runId, {
      pipeline: p.file, params, backend: p.backend, git: o.git, version: trainyardVersion(), sweep: { name: o.name, trial: trial.number, params: trial.params },
    }),
    { stageLog: (stage, level, message) => { if (level === 'warn' || (o.verbose && level === 'info')) o.say(`  [trial ${trial.number}] ${stage}: ${message}`); } },
  ];
}

/** First SIGINT/SIGTERM cancels (trials checkpoint and stay resumable); a second one exits. Returns the remover. */
function onSignals(controller: AbortController): () => void {
  let n = 0;
  const handler = (sig: NodeJS.Signals) => {
    n += 1;
    if (n === 1) {
      process.stderr.write(`\n${sig}: stopping the sweep — running trials checkpoint (press Ctrl-C again to kill)\n`);
      controller.abort();
    } else process.exit(EXIT.CANCELLED);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
}
