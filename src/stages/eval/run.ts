/**
 * @fileoverview The eval stage's body: load the model and its tokenizer, then each enabled
 * part in turn (perplexity → last-word → tasks → samples → contamination), each adding flat
 * metrics; write the metrics artifact and report every metric through ctx.
 */
import { resolve } from 'node:path';
import type { StageContext } from '../define.js';
import type { EvalOptions } from '../options.gen.js';
import { errors } from '../../errors/index.js';
import type { BootstrapOptions } from '../../eval/bootstrap.js';
import { scoreCloze, lastWordItems } from '../../eval/cloze.js';
import { chooseN, contamination } from '../../eval/contamination.js';
import { rollingPerplexity } from '../../eval/perplexity.js';
import { loadTask } from '../../eval/task-file.js';
import { runTask } from '../../eval/tasks.js';
import { rollingWindows } from '../../eval/windows.js';
import { computeMetric, resolveMetric } from '../../metrics/index.js';
import { generateText } from '../../model/generate.js';
import type { GPT } from '../../model/gpt.js';
import { loadModel } from '../../model/load.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import { seedFrom } from '../../util/random.js';
import { runChatEval } from '../../eval/chat.js';
import { chatTemplateFor, conversationsFrom, heldOutConversations } from './chat-data.js';
import { budget, hasTrainingTexts, heldOutTexts, heldOutTokens, trainingTexts, type HeldOutTokens } from './data.js';
import { cleanMetrics, writeEvalOutputs, type EvalOutputs } from './outputs.js';

interface Env {
  ctx: StageContext;
  modelDir: string;
  o: EvalOptions;
  model: GPT;
  tok: Tokenizer;
  boot: BootstrapOptions;
  out: EvalOutputs;
  /** Held-out texts for last-word items and the contamination check. */
  heldTexts: string[];
  /** Texts of task items (prompt + target), for the contamination check. */
  taskTexts: string[];
  heldTokens: HeldOutTokens | null;
}

/** Sets up the backend and loads the `model` input with its tokenizer. */
async function loadModelInput(ctx: StageContext): Promise<{ model: GPT; tok: Tokenizer; dir: string }> {
  const dir = ctx.inputs.model?.[0]?.path;
  if (!dir) throw errors.stageInputAbsent({ type: 'eval', kind: 'model' });
  await ctx.tensors();
  const { model, tokenizer } = await loadModel(dir);
  return { model, tok: tokenizer, dir };
}

function addMetrics(env: Env, m: Record<string, number>): void {
  Object.assign(env.out.metrics, m);
}

async function perplexityPart(env: Env): Promise<void> {
  const { ctx, o, tok } = env;
  let docs = env.heldTokens?.docs;
  let label = env.heldTokens?.label;
  if (!docs && env.heldTexts.length) {
    docs = budget(env.heldTexts.map((t) => tok.encodeToArray(t)).filter((d) => d.length > 0), o.max_eval_tokens);
    label = 'documents';
  }
  if (!o.perplexity || !docs?.length) return;
  const total = docs.reduce((n, d) => n + rollingWindows(d, env.model.config.block_size, tok.eotId, o.context_len).length, 0);
  const res = await rollingPerplexity(env.model, tok, docs, {
    batchSize: o.batch_size, contextLen: o.context_len, signal: ctx.signal, bootstrap: env.boot,
    onProgress: (done) => ctx.progress({ done, total, unit: 'windows', message: `perplexity on ${label}` }),
  });
  addMetrics(env, res.metrics);
  env.out.info.perplexity = { split: label, windows: res.windows.length, tokens: res.metrics.tokens, bytes: res.metrics.bytes, context_len: o.context_len };
}

async function lambadaPart(env: Env): Promise<void> {
  if (!env.o.lambada || !env.heldTexts.length) return;
  const items = lastWordItems(env.heldTexts, { minWords: env.o.lambada_min_words, maxItems: env.o.lambada_max_items });
  if (!items.length) { env.ctx.log.warn(`lambada: no paragraph of ${env.o.lambada_min_words}+ words in the held-out text; skipped`); return; }
  const res = await scoreCloze(env.model, env.tok, items, {
    name: 'lambada',
    batchSize: env.o.batch_size, signal: env.ctx.signal, bootstrap: env.boot,
    onProgress: (done) => env.ctx.progress({ done, total: items.length, unit: 'items', message: 'last word' }),
  });
  addMetrics(env, res.metrics);
  env.out.details.push(...res.records.map((r) => ({ task: 'lambada', ...r })));
}

async function tasksPart(env: Env): Promise<void> {
  const files: string[] = [];
  for (const t of env.o.tasks) {
    const file = resolve(env.ctx.cwd, t);
    const { config, docs } = await loadTask(file);
    const res = await runTask(env.model, env.tok, config, docs, {
      batchSize: env.o.batch_size, signal: env.ctx.signal, registry: env.ctx.registry, bootstrap: env.boot,
      onProgress: (done, total) => env.ctx.progress({ done, total, unit: 'requests', message: config.task }),
    });
    addMetrics(env, res.metrics);
    env.out.details.push(...res.records);
    env.taskTexts.push(...res.records.map((r) => `${r.prompt} ${r.target}`));
    files.push(file);
  }
  env.out.info.tasks = files;
}

