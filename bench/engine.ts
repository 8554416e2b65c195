/**
 * Engine overhead (issue 2 targets), on the compiled CLI (`dist/`, what users run):
 *  - `trainyard status` of a synthetic 1,000-stage pipeline with everything cached (< 1 s),
 *    wall time of the whole command including Node start-up
 *  - per-stage scheduling overhead: wall time of running 1,000 no-op stages / 1,000 (< 20 ms)
 *  - `trainyard run` with everything cached
 *  - per-stage overhead of the Redis executor (issue 14, < 50 ms) next to the local one: the
 *    same 200 no-op stages run locally with one job, then through a throwaway redis-server
 *    and one `trainyard worker` (queue round trip, remote-cache push and pull per stage);
 *    skipped, saying why, without redis-server
 * The stages form a binary tree (stage i reads stage ⌊(i-1)/2⌋). Needs `npm run build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerMissing, startRedis } from '../test/helpers/redis.js';

const ROOT = new URL('../', import.meta.url).pathname;
const PLUGIN = join(ROOT, 'bench/fixtures/noop-plugin.mjs');
const BIN = join(ROOT, 'bin/trainyard.js');

function pipelineYaml(n: number, extra = ''): string {
  const lines = [`plugins: [${PLUGIN}]`, ...(extra ? [extra] : []), 'stages:'];
  for (let i = 0; i < n; i++) {
    const input = i === 0 ? '' : `, inputs: { docs: s${Math.floor((i - 1) / 2)} }`;
    lines.push(`  s${i}: { type: noop${input}, with: { n: ${i} } }`);
  }
  return lines.join('\n') + '\n';
}

function timeCli(args: string[], cwd: string): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`trainyard ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { ms: performance.now() - t, stdout: r.stdout };
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/cli/index.js'))) spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
  const N = 1000;
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-engine-'));
  await writeFile(join(dir, 'pipeline.yaml'), pipelineYaml(N));

  const first = timeCli(['run', '--json', '-j', '2'], dir);
  const ran = first.stdout.split('\n').filter((l) => l.includes('"status":"done"')).length;
  console.log(`run ${N} no-op stages (2 jobs):        ${(first.ms / 1000).toFixed(2)} s → ${(first.ms / N).toFixed(1)} ms per stage, start-up included (target < 20 ms; ${ran} ran)`);

  const times: number[] = [];
  let out = '';
  for (let i = 0; i < 3; i++) { const r = timeCli(['status'], dir); times.push(r.ms); out = r.stdout; }
  const cached = out.split('\n').filter((l) => /\bcached\b/.test(l)).length;
  console.log(`trainyard status, ${N} stages cached:   ${Math.min(...times).toFixed(0)} ms best of 3 (target < 1000 ms; ${cached} cached)`);

  const again = timeCli(['run', '--json'], dir);
  const hits = again.stdout.split('\n').filter((l) => l.includes('"stageCached"')).length;
  console.log(`trainyard run, everything cached:      ${again.ms.toFixed(0)} ms (${hits} cached)`);
  await redisOverhead();
}

/** Local (one job) vs the Redis executor with one worker, on the same N-stage tree; ms per stage, start-up included. */
export async function redisOverhead(n = 200): Promise<void> {
  const skip = redisServerMissing();
  if (skip) { console.log(`redis executor overhead: skipped (${skip})`); return; }
  const local = await mkdtemp(join(tmpdir(), 'trainyard-bench-local-'));
  await writeFile(join(local, 'pipeline.yaml'), pipelineYaml(n));
  const l = timeCli(['run', '--json', '-j', '1'], local);
  const remote = await mkdtemp(join(tmpdir(), 'trainyard-bench-remote-'));
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-redis-'));
  await writeFile(join(dir, 'pipeline.yaml'), pipelineYaml(n, `remote: ${remote}`));
  const redis = await startRedis();
  const workerDir = await mkdtemp(join(tmpdir(), 'trainyard-bench-worker-'));
  const worker = spawn(process.execPath, [BIN, 'worker', '--queue', redis.url, '--json'], { cwd: workerDir, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      worker.stdout!.on('data', (d) => { out += String(d); if (out.includes('"event":"ready"')) resolve(); });
      worker.once('exit', (code) => reject(new Error(`trainyard worker exited (${code})`)));
    });
    const r = timeCli(['run', '--json', '--executor', redis.url], dir);
    const ran = r.stdout.split('\n').filter((x) => x.includes('"status":"done"')).length;
    const per = r.ms / n;
    console.log(`run ${n} no-op stages, local (1 job):     ${(l.ms / 1000).toFixed(2)} s → ${(l.ms / n).toFixed(1)} ms per stage, start-up included`);
    console.log(`run ${n} no-op stages, redis (1 worker):  ${(r.ms / 1000).toFixed(2)} s → ${per.toFixed(1)} ms per stage, start-up included (target < 50 ms; ${ran} ran; +${(per - l.ms / n).toFixed(1)} ms per stage over local)`);
  } finally {
    worker.kill('SIGKILL');
    await redis.stop();
    for (const d of [local, remote, dir, workerDir]) await rm(d, { recursive: true, force: true });
  }
}
