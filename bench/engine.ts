/**
 * Engine overhead (issue 2 targets):
 *  - plan + status of a synthetic 1,000-stage pipeline with everything cached (< 1 s)
 *  - per-stage scheduling overhead: wall time of running N no-op stages / N (< 20 ms)
 * The stages form a binary tree of dependencies (stage i reads stage ⌊(i-1)/2⌋).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from '../src/cli/engine.js';
import { planSelection } from '../src/graph/plan.js';
import { computeStatus } from '../src/runner/evaluate.js';
import { runPlan } from '../src/runner/run.js';

const PLUGIN = new URL('./fixtures/noop-plugin.ts', import.meta.url).pathname;

function pipelineYaml(n: number): string {
  const lines = [`plugins: [${PLUGIN}]`, 'stages:'];
  for (let i = 0; i < n; i++) {
    const input = i === 0 ? '' : `, inputs: { docs: s${Math.floor((i - 1) / 2)} }`;
    lines.push(`  s${i}: { type: noop${input}, with: { n: ${i} } }`);
  }
  return lines.join('\n') + '\n';
}

async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

export async function run(): Promise<void> {
  const N = 1000;
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-engine-'));
  const file = join(dir, 'pipeline.yaml');
  await writeFile(file, pipelineYaml(N));

  const [state, loadMs] = await timeIt(() => loadEngine({ file }));
  const plan = planSelection(state.compiled, {});
  const [first, firstRunMs] = await timeIt(() => runPlan(state, { plan, lifecycle: { stageEnd: (i) => { if (i.status === 'failed') console.log(`  ${i.name} failed: ${i.error?.message}`); } }, jobs: 2 }));
  if (!first.ok) console.log('  counts', first.counts);
  console.log(`run ${N} no-op stages (2 jobs):        ${(firstRunMs / 1000).toFixed(2)} s → ${(firstRunMs / N).toFixed(1)} ms per stage (target < 20 ms)`);

  const [cold, planStatusMs] = await timeIt(async () => {
    const s = await loadEngine({ file });
    const p = planSelection(s.compiled, {});
    return computeStatus(s, p.stages, false);
  });
  const cached = cold.filter((r) => !r.willRun).length;
  console.log(`load + plan + status, ${N} stages cached: ${planStatusMs.toFixed(0)} ms (target < 1000 ms; ${cached}/${N} cached; load alone was ${loadMs.toFixed(0)} ms on the first call)`);

  const s2 = await loadEngine({ file });
  const [summary, cachedRunMs] = await timeIt(() => runPlan(s2, { plan: planSelection(s2.compiled, {}), lifecycle: {}, jobs: 2 }));
  console.log(`run with everything cached:            ${cachedRunMs.toFixed(0)} ms (${summary.counts.cached} cached)`);
}
