/**
 * Every catalogued error code is produced by some real input (a bad pipeline, a truncated
 * file, a bad argument), not only by a constructor call. A code added to src/errors/codes.ts
 * without a trigger here (or a pointer to the e2e test that produces it) fails this test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, TrainyardErrorList, asTrainyardError, exitCodeFor, type ErrorCodeName } from '../../../src/errors/index.js';
import { parsePipelineText, loadPipelineFile } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { compilePipeline } from '../../../src/graph/compile.js';
import { planSelection } from '../../../src/graph/plan.js';
import { readTokens, writeTokens, writeTokensMeta } from '../../../src/artifacts/tokens.js';
import { decodeSafetensors } from '../../../src/model/safetensors.js';
import { loadModelFolder, saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { loadLatestGood } from '../../../src/train/verify.js';
import { parseTaskConfig } from '../../../src/eval/task-file.js';
import { lockKey } from '../../../src/cache/key-lock.js';
import { resolveMetric } from '../../../src/metrics/index.js';
import { Registry } from '../../../src/plugins/registry.js';
import { resolveRun } from '../../../src/report/history.js';
import { trainLoop, type LoopOptions } from '../../../src/train/loop.js';
import type { Trainer } from '../../../src/train/trainer.js';
import { definePlugin } from '../../../src/index.js';
import { jobFailure, parseScontrolJob } from '../../../src/runner/slurm/sbatch.js';
import source from '../../../src/stages/source/index.js';
import filterStage from '../../../src/stages/filter/index.js';
import { docsFixture, runStage, tempDir } from '../../helpers/stage-tester.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Resolves, compiles and plans a pipeline; returns whatever it throws. */
async function pipeline(yaml: string, o: { sets?: string[]; targets?: string[]; dir?: string } = {}): Promise<void> {
  const dir = o.dir ?? await tempDir();
  const resolved = await resolvePipeline(parsePipelineText(yaml, join(dir, 'pipeline.yaml'), 'pipeline.yaml'), { sets: o.sets });
  planSelection(compilePipeline(resolved), { targets: o.targets });
}

async function withPlugin(code: string): Promise<void> {
  const dir = await tempDir();
  await writeFile(join(dir, 'p.ts'), code);
  await pipeline('plugins: [./p.ts]\nstages:\n  raw: { type: source, with: { files: x } }\n', { dir });
}

const fitLoop: LoopOptions = { steps: 5, evalInterval: 0, sampleInterval: 0, checkpointInterval: 0, checkpointMinutes: 0, patience: 0 };
const hooks = (signal: AbortSignal) => ({ signal, metric() {}, progress() {}, info() {}, validate: () => 0, async checkpoint() {} });

