/**
 * @fileoverview Messages for setting up a tensor backend (src/backends): none available, not
 * installed, failing to load or initialise, a native addon older than its bindings, a matmul
 * precision the backend cannot run. Unknown
 * backend names are in ./config.ts with the other unknown names.
 */
import { make, type Where } from './make.js';

export const backendErrors = {
  noBackend: (at?: Where) =>
    make('E_BACKEND', 'No tensor backend is available.', 'npm install @tensorflow/tfjs-backend-cpu', at),

  /** `installHint` is the backend definition's own, if it has one. */
  backendNotInstalled: (a: { backend: string; installHint?: string }, at?: Where) =>
    make('E_BACKEND', `Backend "${a.backend}" is not installed.`, a.installHint ?? `Install the package that provides the "${a.backend}" backend.`, at),

  backendLoadFailed: (a: { backend: string; reason: string; installHint?: string }, at?: Where) =>
    make('E_BACKEND', `Backend "${a.backend}" failed to load: ${a.reason}`, a.installHint, at),

  backendInitFailed: (a: { backend: string; installHint?: string }, at?: Where) =>
    make('E_BACKEND', `Backend "${a.backend}" did not initialise.`, a.installHint, at),

  /**
   * `precision: tf32 | bf16` on a backend without `setPrecision`. `supported`: the registry's
   * backends that have it; `auto`: the backend was picked by `backend: auto`.
   */
  precisionUnsupported: (a: { backend: string; precision: string; supported: string[]; auto?: boolean }, at?: Where) =>
    make('E_BACKEND',
      `Backend "${a.backend}"${a.auto ? ' (picked by backend: auto)' : ''} cannot run ${a.precision} matmuls: ` +
      (a.supported.length > 0 ? `only ${a.supported.join(', ')} support${a.supported.length === 1 ? 's' : ''} precision: ${a.precision}.` : `no backend here supports precision: ${a.precision}.`),
      'Use backend: cuda on an NVIDIA GPU (cuda-emulated runs its host emulation, for tests), or precision: fp32 (the default).', at),

  /** The built addon lacks an op these bindings call: it predates them. */
  nativeAddonStale: (a: { kind: string; op: string }, at?: Where) =>
    make('E_BACKEND', `native addon has no ${a.kind} op "${a.op}"; it was built from older sources.`, 'Rebuild it: npm run build:native', at),
  nativeGemmUnavailable: (a: { name: string; available: string }, at?: Where) =>
    make('E_BACKEND', `TRAINYARD_GEMM=${a.name} is not available in this native build or on this CPU.`, `Use one of: ${a.available} (openblas needs libopenblas-dev when the addon is built)`, at),
};
