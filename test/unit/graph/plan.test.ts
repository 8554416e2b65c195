/**
 *        A ──▶ B ──▶ D
 *        └───▶ C ──▶ E
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPipelineFile } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { compilePipeline } from '../../../src/graph/compile.js';
import { planSelection } from '../../../src/graph/plan.js';
import { renderGraph } from '../../../src/graph/render.js';
import { TEST_PLUGIN } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/stage-tester.js';

async function compiled() {
  const dir = await tempDir();
  const file = join(dir, 'p.yaml');
  await writeFile(file, `plugins: [${TEST_PLUGIN}]
stages:
  A: { type: emit }
  B: { type: upper, inputs: { docs: A } }
  C: { type: upper, inputs: { docs: A } }
  D: { type: upper, inputs: { docs: B } }
  E: { type: upper, inputs: { docs: C } }
`);
  return compilePipeline(await resolvePipeline(await loadPipelineFile(file)));
}

test('plan selections follow DVC semantics', async () => {
  const c = await compiled();
  assert.deepEqual(c.order, ['A', 'B', 'C', 'D', 'E']);
  assert.deepEqual(planSelection(c).stages, ['A', 'B', 'C', 'D', 'E']);
  assert.deepEqual(planSelection(c, { targets: ['D'] }).stages, ['A', 'B', 'D']);
  assert.deepEqual(planSelection(c, { from: 'B' }).stages, ['A', 'B', 'D']);
  assert.deepEqual(planSelection(c, { until: 'C' }).stages, ['A', 'C']);
  assert.deepEqual(planSelection(c, { targets: ['D'], only: true }), { stages: ['D'], lookups: ['A', 'B'] });
  assert.throws(() => planSelection(c, { targets: ['X'] }), /E_UNKNOWN_TARGET|not a stage/);
});

test('graph renders as text, mermaid and dot', async () => {
  const c = await compiled();
  assert.match(renderGraph(c, 'text'), /^D \[upper\]  ◀── B$/m);
  assert.match(renderGraph(c, 'mermaid'), /A -->\|docs\| B/);
  assert.match(renderGraph(c, 'dot'), /"C" -> "E"/);
});
