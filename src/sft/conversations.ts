/**
 * @fileoverview Reads supervised fine-tuning data: JSONL in the two shapes TRL and axolotl
 * users have, auto-detected per line.
 *
 *   {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}   chat (TRL)
 *   {"instruction": "Add 2 and 3", "input": "", "output": "5", "system": "…"}                        instruction (alpaca)
 *
 * Every conversation keeps its `file:line`, so that errors, the label-mask report and
 * validation samples can point back at the line. A bad line fails the read with that position.
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../errors/index.js';

/** One turn of a conversation. */
export interface Message { role: string; content: string }

/** A conversation and where it came from. */
export interface Conversation {
  messages: Message[];
  /** "file:line" for errors and reports. */
  where: string;
}

/** An alpaca/axolotl instruction record. */
export interface InstructionRecord { instruction: string; input?: string; output: string; system?: string }

/** Roles a message may have (the ones chat templates know). */
export const ROLES: readonly string[] = ['system', 'user', 'assistant'];

/**
 * Reads chat or instruction JSONL (auto-detected per line; blank lines are skipped). A bad
 * line (not JSON, wrong shape, unknown role, empty messages, no assistant turn) throws
 * E_ARTIFACT naming `file:line`; so does a file without any conversation.
 */
export async function readConversations(file: string): Promise<Conversation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw errors.conversationsUnreadable({ file }, { file, cause: err });
  }
  const out = parseConversations(text, file);
  if (out.length === 0) throw errors.conversationsEmpty({ file }, { file });
  return out;
}

/** The pure half of readConversations: parses JSONL `text`; `file` only names positions. */
export function parseConversations(text: string, file: string): Conversation[] {
  const out: Conversation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    const fail = (problem: string) => errors.conversationLineInvalid({ where, problem }, { file, loc: { line: i + 1, column: 1 } });
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw fail(`not JSON (${(err as Error).message})`);
    }
    out.push({ messages: messagesOf(rec, fail), where });
  }
  return out;
}

/** The messages of one parsed line, in either shape. */
function messagesOf(rec: unknown, fail: (problem: string) => Error): Message[] {
  if (!isObject(rec)) throw fail('a line must be a JSON object');
  let messages: Message[];
  if ('messages' in rec) messages = chatMessages(rec.messages, fail);
  else if ('instruction' in rec || 'output' in rec) messages = instructionToMessages(instructionRecord(rec, fail));
  else throw fail(`has neither "messages" nor "instruction"/"output" (keys: ${Object.keys(rec).join(', ') || 'none'})`);
  if (!messages.some((m) => m.role === 'assistant')) throw fail('has no assistant turn, so there is nothing to learn from it');
  return messages;
}

function chatMessages(value: unknown, fail: (problem: string) => Error): Message[] {
  if (!Array.isArray(value)) throw fail('"messages" must be an array');
  if (value.length === 0) throw fail('"messages" is empty');
  return value.map((m, k) => {
    if (!isObject(m) || typeof m.role !== 'string' || typeof m.content !== 'string') {
      throw fail(`messages[${k}] must be {"role": string, "content": string}`);
    }
    if (!ROLES.includes(m.role)) throw fail(`messages[${k}] has unknown role "${m.role}" (known: ${ROLES.join(', ')})`);
    return { role: m.role, content: m.content };
  });
}

function instructionRecord(rec: Record<string, unknown>, fail: (problem: string) => Error): InstructionRecord {
  for (const key of ['instruction', 'output'] as const) {
    if (typeof rec[key] !== 'string') throw fail(`"${key}" must be a string`);
  }
  for (const key of ['input', 'system'] as const) {
    if (rec[key] !== undefined && rec[key] !== null && typeof rec[key] !== 'string') throw fail(`"${key}" must be a string`);
  }
  return {
    instruction: rec.instruction as string, output: rec.output as string,
    input: (rec.input as string | null | undefined) ?? undefined, system: (rec.system as string | null | undefined) ?? undefined,
  };
}

/**
 * An instruction record as messages: [system], user = instruction + ("\n\n" + input when
 * input is not empty), assistant = output (alpaca's layout, without its prose preamble).
 */
export function instructionToMessages(rec: InstructionRecord): Message[] {
  const messages: Message[] = [];
  if (rec.system) messages.push({ role: 'system', content: rec.system });
  messages.push({ role: 'user', content: rec.input ? `${rec.instruction}\n\n${rec.input}` : rec.instruction });
  messages.push({ role: 'assistant', content: rec.output });
  return messages;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
