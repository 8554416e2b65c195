/**
 * @fileoverview Prompts to label: a JSONL file whose lines are `{"prompt": "…"}`, a JSON
 * string, or a conversation (`{"messages": […]}`, its first user turn) — so an sft data file
 * works as a prompt list. Repeated prompts are asked once.
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../errors/index.js';
import type { Conversation } from '../sft/conversations.js';

/** The prompts of a JSONL file, in order, without repeats. */
export async function readPrompts(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => { throw errors.promptsUnreadable({ file }); });
  const out: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    out.push(promptFromLine(raw, `${file}:${i + 1}`));
  }
  if (out.length === 0) throw errors.promptsEmpty({ file });
  return unique(out);
}

function promptFromLine(raw: string, where: string): string {
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw errors.promptLineInvalid({ where, problem: 'not valid JSON' }); }
  if (typeof v === 'string') return v;
  const o = (v ?? {}) as { prompt?: unknown; messages?: Array<{ role?: unknown; content?: unknown }> };
  if (typeof o.prompt === 'string') return o.prompt;
  const user = Array.isArray(o.messages) ? o.messages.find((m) => m?.role === 'user') : undefined;
  if (user && typeof user.content === 'string') return user.content;
  throw errors.promptLineInvalid({ where, problem: 'no "prompt" string (or user turn in "messages")' });
}

/** The first user turn of each conversation (the prompts an sft data set asks). */
export function userTurns(convs: Conversation[]): string[] {
  return unique(convs.flatMap((c) => c.messages.filter((m) => m.role === 'user').slice(0, 1).map((m) => m.content)));
}

/** Keeps the first occurrence of each string. */
export function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
