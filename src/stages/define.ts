/**
 * @fileoverview The stage contract. A stage is data plus one function (an ESLint rule):
 *
 *   export default defineStage({
 *     type: 'filter', version: 1,        // bump version when output semantics change
 *     description: 'Drop documents that fail quality rules',
 *     schema,                            // JSON Schema of `with:` (schemas/stages/<type>.schema.json)
 *     inputs: { docs: 'documents' },
 *     outputs: { kept: 'documents', rejected: 'documents' },
 *     async run(ctx, options) { … },
 *   });
 *
 * Stages reach the world only through `ctx` (see StageContext); TF.js comes from
 * `ctx.tensors()`. A stage's index.ts is imported at plan time, so it stays cheap: its `run`
 * imports the stage's run.ts with `await import('./run.js')`, and run.ts imports what it needs
 * (TF.js, the tokenizer trainer, …) statically. `Options` are the types generated from the
 * schema (src/stages/options.gen.ts), where every key with a default is present.
 */
import type { ArtifactKind, ArtifactRef } from '../artifacts/kinds.js';
import type { JsonSchema, MatmulPrecision, RegistryView } from '../plugins/contracts.js';

export type { JsonSchema, MatmulPrecision } from '../plugins/contracts.js';

/** The TF.js module (tfjs-core) with the pipeline's backend registered and active. */
export type TensorFlow = typeof import('@tensorflow/tfjs-core');

/** What `ctx.tensors()` resolves to. */
export interface Tensors {
  tf: TensorFlow;
  /** The Trainyard backend that was set up (`auto` resolved: `cpu`, `wasm`, `native`, …). */
  backend: string;
  /** Its matmul precision (`ctx.precision`, set on the backend). */
  precision: MatmulPrecision;
}

/** `cuda backend` or, at a reduced precision, `cuda backend (bf16 matmuls)`: the stage's log line. */
export function backendLine(t: Pick<Tensors, 'backend' | 'precision'>): string {
  return `${t.backend} backend${t.precision === 'fp32' ? '' : ` (${t.precision} matmuls)`}`;
}

/** An input port: the artifact kind it accepts. */
export interface InputSpec {
  kind: ArtifactKind;
  /** The input may be left out in the pipeline. @default false */
  optional?: boolean;
  /** The input takes a list of references (e.g. `mix` over several sources). @default false */
  multiple?: boolean;
  description?: string;
}

/** An output port. The first declared output is the default one (`inputs: { docs: clean }`). */
export interface OutputSpec {
  kind: ArtifactKind;
  description?: string;
}

export interface StageDefinition<Options = Record<string, unknown>> {
  /** Stage type name used in YAML (`type: clean`). */
  type: string;
  /** Implementation version; part of every cache key. Bump it when outputs change meaning. */
  version: number;
  description: string;
  /** JSON Schema of the stage's `with:` options; ajv applies its defaults. */
  schema: JsonSchema;
  inputs: Record<string, InputSpec | ArtifactKind>;
  outputs: Record<string, OutputSpec | ArtifactKind>;
  /** Long stages (training) get a checkpoint folder that survives crashes of the same key. */
  checkpoints?: boolean;
  /**
   * Options that do not change the training trajectory up to the old budget (e.g. `steps`):
   * the checkpoint folder is keyed on the options *without* these, so raising `steps` resumes
   * from the previous final checkpoint instead of starting over.
   */
  checkpointKeyIgnores?: string[];
  /**
   * Boolean options that only add something to the outputs (`tensorboard`): unset or `false`,
   * they stay out of the cache key, so adding one to a stage type keeps every earlier result;
   * `true` enters the key.
   */
  optInOptions?: string[];
  /**
   * The stage trains a model: its matmuls run at the pipeline's `precision:`, which enters its
   * cache key when not fp32 (`ctx.precision`). Without it the stage always runs fp32.
   * @default false
   */
  matmulPrecision?: boolean;
  /** Files (absolute paths) the options refer to, hashed into the cache key (e.g. source globs). */
  externalDeps?(options: Options, ctx: { cwd: string }): Promise<string[]> | string[];
  /**
   * Checks that need more than the JSON Schema (e.g. filter rule names against the plugins'
   * filters), run when the pipeline is compiled so mistakes surface before anything runs.
   * Throw a TrainyardError; set its `path` (inside `with:`) to point at the value.
   */
  validate?(options: Options, ctx: { registry: RegistryView }): void | Promise<void>;
  run(ctx: StageContext, options: Options): Promise<void>;
}

/** Identity helper for type inference and editor help (Vite's defineConfig). */
export function defineStage<Options = Record<string, unknown>>(def: StageDefinition<Options>): StageDefinition<Options> {
  return def;
}

/** Normalises the shorthand `'documents'` to `{ kind: 'documents' }`. */
export function portSpec<T extends InputSpec | OutputSpec>(spec: T | ArtifactKind): T {
  return (typeof spec === 'string' ? { kind: spec } : spec) as T;
}

export interface Progress {
  done: number;
  total?: number;
  /** e.g. 'docs', 'bytes', 'steps', 'tokens' */
  unit?: string;
  /** Free text shown beside the bar. */
  message?: string;
}

export interface StageLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

/** What a running stage can see and do. Built by runner/context.ts. */
export interface StageContext {
  /** The stage's name in the pipeline (`tokenize`, `filter_en`). */
  readonly name: string;
  /** Input artifacts by port name; a `multiple` port holds several. Missing optional ports are absent. */
  readonly inputs: Readonly<Record<string, ArtifactRef[]>>;
  /** The folder to write each output into (empty at start; committed atomically after run). */
  readonly outputs: Readonly<Record<string, { kind: ArtifactKind; dir: string }>>;
  /** A folder kept across crashes/retries of the *same* cache key, for checkpoints. */
  readonly checkpointDir: string;
  /** Scratch folder, deleted after the stage. */
  readonly tmpDir: string;
  /** Folder of the pipeline file: relative paths in options resolve against it. */
  readonly cwd: string;
  /** Tensor backend requested by the pipeline (`auto`, `cpu`, `wasm`, …). */
  readonly backend: string;
  /** Matmul precision `ctx.tensors()` sets: the pipeline's for `matmulPrecision` stages, else fp32. */
  readonly precision: MatmulPrecision;
  /** Run seed (pipeline `seed`, default 1337). */
  readonly seed: number;
  /** Worker threads the stage may use. */
  readonly threads: number;
  /** Aborted on Ctrl-C/SIGTERM: save a checkpoint and return (or throw) promptly. */
  readonly signal: AbortSignal;
  readonly log: StageLogger;
  /** Report progress; throttled by the runner. */
  progress(p: Progress): void;
  /** Record a metric; with `step`, it also goes to history.jsonl. */
  metric(name: string, value: number, step?: number): void;
  /** Record summary statistics (counts per rule, bytes in/out…), shown in the report. */
  stats(values: Record<string, number | string>): void;
  /** Deterministic PRNG in [0, 1) seeded from the run seed and the stage name. */
  random(): number;
  /**
   * TF.js on the pipeline's backend (`ctx.backend`, plugin backends included), loaded on the
   * first call and shared by later ones; backend notices go to `ctx.log.info`.
   */
  tensors(): Promise<Tensors>;
  /** Filters, metrics and backends, built-in and from the pipeline's plugins. */
  readonly registry: RegistryView;
}
