/**
 * @fileoverview The lines of a preference file written by `trainyard label` and the feedback
 * stage — TRL's preference format plus two marks of ours:
 *
 *   {"prompt": "Hi", "chosen": " there", "rejected": " you"}              a judged pair
 *   {"chosen": [user, assistant], "rejected": [user, assistant]}          the same, --chat (shared prefix = prompt)
 *   {"prompt": "Hi", "chosen": " a", "rejected": " b", "tie": true}        a tie (left, right): not a preference
 *   {"prompt": "Hi", "skipped": true}                                     skipped: never asked again
 *   {"prompt": "Hi", "skipped": true, "reason": "tied scores"}            --judge: every sample scored the same
 *
 * Readers that train on pairs keep the lines without `tie` or `skipped`. Every line names its
 * prompt, so a restart knows which prompts are done.
 */
import type { Message } from '../sft/conversations.js';

/** A person's (or a judge's) answer to one prompt. */
export type Choice = 'left' | 'right' | 'tie' | 'skip';

/** One JSONL line of a preference file. */
export interface PreferenceLine {
  prompt?: string;
  chosen?: string | Message[];
  rejected?: string | Message[];
  tie?: true;
  skipped?: true;
  [extra: string]: unknown;
}

/** Two completions of one prompt, shown left and right. */
export interface Pair {
  prompt: string;
  left: string;
  right: string;
  /** Completions are assistant turns of a chat (`--chat`): write the conversational form. */
  chat?: boolean;
}

const turn = (prompt: string, reply: string): Message[] => [{ role: 'user', content: prompt }, { role: 'assistant', content: reply }];

/** The line recording `choice` for `pair` (skips keep only the prompt). */
export function answerLine(pair: Pair, choice: Choice, extra: Record<string, unknown> = {}): PreferenceLine {
  if (choice === 'skip') return { prompt: pair.prompt, skipped: true };
  const [chosen, rejected] = choice === 'right' ? [pair.right, pair.left] : [pair.left, pair.right];
  const body: PreferenceLine = pair.chat
    ? { chosen: turn(pair.prompt, chosen), rejected: turn(pair.prompt, rejected) }
    : { prompt: pair.prompt, chosen, rejected };
  return { ...body, ...extra, ...(choice === 'tie' ? { tie: true as const } : {}) };
}

/** The prompt a line answers: `prompt`, else the first user turn of the chat form; null when it has none. */
export function promptOf(line: PreferenceLine): string | null {
  if (typeof line.prompt === 'string') return line.prompt;
  const first = Array.isArray(line.chosen) ? line.chosen.find((m) => m.role === 'user') : undefined;
  return first ? first.content : null;
}
