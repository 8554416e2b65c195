/**
 * The sweep block is checked like the rest of the file: schema errors and what the schema
 * cannot know (paths, ranges, stages), each at its line with a "did you mean"; and --params
 * files become --set overrides that round-trip every value type.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { parsePipelineText } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { applySets } from '../../../src/config/overrides.js';
import { paramsToSets, readParamsFile } from '../../../src/config/params-file.js';
import { TrainyardErrorList } from '../../../src/errors/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const head = `stages:
  raw: { type: source, with: { files: x } }
  tok: { type: tokenize, inputs: { docs: raw }, with: { mode: char } }
  pretrain: { type: pretrain, inputs: { tokens: tok } }
sweep:
  objective: { metric: pretrain.val_loss }
`;

async function problems(yaml: string): Promise<string[]> {
  const dir = await tempDir();
  try {
    await resolvePipeline(parsePipelineText(yaml, join(dir, 'p.yaml'), 'p.yaml'));
    return [];
  } catch (err) {
    assert.ok(err instanceof TrainyardErrorList, String(err));
    return err.errors.map((e) => `${e.loc?.line}:${e.loc?.column} ${e.code} ${e.message}`);
  }
}

test('a sound sweep block resolves with its defaults applied', async () => {
  const dir = await tempDir();
  const p = await resolvePipeline(parsePipelineText(`${head}  parameters:\n    stages.pretrain.with.lr: { type: float, low: 1e-4, high: 1e-2, log: true }\n  prune: { method: median }\n`, join(dir, 'p.yaml'), 'p.yaml'));
  assert.equal(p.sweep?.method, 'tpe');
  assert.equal(p.sweep?.objective.direction, 'minimize');
  assert.deepEqual({ ...p.sweep?.prune }, { method: 'median', metric: 'val_loss', direction: 'minimize', startup_trials: 3, warmup_steps: 0, reduction_factor: 3 });
});

test('paths, ranges and stages are checked at their lines, with did-you-mean', async () => {
  const got = await problems(`${head}  parameters:
    stages.pretrain.with.lrr: { type: float, low: 1e-4, high: 1e-2 }
    stages.pretrian.with.lr: { type: float, low: 1e-4, high: 1e-2 }
    stages.pretrain.with.n_embd: { type: int, low: 64, high: 32 }
    stages.pretrain.with.lr: { type: float, low: 0, high: 1, log: true }
    vars.nope: { type: categorical, values: [1, 2] }
  prune: { method: asha, stage: tok }
`);
  assert.deepEqual(got, [
    '8:5 E_SWEEP sweep.parameters: "stages.pretrain.with.lrr": pretrain stages have no option "lrr". Did you mean "lr"?',
    '9:5 E_SWEEP sweep.parameters: "stages.pretrian.with.lr": no stage "pretrian". Did you mean "pretrain"?',
    '10:34 E_SWEEP sweep.parameters: "stages.pretrain.with.n_embd": low (64) must be below high (32).',
    '11:30 E_SWEEP sweep.parameters: "stages.pretrain.with.lr": a log range needs low > 0 (got 0).',
    '12:5 E_SWEEP sweep.parameters: "vars.nope": no variable "nope".',
    '13:33 E_SWEEP sweep.prune.stage "tok" is a tokenize stage, which does not train with checkpoints.',
  ]);
});

test('schema errors in the block: unknown keys with did-you-mean, missing keys, bad enums', async () => {
  const got = await problems(`${head}  methd: grid
  parameters:
    stages.pretrain.with.lr: { type: float, lo: 1e-4, high: 1e-2 }
    stages.pretrain.with.n_layer: { type: choice, values: [1, 2] }
`);
  assert.ok(got.some((l) => /^7:3 E_UNKNOWN_KEY Unknown key "methd" in sweep\. Did you mean "method"\?/.test(l)), got.join('\n'));
  assert.ok(got.some((l) => /^9:5 E_SCHEMA .*missing the required key "low"/.test(l)), got.join('\n'));
  assert.ok(got.some((l) => /^9:45 E_UNKNOWN_KEY Unknown key "lo".*Did you mean "low"\?/.test(l)), got.join('\n'));
  assert.ok(got.some((l) => /^10:43 E_SCHEMA .*must be one of "float", "int", "categorical", got "choice"/.test(l)), got.join('\n'));
  const obj = await problems(head.replace('pretrain.val_loss', 'pretrian.val_loss') + '  parameters:\n    seed: { type: int, low: 1, high: 3 }\n');
  assert.deepEqual(obj, ['6:24 E_SWEEP sweep.objective.metric names stage "pretrian", which is not in the pipeline. Did you mean "pretrain"?']);
});

test('params files become --set overrides that keep every value type', async () => {
  const params = { 'stages.a.with.lr': 0.00031, 'stages.a.with.name': 'x: y', 'stages.a.with.rules': ['a', 'b'], 'stages.a.with.on': true };
  const data = applySets({ stages: { a: { type: 't', with: {} } } }, paramsToSets(params));
  assert.deepEqual((data.stages as any).a.with, { lr: 0.00031, name: 'x: y', rules: ['a', 'b'], on: true });
  const dir = await tempDir();
  await writeFile(join(dir, 'best.yaml'), '# a comment\nstages.a.with.lr: 0.003\n');
  assert.deepEqual(await readParamsFile(join(dir, 'best.yaml')), ['stages.a.with.lr=0.003']);
  await writeFile(join(dir, 'list.yaml'), '- a\n');
  await assert.rejects(readParamsFile(join(dir, 'list.yaml')), /must be a mapping/);
});
