/**
 * @fileoverview PPO's prompts: `with.prompts`, or `with.prompts_file` (JSONL of {"prompt": …},
 * relative to the pipeline file), and the held-out ones (`eval_prompts_file`, `eval_prompts`), encoded raw or as a user turn of the model's chat template,
 * cut from the left so a completion of max_new_tokens still fits the block.
 */
import { resolve } from 'node:path';
import { readTokenizerConfig } from '../../artifacts/conversations.js';
import { readLines } from '../../artifacts/documents.js';
import { errors } from '../../errors/index.js';
import { encodePrompt } from '../../sft/encode.js';
import { resolveTemplate } from '../../sft/template.js';
import type { Tokenizer } from '../../tokenizer/index.js';
import type { PpoOptions } from '../options.gen.js';

export interface Prompt { text: string; ids: number[] }

/** The prompts file (absolute), for the cache key and for reading. */
export function promptsFile(o: PpoOptions, cwd: string): string | null {
  return o.prompts_file ? resolve(cwd, o.prompts_file) : null;
}

/** The files the stage reads (prompts and held-out prompts), for the cache key. */
export function promptFiles(o: PpoOptions, cwd: string): string[] {
  return [o.prompts_file, o.eval_prompts_file].filter((f): f is string => !!f).map((f) => resolve(cwd, f));
}

/** Prompt texts from the options (list first, then the file). */
export async function promptTexts(o: PpoOptions, cwd: string): Promise<string[]> {
  const file = promptsFile(o, cwd);
  const out = [...(o.prompts ?? []), ...(file ? await readPromptsFile(file) : [])];
  if (out.length === 0) throw errors.ppoNoPrompts();
  return out;
}

/** The held-out prompts of the before/after table: eval_prompts_file, else eval_prompts, else the first 4 prompts. */
export async function evalPromptTexts(o: PpoOptions, cwd: string, prompts: string[]): Promise<string[]> {
  if (o.eval_prompts_file) {
    const out = await readPromptsFile(resolve(cwd, o.eval_prompts_file));
    if (out.length === 0) throw errors.ppoNoPrompts();
    return out;
  }
  return o.eval_prompts ?? prompts.slice(0, 4);
}

/** The prompts of a JSONL file of {"prompt": …} lines (file:line errors). */
async function readPromptsFile(file: string): Promise<string[]> {
  const out: string[] = [];
  let i = 0;
  try {
    for await (const line of readLines(file)) {
      i++;
      if (!line.trim()) continue;
      let v: unknown;
      try { v = JSON.parse(line); } catch { throw errors.ppoPromptsInvalid({ where: `${file}:${i}`, problem: 'not valid JSON' }); }
      const p = (v as { prompt?: unknown } | null)?.prompt;
      if (typeof p !== 'string') throw errors.ppoPromptsInvalid({ where: `${file}:${i}`, problem: 'no string "prompt"' });
      out.push(p);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw errors.ppoPromptsUnreadable({ file }, { cause: e });
    throw e;
  }
  return out;
}

/** An encoder of prompt texts and the ids that end a completion. */
export async function promptEncoder(modelDir: string, tok: Tokenizer, chat: boolean, room: number): Promise<{ encode(text: string): Prompt; stop: number[] }> {
  const template = chat ? resolveTemplate('tokenizer_config', await readTokenizerConfig(modelDir)) : null;
  const stop = [template ? tok.specialTokens.get(template.endOfTurn) : undefined, tok.eotId].filter((x): x is number => typeof x === 'number');
  const encode = (text: string): Prompt => {
    let ids = template ? [...encodePrompt(tok, template, [{ role: 'user', content: text }])] : tok.encode(text);
    if (ids.length === 0) ids = [tok.eotId ?? 0]; // a completion needs one token to start from
    ids = ids.slice(-room);
    return { text, ids };
  };
  return { encode, stop };
}