/** code → inputs that make real code throw it. */
const TRIGGERS: Record<Exclude<ErrorCodeName, keyof typeof IN_E2E>, Array<() => Promise<unknown> | unknown>> = {
  E_YAML: [() => pipeline('stages:\n  a: { type: source\n')],
  E_SCHEMA: [() => pipeline('stages:\n  raw: { type: source, with: { files: x, min_chars: lots } }\n')],
  E_UNKNOWN_KEY: [() => pipeline('stages:\n  raw: { type: source, with: { files: x, fromat: text } }\n')],
  E_UNKNOWN_STAGE_TYPE: [() => pipeline('stages:\n  raw: { type: sorce, with: { files: x } }\n')],
  E_UNKNOWN_REF: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\n  c: { type: clean, inputs: { docs: rwa } }\n')],
  E_TYPE_MISMATCH: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\n  t: { type: tokenize, inputs: { docs: raw } }\n  c: { type: clean, inputs: { docs: t } }\n')],
  E_CYCLE: [() => pipeline('stages:\n  a: { type: clean, inputs: { docs: b } }\n  b: { type: clean, inputs: { docs: a } }\n')],
  E_VAR: [() => pipeline('vars: { name: x }\nstages:\n  raw: { type: source, with: { files: "${vars.nmae}" } }\n')],
  E_SET: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\n', { sets: ['stages.raw.with.files'] })],
  E_SWEEP: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\nsweep:\n  objective: { metric: raw.docs }\n  parameters:\n    stages.rwa.with.files: { type: categorical, values: [a, b] }\n')],
  E_FOREACH: [
    () => pipeline('stages:\n  raw: { foreach: [], do: { type: source, with: { files: "${item}" } } }\n'),
    () => pipeline('stages:\n  raw: { foreach: [a, a], do: { type: source, with: { files: "${item}" } } }\n'),
  ],
  E_FILE_NOT_FOUND: [() => loadPipelineFile(join(ROOT, 'no-such-pipeline.yaml'))],
  E_NO_INPUT: [async () => source.externalDeps!({ files: 'nothing/*.txt', format: 'auto', field: 'text', id_field: 'id', min_chars: 1, max_document_bytes: 1 << 26 }, { cwd: await tempDir() })],
  E_PLUGIN_LOAD: [() => withPlugin('export default {{{')],
  E_PLUGIN_EXPORT: [() => withPlugin('export const nothing = 1;\n')],
  E_PLUGIN_HOOK: [async () => runStage(filterStage, {
    options: { rules: ['boom'] }, inputs: { docs: await docsFixture(['a document']) },
    plugins: [definePlugin({ name: 'boom', version: '1.0.0', filters: { boom: () => { throw new Error('kaput'); } } })],
  })],
  E_BACKEND: [
    () => pipeline('backend: wsam\nstages:\n  raw: { type: source, with: { files: x } }\n'),
    () => pipeline('backend: cpu\nprecision: bf16\nstages:\n  raw: { type: source, with: { files: x } }\n'),
  ],
  E_ABORTED: [async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data/a.txt'), 'text');
    return runStage(source, { options: { files: 'data/*.txt' }, cwd: dir, signal: AbortSignal.abort() });
  }],
  E_LOCKED: [async () => { // a second taker gives up while the first still holds the key's lock
    const dir = await tempDir();
    const release = await lockKey(dir, 'a'.repeat(64));
    try {
      await lockKey(dir, 'a'.repeat(64), { timeoutMs: 300 });
    } finally {
      await release();
    }
  }],
  E_UNKNOWN_TARGET: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\n', { targets: ['rwa'] })],
  E_USAGE: [async () => resolveRun(await tempDir(), 'latest')],
  E_ARTIFACT: [
    async () => { // a token file shorter than meta.json says
      const dir = await tempDir();
      await writeTokensMeta(dir, { vocab_size: 10, dtype: 'uint16', eot_id: null, splits: { train: 8 }, tokenizer: 'tokenizer.json' });
      await writeTokens(dir, 'train', new Uint16Array(5));
      return readTokens(dir, 'train');
    },
  ],
  E_MODEL: [
    () => { // a safetensors header length past the end of the file
      const buf = new Uint8Array(16);
      new DataView(buf.buffer).setBigUint64(0, 1n << 40n, true);
      return decodeSafetensors(buf, 'model.safetensors');
    },
    async () => { // a model folder whose weights were cut short
      const dir = await tempDir();
      const cfg = { n_layer: 1, n_head: 1, n_embd: 4, block_size: 4, vocab_size: 5, dropout: 0 };
      await saveModelFolder(dir, cfg, initParams(cfg, 1));
      await truncate(join(dir, 'model.safetensors'), 200);
      return loadModelFolder(dir);
    },
  ],
  E_CHECKPOINT: [async () => { // the only checkpoint's trainer state is cut short
    const root = await tempDir();
    await mkdir(join(root, 'step-00000004'));
    await writeFile(join(root, 'step-00000004', 'trainer_state.json'), '{"step": 4, ');
    return loadLatestGood(root);
  }],
  E_NAN: [() => trainLoop({ step: 0, lastTokens: 1, trainStep: () => ({ loss: Number.NaN, lr: 0, gradNorm: 0 }) } as unknown as Trainer,
    fitLoop, hooks(new AbortController().signal), { bestVal: null, evalsSinceBest: 0, lastLoss: null })],
  E_UNKNOWN_RULE: [() => pipeline('stages:\n  raw: { type: source, with: { files: x } }\n  f: { type: filter, inputs: { docs: raw }, with: { rules: [lenght] } }\n')],
  E_TASK: [() => parseTaskConfig('task.yaml', 'task: t\ndataset_path: d.jsonl\noutput_type: generate_until\ndoc_to_text: "{{ question"\ndoc_to_target: answer\n')],
  E_UNKNOWN_METRIC: [() => resolveMetric('exact-match', new Registry())],
  E_UNKNOWN_REWARD: [() => new Registry().get('reward', 'sentiment')],
  E_INTERNAL: [() => { throw asTrainyardError(new TypeError('an unexpected bug')); }],
  E_EXECUTOR: [() => { throw jobFailure('train', parseScontrolJob('JobId=7 JobName=trainyard-train JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15')!, '/p/.trainyard/slurm/train-7.log'); }],
};

/** Codes only a whole CLI run (a worker process that dies) produces: the test file that produces each one. */
const IN_E2E = {
  E_STAGE_CRASHED: 'test/e2e/robustness.test.ts',
} as const;

/** Runs a trigger and returns the codes it threw (all of them, for error lists). */
async function codesOf(trigger: () => Promise<unknown> | unknown): Promise<string[]> {
  try {
    await trigger();
  } catch (err) {
    return err instanceof TrainyardErrorList ? err.errors.map((e) => e.code) : [asTrainyardError(err).code];
  }
  return [];
}

for (const [code, triggers] of Object.entries(TRIGGERS)) {
  test(`${code} is produced by real input`, async () => {
    for (const [i, trigger] of triggers.entries()) {
      assert.ok((await codesOf(trigger)).includes(code), `trigger ${i} of ${code} did not throw ${code}: ${JSON.stringify(await codesOf(trigger))}`);
    }
  });
}

test('every catalogued code has a trigger here or a test that produces it', () => {
  for (const code of Object.keys(ErrorCode)) {
    const pointer = IN_E2E[code as keyof typeof IN_E2E];
    if (pointer === undefined) { assert.ok(code in TRIGGERS, `${code} has no trigger in catalog.test.ts`); continue; }
    assert.match(readFileSync(join(ROOT, pointer), 'utf8'), new RegExp(code), `${pointer} does not mention ${code}`);
  }
  for (const code of [...Object.keys(TRIGGERS), ...Object.keys(IN_E2E)]) assert.ok(code in ErrorCode, `${code} is not catalogued`);
});

test('exit codes: input errors 2, cancellation 130, bugs 1', () => {
  assert.equal(exitCodeFor(['E_SCHEMA', 'E_YAML']), 2);
  assert.equal(exitCodeFor(['E_ABORTED']), 130);
  assert.equal(exitCodeFor(['E_ABORTED', 'E_SCHEMA']), 2);
  assert.equal(exitCodeFor(['E_SCHEMA', 'E_INTERNAL']), 1);
});
