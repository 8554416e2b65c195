/**
 * Test helper: run one stage definition directly (no runner, no cache) on temp folders,
 * through the same createStageContext the worker uses.
 *
 *   const res = await runStage(cleanStage, { options: { unicode: 'NFKC' }, inputs: { docs: [dir] } });
 *   const docs = await collect(readDocuments(res.outputs.docs));
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDefaults } from '../../src/config/ajv.js';
import type { ArtifactKind, ArtifactRef } from '../../src/artifacts/kinds.js';
import { DocumentsWriter, type Document } from '../../src/artifacts/documents.js';
import { portSpec, type StageDefinition, type OutputSpec, type InputSpec } from '../../src/stages/define.js';
import { createStageContext } from '../../src/runner/context.js';
import type { JobEvent, StageJob } from '../../src/runner/job.js';
import { mkdir } from 'node:fs/promises';
import { Registry } from '../../src/plugins/registry.js';
import type { PluginDefinition } from '../../src/plugins/define.js';

export interface RunStageResult {
  /** Output folder per output port. */
  outputs: Record<string, string>;
  events: JobEvent[];
  stats: Record<string, number | string>;
  metrics: Array<{ name: string; value: number; step?: number }>;
  logs: string[];
  /** Options after schema defaults. */
  options: Record<string, unknown>;
  root: string;
}

export async function tempDir(prefix = 'trainyard-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes documents to a fresh documents folder and returns its path. */
export async function docsFixture(docs: Array<Document | string>, split = 'all', dir?: string): Promise<string> {
  const d = dir ?? (await tempDir('trainyard-docs-'));
  const w = new DocumentsWriter(d);
  let i = 0;
  for (const doc of docs) await w.write(typeof doc === 'string' ? { id: `d${i++}`, text: doc } : doc, split);
  await w.close();
  return d;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export interface RunStageOptions {
  options?: Record<string, unknown>;
  /** Input folders per port. */
  inputs?: Record<string, string | string[]>;
  cwd?: string;
  seed?: number;
  threads?: number;
  backend?: string;
  /** Matmul precision (the runner passes the pipeline's to `matmulPrecision` stages). @default 'fp32' */
  precision?: StageJob['precision'];
  /** Reuse a root (e.g. to test checkpoint resume). */
  root?: string;
  signal?: AbortSignal;
  /** Plugins whose filters/metrics/backends the stage may use. */
  plugins?: PluginDefinition[];
}

/** Runs `def` with validated options; throws if the options fail the stage's schema. */
export async function runStage(def: StageDefinition<any>, o: RunStageOptions = {}): Promise<RunStageResult> {
  const { value, errors } = applyDefaults(def.schema, o.options ?? {});
  if (errors) throw new Error(`options fail ${def.type} schema: ${JSON.stringify(errors)}`);
  const root = o.root ?? (await tempDir());
  const inputs: Record<string, ArtifactRef[]> = {};
  for (const [port, dirs] of Object.entries(o.inputs ?? {})) {
    const spec = portSpec<InputSpec>(def.inputs[port] as InputSpec | ArtifactKind);
    if (!spec) throw new Error(`stage ${def.type} has no input "${port}"`);
    inputs[port] = (Array.isArray(dirs) ? dirs : [dirs]).map((path, i) => ({ kind: spec.kind, path, hash: `test${i}`, from: `fixture${i}` }));
  }
  const outputs: StageJob['outputs'] = {};
  for (const [port, spec] of Object.entries(def.outputs)) {
    const s = portSpec<OutputSpec>(spec);
    outputs[port] = { kind: s.kind, dir: join(root, 'out', port) };
    await rm(outputs[port]!.dir, { recursive: true, force: true });
    await mkdir(outputs[port]!.dir, { recursive: true });
  }
  const job: StageJob = {
    name: def.type, type: def.type, options: value, inputs, outputs,
    checkpointDir: join(root, 'checkpoint'), tmpDir: join(root, 'tmp'), cwd: o.cwd ?? process.cwd(),
    backend: o.backend ?? 'cpu', precision: o.precision ?? 'fp32', seed: o.seed ?? 1337, threads: o.threads ?? 1, plugins: [],
  };
  await mkdir(job.checkpointDir, { recursive: true });
  await mkdir(job.tmpDir, { recursive: true });
  const registry = new Registry();
  for (const p of o.plugins ?? []) registry.addPlugin(p, { name: p.name, version: p.version, codeHash: 'test', specifier: p.name });
  const events: JobEvent[] = [];
  const res: RunStageResult = { outputs: {}, events, stats: {}, metrics: [], logs: [], options: value, root };
  const ctx = createStageContext(job, (e) => {
    events.push(e);
    if (e.type === 'stats') Object.assign(res.stats, e.values);
    if (e.type === 'metric') res.metrics.push({ name: e.name, value: e.value, step: e.step });
    if (e.type === 'log') res.logs.push(`${e.level}: ${e.message}`);
  }, o.signal ?? new AbortController().signal, registry);
  await def.run(ctx, value);
  for (const [port, out] of Object.entries(outputs)) res.outputs[port] = out.dir;
  return res;
}

/** An AbortSignal that reports aborted from its n-th read on (the training loop reads it once per step). */
export function abortAtStep(n: number): AbortSignal {
  let reads = 0;
  return { get aborted() { return ++reads > n; }, addEventListener() {}, removeEventListener() {} } as unknown as AbortSignal;
}

/** Training loss by step. */
export function stepLosses(r: RunStageResult): Map<number, number> {
  return new Map(r.metrics.filter((m) => m.name === 'loss').map((m) => [m.step!, m.value]));
}

/** The final metrics (those reported without a step), by name. */
export function finalMetrics(r: RunStageResult): Record<string, number> {
  return Object.fromEntries(r.metrics.filter((m) => m.step === undefined).map((m) => [m.name, m.value]));
}
