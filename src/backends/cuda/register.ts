/**
 * @fileoverview Registers a cuda TF.js backend (`cuda` on the GPU addon, `cuda-emulated` on the
 * host-emulation addon): the device kernels of ./kernels/, and for every other kernel that
 * tfjs-backend-cpu has, the host fallback (see CudaBackend.runOnHost).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerFusedGradients } from '../native/gradients.js';
import { loadCudaAddon, type CudaFlavor } from './addon.js';
import { CudaBackend, cudaKernel } from './backend.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { fusedKernels } from './kernels/fused.js';
import { layoutKernels } from './kernels/layout.js';
import { matmulKernels } from './kernels/matmul.js';
import { reduceKernels } from './kernels/reduce.js';

/** Kernel names with a device implementation, by TF.js backend name. */
export const deviceKernelNames = new Map<string, Set<string>>();

/**
 * Registers TF.js backend `tfName` on the `flavor` addon once (idempotent); returns tfName.
 * @throws when the addon cannot be loaded (or, for the GPU build, sees no device).
 */
export function registerCudaBackend(tfName: string, flavor: CudaFlavor): string {
  if (tf.findBackendFactory(tfName)) return tfName;
  const addon = loadCudaAddon(flavor);
  const device = [
    ...matmulKernels(addon, tfName), ...elementwiseKernels(addon, tfName), ...reduceKernels(addon, tfName),
    ...layoutKernels(addon, tfName), ...fusedKernels(addon, tfName),
  ];
  const names = new Set(device.map((k) => k.kernelName));
  for (const k of device) tf.registerKernel(k);
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!names.has(k.kernelName)) tf.registerKernel(cudaKernel(k.kernelName, tfName, () => undefined));
  }
  deviceKernelNames.set(tfName, names);
  registerFusedGradients();
  tf.registerBackend(tfName, () => new CudaBackend(addon, tfName), 4);
  return tfName;
}
