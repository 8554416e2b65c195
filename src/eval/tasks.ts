/**
 * @fileoverview Runs a task (task-file.ts) on a model, lm-eval style.
 *
 * multiple_choice: each choice is scored as the continuation `target_delimiter + choice` of
 * the prompt; `acc` = argmax(LL) is the gold choice, `acc_norm` = argmax(LL / characters of
 * the choice) (lm_eval/api/task.py). generate_until: greedy continuation until a stop string,
 * then `exact_match` / `contains` or any metric (plugin or built-in) against the target.
 */
import type { GPT } from '../model/gpt.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { RegistryView } from '../plugins/registry.js';
import { errors } from '../errors/index.js';
import { computeMetric, resolveMetric } from '../metrics/index.js';
import { generateText } from '../model/generate.js';
import { meanStderr, mean, type BootstrapOptions } from './bootstrap.js';
import { scoreRequests, sumLogprobs } from './scorer.js';
import { render, resolveValue, type TaskDoc } from './template.js';
import type { TaskConfig } from './task-file.js';
import { continuationRequest } from './windows.js';

export interface TaskRunOptions {
  batchSize?: number;
  signal?: AbortSignal;
  registry?: RegistryView;
  bootstrap?: BootstrapOptions;
  onProgress?: (done: number, total: number) => void;
}

/** One scored document, kept for the details file (prompt snapshot, lm-eval's `samples`). */
export interface TaskRecord {
  task: string;
  doc: number;
  prompt: string;
  target: string;
  choices?: string[];
  loglikelihoods?: number[];
  prediction: string;
  correct?: boolean;
}

export interface TaskResult { metrics: Record<string, number>; records: TaskRecord[] }

/** Prompt + answer split like lm-eval's `_encode_pair`: trailing spaces move to the continuation. */
export function encodePair(tok: Tokenizer, context: string, continuation: string): { context: number[]; continuation: number[] } {
  const n = context.length - context.trimEnd().length;
  if (n > 0) { continuation = context.slice(-n) + continuation; context = context.slice(0, -n); }
  const whole = tok.encode(context + continuation);
  const ctx = tok.encode(context);
  const cont = whole.slice(ctx.length);
  return { context: ctx.length ? ctx : [tok.eotId ?? 0], continuation: cont };
}

function choicesOf(task: TaskConfig, doc: TaskDoc): string[] {
  const c = resolveValue(task.doc_to_choice, doc);
  if (!Array.isArray(c) || c.length === 0) throw errors.taskNoChoices({ task: task.task });
  return c.map((x) => (typeof x === 'string' ? render(x, doc) : String(x)));
}

/** The gold choice index, from an index or the answer text. */
function goldIndex(task: TaskConfig, doc: TaskDoc, choices: string[]): number {
  const t = resolveValue(task.doc_to_target, doc);
  const i = typeof t === 'number' ? t : /^\d+$/.test(String(t)) && !choices.includes(String(t)) ? Number(t) : choices.indexOf(String(t));
  if (!(i >= 0 && i < choices.length)) throw errors.taskTargetNotChoice({ task: task.task, target: t });
  return i;
}

function targetText(task: TaskConfig, doc: TaskDoc): string {
  if (task.doc_to_choice !== undefined) { const c = choicesOf(task, doc); return c[goldIndex(task, doc, c)]!; }
  return String(resolveValue(task.doc_to_target, doc));
}

/** The few-shot prefix and the documents left to score. */
function fewshot(task: TaskConfig, docs: TaskDoc[]): { prefix: string; scored: TaskDoc[] } {
  const shots = docs.slice(0, task.num_fewshot);
  const parts = shots.map((d) => render(task.doc_to_text, d) + task.target_delimiter + targetText(task, d));
  const prefix = task.description + parts.map((p) => p + task.fewshot_delimiter).join('');
  const rest = docs.slice(task.num_fewshot);
  return { prefix, scored: task.limit > 0 ? rest.slice(0, task.limit) : rest };
}

