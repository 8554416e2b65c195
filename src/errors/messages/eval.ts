/**
 * @fileoverview Messages for evaluation task files and their prompt templates (src/eval).
 */
import { listOf, make, type Where } from './make.js';

const TASK_HINT = 'See pipelines/tasks/moby-cloze.yaml for a complete task file.';

export const evalErrors = {
  /** Anything wrong with a task file; `file` may be the task YAML or its JSONL data. */
  taskFile: (a: { file: string; problem: string }, at?: Where) =>
    make('E_TASK', `${a.file}: ${a.problem}`, TASK_HINT, at),

  taskFileUnreadable: (a: { file: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `cannot read task file ${a.file}`, undefined, at),

  /** A `{{ … }}` placeholder that cannot be parsed (unclosed, empty, unsupported filter). */
  templateSyntax: (a: { key: string; placeholder: string; problem: string }, at?: Where) =>
    make('E_TASK', `${a.key}: template placeholder ${a.placeholder} ${a.problem}`,
      'Placeholders are {{ field }}, {{ a.b }}, {{ list[0] }}, with optional .strip() or | trim.', at),

  templateField: (a: { placeholder: string; field: string; fields: readonly string[] }, at?: Where) =>
    make('E_TASK', `template placeholder ${a.placeholder}: field "${a.field}" is not in the document (has: ${listOf(a.fields)})`,
      'Fix the field name in the task file, or add the field to every line of its dataset.', at),
};
