/**
 * @fileoverview `trainyard sample <model>`: generate from a model folder or a training stage's cached model.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { errors } from '../../errors/index.js';
import { planSelection } from '../../graph/plan.js';
import { computeStatus } from '../../runner/staleness.js';
import { loadEngine, type CommonOptions } from '../engine.js';
import { EXIT } from '../output.js';

/** A model folder, or a stage name whose cached `model` output is used. */
export async function modelDir(target: string, o: CommonOptions): Promise<string> {
  if (existsSync(target) && statSync(target).isDirectory()) return resolve(target);
  const state = await loadEngine(o);
  const plan = planSelection(state.compiled, { targets: [target] });
  const rows = await computeStatus(state, plan.stages, false);
  if (rows.some((r) => r.willRun)) throw errors.sampleNotUpToDate({ stage: target });
  const model = Object.values(rows.find((r) => r.name === target)?.outputs ?? {}).find((r) => r.kind === 'model');
  if (!model) throw errors.sampleNoModel({ stage: target });
  return model.path;
}

export async function sampleCommand(target: string, o: CommonOptions & { prompt?: string; maxTokens?: string; temperature?: string; topK?: string; topP?: string; seed?: string; stop?: string[]; backend?: string; chat?: boolean }): Promise<number> {
  const dir = await modelDir(target, o);
  const { setupBackend } = await import('../../backends/index.js');
  await setupBackend(o.backend ?? 'auto');
  const { sampleFromFolder } = await import('../../model/generate.js');
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  // The prompt is echoed with the first generated text, so a model folder that fails to load prints only the error.
  let echoed = false;
  const echo = () => { if (!echoed) process.stdout.write(o.chat ? `${o.prompt ?? ''}\n` : o.prompt ?? ''); echoed = true; };
  const { chatPrompt } = await import('../../label/sampler.js');
  const chat = o.chat ? await chatPrompt(dir, o.prompt ?? '') : null;
  await sampleFromFolder(dir, {
    prompt: chat?.prompt ?? o.prompt ?? '', allowSpecial: chat !== null, maxTokens: num(o.maxTokens) ?? 200, temperature: num(o.temperature) ?? 0.8, topK: num(o.topK), topP: num(o.topP),
    seed: num(o.seed) ?? 1337, stop: [...(o.stop ?? []), ...(chat?.stop ?? [])],
  }, (s) => { echo(); process.stdout.write(s); });
  echo();
  process.stdout.write('\n');
  return EXIT.OK;
}