const argmax = (xs: number[]) => xs.reduce((b, x, i) => (x > xs[b]! ? i : b), 0);

async function runMultipleChoice(model: GPT, tok: Tokenizer, task: TaskConfig, docs: TaskDoc[], o: TaskRunOptions): Promise<TaskResult> {
  const { prefix, scored } = fewshot(task, docs);
  const items = scored.map((doc) => {
    const prompt = prefix + render(task.doc_to_text, doc);
    const choices = choicesOf(task, doc);
    return { prompt, choices, gold: goldIndex(task, doc, choices) };
  });
  const requests = items.flatMap((it) => it.choices.map((c) => {
    const p = encodePair(tok, it.prompt, task.target_delimiter + c);
    return continuationRequest(p.context, p.continuation, model.config.block_size);
  }));
  const total = requests.length;
  const lls = (await scoreRequests(model, requests, { batchSize: o.batchSize, signal: o.signal, onProgress: (d) => o.onProgress?.(d, total) })).map(sumLogprobs);
  let k = 0;
  const acc: number[] = [];
  const accNorm: number[] = [];
  const records = items.map((it, doc): TaskRecord => {
    const ll = it.choices.map(() => lls[k++]!);
    const pred = argmax(ll);
    acc.push(pred === it.gold ? 1 : 0);
    accNorm.push(argmax(ll.map((x, i) => x / Math.max(1, it.choices[i]!.length))) === it.gold ? 1 : 0);
    return { task: task.task, doc, prompt: it.prompt, target: it.choices[it.gold]!, choices: it.choices, loglikelihoods: ll, prediction: it.choices[pred]!, correct: pred === it.gold };
  });
  const metrics: Record<string, number> = {};
  const per: Record<string, number[]> = { acc, acc_norm: accNorm };
  for (const m of task.metrics) {
    const v = per[m];
    if (!v) throw errors.taskChoiceMetric({ task: task.task, metric: m });
    metrics[`${task.task}.${m}`] = mean(v);
    metrics[`${task.task}.${m}_stderr`] = meanStderr(v, o.bootstrap);
  }
  return { metrics, records };
}

async function runGeneration(model: GPT, tok: Tokenizer, task: TaskConfig, docs: TaskDoc[], o: TaskRunOptions): Promise<TaskResult> {
  const { prefix, scored } = fewshot(task, docs);
  const prompts: string[] = [];
  const samples: string[] = [];
  const references: string[] = [];
  for (const doc of scored) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    const prompt = prefix + render(task.doc_to_text, doc);
    prompts.push(prompt);
    references.push(targetText(task, doc));
    samples.push(await generateText(model, tok, prompt, { maxTokens: task.generation_kwargs.max_gen_toks, stop: task.generation_kwargs.until, temperature: 0 }));
    o.onProgress?.(prompts.length, scored.length);
  }
  const metrics: Record<string, number> = {};
  for (const m of task.metrics) {
    const values = await computeMetric(m, resolveMetric(m, o.registry), { prompts, samples, references }, {}, { bootstrap: o.bootstrap });
    for (const [k, v] of Object.entries(values)) metrics[`${task.task}.${k}`] = v;
  }
  const records = prompts.map((prompt, doc): TaskRecord => ({ task: task.task, doc, prompt, target: references[doc]!, prediction: samples[doc]!, correct: samples[doc]!.trim() === references[doc]!.trim() }));
  return { metrics, records };
}

/** Scores one task. */
export async function runTask(model: GPT, tok: Tokenizer, task: TaskConfig, docs: TaskDoc[], o: TaskRunOptions = {}): Promise<TaskResult> {
  return task.output_type === 'multiple_choice' ? runMultipleChoice(model, tok, task, docs, o) : runGeneration(model, tok, task, docs, o);
}
