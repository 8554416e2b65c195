/**
 * @fileoverview Held-out conversations as a generation task: each conversation's last
 * assistant reply is the reference, everything before it the prompt, rendered through a chat
 * template with the generation prompt (lm-eval's --apply_chat_template). The model answers
 * greedily until the template's end-of-turn marker; `exact_match` and `contains` (or any
 * metric) compare the answer with the reference. A model whose tokenizer lacks the template's
 * special tokens (a base model) gets the same prompt text, spelled out — the fair baseline
 * for "does fine-tuning teach the format".
 */
import type { Conversation, Message } from '../sft/conversations.js';
import { renderChat, type ChatTemplate } from '../sft/template.js';
import { computeMetric, resolveMetric } from '../metrics/index.js';
import { generateText } from '../model/generate.js';
import type { GPT } from '../model/gpt.js';
import type { RegistryView } from '../plugins/contracts.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { BootstrapOptions } from './bootstrap.js';
import type { TaskRecord, TaskResult } from './tasks.js';

export interface ChatEvalOptions {
  maxTokens: number;
  /** Score at most this many conversations (0 = all). */
  limit: number;
  metrics: string[];
  registry: RegistryView;
  bootstrap: BootstrapOptions;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** Prompt messages and reference reply of a conversation (null when it has no assistant turn). */
export function splitLastReply(messages: Message[]): { prompt: Message[]; reference: string } | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'assistant') return { prompt: messages.slice(0, i), reference: messages[i]!.content };
  }
  return null;
}

/** Scores `convs`; metrics are named `chat.<metric>`. */
export async function runChatEval(model: GPT, tok: Tokenizer, t: ChatTemplate, convs: Conversation[], o: ChatEvalOptions): Promise<TaskResult> {
  const items = convs.map((c) => splitLastReply(c.messages)).filter((x): x is NonNullable<typeof x> => x !== null && x.prompt.length > 0);
  const scored = o.limit > 0 ? items.slice(0, o.limit) : items;
  const prompts: string[] = [], samples: string[] = [], references: string[] = [];
  const stop = [t.endOfTurn, t.eosToken].filter((s): s is string => !!s);
  for (const it of scored) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    const prompt = renderChat(t, it.prompt, { addGenerationPrompt: true });
    prompts.push(prompt);
    references.push(it.reference);
    samples.push(await generateText(model, tok, prompt, { maxTokens: o.maxTokens, stop, temperature: 0, allowSpecial: true }));
    o.onProgress?.(prompts.length, scored.length);
  }
  const metrics: Record<string, number> = { 'chat.items': scored.length };
  for (const m of o.metrics) {
    const values = await computeMetric(m, resolveMetric(m, o.registry), { prompts, samples, references }, {}, { bootstrap: o.bootstrap });
    for (const [k, v] of Object.entries(values)) metrics[`chat.${k}`] = v;
  }
  const records = prompts.map((prompt, doc): TaskRecord => ({ task: 'chat', doc, prompt, target: references[doc]!, prediction: samples[doc]!, correct: samples[doc]!.trim() === references[doc]!.trim() }));
  return { metrics, records };
}
