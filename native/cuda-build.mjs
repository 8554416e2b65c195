/**
 * @fileoverview Builds the cuda addon from native/cuda/addon.cu, in two flavors:
 *   emulated  g++ compiles the same source as C++ (kernels run as host loops):
 *             native/build-cuda/trainyard_cuda_emu.node. Always built when g++ is present.
 *   gpu       nvcc: native/build-cuda/trainyard_cuda.node, CUDA runtime linked statically,
 *             cuBLAS loaded at run time. Built when nvcc exists and a GPU is present, or when
 *             TRAINYARD_CUDA=1 forces it (TRAINYARD_CUDA=0 never builds it).
 *             TRAINYARD_CUDA_ARCH: compute capabilities, e.g. "90" (default) or "80,90".
 * Used by native/build.mjs (npm install), the nvcc compile test and bench/gpu-pack.mjs.
 * Never throws: each function returns { ok, why?, path?, seconds }.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CUDA_SOURCE = join(here, 'cuda', 'addon.cu');
// Not under build/: node-gyp rebuild (the native addon) empties that folder.
export const RELEASE_DIR = join(here, 'build-cuda');

/** First existing command path among candidates (PATH lookups by `command -v`). */
function findTool(names, extra = []) {
  for (const n of names) {
    const r = spawnSync('sh', ['-c', `command -v ${n}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return extra.find((p) => existsSync(p));
}

export function findNvcc() {
  return findTool(['nvcc'], ['/usr/local/cuda/bin/nvcc', ...(process.env.CUDA_HOME ? [join(process.env.CUDA_HOME, 'bin', 'nvcc')] : [])]);
}

/** True when this machine has an NVIDIA GPU with its driver. */
export function gpuPresent() {
  if (existsSync('/dev/nvidia0')) return true;
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 && /GPU \d/.test(r.stdout ?? '');
}

/** -I flags for node's headers and node-addon-api, or a reason they are missing. */
function includeFlags() {
  let napi;
  try {
    napi = createRequire(import.meta.url)('node-addon-api').include_dir;
  } catch {
    return { why: 'node-addon-api is not installed' };
  }
  const prefix = dirname(dirname(process.execPath));
  const candidates = [join(prefix, 'include', 'node'), join(homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node')];
  const nodeInc = candidates.find((d) => existsSync(join(d, 'node_api.h')));
  if (!nodeInc) return { why: `node's headers (node_api.h) are not in ${candidates.join(' or ')}` };
  return { flags: [`-I${nodeInc}`, `-I${napi}`] };
}

function run(cmd, args, out) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (Date.now() - t0) / 1000;
  if (r.error) return { ok: false, why: `${cmd}: ${r.error.message}`, seconds };
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    return { ok: false, why: `${cmd} exited with ${r.status}:\n${tail}`, seconds };
  }
  return { ok: true, path: out, seconds };
}

const DEFINES = ['-DNAPI_VERSION=8', '-DNAPI_DISABLE_CPP_EXCEPTIONS'];

/** The host-emulation addon (g++). */
export function buildEmulated(outDir = RELEASE_DIR) {
  const gxx = findTool(['g++', 'c++']);
  if (!gxx) return { ok: false, why: 'no C++ compiler (g++)', seconds: 0 };
  const inc = includeFlags();
  if (!inc.flags) return { ok: false, why: inc.why, seconds: 0 };
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'trainyard_cuda_emu.node');
  return run(gxx, ['-O2', '-std=c++17', '-shared', '-fPIC', '-x', 'c++', ...DEFINES, ...inc.flags, CUDA_SOURCE, '-o', out], out);
}

/** The GPU addon (nvcc), for the compute capabilities in TRAINYARD_CUDA_ARCH (default 90) plus PTX. */
export function buildGpu(outDir = RELEASE_DIR, arch = process.env.TRAINYARD_CUDA_ARCH || '90') {
  const nvcc = findNvcc();
  if (!nvcc) return { ok: false, why: 'nvcc is not installed', seconds: 0 };
  const inc = includeFlags();
  if (!inc.flags) return { ok: false, why: inc.why, seconds: 0 };
  const archs = String(arch).split(/[,;\s]+/).filter(Boolean);
  if (!archs.every((a) => /^\d+a?$/.test(a))) return { ok: false, why: `TRAINYARD_CUDA_ARCH=${arch}: expected numbers like 90 or 80,90`, seconds: 0 };
  const last = archs[archs.length - 1];
  const gencode = [...archs.map((a) => `-gencode=arch=compute_${a},code=sm_${a}`), `-gencode=arch=compute_${last},code=compute_${last}`];
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'trainyard_cuda.node');
  return run(nvcc, ['-O3', '-std=c++17', '-shared', '-Xcompiler', '-fPIC', '-cudart', 'static', ...gencode, ...DEFINES, ...inc.flags, CUDA_SOURCE, '-o', out, '-ldl'], out);
}

/** Whether npm install should build the GPU flavor here, and why (not). */
export function gpuBuildWanted() {
  const force = process.env.TRAINYARD_CUDA;
  if (force === '0') return { wanted: false, why: 'TRAINYARD_CUDA=0' };
  if (!findNvcc()) return { wanted: false, why: 'nvcc is not installed' };
  if (force === '1') return { wanted: true };
  if (!gpuPresent()) return { wanted: false, why: 'no NVIDIA GPU here (TRAINYARD_CUDA=1 builds it anyway)' };
  return { wanted: true };
}
