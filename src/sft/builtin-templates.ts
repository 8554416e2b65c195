/**
 * @fileoverview The chat templates Trainyard ships, as Hugging Face Jinja text (what goes
 * into tokenizer_config.json "chat_template", so an exported model renders the same way in
 * transformers).
 *
 * - `chatml` (the default): OpenAI's Chat Markup Language, the template the transformers
 *   chat-templating guide recommends for models trained from scratch and the one TRL's
 *   `setup_chat_format` installs. `<|im_start|>` and `<|im_end|>` are added to the tokenizer
 *   as special tokens; `<|im_end|>` ends a turn, so generation stops there.
 * - `llama2`: the template of meta-llama/Llama-2-7b-chat-hf's tokenizer_config.json
 *   (`<s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST] … </s>`), verbatim. It has no generation
 *   prompt: the user turn already ends with ` [/INST]`.
 */
import type { ChatTemplate } from './render.js';

const CHATML_SOURCE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const LLAMA2_SOURCE =
  "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
  '{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}' +
  "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
  "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
  "{% else %}{% set content = message['content'] %}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
  "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

/** Built-in templates by name. @default 'chatml' is the sft stage's default. */
export const BUILTIN_TEMPLATES: Record<string, ChatTemplate> = {
  chatml: {
    name: 'chatml',
    source: CHATML_SOURCE,
    specialTokens: ['<|im_start|>', '<|im_end|>'],
    endOfTurn: '<|im_end|>',
    eosToken: '<|im_end|>',
  },
  llama2: {
    name: 'llama2',
    source: LLAMA2_SOURCE,
    specialTokens: ['<s>', '</s>'],
    endOfTurn: '</s>',
    bosToken: '<s>',
    eosToken: '</s>',
  },
};
