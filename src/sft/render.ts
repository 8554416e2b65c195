/**
 * @fileoverview Renders a ChatTemplate through @huggingface/jinja with the variables
 * transformers' `apply_chat_template` passes: `messages`, `add_generation_prompt`,
 * `bos_token` and `eos_token`. Each template's Jinja text is parsed once.
 */
import { Template } from '@huggingface/jinja';
import { errors } from '../errors/index.js';
import type { Message } from './conversations.js';

/** A chat template and the tokens it needs. */
export interface ChatTemplate {
  /** 'chatml' | 'llama2' | 'custom' | 'tokenizer_config' */
  name: string;
  /** Jinja text (what goes into tokenizer_config.json "chat_template"). */
  source: string;
  /** Tokens the template needs as single ids, e.g. ['<|im_start|>', '<|im_end|>']. */
  specialTokens: string[];
  /** String that ends an assistant turn (generation stops there), e.g. '<|im_end|>'; '' when none is known. */
  endOfTurn: string;
  /** Passed to the template as bos_token. */
  bosToken?: string;
  /** Passed to the template as eos_token. */
  eosToken?: string;
}

const cache = new WeakMap<ChatTemplate, Template>();

/** The parsed Jinja program of `t` (parsed once per template object); E_SCHEMA when it does not parse. */
export function compiled(t: ChatTemplate): Template {
  let tpl = cache.get(t);
  if (!tpl) {
    try {
      tpl = new Template(t.source);
    } catch (err) {
      throw errors.chatTemplateFailed({ template: t.name, problem: `the Jinja text does not parse (${(err as Error).message})` }, { cause: err });
    }
    cache.set(t, tpl);
  }
  return tpl;
}

/** Renders `messages` as transformers' `apply_chat_template(…, tokenize=False)` does. */
export function renderChat(t: ChatTemplate, messages: Message[], o: { addGenerationPrompt?: boolean; where?: string } = {}): string {
  try {
    return compiled(t).render({
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: o.addGenerationPrompt ?? false,
      bos_token: t.bosToken ?? '', eos_token: t.eosToken ?? '',
    });
  } catch (err) {
    if ((err as { code?: unknown }).code !== undefined) throw err;
    throw errors.chatTemplateFailed({ template: t.name, problem: (err as Error).message, where: o.where }, { cause: err });
  }
}
