/**
 * @fileoverview Messages for evaluation task files, their prompt templates and metrics
 * (src/eval, src/metrics).
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

  taskNoChoices: (a: { task: string }, at?: Where) =>
    make('E_TASK', `task ${a.task}: doc_to_choice must give a non-empty list`, undefined, at),

  taskTargetNotChoice: (a: { task: string; target: unknown }, at?: Where) =>
    make('E_TASK', `task ${a.task}: target ${JSON.stringify(a.target)} is not one of the choices`, undefined, at),

  /** A multiple_choice task lists a metric other than acc and acc_norm. */
  taskChoiceMetric: (a: { task: string; metric: string }, at?: Where) =>
    make('E_UNKNOWN_METRIC', `task ${a.task}: multiple_choice tasks report acc and acc_norm, not "${a.metric}"`, undefined, at),

  /** `problems` is the schema errors of the options, joined. */
  metricOptions: (a: { metric: string; problems: string }, at?: Where) =>
    make('E_SCHEMA', `metric "${a.metric}" options: ${a.problems}`, undefined, at),

  /** A metric that compares samples with references got none (or too few) references. */
  metricReferences: (a: { samples: number; references: number }, at?: Where) =>
    make('E_SCHEMA', `${a.samples} samples but ${a.references} references`,
      'This metric compares samples with references: list it under a task file\'s `metrics`, not for the eval stage\'s free `prompts`.', at),
};
