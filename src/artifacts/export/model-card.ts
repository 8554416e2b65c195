/**
 * @fileoverview The model card (README.md) of an exported model folder, in the form the
 * Hugging Face Hub reads: YAML front matter (library, tags), then the training recipe (the
 * stages that led to the model, with their options, as a pipeline fragment that reproduces
 * it) and the metrics of the model's stage and of the evaluations that read it.
 */
import { stringify } from 'yaml';

/** What a model card says; the CLI and the runner gather it from the store. */
export interface ModelCardInfo {
  /** Pipeline name. */
  pipeline: string;
  /** `stage.output` the model comes from. */
  from: string;
  /** Cache key of the stage's result. */
  key: string;
  createdAt?: string;
  backend?: string;
  /** Stages that led to the model, upstream first, the model's own stage last. */
  recipe: Array<{ name: string; type: string; inputs: Record<string, string[]>; options: Record<string, unknown> }>;
  /** Final metrics by stage: the model's stage and evaluations of the model. */
  metrics: Record<string, Record<string, number>>;
}

/** Architecture figures shown in the card (from config.json and the weights). */
export interface ModelShape { n_layer?: number; n_head?: number; n_embd?: number; n_positions?: number; vocab_size?: number; parameters?: number }

const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))));

/** README.md text for a model folder. */
export function modelCard(info: ModelCardInfo, shape: ModelShape): string {
  const out: string[] = [
    '---', 'library_name: transformers', 'pipeline_tag: text-generation', 'tags: [gpt2, trainyard]', '---', '',
    `# ${info.pipeline}: ${info.from}`, '',
    'A GPT-2 style decoder trained with [Trainyard](https://github.com/trainyard). It loads with',
    '`GPT2LMHeadModel.from_pretrained` and `AutoTokenizer.from_pretrained` on this folder.', '',
    '| | |', '|---|---|',
  ];
  const rows: Array<[string, string | number | undefined]> = [
    ['layers', shape.n_layer], ['heads', shape.n_head], ['width', shape.n_embd], ['context', shape.n_positions],
    ['vocabulary', shape.vocab_size], ['parameters', shape.parameters?.toLocaleString('en-US')],
    ['cache key', `\`${info.key}\``], ['created', info.createdAt], ['backend', info.backend],
  ];
  for (const [k, v] of rows) if (v !== undefined) out.push(`| ${k} | ${v} |`);
  out.push('', '## Training recipe', '', 'The stages that produced this model, with every option (defaults applied):', '', '```yaml');
  const stages = Object.fromEntries(info.recipe.map((s) => [s.name, {
    type: s.type,
    ...(Object.keys(s.inputs).length ? { inputs: Object.fromEntries(Object.entries(s.inputs).map(([p, r]) => [p, r.length === 1 ? r[0] : r])) } : {}),
    ...(Object.keys(s.options).length ? { with: s.options } : {}),
  }]));
  out.push(stringify({ stages }, { lineWidth: 0 }).trimEnd(), '```', '', '## Metrics', '');
  const names = Object.keys(info.metrics).filter((s) => Object.keys(info.metrics[s]!).length > 0);
  if (names.length === 0) out.push('No metrics were recorded.');
  else {
    out.push('| stage | metric | value |', '|---|---|---|');
    for (const s of names) for (const [m, v] of Object.entries(info.metrics[s]!).sort(([a], [b]) => a.localeCompare(b))) out.push(`| ${s} | ${m} | ${num(v)} |`);
  }
  return out.join('\n') + '\n';
}
