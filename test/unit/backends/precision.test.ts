/**
 * The pipeline's `precision:` (fp32 | tf32 | bf16 matmuls on the training stages): the schema
 * takes it, it enters the keys of the training stages only when not fp32 (unset = fp32 keeps
 * every earlier key), backends without `setPrecision` refuse tf32/bf16 by name, and a tiny
 * pretrain on `cuda-emulated` (whose GEMMs round their inputs exactly as tensor cores read them)
 * at bf16 moves the losses a little off fp32, while fp32 there matches cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parsePipelineText } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { computeDetails } from '../../../src/cache/details.js';
import { FileHashes } from '../../../src/cache/file-hashes.js';
import { checkpointKey, explainChange, stageKey, type KeyDetails } from '../../../src/cache/fingerprint.js';
import { setupBackend } from '../../../src/backends/index.js';
import { TrainyardError, TrainyardErrorList } from '../../../src/errors/index.js';
import pretrain from '../../../src/stages/pretrain/index.js';
import { runStage, stepLosses, tempDir } from '../../helpers/stage-tester.js';
import { charTokensFixture, mobyDick } from '../train/fixtures.js';
import { backendSkipReason } from './native/harness.js';

const pipelineYaml = (head: string) => `${head}
stages:
  raw: { type: source, with: { files: "data/*.txt" } }
  tokenize: { type: tokenize, inputs: { docs: raw }, with: { vocab_size: 280 } }
  pretrain: { type: pretrain, inputs: { tokens: tokenize }, with: { steps: 10 } }
  eval: { type: eval, inputs: { model: pretrain, tokens: tokenize } }
`;

async function resolve(head: string) {
  const dir = await tempDir();
  return resolvePipeline(parsePipelineText(pipelineYaml(head), join(dir, 'pipeline.yaml'), 'pipeline.yaml'));
}

/** The key details of `stage` (its inputs stand in as fixed hashes). */
async function details(head: string, stage: string): Promise<KeyDetails> {
  const p = await resolve(head);
  const inputs: Record<string, string[]> = stage === 'pretrain' ? { tokens: ['t'] } : { model: ['m'], tokens: ['t'] };
  return computeDetails(p.stages.get(stage)!, p, inputs, new FileHashes(p.dir));
}

/** The pipeline's errors, or none. */
async function problems(head: string): Promise<TrainyardError[]> {
  try {
    await resolve(head);
    return [];
  } catch (err) {
    assert.ok(err instanceof TrainyardErrorList, String(err));
    return err.errors;
  }
}

test('precision: unset and fp32 give the keys of before; tf32 and bf16 enter the training stage keys only', async () => {
  const unset = await details('', 'pretrain');
  assert.equal(unset.precision, undefined);
  assert.equal(stageKey(await details('precision: fp32', 'pretrain')), stageKey(unset));
  const tf32 = await details('precision: tf32', 'pretrain');
  const bf16 = await details('backend: cuda\nprecision: bf16', 'pretrain');
  assert.equal(tf32.precision, 'tf32');
  assert.notEqual(stageKey(tf32), stageKey(unset));
  assert.notEqual(stageKey(bf16), stageKey(tf32));
  assert.deepEqual(explainChange(unset, tf32), ['precision fp32 → tf32']);
  assert.deepEqual(explainChange(tf32, bf16), ['precision tf32 → bf16']);
  // A bf16 run never resumes an fp32 checkpoint.
  assert.notEqual(checkpointKey(bf16, pretrain.checkpointKeyIgnores), checkpointKey(unset, pretrain.checkpointKeyIgnores));
  // eval runs fp32 whatever the pipeline says (its metrics compare across precisions): same key.
  assert.equal(stageKey(await details('precision: bf16', 'eval')), stageKey(await details('', 'eval')));
  assert.equal((await resolve('')).precision, 'fp32');
});

