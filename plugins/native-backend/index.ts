/**
 * @fileoverview The `native` backend plugin: TF.js kernels in C++ (OpenBLAS sgemm, fused
 * LayerNorm/GELU/softmax-cross-entropy/AdamW, multi-threaded element-wise ops) on top of the
 * wasm backend. Available when `node native/build.mjs` has built the addon.
 *
 *   plugins: [./plugins/native-backend/index.ts]   # or the built-in registry adds nativeBackend
 *   backend: native                                   # `auto` picks it when available
 */
import { defineBackend, definePlugin } from '../../src/plugins/define.js';
import { addonBuilt, loadAddon } from './addon.js';

export { layerNorm, gelu, softmaxCrossEntropy, adamwStep, hasFusedKernel } from './ops.js';
export type { AdamWOptions } from './ops.js';
export { setNativeThreads } from './addon.js';
export * from './kernel-names.js';

export const nativeBackend = defineBackend({
  name: 'native',
  // Above wasm (20), below libtensorflow (30).
  priority: 25,
  description: 'C++ kernels over the wasm backend: OpenBLAS matmul, fused LayerNorm/GELU/cross-entropy/AdamW',
  isAvailable() {
    if (!addonBuilt()) return false;
    try {
      loadAddon();
      return true;
    } catch {
      return false;
    }
  },
  async load() {
    const { registerNativeBackend } = await import('./backend.js');
    return registerNativeBackend();
  },
  installHint: 'apt-get install -y g++ make libopenblas-dev && node native/build.mjs --strict',
});

export default definePlugin({ name: 'native-backend', version: '0.1.0', backends: [nativeBackend] });
