/**
 * @fileoverview Task files, modeled on lm-evaluation-harness's task YAML: a YAML file that
 * points at a JSONL data file (one document a line) and says how to turn a document into a
 * prompt, choices and a target. MMLU- and HellaSwag-style files drop in unchanged in shape.
 *
 *   task: moby_cloze
 *   dataset_path: moby-cloze.jsonl        # relative to the YAML file
 *   output_type: multiple_choice          # or generate_until
 *   doc_to_text: "{{context}}"
 *   doc_to_choice: choices                # a field, a template, or a YAML list
 *   doc_to_target: label                  # index into the choices, or the answer text
 *   target_delimiter: " "                 # lm-eval default
 *   generation_kwargs: { until: ["\n"], max_gen_toks: 32 }
 *   metric_list: [{ metric: acc }, { metric: acc_norm }]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import { errors, type TrainyardError } from '../errors/index.js';
import { templateProblem, type TaskDoc } from './template.js';

export type OutputType = 'multiple_choice' | 'generate_until';

export interface TaskConfig {
  task: string;
  /** Absolute path of the JSONL data. */
  dataset_path: string;
  output_type: OutputType;
  doc_to_text: string;
  doc_to_target: unknown;
  doc_to_choice?: unknown;
  /** Put between the prompt and the answer. @default ' ' */
  target_delimiter: string;
  /** Put between few-shot examples. @default '\n\n' */
  fewshot_delimiter: string;
  /** Text before the first example. @default '' */
  description: string;
  /** Examples taken from the start of the data as few-shot context (and not scored). @default 0 */
  num_fewshot: number;
  /** Score at most this many documents (0 = all). @default 0 */
  limit: number;
  generation_kwargs: { until: string[]; max_gen_toks: number };
  /** Metric names (built-in or plugin). */
  metrics: string[];
}

const DEFAULT_METRICS: Record<OutputType, string[]> = { multiple_choice: ['acc', 'acc_norm'], generate_until: ['exact_match', 'contains'] };

function bad(file: string, msg: string): TrainyardError {
  return errors.taskFile({ file, problem: msg });
}

/** The keys whose string values are prompt templates. */
const TEMPLATE_KEYS = ['doc_to_text', 'doc_to_choice', 'doc_to_target'];

/** Throws E_TASK at file:line:column for the first malformed template placeholder. */
function checkTemplates(file: string, y: Record<string, unknown>, lineOf: (key: string) => { line: number; column: number } | undefined): void {
  const templates: Array<[string, string]> = [];
  for (const key of TEMPLATE_KEYS) {
    const v = y[key];
    if (typeof v === 'string') templates.push([key, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'string' && templates.push([`${key}[${i}]`, x]));
  }
  for (const [key, template] of templates) {
    const p = templateProblem(template);
    if (p) throw errors.templateSyntax({ key, ...p }, { file, loc: lineOf(key.replace(/\[\d+\]$/, '')) });
  }
}

/** Parses and checks a task YAML; paths resolve against the file's folder. */
export function parseTaskConfig(file: string, text: string): TaskConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw bad(file, `not valid YAML: ${doc.errors[0]!.message}`);
  const y = doc.toJS() as Record<string, unknown>;
  if (!y || typeof y !== 'object') throw bad(file, 'expected a mapping');
  const lineOf = (key: string) => {
    const pair = isMap(doc.contents) ? doc.contents.items.find((it) => isScalar(it.key) && it.key.value === key) : undefined;
    const offset = pair && isScalar(pair.value) ? pair.value.range?.[0] : undefined;
    if (offset === undefined) return undefined;
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  checkTemplates(file, y, lineOf);
  const str = (k: string, d?: string): string => {
    const v = y[k] ?? d;
    if (typeof v !== 'string') throw bad(file, `"${k}" must be a string`);
    return v;
  };
  const output = str('output_type', 'multiple_choice') as OutputType;
  if (!(output in DEFAULT_METRICS)) throw bad(file, `output_type "${output}" is not one of ${Object.keys(DEFAULT_METRICS).join(', ')}`);
  if (output === 'multiple_choice' && y.doc_to_choice === undefined) throw bad(file, 'a multiple_choice task needs doc_to_choice');
  if (y.doc_to_target === undefined) throw bad(file, 'doc_to_target is required');
  const gen = (y.generation_kwargs ?? {}) as { until?: unknown; max_gen_toks?: unknown };
  const until = gen.until === undefined ? ['\n\n'] : Array.isArray(gen.until) ? gen.until.map(String) : [String(gen.until)];
  const list = Array.isArray(y.metric_list) ? y.metric_list.map((m) => (typeof m === 'string' ? m : String((m as { metric?: unknown }).metric))) : DEFAULT_METRICS[output];
  return {
    task: str('task'),
    dataset_path: resolve(dirname(file), str('dataset_path')),
    output_type: output,
    doc_to_text: str('doc_to_text'),
    doc_to_target: y.doc_to_target,
    doc_to_choice: y.doc_to_choice,
    target_delimiter: str('target_delimiter', ' '),
    fewshot_delimiter: str('fewshot_delimiter', '\n\n'),
    description: str('description', ''),
    num_fewshot: Number(y.num_fewshot ?? 0),
    limit: Number(y.limit ?? 0),
    generation_kwargs: { until, max_gen_toks: Number(gen.max_gen_toks ?? 32) },
    metrics: list,
  };
}

/** Reads a task YAML and its JSONL documents. */
export async function loadTask(file: string): Promise<{ config: TaskConfig; docs: TaskDoc[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw errors.taskFileUnreadable({ file }, { cause: err });
  }
  const config = parseTaskConfig(file, text);
  let data: string;
  try {
    data = await readFile(config.dataset_path, 'utf8');
  } catch (err) {
    throw bad(file, `cannot read dataset_path ${config.dataset_path}`);
  }
  const docs: TaskDoc[] = [];
  data.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      docs.push(JSON.parse(line) as TaskDoc);
    } catch {
      throw bad(config.dataset_path, `line ${i + 1} is not valid JSON`);
    }
  });
  if (docs.length <= config.num_fewshot) throw bad(file, `${docs.length} document(s) leave none to score after ${config.num_fewshot} few-shot example(s)`);
  return { config, docs };
}

/** The JSONL path a task YAML points at, or null when it cannot be read (for the cache key). */
/** The files a task brings into a cache key: its YAML, and its dataset when that exists. */
export async function taskFiles(yamlPath: string): Promise<string[]> {
  if (!existsSync(yamlPath)) return [yamlPath];
  const data = await taskDataPath(yamlPath);
  return data && existsSync(data) ? [yamlPath, data] : [yamlPath];
}

async function taskDataPath(yamlPath: string): Promise<string | null> {
  try {
    return parseTaskConfig(yamlPath, await readFile(yamlPath, 'utf8')).dataset_path;
  } catch {
    return null;
  }
}
