/**
 * @fileoverview What the eval stage's `chat` part reads: the held-out conversations of an
 * `sft` artifact (test*.jsonl, else validation*.jsonl, else every .jsonl) and the chat
 * template (`auto`: the model folder's tokenizer_config.json chat_template, else ChatML).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../errors/index.js';
import { readConversations, type Conversation } from '../../sft/conversations.js';
import { resolveTemplate, type ChatTemplate } from '../../sft/template.js';

export async function heldOutConversations(dir: string): Promise<{ convs: Conversation[]; files: string[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  const pick = ['test', 'validation'].map((p) => names.filter((n) => n.startsWith(p))).find((l) => l.length > 0) ?? names;
  const convs: Conversation[] = [];
  for (const n of pick) convs.push(...(await readConversations(join(dir, n))));
  return { convs, files: pick };
}

export async function chatTemplateFor(modelDir: string, spec: string): Promise<ChatTemplate> {
  const file = join(modelDir, 'tokenizer_config.json');
  let cfg: Record<string, unknown> | null = null;
  if (existsSync(file)) {
    try {
      cfg = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw errors.modelConfigInvalid({ file, problem: 'not valid JSON' }, { cause });
    }
  }
  const s = spec === 'auto' ? (cfg?.chat_template ? 'tokenizer_config' : 'chatml') : spec;
  return resolveTemplate(s, cfg);
}