async function chatPart(env: Env): Promise<void> {
  const dir = env.ctx.inputs.chat?.[0]?.path;
  if (!dir && !env.o.chat_data.length) return;
  const { convs, files } = dir ? await heldOutConversations(dir) : await conversationsFrom(env.o.chat_data.map((f) => resolve(env.ctx.cwd, f)));
  const template = await chatTemplateFor(env.modelDir, env.o.chat_template);
  const res = await runChatEval(env.model, env.tok, template, convs, {
    maxTokens: env.o.chat_max_tokens, limit: env.o.chat_limit, metrics: env.o.chat_metrics, registry: env.ctx.registry, bootstrap: env.boot, signal: env.ctx.signal,
    onProgress: (done, total) => env.ctx.progress({ done, total, unit: 'conversations', message: 'chat' }),
  });
  addMetrics(env, res.metrics);
  env.out.details.push(...res.records);
  env.taskTexts.push(...res.records.map((r) => `${r.prompt} ${r.target}`));
  env.out.info.chat = { files, template: template.name, items: res.records.length };
}

async function samplesPart(env: Env): Promise<void> {
  const { o, ctx } = env;
  if (!o.prompts.length) return;
  const seed = seedFrom(`${ctx.seed}:${ctx.name}:samples`);
  for (const [i, prompt] of o.prompts.entries()) {
    const completion = await generateText(env.model, env.tok, prompt, { maxTokens: o.sample_tokens, temperature: o.temperature, topK: o.top_k, topP: o.top_p, seed: seed + i });
    env.out.samples.push({ prompt, completion });
    ctx.progress({ done: i + 1, total: o.prompts.length, unit: 'samples' });
  }
  const input = { prompts: env.out.samples.map((s) => s.prompt), samples: env.out.samples.map((s) => s.completion) };
  for (const name of o.metrics) {
    const opts = (o.metric_options[name] ?? {}) as Record<string, unknown>;
    addMetrics(env, await computeMetric(`samples.${name}`, resolveMetric(name, ctx.registry), input, opts, { bootstrap: env.boot }));
  }
}

async function contaminationPart(env: Env): Promise<void> {
  const { o, ctx } = env;
  if (!o.contamination) return;
  const docsDir = ctx.inputs.docs?.[0]?.path;
  const train = env.heldTokens?.train ?? null;
  const items = [...env.heldTexts, ...env.taskTexts];
  if (!items.length || !(await hasTrainingTexts(docsDir, train))) { ctx.log.info('contamination: no training text to compare with; skipped'); return; }
  const n = chooseN(items, o.contamination_n);
  const res = await contamination(items, trainingTexts({ docsDir, tokensDir: ctx.inputs.tokens?.[0]?.path, train, tok: env.tok }), n);
  addMetrics(env, { 'contamination.rate': res.rate, 'contamination.item_rate': res.itemRate, 'contamination.n': n });
  env.out.info.contamination = { n, ngrams: res.ngrams, found: res.found, contaminated_items: res.contaminated.length };
  if (res.rate > o.contamination_threshold) {
    ctx.log.warn(`contamination: ${(res.rate * 100).toFixed(2)}% of the evaluation ${n}-grams occur in the training text (${res.contaminated.length} of ${items.length} items); scores may be inflated`);
  }
}

export async function runEval(ctx: StageContext, o: EvalOptions): Promise<void> {
  const { model, tok, dir: modelDir } = await loadModelInput(ctx);
  const tokensDir = ctx.inputs.tokens?.[0]?.path;
  const docsDir = ctx.inputs.docs?.[0]?.path;
  const heldTokens = tokensDir ? await heldOutTokens(tokensDir, o.split, o.max_eval_tokens) : null;
  const fromDocs = docsDir ? await heldOutTexts(docsDir) : null;
  const heldTexts = fromDocs?.texts ?? heldTokens?.docs.map((d) => tok.decode(d)) ?? [];
  const env: Env = {
    ctx, modelDir, o, model, tok, heldTokens, heldTexts, taskTexts: [],
    boot: { iters: o.bootstrap_iters, seed: seedFrom(`${ctx.seed}:${ctx.name}:bootstrap`) },
    out: { metrics: {}, samples: [], details: [], info: { model: config(model), held_out_texts: fromDocs ? `documents/${fromDocs.split}` : heldTokens?.label ?? null } },
  };
  try {
    for (const part of [perplexityPart, lambadaPart, tasksPart, chatPart, samplesPart, contaminationPart]) await part(env);
  } finally {
    model.dispose();
  }
  await writeEvalOutputs(ctx.outputs.metrics!.dir, env.out);
  for (const [name, value] of Object.entries(cleanMetrics(env.out.metrics))) ctx.metric(name, value);
  ctx.stats({ metrics: Object.keys(env.out.metrics).length, samples: env.out.samples.length, details: env.out.details.length });
}

const config = (m: GPT) => ({ ...m.config });
