/**
 * @fileoverview The built-in tensor backends: `cpu` (pure JS), `wasm` (SIMD, XNNPACK),
 * `native` (our C++ kernels, ./native/), `tensorflow` (@tensorflow/tfjs-node),
 * `tensorflow-gpu` (@tensorflow/tfjs-node-gpu), and `cuda` / `cuda-emulated` (our CUDA kernels, ./cuda/).
 * The two node packages are optional (their install downloads libtensorflow), so they are
 * probed with `import.meta.resolve` and imported only when asked for.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineBackend, type BackendDefinition } from '../plugins/define.js';
import { cudaBackend, cudaEmulatedBackend } from './cuda/index.js';
import { nativeBackend } from './native/index.js';

export { nativeBackend } from './native/index.js';
export { cudaBackend, cudaEmulatedBackend } from './cuda/index.js';

const require = createRequire(import.meta.url);

/** True when a package can be resolved from here (cheap: no import). */
function resolvable(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Imports a package whose name is only known at run time (keeps tsc from resolving optional deps). */
async function importOptional(pkg: string): Promise<unknown> {
  return import(pkg);
}

const cpuBackend: BackendDefinition = defineBackend({
  name: 'cpu',
  priority: 10,
  description: 'Pure JavaScript kernels (@tensorflow/tfjs-backend-cpu): slow, exact, always there',
  isAvailable: () => resolvable('@tensorflow/tfjs-backend-cpu'),
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
    return 'cpu';
  },
});

const wasmBackend: BackendDefinition = defineBackend({
  name: 'wasm',
  // Measured on the project machine: wasm (XNNPACK, SIMD) trains the default model ~10x faster than cpu.
  priority: 20,
  description: 'WebAssembly + SIMD kernels (@tensorflow/tfjs-backend-wasm, XNNPACK)',
  isAvailable: () => resolvable('@tensorflow/tfjs-backend-wasm'),
  async load() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm binaries are read from disk with fs (not fetch, which rejects plain paths).
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(join(dist, '/'), false);
    return 'wasm';
  },
});

function nodeBackend(name: string, pkg: string, priority: number, tfName: string): BackendDefinition {
  return defineBackend({
    name,
    priority,
    description: `libtensorflow through ${pkg}`,
    // BLAS-backed BatchMatMul: transpose flags cost nothing.
    capabilities: { transposeFlags: true },
    isAvailable: () => resolvable(pkg),
    async load() {
      await importOptional(pkg);
      return tfName;
    },
    installHint: `npm install ${pkg} (it downloads libtensorflow at install time)`,
  });
}

const tensorflowBackend: BackendDefinition = nodeBackend('tensorflow', '@tensorflow/tfjs-node', 30, 'tensorflow');
const tensorflowGpuBackend: BackendDefinition = nodeBackend('tensorflow-gpu', '@tensorflow/tfjs-node-gpu', 40, 'tensorflow');

/** Every built-in backend (the order names are listed in; `auto` goes by priority). */
export const BUILTIN_BACKENDS: readonly BackendDefinition[] = [cpuBackend, wasmBackend, nativeBackend, tensorflowBackend, tensorflowGpuBackend, cudaBackend, cudaEmulatedBackend];
