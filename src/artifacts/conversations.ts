/**
 * @fileoverview The `sft` artifact (conversations as JSONL, DESIGN.md): a folder of
 * `<split>.jsonl` files — train.jsonl, validation.jsonl, test.jsonl; any other name counts as
 * training data — read through src/sft/conversations.ts; and a model folder's optional
 * tokenizer_config.json (Hugging Face), which carries the chat template.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { readConversations, type Conversation } from '../sft/conversations.js';
import { readJsonFile } from '../util/json-file.js';

/** The JSONL files of an sft artifact by split (sorted); `train` holds every file not named validation* or test*. */
export async function conversationFiles(dir: string): Promise<{ train: string[]; validation: string[]; test: string[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  const pick = (p: string) => names.filter((n) => n.startsWith(p)).map((n) => join(dir, n));
  return { train: names.filter((n) => !n.startsWith('validation') && !n.startsWith('test')).map((n) => join(dir, n)), validation: pick('validation'), test: pick('test') };
}

/** Reads and concatenates the conversations of several files. */
export async function readConversationFiles(files: string[]): Promise<Conversation[]> {
  const out: Conversation[] = [];
  for (const f of files) out.push(...(await readConversations(f)));
  return out;
}

/** The held-out conversations of an sft artifact: test*, else validation*, else every file. */
export async function heldOutConversations(dir: string): Promise<{ convs: Conversation[]; files: string[] }> {
  const f = await conversationFiles(dir);
  const files = f.test.length ? f.test : f.validation.length ? f.validation : [...f.train];
  return { convs: await readConversationFiles(files), files };
}

/** A model folder's tokenizer_config.json, or null when it has none (E_ARTIFACT when it is not JSON). */
export async function readTokenizerConfig(modelDir: string): Promise<Record<string, unknown> | null> {
  const file = join(modelDir, 'tokenizer_config.json');
  if (!existsSync(file)) return null;
  const v = await readJsonFile(file, {
    missing: (cause) => errors.modelFileMissing({ file }, { cause }),
    invalid: (cause) => errors.modelConfigInvalid({ file, problem: 'not valid JSON' }, { cause }),
  });
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw errors.modelConfigInvalid({ file, problem: 'expected a JSON object' });
  return v as Record<string, unknown>;
}
