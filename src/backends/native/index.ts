/**
 * @fileoverview The `native` backend: TF.js kernels in C++ (our blocked SGEMM with AVX-512 /
 * AVX2 / portable micro-kernels chosen at run time, or OpenBLAS's when built with it; fused
 * LayerNorm/GELU/softmax-cross-entropy/AdamW, multi-threaded element-wise ops) on top of the
 * wasm backend. Available when `npm run build:native` has built the addon
 * (native/build/Release/trainyard_native.node; its C++ sources are in native/src/).
 *
 *   backend: native      # in a pipeline; `auto` picks it when available
 *
 * This module stays cheap to import (BUILTIN_BACKENDS lists it at compile time): TF.js, wasm
 * and the kernels load only in `load()`.
 */
import { defineBackend, type BackendDefinition } from '../../plugins/define.js';
import { addonBuilt, loadAddon } from './addon.js';

export { setNativeThreads } from './addon.js';

/** How to get the addon built (shown when `native` is asked for but missing). */
export const NATIVE_INSTALL_HINT = 'apt-get install -y g++ make (libopenblas-dev optional), then npm run build:native';

export const nativeBackend: BackendDefinition = defineBackend({
  name: 'native',
  // Above wasm (20), below libtensorflow (30).
  priority: 25,
  description: 'C++ kernels over the wasm backend: blocked SGEMM (AVX-512/AVX2, or OpenBLAS), fused LayerNorm/GELU/cross-entropy/AdamW',
  capabilities: { fusedOps: true, transposeFlags: true },
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
  installHint: NATIVE_INSTALL_HINT,
});
