/**
 * @fileoverview What the active tensor backend can do, as far as the model cares. The model
 * never compares backend names: setupBackend (src/backends/index.ts) records the capabilities
 * its BackendDefinition declares, under the TF.js backend name it activated, and ops.ts asks
 * for those of whichever TF.js backend is active (so a later `tf.setBackend` switch is seen).
 *
 *   setBackendCapabilities('native', { fusedOps: true, transposeFlags: true }); // after tf.setBackend
 *   if (backendCapabilities(tf.getBackend()).transposeFlags) tf.matMul(a, b, false, true);
 *
 * No TF.js import here: src/backends/index.ts imports this at CLI start-up, before TF.js loads.
 */
/** Optional fast paths a backend offers; every field defaults to false. */
export interface BackendCapabilities {
  /**
   * The backend registers Trainyard's fused kernels (./kernel-names.ts): LayerNorm, GELU,
   * softmax cross-entropy, AdamW. The model still checks each kernel is registered.
   * @default false
   */
  fusedOps?: boolean;
  /**
   * BatchMatMul's transposeA/transposeB flags run at full speed (BLAS-backed). Without it the
   * model transposes explicitly first (on wasm a flag is 10-20x slower than a Transpose).
   * @default false
   */
  transposeFlags?: boolean;
}

const NONE: Readonly<BackendCapabilities> = Object.freeze({});
/** By TF.js backend name (what `tf.getBackend()` returns). */
const byTfName = new Map<string, Readonly<BackendCapabilities>>();

/** Records the capabilities of TF.js backend `tfName` (called when a backend is set up). */
export function setBackendCapabilities(tfName: string, capabilities: BackendCapabilities | undefined): void {
  byTfName.set(tfName, Object.freeze({ ...capabilities }));
}

/**
 * The capabilities recorded for a TF.js backend (pass `tf.getBackend()` for the active one);
 * none when it was never set up through setupBackend.
 */
export function backendCapabilities(tfName: string): Readonly<BackendCapabilities> {
  return byTfName.get(tfName) ?? NONE;
}
