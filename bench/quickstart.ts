/**
 * `npm run bench -- quickstart`: the README's quickstart pipeline end to end, as a new user runs
 * it (`trainyard run -f pipelines/quickstart.yaml` on the default backend), from an empty store
 * in a temp folder, then again (every stage cached). Prints wall time, each stage's time and the
 * training throughput the pretrain stage reported. Uses dist/ (`npm run build` first), as the
 * `trainyard` binary does. Env: TRAINYARD_GEMM etc. pass through (e.g. to time OpenBLAS).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The `--json` events used here (src/ui/line-renderers.ts JsonRenderer). */
interface RunEvent { event: string; name?: string; durationMs?: number; status?: string; metric?: string; value?: number; backend?: string; message?: string }

function runOnce(store: string): { seconds: number; events: RunEvent[]; status: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'trainyard.js'), 'run', '-f', join(root, 'pipelines', 'quickstart.yaml'), '--store', store, '--json'], {
    cwd: root, encoding: 'utf8', maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const events: RunEvent[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try { events.push(JSON.parse(line) as RunEvent); } catch { /* a non-event line */ }
  }
  return { seconds, events, status: r.status, stderr: r.stderr };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-quickstart-'));
  try {
    const store = join(dir, 'store');
    const cold = runOnce(store);
    if (cold.status !== 0) {
      console.log(`  quickstart failed (exit ${cold.status}):\n${cold.stderr.slice(-2000)}`);
      return;
    }
    console.log(`  quickstart from an empty store: ${cold.seconds.toFixed(1)} s wall (node start, compile, every stage, eval)`);
    const tps = new Map<string, number>();
    for (const e of cold.events) if (e.event === 'stageMetric' && e.metric === 'tokens_per_s' && e.name) tps.set(e.name, e.value!);
    for (const e of cold.events) {
      if (e.event !== 'stageEnd') continue;
      const extra = tps.has(e.name!) ? `  ${Math.round(tps.get(e.name!)!)} tokens/s` : '';
      console.log(`    ${String(e.name).padEnd(10)} ${((e.durationMs ?? 0) / 1000).toFixed(1).padStart(6)} s  ${e.status}${extra}`);
    }
    const backendLine = cold.events.find((e) => e.event === 'stageLog' && /backend/i.test(e.message ?? ''));
    if (backendLine) console.log(`  ${backendLine.message}`);
    const warm = runOnce(store);
    console.log(`  again, every stage cached: ${warm.seconds.toFixed(2)} s wall`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
