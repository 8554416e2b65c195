/**
 * @fileoverview Text continuation for samples and generation tasks, on top of the model's
 * KV-cache `generate`: decode as ids arrive, stop at end-of-text or at the first `until`
 * string (cut before it), as lm-eval's `generate_until` does.
 */
import type { GPT } from '../model/gpt.js';
import { firstStop, generate } from '../model/sample.js';
import type { Tokenizer } from '../tokenizer/index.js';

export interface ContinueOptions {
  /** New tokens at most. @default 32 */
  maxTokens?: number;
  /** Strings that end the continuation (cut before). @default [] */
  until?: string[];
  /** 0 = greedy. @default 0 */
  temperature?: number;
  /** @default 0 */
  topK?: number;
  /** @default 1 */
  topP?: number;
  /** @default 1337 */
  seed?: number;
}

/** The continuation of `prompt` (without the prompt). An empty prompt starts from end-of-text. */
export async function continueText(model: GPT, tok: Tokenizer, prompt: string, o: ContinueOptions = {}): Promise<string> {
  const ids = tok.encode(prompt);
  if (ids.length === 0) ids.push(tok.eotId ?? 0);
  const until = (o.until ?? []).filter((s) => s.length > 0);
  const out: number[] = [];
  let text = '';
  const stop = tok.eotId === null ? [] : [tok.eotId];
  for await (const id of generate(model, ids, { maxTokens: o.maxTokens ?? 32, temperature: o.temperature ?? 0, topK: o.topK ?? 0, topP: o.topP ?? 1, seed: o.seed ?? 1337, stop })) {
    if (id === tok.eotId) break;
    out.push(id);
    text = tok.decode(out);
    const cut = firstStop(text, until);
    if (cut >= 0) return text.slice(0, cut);
  }
  return text;
}
