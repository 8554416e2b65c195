/**
 * @fileoverview The `cuda` backend: TF.js kernels in CUDA C++ (native/cuda/) with tensors in GPU
 * memory, cuBLAS for matmuls, fused LayerNorm/GELU/cross-entropy/attention/AdamW like the
 * native backend. Built by `npm run build:native` when nvcc and a GPU are present (or with
 * TRAINYARD_CUDA=1), into native/build-cuda/trainyard_cuda.node.
 *
 *   backend: cuda            # a pipeline on an NVIDIA machine; `auto` picks it there
 *   backend: cuda-emulated   # the same backend on the host-emulation addon (tests, no GPU)
 *   TRAINYARD_CUDA_EMULATE=1 # makes `cuda` itself run on the emulation addon
 *
 * The emulation addon (trainyard_cuda_emu.node, g++ only) is always built: it runs the same
 * kernel sources as host loops, so the kernel math and this backend are tested without a GPU.
 * Cheap to import: TF.js and the addon load only in `load()`.
 */
import { defineBackend, type BackendDefinition } from '../../plugins/define.js';
import { cudaAddonBuilt, emulationForced, gpuPresent, loadCudaAddon, PRECISION_CODES, type CudaFlavor, type MatmulPrecision } from './addon.js';

export { PRECISION_CODES, type MatmulPrecision } from './addon.js';

export const CUDA_INSTALL_HINT = 'needs an NVIDIA GPU with its driver, and nvcc (CUDA 12 or 13) to build: npm run build:native (TRAINYARD_CUDA=1 forces the nvcc build); cuBLAS (libcublas.so.13 or .12) must be on the library path at run time';
export const CUDA_EMULATED_HINT = 'the host-emulation addon is not built: npm run build:native (needs g++)';

const CAPABILITIES = { fusedOps: true, transposeFlags: true } as const;

/** The addon flavor `cuda` runs on here (the emulation one under TRAINYARD_CUDA_EMULATE=1). */
function cudaFlavor(): CudaFlavor {
  return emulationForced() ? 'emulated' : 'gpu';
}

function loads(flavor: CudaFlavor): boolean {
  if (!cudaAddonBuilt(flavor)) return false;
  if (flavor === 'gpu' && !gpuPresent()) return false;
  try {
    loadCudaAddon(flavor);
    return true;
  } catch {
    return false;
  }
}

export const cudaBackend: BackendDefinition = defineBackend({
  name: 'cuda',
  // Above every CPU backend and tensorflow-gpu (40).
  priority: 50,
  description: 'CUDA kernels on an NVIDIA GPU: tensors in device memory, cuBLAS GEMMs, fused LayerNorm/GELU/cross-entropy/attention/AdamW',
  capabilities: CAPABILITIES,
  isAvailable: () => loads(cudaFlavor()),
  async load() {
    const { registerCudaBackend } = await import('./register.js');
    return registerCudaBackend('cuda', cudaFlavor());
  },
  setPrecision: (precision) => loadCudaAddon(cudaFlavor()).setPrecision(PRECISION_CODES[precision]),
  installHint: CUDA_INSTALL_HINT,
});

export const cudaEmulatedBackend: BackendDefinition = defineBackend({
  name: 'cuda-emulated',
  // Below cpu (10): `auto` never picks the emulation, it only stands in for the GPU in tests.
  priority: 1,
  description: 'The cuda backend on its host-emulation addon: the same kernel sources run as CPU loops (for tests; slow)',
  capabilities: CAPABILITIES,
  isAvailable: () => loads('emulated'),
  async load() {
    const { registerCudaBackend } = await import('./register.js');
    return registerCudaBackend('cuda-emulated', 'emulated');
  },
  // The emulation rounds the GEMM inputs exactly as documented (native/cuda/gemm.h), so
  // `precision:` is testable without a GPU.
  setPrecision: (precision) => loadCudaAddon('emulated').setPrecision(PRECISION_CODES[precision]),
  installHint: CUDA_EMULATED_HINT,
});

/**
 * Sets the matmul input precision of every cuda addon loaded in this process (fp32 exact;
 * tf32 and bf16 round the GEMM inputs, accumulating in fp32).
 */
export function setCudaPrecision(precision: MatmulPrecision): void {
  for (const flavor of ['gpu', 'emulated'] as const) {
    if (!cudaAddonBuilt(flavor)) continue;
    try {
      loadCudaAddon(flavor).setPrecision(PRECISION_CODES[precision]);
    } catch {
      // That flavor does not load here (no GPU): nothing runs on it.
    }
  }
}
