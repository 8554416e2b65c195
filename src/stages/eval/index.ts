/**
 * @fileoverview `eval`: perplexity and bits per byte (rolling windows over whole documents),
 * LAMBADA-style last-word accuracy, lm-eval style tasks (multiple choice and generation),
 * answers to held-out conversations through a chat template (`chat` input), samples with
 * plugin metrics, bootstrap standard errors, and a contamination check.
 *
 *   eval: { type: eval, inputs: { model: pretrain, tokens: tokenize }, with: { tasks: [tasks/moby-cloze.yaml], prompts: ["Call me"] } }
 *
 * (A `reward` input for reward-model scores is not there yet: no stage produces reward models.)
 */
import { resolve } from 'node:path';
import { defineStage } from '../define.js';
import { stageSchema } from '../../config/stage-schema.js';
import type { EvalOptions } from '../options.gen.js';

export default defineStage<EvalOptions>({
  type: 'eval',
  version: 1,
  description: 'Evaluate a model: perplexity, bits per byte, last-word accuracy, tasks, samples, contamination',
  schema: stageSchema('eval'),
  inputs: {
    model: { kind: 'model', description: 'config.json + model.safetensors + tokenizer.json' },
    tokens: { kind: 'tokens', optional: true, description: 'Scored split (test → validation → last 10%); its training part feeds the contamination check' },
    docs: { kind: 'documents', optional: true, description: 'Held-out documents (test → validation → all) and training documents (train) as text' },
    chat: { kind: 'sft', optional: true, description: 'Held-out conversations (test → validation → all .jsonl): answer the last user turn through the chat template, score against the reference reply' },
  },
  outputs: { metrics: { kind: 'metrics', description: 'metrics.json + samples.jsonl + details.jsonl + eval.json' } },
  // Task YAMLs and their JSONL data, and chat_data files, enter the cache key.
  async externalDeps(options, { cwd }) {
    const { taskFiles } = await import('../../eval/task-file.js');
    const files: string[] = [];
    for (const t of options.tasks) files.push(...(await taskFiles(resolve(cwd, t))));
    return [...files, ...options.chat_data.map((f) => resolve(cwd, f))];
  },
  async run(ctx, options) {
    const { runEval } = await import('./run.js');
    await runEval(ctx, options);
  },
});
