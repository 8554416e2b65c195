/**
 * `npm run bench -- _sweep`: the sweep target of issue 13 on pipelines/sweep.yaml (Moby Dick,
 * character level). Runs the 12-trial TPE + ASHA sweep, the same trials again without pruning
 * (`--replay`, in a store of its own so no trial result is reused), and the pipeline's default
 * configuration; prints the wall times, how many trials were pruned, how often tokenize ran,
 * and the best trial's validation loss against the default's. About 10 minutes on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const PIPELINE = join(ROOT, 'pipelines/sweep.yaml');
const JOBS = process.env.SWEEP_JOBS ?? '2';

function trainyard(args: string[]): { out: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`trainyard ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { out: r.stdout, ms: Date.now() - t0 };
}

interface State { trials: Array<{ status: string; value?: number; number: number; params: Record<string, unknown> }> }
const state = (store: string, name: string) => JSON.parse(readFileSync(join(store, 'sweeps', name, 'state.json'), 'utf8')) as State;
const best = (s: State) => s.trials.filter((t) => t.status === 'complete').sort((a, b) => a.value! - b.value!)[0]!;

export async function run(): Promise<void> {
  const a = mkdtempSync(join(tmpdir(), 'trainyard-sweep-a-'));
  const b = mkdtempSync(join(tmpdir(), 'trainyard-sweep-b-'));
  const pruned = trainyard(['sweep', '-f', PIPELINE, '--store', a, '-j', JOBS]);
  console.log(pruned.out);
  const sa = state(a, 'moby-dick-sweep');
  // The same trials without pruning; tokenize is computed first (untimed) so both sweeps find it cached or not alike.
  trainyard(['run', 'chars', '-f', PIPELINE, '--store', b, '--plain']);
  const full = trainyard(['sweep', '-f', PIPELINE, '--store', b, '-j', JOBS, '--set', 'sweep.prune.method=none', '--set', 'sweep.name=no-pruning', '--replay', join(a, 'sweeps/moby-dick-sweep/state.json')]);
  console.log(full.out);
  const sb = state(b, 'no-pruning');
  const def = trainyard(['run', '-f', PIPELINE, '--store', a, '--json']);
  const valLoss = def.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.event === 'stageEnd' && e.name === 'pretrain')?.metrics?.val_loss as number;
  const nPruned = sa.trials.filter((t) => t.status === 'pruned').length;
  console.log(`sweep with ASHA pruning:    ${(pruned.ms / 1000).toFixed(1)} s wall, ${nPruned} of ${sa.trials.length} trials pruned, best trial ${best(sa).number} val_loss ${best(sa).value!.toFixed(4)}`);
  console.log(`same trials, no pruning:    ${(full.ms / 1000).toFixed(1)} s wall, best trial ${best(sb).number} val_loss ${best(sb).value!.toFixed(4)}`);
  console.log(`default configuration:      val_loss ${valLoss.toFixed(4)}`);
  console.log(`tokenize: ${/chars: ran \d+×, restored from cache \d+×/.exec(pruned.out)?.[0] ?? '(no line)'}`);
}
