/**
 * @fileoverview Turns a conversation into token ids and a label mask. The spans of
 * renderSpans are tokenized one by one with special tokens allowed, so a mask boundary is
 * always a token boundary (no token straddles a prompt and a reply).
 *
 * Caveat: a tokenizer with `add_prefix_space` would add a space to every span; Trainyard's
 * own byte-level BPE (and GPT-2's) do not set it.
 */
import { errors } from '../errors/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { Conversation, Message } from './conversations.js';
import { renderChat, renderSpans, type ChatTemplate } from './template.js';

/** One tokenized conversation. */
export interface Sample {
  ids: Int32Array;
  /** supervised[i]: ids[i] is a training target (predicted from ids[<i]). */
  supervised: Uint8Array;
  /** Role per token. */
  roles: string[];
  /** "file:line" of the conversation. */
  where: string;
}

/**
 * Tokenizes `c` span by span (`tok.encode(text, { allowSpecial: true })`). Throws E_ARTIFACT
 * when the tokenizer lacks one of the template's special tokens (see missingSpecialTokens).
 */
export function encodeConversation(tok: Tokenizer, t: ChatTemplate, c: Conversation, o: { trainOn: 'assistant' | 'all' }): Sample {
  assertSpecialTokens(tok, t);
  const ids: number[] = [], supervised: number[] = [], roles: string[] = [];
  for (const span of renderSpans(t, c.messages, { trainOn: o.trainOn, where: c.where })) {
    for (const id of tok.encode(span.text, { allowSpecial: true })) {
      ids.push(id);
      supervised.push(span.supervised ? 1 : 0);
      roles.push(span.role);
    }
  }
  return { ids: Int32Array.from(ids), supervised: Uint8Array.from(supervised), roles, where: c.where };
}

/**
 * The ids of a prompt for generation: `messages` rendered with the generation prompt, encoded
 * span by span as in training (so the prompt's ids match what the model saw).
 */
export function encodePrompt(tok: Tokenizer, t: ChatTemplate, messages: Message[]): Int32Array {
  assertSpecialTokens(tok, t);
  const ids: number[] = [];
  for (const span of renderSpans(t, messages, { trainOn: 'all' })) ids.push(...tok.encode(span.text, { allowSpecial: true }));
  const full = renderChat(t, messages);
  const prompt = renderChat(t, messages, { addGenerationPrompt: true });
  if (prompt.startsWith(full)) ids.push(...tok.encode(prompt.slice(full.length), { allowSpecial: true }));
  else return Int32Array.from(tok.encode(prompt, { allowSpecial: true }));
  return Int32Array.from(ids);
}

/** The template's special tokens that the tokenizer does not have as single ids. */
export function missingSpecialTokens(tok: Tokenizer, t: ChatTemplate): string[] {
  return t.specialTokens.filter((s) => !tok.specialTokens.has(s));
}

function assertSpecialTokens(tok: Tokenizer, t: ChatTemplate): void {
  const missing = missingSpecialTokens(tok, t);
  if (missing.length > 0) throw errors.chatTemplateTokensMissing({ template: t.name, missing });
}
