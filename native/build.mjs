#!/usr/bin/env node
/**
 * @fileoverview Builds the optional native backend addon (native/build/Release/trainyard_native.node)
 * with node-gyp (node-addon-api and node-gyp are optional dependencies). It needs only a C++
 * compiler: the GEMM is our own; OpenBLAS (`apt-get install -y libopenblas-dev`) is linked in
 * as an alternative when present. Never fails the install: without a compiler or node-gyp it
 * prints why and exits 0, and Trainyard falls back to the wasm backend.
 *
 *   node native/build.mjs            # build (used by the npm install hook)
 *   node native/build.mjs --strict   # exit 1 when the build fails (CI that wants the backend)
 *   TRAINYARD_SKIP_NATIVE=1          # skip the build
 *   TRAINYARD_BLAS=none              # do not link OpenBLAS even when it is installed
 *   TRAINYARD_NATIVE_PORTABLE=1      # no -march=native (a binary for other x86-64 machines)
 *   TRAINYARD_CUDA=1 / =0            # force / never build the nvcc addon (default: when nvcc and a GPU are here)
 *
 * It also builds the cuda addon (native/cuda-build.mjs): its host-emulation flavor with g++
 * always, its GPU flavor with nvcc where that applies. Neither failure fails the install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmulated, buildGpu, gpuBuildWanted } from './cuda-build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const strict = process.argv.includes('--strict');

function skip(why) {
  console.warn(`[trainyard] native backend not built: ${why}. Training uses the wasm backend instead.`);
  // Same words as NATIVE_INSTALL_HINT in src/backends/native/index.ts.
  console.warn('[trainyard] to build it: apt-get install -y g++ make (libopenblas-dev optional), then npm run build:native');
  process.exit(strict ? 1 : 0);
}

if (process.env.TRAINYARD_SKIP_NATIVE === '1') skip('TRAINYARD_SKIP_NATIVE=1');
if (process.platform !== 'linux') skip(`platform ${process.platform} is not supported yet (Linux only)`);

// The cuda addon first (it needs no node-gyp). Failures are reported, never fatal here.
let cudaFailed = false;
{
  const emu = buildEmulated();
  if (emu.ok) console.log(`[trainyard] cuda host-emulation addon built: ${emu.path} (${emu.seconds.toFixed(0)} s)`);
  else { cudaFailed = true; console.warn(`[trainyard] cuda host-emulation addon not built: ${emu.why}`); }
  const want = gpuBuildWanted();
  if (want.wanted) {
    const gpu = buildGpu();
    if (gpu.ok) console.log(`[trainyard] cuda GPU addon built: ${gpu.path} (${gpu.seconds.toFixed(0)} s)`);
    else { cudaFailed = true; console.warn(`[trainyard] cuda GPU addon not built: ${gpu.why}`); }
  } else {
    console.log(`[trainyard] cuda GPU addon not built: ${want.why}`);
  }
}

// node-gyp: ours (an optional dependency), else the copy npm bundles and names during installs.
let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp;
  if (!gyp || !existsSync(gyp)) skip('node-gyp is not installed');
}

// Node's own headers when they sit next to the binary (Debian/NodeSource/official tarballs):
// node-gyp then needs no download.
const prefix = dirname(dirname(process.execPath));
const args = [gyp, 'rebuild', '--release', `--jobs=${process.env.JOBS ?? 'max'}`];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

const res = spawnSync(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (res.status !== 0) {
  const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-15).join('\n');
  console.warn(tail);
  skip(`node-gyp exited with ${res.status} (see above)`);
}
const built = join(here, 'build', 'Release', 'trainyard_native.node');
let gemm = '';
try {
  const info = createRequire(import.meta.url)(built).info();
  gemm = ` (GEMM: ${info.gemm}${info.blasConfig ? '; OpenBLAS linked in' : '; without OpenBLAS'})`;
} catch {
  // Loading is checked again at run time; the build itself succeeded.
}
console.log(`[trainyard] native backend built: ${built}${gemm}`);
if (strict && cudaFailed) process.exit(1);
