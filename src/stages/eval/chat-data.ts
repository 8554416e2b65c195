/**
 * @fileoverview What the eval stage's `chat` part reads: held-out conversations (the `chat`
 * input or `chat_data` files) and the chat template (`auto`: the model folder's
 * tokenizer_config.json chat_template, else ChatML).
 */
import { readConversationFiles, readTokenizerConfig } from '../../artifacts/conversations.js';
import type { Conversation } from '../../sft/conversations.js';
import { resolveTemplate, type ChatTemplate } from '../../sft/template.js';

export { heldOutConversations } from '../../artifacts/conversations.js';

/** Conversations of the `chat_data` files. */
export async function conversationsFrom(files: string[]): Promise<{ convs: Conversation[]; files: string[] }> {
  return { convs: await readConversationFiles(files), files };
}

export async function chatTemplateFor(modelDir: string, spec: string): Promise<ChatTemplate> {
  return resolveTemplate(spec, await readTokenizerConfig(modelDir));
}
