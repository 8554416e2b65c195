/**
 * @fileoverview Names of Trainyard's fused kernels (as tfjs-core keeps `kernel_names.ts`):
 * the model and trainer call them, any backend may register them (the `native` backend does),
 * and ./ops.ts and ../train/adamw.ts fall back on plain TF.js ops where a backend has none.
 */

/** inputs {x [..., C], gamma [C], beta [C]}, attrs {epsilon} → y [..., C]. */
export const TrainyardLayerNorm = 'TrainyardLayerNorm';
/** inputs {dy, x, gamma}, attrs {epsilon} → [dx, dgamma, dbeta]. */
export const TrainyardLayerNormGrad = 'TrainyardLayerNormGrad';
/** inputs {x} → 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export const TrainyardGelu = 'TrainyardGelu';
/** inputs {dy, x} → dx. */
export const TrainyardGeluGrad = 'TrainyardGeluGrad';
/** inputs {logits [..., V] float32, labels [...] int32} → per-row loss [...]; label < 0 is ignored (loss 0). */
export const TrainyardSoftmaxCrossEntropy = 'TrainyardSoftmaxCrossEntropy';
/** inputs {dloss, logits, labels} → dlogits. */
export const TrainyardSoftmaxCrossEntropyGrad = 'TrainyardSoftmaxCrossEntropyGrad';
/** inputs {param, grad, m, v}, attrs {lr, beta1, beta2, epsilon, weightDecay, step, gradScale?} → [param', m', v']
 *  (the gradient is multiplied by gradScale first: global-norm clipping folded in). */
export const TrainyardAdamW = 'TrainyardAdamW';

/**
 * Causal self-attention from the fused projection. inputs {qkv [B·T, 3C] float32, segment?
 * [B·T] int32 (packed rows: attend only within the same id)}, attrs {batch, heads} →
 * [y [B·T, C] (heads merged), probs [B, H, T, T] (kept for the gradient)].
 */
export const TrainyardAttention = 'TrainyardAttention';
/** inputs {dy [B·T, C], qkv, probs, segment?}, attrs {batch, heads} → dqkv [B·T, 3C]. */
export const TrainyardAttentionGrad = 'TrainyardAttentionGrad';
/** inputs: any number of float32 tensors (an array) → scalar Σ x² over all of them (the squared global norm). */
export const TrainyardSumSquares = 'TrainyardSumSquares';
/** inputs {x [N, in], w [in, out], b [out]} → x·w + b [N, out] (a Conv1D layer's forward). */
export const TrainyardLinear = 'TrainyardLinear';
