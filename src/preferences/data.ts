/**
 * @fileoverview Preference data in TRL's formats, auto-detected per line:
 *
 *   {"prompt": "Say hi", "chosen": " Hello!", "rejected": " Go away.", "margin": 1.5}       text (margin optional)
 *   {"chosen": [{"role": "user", …}, {"role": "assistant", …}], "rejected": […]}          chat, implicit prompt
 *   {"prompt": [{"role": "user", …}], "chosen": [{"role": "assistant", …}], "rejected": […]}  chat, explicit prompt
 *
 * With the implicit prompt, the prompt is the longest shared prefix of whole messages (TRL's
 * extract_prompt). Every pair keeps its `file:line`; a bad line fails the read with it. A
 * `preferences` artifact is a folder of train.jsonl (+ validation.jsonl, test.jsonl).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import { ROLES, type Message } from '../sft/conversations.js';

interface PairCommon {
  /** Optional per-pair margin (TRL's `margin` column): the reward loss wants r_c − r_r > margin. */
  margin?: number;
  /** "file:line" for errors and reports. */
  where: string;
}

/** A prompt with a preferred and a dispreferred completion. */
export type PreferencePair =
  | (PairCommon & { form: 'text'; prompt: string; chosen: string; rejected: string })
  | (PairCommon & { form: 'chat'; prompt: Message[]; chosen: Message[]; rejected: Message[] });

/** Reads preference JSONL (blank lines skipped); E_ARTIFACT naming file:line for a bad line, or a file without pairs. */
export async function readPreferences(file: string): Promise<PreferencePair[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw errors.preferencesUnreadable({ file }, { file, cause: err });
  }
  const out = parsePreferences(text, file);
  if (out.length === 0) throw errors.preferencesEmpty({ file }, { file });
  return out;
}

/** Reads and concatenates several files. */
export async function readPreferenceFiles(files: string[]): Promise<PreferencePair[]> {
  const out: PreferencePair[] = [];
  for (const f of files) out.push(...(await readPreferences(f)));
  return out;
}

/** The JSONL files of a preferences artifact by split (sorted); `train` holds every file not named validation* or test*. */
export async function preferenceFiles(dir: string): Promise<{ train: string[]; validation: string[]; test: string[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  const pick = (p: string) => names.filter((n) => n.startsWith(p)).map((n) => join(dir, n));
  return { train: names.filter((n) => !n.startsWith('validation') && !n.startsWith('test')).map((n) => join(dir, n)), validation: pick('validation'), test: pick('test') };
}

/** The pure half of readPreferences: parses JSONL `text`; `file` only names positions. */
export function parsePreferences(text: string, file: string): PreferencePair[] {
  const out: PreferencePair[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    const fail = (problem: string) => errors.preferenceLineInvalid({ where, problem }, { file, loc: { line: i + 1, column: 1 } });
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw fail(`not JSON (${(err as Error).message})`);
    }
    if (isObject(rec) && (rec.skipped === true || rec.tie === true)) continue; // `trainyard label`'s skips and ties carry no preference
    out.push(pairOf(rec, where, fail));
  }
  return out;
}

type Fail = (problem: string) => Error;

function pairOf(rec: unknown, where: string, fail: Fail): PreferencePair {
  if (!isObject(rec)) throw fail('a line must be a JSON object');
  for (const k of ['chosen', 'rejected'] as const) if (!(k in rec)) throw fail(`has no "${k}" (keys: ${Object.keys(rec).join(', ') || 'none'})`);
  const margin = rec.margin;
  if (margin !== undefined && margin !== null && (typeof margin !== 'number' || !Number.isFinite(margin))) throw fail('"margin" must be a finite number');
  const common = { where, ...(typeof margin === 'number' ? { margin } : {}) };
  if (typeof rec.chosen === 'string' || typeof rec.rejected === 'string') {
    for (const k of ['prompt', 'chosen', 'rejected'] as const) if (typeof rec[k] !== 'string') throw fail(`"${k}" must be a string (text form)`);
    if (rec.chosen === '' || rec.rejected === '') throw fail('"chosen" and "rejected" must not be empty');
    return { form: 'text', prompt: rec.prompt as string, chosen: rec.chosen as string, rejected: rec.rejected as string, ...common };
  }
  const chosen = messages(rec.chosen, 'chosen', fail), rejected = messages(rec.rejected, 'rejected', fail);
  if (rec.prompt !== undefined) {
    const prompt = messages(rec.prompt, 'prompt', fail);
    return { form: 'chat', prompt, chosen, rejected, ...common };
  }
  let n = 0;
  while (n < chosen.length - 1 && n < rejected.length - 1 && sameMessage(chosen[n]!, rejected[n]!)) n++;
  if (n === 0) throw fail('"chosen" and "rejected" share no prompt messages (give "prompt", or start both with the same turns)');
  return { form: 'chat', prompt: chosen.slice(0, n), chosen: chosen.slice(n), rejected: rejected.slice(n), ...common };
}

function messages(value: unknown, key: string, fail: Fail): Message[] {
  if (!Array.isArray(value)) throw fail(`"${key}" must be a string or an array of messages`);
  if (value.length === 0) throw fail(`"${key}" is empty`);
  return value.map((m, k) => {
    if (!isObject(m) || typeof m.role !== 'string' || typeof m.content !== 'string') throw fail(`${key}[${k}] must be {"role": string, "content": string}`);
    if (!ROLES.includes(m.role)) throw fail(`${key}[${k}] has unknown role "${m.role}" (known: ${ROLES.join(', ')})`);
    return { role: m.role, content: m.content };
  });
}

const sameMessage = (a: Message, b: Message): boolean => a.role === b.role && a.content === b.content;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
