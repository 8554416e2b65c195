/**
 * @fileoverview The built-in tensor backends: `cpu` (pure JS), `wasm` (SIMD, XNNPACK),
 * `tensorflow` (@tensorflow/tfjs-node) and `tensorflow-gpu` (@tensorflow/tfjs-node-gpu).
 * The two node packages are optional (their install downloads libtensorflow), so they are
 * probed with `import.meta.resolve` and imported only when asked for.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineBackend, type BackendDefinition } from '../plugins/define.js';

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

export const cpuBackend: BackendDefinition = defineBackend({
  name: 'cpu',
  priority: 10,
  description: 'Pure JavaScript kernels (@tensorflow/tfjs-backend-cpu): slow, exact, always there',
  isAvailable: () => resolvable('@tensorflow/tfjs-backend-cpu'),
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
    return 'cpu';
  },
});

export const wasmBackend: BackendDefinition = defineBackend({
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
    isAvailable: () => resolvable(pkg),
    async load() {
      await importOptional(pkg);
      return tfName;
    },
    installHint: `npm install ${pkg} (it downloads libtensorflow at install time)`,
  });
}

export const tensorflowBackend: BackendDefinition = nodeBackend('tensorflow', '@tensorflow/tfjs-node', 30, 'tensorflow');
export const tensorflowGpuBackend: BackendDefinition = nodeBackend('tensorflow-gpu', '@tensorflow/tfjs-node-gpu', 40, 'tensorflow');

// The native backend is an in-repo plugin (plugins/native-backend, dogfooding the plugin API)
// whose C++ addon `npm ci` builds when a compiler and OpenBLAS are present.
const NATIVE_PLUGIN = fileURLToPath(new URL('../../plugins/native-backend/index.ts', import.meta.url));
const NATIVE_ADDON = fileURLToPath(new URL('../../native/build/Release/trainyard_native.node', import.meta.url));
const NATIVE_HINT = 'apt-get install -y g++ make libopenblas-dev, then npm run build:native';

export const nativeBackend: BackendDefinition = defineBackend({
  name: 'native',
  priority: 25,
  description: 'C++ kernels over the wasm backend: OpenBLAS matmul, fused LayerNorm/GELU/cross-entropy/AdamW',
  isAvailable: () => existsSync(NATIVE_ADDON) && existsSync(NATIVE_PLUGIN),
  async load() {
    const { loadPlugin } = await import('../plugins/load.js');
    const { plugin } = await loadPlugin(NATIVE_PLUGIN, dirname(NATIVE_PLUGIN));
    const def = plugin.backends?.find((b) => b.name === 'native');
    if (!def || !(await def.isAvailable())) throw new Error(`the native addon at ${NATIVE_ADDON} does not load`);
    return def.load();
  },
  installHint: NATIVE_HINT,
});

/** Every built-in backend, highest priority last. */
export const BUILTIN_BACKENDS: readonly BackendDefinition[] = [cpuBackend, wasmBackend, nativeBackend, tensorflowBackend, tensorflowGpuBackend];
