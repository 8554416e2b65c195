/**
 * @fileoverview Small commands: validate, graph, gc, sample.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { collectGarbage } from '../../cache/gc.js';
import { Store } from '../../cache/store.js';
import { TrainyardError } from '../../errors/index.js';
import { planSelection } from '../../graph/plan.js';
import { renderGraph, type GraphFormat } from '../../graph/render.js';
import { computeStatus } from '../../runner/evaluate.js';
import { loadEngine, pipelinePath, storeRoot, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

export async function validateCommand(o: CommonOptions): Promise<number> {
  const state = await loadEngine(o);
  const p = state.compiled.pipeline;
  process.stdout.write(`${pc.green('✔')} ${p.map.file}: ${p.stages.size} stage(s), ${p.plugins.length} plugin(s) — valid\n`);
  return EXIT.OK;
}

export async function graphCommand(o: CommonOptions & { format?: string }): Promise<number> {
  const fmt = (o.format ?? 'text') as GraphFormat;
  if (!['text', 'mermaid', 'dot'].includes(fmt)) throw new TrainyardError('E_USAGE', `Unknown graph format "${o.format}".`, { hint: 'Use text, mermaid or dot.' });
  const state = await loadEngine(o);
  process.stdout.write(renderGraph(state.compiled, fmt) + '\n');
  return EXIT.OK;
}

export async function gcCommand(o: CommonOptions & { dryRun?: boolean; keepDays?: string }): Promise<number> {
  const root = storeRoot(pipelinePath(o.file), o.store);
  const res = await collectGarbage(new Store(root), { keepDays: Number(o.keepDays ?? 7), dryRun: o.dryRun === true });
  for (const r of res.removed) process.stdout.write(`${o.dryRun ? 'would remove' : 'removed'} ${r}\n`);
  process.stdout.write(`${o.dryRun ? 'would free' : 'freed'} ${(res.bytes / 1e6).toFixed(1)} MB; kept ${res.kept} referenced entr${res.kept === 1 ? 'y' : 'ies'}\n`);
  return EXIT.OK;
}

/** A model folder, or a stage name whose cached `model` output is used. */
async function modelDir(target: string, o: CommonOptions): Promise<string> {
  if (existsSync(target) && statSync(target).isDirectory()) return resolve(target);
  const state = await loadEngine(o);
  const plan = planSelection(state.compiled, { targets: [target] });
  const rows = await computeStatus(state, plan.stages, false);
  if (rows.some((r) => r.willRun)) throw new TrainyardError('E_ARTIFACT', `Stage "${target}" is not up to date.`, { hint: `Run it first: trainyard run ${target}` });
  const model = Object.values(rows.find((r) => r.name === target)?.outputs ?? {}).find((r) => r.kind === 'model');
  if (!model) throw new TrainyardError('E_ARTIFACT', `Stage "${target}" has no model output.`);
  return model.path;
}

export async function sampleCommand(target: string, o: CommonOptions & { prompt?: string; maxTokens?: string; temperature?: string; topK?: string; topP?: string; seed?: string; stop?: string[]; backend?: string }): Promise<number> {
  const dir = await modelDir(target, o);
  const { sampleFromFolder } = (await import('../../model/sample.js')) as {
    sampleFromFolder(dir: string, opts: Record<string, unknown>, onText: (s: string) => void): Promise<unknown>;
  };
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  process.stdout.write(o.prompt ?? '');
  await sampleFromFolder(dir, {
    prompt: o.prompt ?? '', maxTokens: num(o.maxTokens) ?? 200, temperature: num(o.temperature) ?? 0.8, topK: num(o.topK), topP: num(o.topP),
    seed: num(o.seed) ?? 1337, stop: o.stop, backend: o.backend ?? 'auto',
  }, (s) => process.stdout.write(s));
  process.stdout.write('\n');
  return EXIT.OK;
}