test('precision: anything but fp32, tf32 or bf16 is a schema error at its line', async () => {
  const [e, ...rest] = await problems('backend: cpu\nprecision: fp16');
  assert.equal(rest.length, 0);
  assert.equal(e!.code, 'E_SCHEMA');
  assert.match(e!.message, /precision/);
  assert.equal(e!.loc?.line, 2);
});

test('tf32/bf16 on a backend without setPrecision: E_BACKEND naming it and the cuda backends', async () => {
  for (const backend of ['cpu', 'wasm', 'native']) {
    const [e, ...rest] = await problems(`backend: ${backend}\nprecision: bf16`);
    assert.equal(rest.length, 0, backend);
    assert.equal(e!.code, 'E_BACKEND');
    assert.equal(e!.message, `Backend "${backend}" cannot run bf16 matmuls: only cuda, cuda-emulated support precision: bf16.`);
    assert.match(e!.hint ?? '', /backend: cuda .*precision: fp32/);
    assert.equal(e!.loc?.line, 2, 'points at the precision line');
  }
  assert.deepEqual(await problems('backend: cpu\nprecision: fp32'), []);
  assert.deepEqual(await problems('backend: cuda-emulated\nprecision: tf32'), []);
  // At run time too (`auto` resolves there): before anything loads.
  await assert.rejects(setupBackend('cpu', undefined, { precision: 'tf32' }), (e: TrainyardError) =>
    e.code === 'E_BACKEND' && /^Backend "cpu" cannot run tf32 matmuls/.test(e.message));
  const fx = await charTokensFixture(mobyDick(1, 1));
  await assert.rejects(runStage(pretrain, { backend: 'auto', precision: 'bf16', inputs: { tokens: fx.dir }, options: { steps: 1 } }),
    (e: TrainyardError) => e.code === 'E_BACKEND' && /\(picked by backend: auto\) cannot run bf16 matmuls/.test(e.message));
});

const skip = await backendSkipReason('cuda-emulated');

test('pretrain on cuda-emulated: bf16 losses stay close to fp32 but differ; fp32 there matches cpu', { skip, timeout: 120_000 }, async () => {
  const { dir } = await charTokensFixture(mobyDick(1, 4));
  const options = { n_layer: 1, n_head: 2, n_embd: 32, block_size: 16, batch_size: 4, steps: 6, dropout: 0, warmup_steps: 2, lr: 3e-3, eval_interval: 0, sample_interval: 0, checkpoint_interval: 0 };
  const run = async (backend: string, precision: 'fp32' | 'bf16') => {
    const r = await runStage(pretrain, { backend, precision, inputs: { tokens: dir }, options });
    return { losses: [...stepLosses(r).values()], logs: r.logs, stats: r.stats };
  };
  const cpu = await run('cpu', 'fp32');
  // bf16 first: the fp32 run after it must reset the process-wide setting.
  const bf16 = await run('cuda-emulated', 'bf16');
  const fp32 = await run('cuda-emulated', 'fp32');
  const diff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
  assert.equal(cpu.losses.length, 6);
  // Measured: fp32 is ~1e-6 off cpu, bf16 ~3e-4 off fp32 (tf32 ~1e-5).
  const exact = diff(fp32.losses, cpu.losses);
  assert.ok(exact < 2e-5, `fp32 ${fp32.losses} vs cpu ${cpu.losses}`);
  const off = diff(bf16.losses, fp32.losses);
  assert.ok(off > 5e-5 && off > 10 * exact && off < 2e-2, `bf16 is ${off} off fp32: ${bf16.losses} vs ${fp32.losses}`);
  assert.ok(bf16.logs.some((l) => l.includes('cuda-emulated backend (bf16 matmuls), ')), bf16.logs.join('\n'));
  assert.ok(fp32.logs.some((l) => l.includes('cuda-emulated backend, ')));
  assert.equal(bf16.stats.precision, 'bf16');
  assert.equal(fp32.stats.precision, undefined);
});
