/**
 * @fileoverview A preference pair as token ids: the prompt's ids and each completion's ids,
 * cut to fit a window. Text pairs are encoded piece by piece (prompt, then completion, as
 * TRL does); chat pairs go through the chat template (src/sft): the prompt with the
 * generation prompt, the completion as the rest of the rendered conversation.
 *
 * Truncation, when prompt ⊕ completion exceeds `maxLength` (TRL's keep_end for prompts): the
 * prompt keeps its last `maxPromptLength` tokens, then each completion keeps its start.
 * Chosen and rejected share the same prompt ids, so their scores differ by the completions only.
 */
import type { Conversation } from '../sft/conversations.js';
import { encodeConversation, encodePrompt } from '../sft/encode.js';
import type { ChatTemplate } from '../sft/template.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { PreferencePair } from './data.js';

/** One tokenized pair. */
export interface EncodedPair {
  prompt: Int32Array;
  chosen: Int32Array;
  rejected: Int32Array;
  /** The pair's margin (0 when the data has none). */
  margin: number;
  where: string;
}

export interface EncodeOptions {
  /** Longest prompt ⊕ completion in tokens (the model's block size, or less). */
  maxLength: number;
  /** Tokens of the prompt kept (its end) when a pair is too long. @default maxLength / 2 */
  maxPromptLength?: number;
  /** Needed for chat-form pairs. */
  template?: ChatTemplate;
}

/** Tokenizes and fits one pair; `truncated` says whether anything was cut. */
export function encodePair(tok: Tokenizer, p: PreferencePair, o: EncodeOptions): EncodedPair & { truncated: boolean } {
  const { prompt, chosen, rejected } = p.form === 'text'
    ? { prompt: Int32Array.from(tok.encode(p.prompt)), chosen: Int32Array.from(tok.encode(p.chosen)), rejected: Int32Array.from(tok.encode(p.rejected)) }
    : chatIds(tok, p, o.template);
  const fit = fitPair(prompt, chosen, rejected, o.maxLength, o.maxPromptLength ?? Math.floor(o.maxLength / 2));
  return { ...fit, margin: p.margin ?? 0, where: p.where };
}

function chatIds(tok: Tokenizer, p: PreferencePair & { form: 'chat' }, t: ChatTemplate | undefined): { prompt: Int32Array; chosen: Int32Array; rejected: Int32Array } {
  if (!t) throw new Error(`${p.where}: a chat-form pair needs a chat template`);
  const prompt = encodePrompt(tok, t, p.prompt);
  const completion = (msgs: typeof p.chosen) => {
    const c: Conversation = { messages: [...p.prompt, ...msgs], where: p.where };
    const full = encodeConversation(tok, t, c, { trainOn: 'all' }).ids;
    let n = 0; // the prompt's ids are a prefix of the whole conversation's, except with odd templates
    while (n < prompt.length && n < full.length && full[n] === prompt[n]) n++;
    return full.slice(n);
  };
  return { prompt, chosen: completion(p.chosen), rejected: completion(p.rejected) };
}

/**
 * Cuts a pair to `maxLength`: when the longer completion does not fit, the prompt keeps its
 * last `maxPromptLength` tokens; then every completion keeps its first tokens.
 */
export function fitPair(prompt: Int32Array, chosen: Int32Array, rejected: Int32Array, maxLength: number, maxPromptLength: number): { prompt: Int32Array; chosen: Int32Array; rejected: Int32Array; truncated: boolean } {
  const longest = Math.max(chosen.length, rejected.length);
  const keep = Math.min(maxPromptLength, maxLength - 1);
  const p = prompt.length + longest > maxLength && prompt.length > keep ? prompt.slice(prompt.length - keep) : prompt;
  const room = maxLength - p.length;
  const truncated = p.length < prompt.length || longest > room;
  return { prompt: p, chosen: chosen.slice(0, room), rejected: rejected.slice(0, room), truncated };
}
