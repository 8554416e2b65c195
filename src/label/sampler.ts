/**
 * @fileoverview Completions of a prompt from a loaded model, one per seed: raw text
 * continuation, or (chat) the prompt sent as a user turn through the model folder's chat
 * template (ChatML when it has none), stopping at the end of the turn — as `sample --chat`.
 *
 *   const sampler = await createSampler(model, tokenizer, dir, { chat: true, temperature: 0.8, maxTokens: 64 });
 *   const [a, b] = [await sampler.sample('Hi', 1), await sampler.sample('Hi', 2)];
 *   const many = await sampler.sampleMany(['Hi', 'Hi', 'Yo'], [1, 2, 3]);   // one batch, same seeds → same texts
 *
 * `sampleMany` draws all rows at once with the KV cache (model/batch-sample.ts): AI feedback's
 * n completions of a batch of prompts cost about one completion's forward passes.
 */
import { readTokenizerConfig } from '../artifacts/conversations.js';
import { sampleCompletions } from '../model/batch-sample.js';
import { generateText } from '../model/generate.js';
import type { GPT } from '../model/gpt.js';
import { renderChat, resolveTemplate, type ChatTemplate } from '../sft/template.js';
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
  /** One completion of each prompt, row i drawn from seeds[i] (independent of the other rows), in one batch. */
  sampleMany(prompts: string[], seeds: number[]): Promise<string[]>;
}

/** The prompt as one user turn rendered by the folder's chat template (ChatML when it has none), and the end-of-turn stops. */
export async function chatPrompt(dir: string, text: string): Promise<{ prompt: string; stop: string[] }> {
  return renderPrompt(resolveTemplate('auto', await readTokenizerConfig(dir)), text);
}

function renderPrompt(t: ChatTemplate, text: string): { prompt: string; stop: string[] } {
  return { prompt: renderChat(t, [{ role: 'user', content: text }], { addGenerationPrompt: true }), stop: [t.endOfTurn, t.eosToken].filter((s): s is string => !!s) };
}

/** A sampler over `model` (the caller disposes it); `dir` is the model folder (its chat template). */
export function createSampler(model: GPT, tok: Tokenizer, dir: string, o: SamplerOptions = {}): Sampler {
  const gen = { maxTokens: o.maxTokens ?? 64, temperature: o.temperature ?? 1, topK: o.topK ?? 0, topP: o.topP ?? 1 };
  let template: Promise<ChatTemplate> | undefined; // the folder's chat template, read once
  const chatPromptOf = async (text: string) => renderPrompt(await (template ??= readTokenizerConfig(dir).then((c) => resolveTemplate('auto', c))), text);
  return {
    async sample(prompt, seed) {
      if (!o.chat) return generateText(model, tok, prompt, { ...gen, seed });
      const c = await chatPromptOf(prompt);
      return generateText(model, tok, c.prompt, { ...gen, seed, allowSpecial: true, stop: c.stop });
    },
    async sampleMany(prompts, seeds) {
      const rendered = o.chat ? await Promise.all(prompts.map(chatPromptOf)) : prompts.map((p) => ({ prompt: p, stop: [] as string[] }));
      const stops = [...new Set(rendered.flatMap((r) => r.stop))];
      // Stop strings that are one token (a chat template's end of turn) end a row as it is drawn;
      // the others are cut after decoding, as generateText cuts them.
      const stopIds = new Set<number>(tok.eotId === null ? [] : [tok.eotId]);
      for (const s of stops) { const ids = tok.encode(s, { allowSpecial: true }); if (ids.length === 1) stopIds.add(ids[0]!); }
      const bs = model.config.block_size;
      const maxTokens = Math.min(gen.maxTokens, bs - 1);
      const ids = rendered.map((r) => {
        const e = tok.encode(r.prompt, { allowSpecial: o.chat ?? false });
        if (e.length === 0) e.push(tok.eotId ?? 0);
        return e.slice(Math.max(0, e.length - (bs - maxTokens))); // keep the end of a long prompt, as generate crops its window
      });
      const out = sampleCompletions(model, ids, { maxTokens, temperature: gen.temperature, topK: gen.topK, topP: gen.topP, stop: [...stopIds], seed: 0, rowSeeds: seeds });
      return out.map((row, i) => {
        const end = row.findIndex((id) => stopIds.has(id));
        const text = tok.decode(end < 0 ? row : row.slice(0, end));
        return cutAtStop(text, rendered[i]!.stop);
      });
    },
  };
}

/** `text` before the earliest of `stops`. */
function cutAtStop(text: string, stops: string[]): string {
  let at = text.length;
  for (const s of stops) { const i = s ? text.indexOf(s) : -1; if (i >= 0 && i < at) at = i; }
  return text.slice(0, at);
}
