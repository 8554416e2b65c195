/**
 * @fileoverview The chat template of the eval stage's `chat` part: `auto` takes the model
 * folder's tokenizer_config.json chat_template, else ChatML.
 */
import { readTokenizerConfig } from '../../artifacts/conversations.js';
import { resolveTemplate, type ChatTemplate } from '../../sft/template.js';

export { heldOutConversations } from '../../artifacts/conversations.js';

export async function chatTemplateFor(modelDir: string, spec: string): Promise<ChatTemplate> {
  const cfg = await readTokenizerConfig(modelDir);
  return resolveTemplate(spec === 'auto' ? (cfg?.chat_template ? 'tokenizer_config' : 'chatml') : spec, cfg);
}
