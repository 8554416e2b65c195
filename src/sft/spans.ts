/**
 * @fileoverview Cuts a rendered conversation into spans, each with its role and whether its
 * tokens are training targets. The spans come from rendering prefixes of the conversation,
 * so that any Jinja template works without TRL's `{% generation %}` markers:
 *
 *   render(msgs[:i])                      "<|im_start|>user\nHi<|im_end|>\n"
 *   render(msgs[:i], gen prompt)          … + "<|im_start|>assistant\n"            header, not supervised
 *   render(msgs[:i+1])                    … + "Hello!<|im_end|>" + "\n"            reply + end of turn supervised; "\n" not
 *
 * Each rendering must extend the previous one (the template is "prefix-stable"); templates
 * that rewrite earlier turns (e.g. dropping reasoning from all but the last reply) are refused.
 */
import { errors } from '../errors/index.js';
import type { Message } from './conversations.js';
import { renderChat, type ChatTemplate } from './render.js';

/** A piece of the rendered conversation. */
export interface Span {
  text: string;
  role: string;
  /** true: its tokens are training targets. */
  supervised: boolean;
}

/** Role of the single span returned when train_on is 'all' and the template is not prefix-stable. */
export const WHOLE_CONVERSATION = 'conversation';

/**
 * The rendered conversation as spans whose concatenation equals renderChat(t, messages).
 * trainOn 'assistant': only each assistant reply and its end-of-turn marker are supervised
 * (not the role header or generation prompt, nor what follows the marker); 'all': every span.
 * Throws E_SCHEMA naming the template when it is not prefix-stable (with 'all', the whole
 * rendering comes back as one supervised span instead).
 */
export function renderSpans(t: ChatTemplate, messages: Message[], o: { trainOn: 'assistant' | 'all'; where?: string }): Span[] {
  try {
    return prefixSpans(t, messages, o);
  } catch (err) {
    if (o.trainOn === 'all' && err instanceof NotPrefixStable) {
      return [{ text: renderChat(t, messages, { where: o.where }), role: WHOLE_CONVERSATION, supervised: true }];
    }
    if (err instanceof NotPrefixStable) throw errors.chatTemplateNotPrefixStable({ template: t.name, messages: err.messages, where: o.where });
    throw err;
  }
}

class NotPrefixStable extends Error {
  constructor(readonly messages: number) { super(`not prefix-stable at ${messages}`); }
}

function prefixSpans(t: ChatTemplate, messages: Message[], o: { trainOn: 'assistant' | 'all'; where?: string }): Span[] {
  const all = o.trainOn === 'all';
  const spans: Span[] = [];
  const push = (text: string, role: string, supervised: boolean): void => {
    if (text !== '') spans.push({ text, role, supervised });
  };
  const render = (n: number, gen = false): string => renderChat(t, messages.slice(0, n), { addGenerationPrompt: gen, where: o.where });
  let prev = emptyRendering(t);
  for (let i = 0; i < messages.length; i++) {
    const role = messages[i]!.role;
    if (role === 'assistant') {
      const prompt = extend(prev, render(i, true), i);
      push(prompt.slice(prev.length), role, all);
      const full = extend(prompt, render(i + 1), i + 1);
      const turn = full.slice(prompt.length);
      const reply = replyOf(turn, t.endOfTurn);
      push(reply, role, true);
      push(turn.slice(reply.length), role, all);
      prev = full;
    } else {
      const full = extend(prev, render(i + 1), i + 1);
      push(full.slice(prev.length), role, all);
      prev = full;
    }
  }
  return spans;
}

/** The reply part of an assistant turn: up to and including its last end-of-turn marker (all of it when there is none). */
function replyOf(turn: string, endOfTurn: string): string {
  const at = endOfTurn ? turn.lastIndexOf(endOfTurn) : -1;
  return at < 0 ? turn : turn.slice(0, at + endOfTurn.length);
}

/** `next`, checked to start with `prev`. */
function extend(prev: string, next: string, messages: number): string {
  if (!next.startsWith(prev)) throw new NotPrefixStable(messages);
  return next;
}

/** The rendering of no messages; '' when the template cannot render an empty list. */
function emptyRendering(t: ChatTemplate): string {
  try {
    return renderChat(t, []);
  } catch {
    return '';
  }
}
