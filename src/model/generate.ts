/**
 * @fileoverview Text generation on top of the token sampler (sample.ts): encode the prompt,
 * decode as ids arrive, stop at end-of-text or at the first stop string (cut before it, as
 * lm-eval's `generate_until` does), optionally streaming the text. The one generator behind
 * `trainyard sample`, eval samples and generation tasks.
 *
 *   const text = await generateText(model, tok, 'Call me', { maxTokens: 50, stop: ['\n\n'] });
 *   await sampleFromFolder('out/model', { prompt: 'Call me' }, (s) => process.stdout.write(s));
 */
import type { Tokenizer } from '../tokenizer/index.js';
import type { GPT } from './gpt.js';
import { loadModel } from './load.js';
import { generate, type GenerateOptions } from './sample.js';

export interface GenerateTextOptions extends Omit<GenerateOptions, 'stop'> {
  /** Strings that end generation (the output is cut before them). @default [] */
  stop?: string[];
  /**
   * Receives the text as it is generated; the chunks join to the returned text. A cut
   * multi-byte character and a possible stop-string prefix are held back until resolved.
   */
  onText?: (chunk: string) => void;
  /** Encode special-token text in the prompt as its id (a prompt rendered by a chat template). @default false */
  allowSpecial?: boolean;
}

/** The continuation of `prompt` (without the prompt). An empty prompt starts from end-of-text. */
export async function generateText(model: GPT, tok: Tokenizer, prompt: string, o: GenerateTextOptions = {}): Promise<string> {
  const promptIds = tok.encode(prompt, { allowSpecial: o.allowSpecial ?? false });
  if (promptIds.length === 0) promptIds.push(tok.eotId ?? 0);
  const stops = (o.stop ?? []).filter((s) => s.length > 0);
  const ids: number[] = [];
  let emitted = 0;
  let text = '';
  for await (const id of generate(model, promptIds, { ...o, stop: tok.eotId === null ? [] : [tok.eotId] })) {
    if (id === tok.eotId) break;
    ids.push(id);
    text = tok.decode(ids);
    const cut = firstStop(text, stops);
    if (cut >= 0) { text = text.slice(0, cut); break; }
    if (!o.onText) continue;
    const safe = text.endsWith('\uFFFD') ? text.length - 1 : text.length - holdBack(text, stops);
    if (safe > emitted) { o.onText(text.slice(emitted, safe)); emitted = safe; }
  }
  if (o.onText && text.length > emitted) o.onText(text.slice(emitted));
  return text;
}

/** Index of the earliest occurrence of any stop string in `text`, or -1. */
function firstStop(text: string, stops: string[]): number {
  let at = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/** Length of the longest suffix of `text` that is a proper prefix of a stop string. */
function holdBack(text: string, stops: string[]): number {
  let n = 0;
  for (const s of stops) for (let k = Math.min(s.length - 1, text.length); k > n; k--) if (text.endsWith(s.slice(0, k))) { n = k; break; }
  return n;
}

export interface SampleFolderOptions extends Omit<GenerateTextOptions, 'onText'> {
  /** Text to continue. Empty: start from the end-of-text token. @default '' */
  prompt?: string;
}

/**
 * Loads a model folder and streams the decoded continuation of `prompt` to `onText`
 * (`trainyard sample`), on the active TF.js backend (the caller sets it up). Returns the whole
 * continuation.
 */
export async function sampleFromFolder(modelDir: string, o: SampleFolderOptions, onText: (chunk: string) => void): Promise<string> {
  const { model, tokenizer } = await loadModel(modelDir);
  try {
    return await generateText(model, tokenizer, o.prompt ?? '', { ...o, onText });
  } finally {
    model.dispose();
  }
}
