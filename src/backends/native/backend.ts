/**
 * @fileoverview Registers the `native` TF.js backend: a fresh tfjs-backend-wasm instance
 * whose kernel table is the wasm one (copyRegisteredKernels) with the hot kernels replaced by
 * N-API calls that work in place on the wasm heap. Kernels not replaced run in wasm as before.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadAddon } from './addon.js';
import { registerFusedGradients } from './gradients.js';
import { copyKernels } from './kernels/copy.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { fusedKernels } from './kernels/fused.js';
import { matmulKernels } from './kernels/matmul.js';
import { reduceKernels } from './kernels/reduce.js';

/** The TF.js backend name. */
const NATIVE_BACKEND = 'native';

/**
 * Registers the `native` backend with TF.js once (idempotent) and returns its name.
 * @throws when the addon or tfjs-backend-wasm cannot be loaded.
 */
export async function registerNativeBackend(): Promise<string> {
  if (tf.findBackendFactory(NATIVE_BACKEND)) return NATIVE_BACKEND;
  const addon = loadAddon();
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from disk (same as the built-in wasm backend).
  wasm.setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '/'), false);
  tf.copyRegisteredKernels('wasm', NATIVE_BACKEND);
  const kernels = [...matmulKernels(addon), ...elementwiseKernels(addon), ...reduceKernels(addon), ...copyKernels(addon), ...fusedKernels(addon)];
  for (const k of kernels) {
    // Keep the wasm kernel's setup/dispose hooks: its kernelFunc stays the fallback.
    const wasmConfig = tf.getKernel(k.kernelName, NATIVE_BACKEND);
    if (wasmConfig) tf.unregisterKernel(k.kernelName, NATIVE_BACKEND);
    tf.registerKernel({ ...k, setupFunc: wasmConfig?.setupFunc, disposeFunc: wasmConfig?.disposeFunc });
  }
  registerFusedGradients();
  const wasmFactory = tf.findBackendFactory('wasm');
  if (!wasmFactory) throw new Error('tfjs-backend-wasm did not register its backend');
  // Priority 3: above wasm (2) if TF.js ever picks a default itself.
  tf.registerBackend(NATIVE_BACKEND, async () => wasmFactory(), 3);
  return NATIVE_BACKEND;
}
