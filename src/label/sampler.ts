/**
 * @fileoverview Completions of a prompt from a loaded model, one per seed: raw text
 * continuation, or (chat) the prompt sent as a user turn through the model folder's chat
 * template (ChatML when it has none), stopping at the end of the turn — as `sample --chat`.
 *
 *   const sampler = await createSampler(model, tokenizer, dir, { chat: true, temperature: 0.8, maxTokens: 64 });
 *   const [a, b] = [await sampler.sample('Hi', 1), await sampler.sample('Hi', 2)];
 */
import { readTokenizerConfig } from '../artifacts/conversations.js';
import { generateText } from '../model/generate.js';
import type { GPT } from '../model/gpt.js';
import { renderChat, resolveTemplate } from '../sft/template.js';
import type { Tokenizer } from '../tokenizer/index.js';

/** How completions are drawn. */
export interface SamplerOptions {
  /** Send the prompt as a user message through the chat template. @default false */
  chat?: boolean;
  /** Softmax temperature. @default 1 */
  temperature?: number;
  /** New tokens per completion. @default 64 */
  maxTokens?: number;
  /** Keep the k most likely tokens (0 = off). @default 0 */
  topK?: number;
  /** Nucleus threshold (1 = off). @default 1 */
  topP?: number;
}

/** Draws completions; the same (prompt, seed) gives the same text. */
export interface Sampler {
  sample(prompt: string, seed: number): Promise<string>;
}

/** The prompt as one user turn rendered by the folder's chat template (ChatML when it has none), and the end-of-turn stops. */
export async function chatPrompt(dir: string, text: string): Promise<{ prompt: string; stop: string[] }> {
  const cfg = await readTokenizerConfig(dir);
  const t = resolveTemplate('auto', cfg);
  return { prompt: renderChat(t, [{ role: 'user', content: text }], { addGenerationPrompt: true }), stop: [t.endOfTurn, t.eosToken].filter((s): s is string => !!s) };
}

/** A sampler over `model` (the caller disposes it); `dir` is the model folder (its chat template). */
export function createSampler(model: GPT, tok: Tokenizer, dir: string, o: SamplerOptions = {}): Sampler {
  const gen = { maxTokens: o.maxTokens ?? 64, temperature: o.temperature ?? 1, topK: o.topK ?? 0, topP: o.topP ?? 1 };
  return {
    async sample(prompt, seed) {
      if (!o.chat) return generateText(model, tok, prompt, { ...gen, seed });
      const c = await chatPrompt(dir, prompt);
      return generateText(model, tok, c.prompt, { ...gen, seed, allowSpecial: true, stop: c.stop });
    },
  };
}
