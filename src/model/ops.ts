/**
 * @fileoverview The model's op set, as plain TF.js functions with hand-written gradients.
 * `layerNorm`, `gelu`, `crossEntropyIds` (and AdamW in ../train/adamw.ts) run a backend's fused
 * kernel (./kernel-names.ts) when its capabilities say `fusedOps` (./capabilities.ts), else the
 * TF.js compositions exported as `fallbacks`. Why custom gradients:
 *  - `matmul`/`linear`: TF.js's MatMul gradient sets transposeA/transposeB, which on the wasm
 *    backend is 10-20x slower than an explicit Transpose followed by a plain MatMul.
 *  - `embedding`: the gradient of `gather` needs UnsortedSegmentSum, which wasm lacks; we use it
 *    where the backend has it and a one-hot matmul otherwise.
 *  - `layerNorm`, `gelu`, `crossEntropy`: closed-form backward passes with fewer kernels than
 *    autodiff through their pieces.
 *
 * TF.js kernels the model runs (training, forward + backward):
 *   BatchMatMul (2-D linears/lm_head; 4-D attention), Transpose, Reshape, Add, Sub, Multiply,
 *   RealDiv, Neg, Sum, Mean, Square, Rsqrt, Sigmoid, Exp, Max + Log (logSumExp), Softmax,
 *   OneHot, GatherV2, UnsortedSegmentSum (where the backend has it), Slice, PadV2 (slice grad),
 *   SplitV, Concat, Fill (ones/zeros), Cast, Identity; AdamW adds Sqrt; dropout > 0 adds
 *   RandomUniform + Floor. Generation adds Concat for the KV cache.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';
import { LN_EPS } from './config.js';
import { registerGradients } from './grads.js';
import * as K from './kernel-names.js';

registerGradients();

type T = tf.Tensor;
type Fn2 = (a: T, b: T) => T;
type Fn3 = (a: T, b: T, c: T) => T;

/** Swaps the last two axes with an explicit Transpose kernel. */
function swapLast(x: T): T {
  const perm = [...Array(x.rank).keys()];
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return tf.transpose(x, perm);
}

/**
 * Column sums of x [N, C] → [C], as ones[1, N] @ x: wasm reduces only the innermost axis, so
 * `tf.sum(x, 0)` transposes first; the matmul runs on XNNPACK instead.
 */
function colSum(x: T): T {
  const [n, c] = x.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, n]), x), [c]); // [1, N] @ [N, C] → [C]
}

/**
 * op(a) @ op(b) with the cheapest form of transposition for the active backend: the flags
 * where its capabilities say `transposeFlags` (BLAS-backed), else an explicit Transpose first
 * (on wasm a flag is 10-20x slower).
 */
function mm(a: T, b: T, ta: boolean, tb: boolean): T {
  if (backendCapabilities(tf.getBackend()).transposeFlags) return tf.matMul(a, b, ta, tb);
  return tf.matMul(ta ? swapLast(a) : a, tb ? swapLast(b) : b);
}

/**
 * True when the active backend offers fused ops and registers `kernelName` (one of
 * ./kernel-names.ts); the per-kernel check is a safety net for partial implementations.
 */
export function hasFused(kernelName: string): boolean {
  const backend = tf.getBackend();
  return backendCapabilities(backend).fusedOps === true && tf.getKernel(kernelName, backend) !== undefined;
}

/** a @ b for rank-2 or equal-batch rank-4 tensors. */
export const matmul: Fn2 = tf.customGrad((a: any, b: any, save: any) => {
  save([a, b]);
  return {
    value: mm(a as T, b as T, false, false),
    gradFunc: (dy: T, [sa, sb]: T[]) => [mm(dy, sb!, false, true), mm(sa!, dy, true, false)],
  };
}) as unknown as Fn2;

/** a @ bᵀ (attention scores q·kᵀ, the tied lm_head x·wteᵀ) without materialising bᵀ where possible. */
export const matmulNT: Fn2 = tf.customGrad((a: any, b: any, save: any) => {
  save([a, b]);
  return {
    value: mm(a as T, b as T, false, true),
    gradFunc: (dy: T, [sa, sb]: T[]) => [mm(dy, sb!, false, false), mm(dy, sa!, true, false)],
  };
}) as unknown as Fn2;

/** x @ w + b, HF Conv1D layout: x [N, in], w [in, out], b [out] → [N, out]. */
export const linear: Fn3 = tf.customGrad((x: any, w: any, b: any, save: any) => {
  save([x, w]);
  return {
    value: hasFused(K.TrainyardLinear)
      ? tf.engine().runKernel(K.TrainyardLinear, { x, w, b } as never, {}) as T // one kernel: GEMM + bias
      : tf.add(tf.matMul(x as T, w as T), b as T), // [N, out]
    gradFunc: (dy: T, [sx, sw]: T[]) => [
      mm(dy, sw!, false, true), // [N, in]
      mm(sx!, dy, true, false), // [in, out]
      colSum(dy), // [out]
    ],
  };
}) as unknown as Fn3;

/**
 * x @ w + b with w and b frozen (LoRA's base weights): only x gets a gradient, so the
 * backward pass skips the two weight-gradient products a plain `linear` computes.
 */
export function frozenLinear(x: T, w: T, b: T): T {
  const f = tf.customGrad((xi: any) => ({
    value: tf.add(tf.matMul(xi as T, w), b), // [N, out]
    gradFunc: (dy: T) => [mm(dy, w, false, true)], // [N, in]
  })) as unknown as (xi: T) => T;
  return f(x);
}

/** a @ bᵀ with b frozen (LoRA's tied lm_head): only a gets a gradient. */
export function frozenMatmulNT(a: T, b: T): T {
  const f = tf.customGrad((ai: any) => ({
    value: mm(ai as T, b, false, true),
    gradFunc: (dy: T) => [mm(dy, b, false, false)],
  })) as unknown as (ai: T) => T;
  return f(a);
}

/**
 * Causal self-attention as one fused kernel (TrainyardAttention) from the qkv projection
 * [B·T, 3C] to the merged heads [B·T, C]; with `segment` ids [B·T] (packed rows) a token
 * attends only within its own segment. For backends that register the kernel (check
 * `hasFused(TrainyardAttention)`); the model keeps its composition of TF.js ops for the rest.
 */
export function fusedAttention(qkv: T, batch: number, heads: number, segment?: T): T {
  const attrs = { batch, heads };
  const f = tf.customGrad((q: any, save: any) => {
    const [y, probs] = tf.engine().runKernel(K.TrainyardAttention, { qkv: q, ...(segment ? { segment } : {}) } as never, attrs as never) as T[];
    save(segment ? [q, probs, segment] : [q, probs]); // saved tensors outlive the forward's scope
    return {
      value: y!, // [B·T, C]
      gradFunc: (dy: T, saved: T[]) => [tf.engine().runKernel(K.TrainyardAttentionGrad,
        { dy, qkv: saved[0]!, probs: saved[1]!, ...(saved[2] ? { segment: saved[2] } : {}) } as never, attrs as never) as T],
    };
  }) as unknown as (q: T) => T;
  return f(qkv);
}

/** LayerNorm over the last axis: x [N, C], gamma/beta [C] (eps 1e-5, GPT-2). */
export const layerNorm: Fn3 = (x, g, b) => hasFused(K.TrainyardLayerNorm)
  ? (tf.engine().runKernel(K.TrainyardLayerNorm, { x, gamma: g, beta: b } as never, { epsilon: LN_EPS }) as T)
  : layerNormTf(x, g, b);

const layerNormTf: Fn3 = tf.customGrad((x: any, g: any, b: any, save: any) => {
  const mean = tf.mean(x as T, -1, true); // [N, 1]
  const xc = tf.sub(x as T, mean); // [N, C]
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), LN_EPS)); // [N, 1]
  const xhat = tf.mul(xc, rstd); // [N, C]
  save([xhat, rstd, g as T]);
  return {
    value: tf.add(tf.mul(xhat, g as T), b as T),
    gradFunc: (dy: T, [sx, sr, sg]: T[]) => {
      const dxhat = tf.mul(dy, sg!); // [N, C]
      const m1 = tf.mean(dxhat, -1, true); // [N, 1]
      const m2 = tf.mean(tf.mul(dxhat, sx!), -1, true); // [N, 1]
      const dx = tf.mul(sr!, tf.sub(tf.sub(dxhat, m1), tf.mul(sx!, m2))); // [N, C]
      return [dx, colSum(tf.mul(dy, sx!)), colSum(dy)];
    },
  };
}) as unknown as Fn3;

const GELU_K = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (GPT-2 `gelu_new`): 0.5x(1 + tanh(u)) with u = k(x + 0.044715x³),
 * computed as x·sigmoid(2u) (the same function): wasm's Sigmoid is vectorised, its Tanh is ~40x slower.
 */
export const gelu = (x: T): T => hasFused(K.TrainyardGelu) ? (tf.engine().runKernel(K.TrainyardGelu, { x } as never, {}) as T) : geluTf(x);

const geluTf: (x: T) => T = tf.customGrad((x: any, save: any) => {
  const u2 = tf.mul(tf.add(x as T, tf.mul(tf.mul(tf.mul(x as T, x as T), x as T), 0.044715)), 2 * GELU_K); // 2u
  const s = tf.sigmoid(u2); // sigmoid(2u) = 0.5(1 + tanh(u))
  save([x as T, s]);
  return {
    value: tf.mul(x as T, s),
    gradFunc: (dy: T, [sx, ss]: T[]) => {
      // d/dx = s + x·s(1−s)·2k(1 + 3·0.044715x²)
      const du2 = tf.mul(tf.add(tf.mul(tf.square(sx!), 3 * 0.044715), 1), 2 * GELU_K);
      const d = tf.add(ss!, tf.mul(tf.mul(sx!, tf.mul(ss!, tf.sub(1, ss!))), du2));
      return [tf.mul(dy, d)];
    },
  };
}) as unknown as (x: T) => T;

/** Mean softmax cross-entropy: logits [N, V], oneHot targets [N, V] → scalar. */
export const crossEntropy: Fn2 = tf.customGrad((logits: any, oneHot: any, save: any) => {
  const lse = tf.logSumExp(logits as T, -1, true); // [N, 1]
  const logp = tf.sub(logits as T, lse); // [N, V]
  save([logp, oneHot as T]);
  const n = (logits as T).shape[0]!;
  return {
    value: tf.div(tf.neg(tf.sum(tf.mul(logp, oneHot as T))), n),
    gradFunc: (dy: T, [slp, soh]: T[]) => [
      tf.mul(tf.sub(tf.exp(slp!), soh!), tf.div(dy, n)), // (softmax − y)/N  [N, V]
      tf.zerosLike(soh!),
    ],
  };
}) as unknown as Fn2;

/** Alias under the name the fused-kernel plan uses. */
export const softmaxCrossEntropy: Fn2 = crossEntropy;

/** Mean of all elements, with its gradient (tfjs-core's Node bundle registers none for Mean). */
const meanAll: (x: T) => T = tf.customGrad((x: any) => {
  const shape = (x as T).shape;
  const n = (x as T).size;
  return { value: tf.mean(x as T), gradFunc: (dy: T) => [tf.mul(tf.fill(shape, 1 / n), dy)] };
}) as unknown as (x: T) => T;

/** Mean cross-entropy from int32 target ids [N]: the backend's fused kernel when it has one. */
export function crossEntropyIds(logits: T, ids: tf.Tensor1D): T {
  if (hasFused(K.TrainyardSoftmaxCrossEntropy)) {
    return meanAll(tf.engine().runKernel(K.TrainyardSoftmaxCrossEntropy, { logits, labels: ids } as never, {}) as T); // [N] → scalar
  }
  return crossEntropyIdsTf(logits, ids);
}

/** Sum of all elements times `scale`, with its gradient. */
function scaledSum(x: T, scale: number): T {
  const f = tf.customGrad((v: any) => {
    const shape = (v as T).shape;
    return { value: tf.mul(tf.sum(v as T), scale), gradFunc: (dy: T) => [tf.mul(tf.fill(shape, scale), dy)] };
  }) as unknown as (v: T) => T;
  return f(x);
}

/**
 * Per-row cross-entropy [N] from int32 target ids [N]; a target < 0 (not trained on) gives
 * loss 0 and no gradient. The backend's fused kernel when it has one.
 */
export function crossEntropyRows(logits: T, ids: tf.Tensor1D): T {
  if (hasFused(K.TrainyardSoftmaxCrossEntropy)) {
    return tf.engine().runKernel(K.TrainyardSoftmaxCrossEntropy, { logits, labels: ids } as never, {}) as T; // [N]
  }
  return crossEntropyRowsTf(logits, ids);
}

const crossEntropyRowsTf: (logits: T, ids: tf.Tensor1D) => T = (logits, ids) => {
  const f = tf.customGrad((z: any, save: any) => {
    const oneHot = tf.oneHot(ids, (z as T).shape[1]!); // [N, V]; a row of zeros for ids < 0
    const logp = tf.sub(z as T, tf.logSumExp(z as T, -1, true)); // [N, V]
    const valid = tf.sum(oneHot, -1, true); // [N, 1]: 1 where the target is trained on
    save([logp, oneHot, valid]);
    return {
      value: tf.neg(tf.sum(tf.mul(logp, oneHot), -1)), // [N]
      gradFunc: (dy: T, [slp, soh, sv]: T[]) => [tf.mul(tf.mul(tf.sub(tf.exp(slp!), soh!), sv!), tf.reshape(dy, [-1, 1]))],
    };
  }) as unknown as (z: T) => T;
  return f(logits);
};

/**
 * Cross-entropy averaged over the `count` supervised rows (targets ≥ 0; the others add 0):
 * the masked language-model loss of sft (TRL's completion/assistant-only loss).
 */
export function maskedCrossEntropyIds(logits: T, ids: tf.Tensor1D, count: number): T {
  return scaledSum(crossEntropyRows(logits, ids), count > 0 ? 1 / count : 0);
}

/** The TF.js composition behind `crossEntropyIds` (one-hot targets, then `crossEntropy`). */
function crossEntropyIdsTf(logits: T, ids: tf.Tensor1D): T {
  return crossEntropy(logits, tf.oneHot(ids, logits.shape[1]!)); // [N, V] → scalar
}

/** Row lookup: table [V, C], ids int32 [N] → [N, C]; the gradient goes to `table` only. */
export function embedding(table: T, ids: T): T {
  const vocab = table.shape[0]!;
  const segmentSum = tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined;
  const f = tf.customGrad((tb: any, save: any) => {
    save([ids]); // keep the ids alive for the backward pass (the forward scope disposes them)
    return {
      value: tf.gather(tb as T, ids), // [N, C]
      gradFunc: (dy: T, [sids]: T[]) =>
        segmentSum
          ? tf.unsortedSegmentSum(dy, sids as tf.Tensor1D, vocab) // [V, C]
          : mm(tf.oneHot(sids as tf.Tensor1D, vocab), dy, true, false), // [V, N] @ [N, C] → [V, C]
    };
  }) as unknown as (t: T) => T;
  return f(table);
}

/**
 * The plain TF.js paths the fused ops take on a backend without fused kernels (what `cpu` and
 * `wasm` run); exported so tests compare a backend's fused kernels with exactly these.
 */
export const fallbacks: Readonly<{ layerNorm: Fn3; gelu: (x: T) => T; crossEntropyIds: (logits: T, ids: tf.Tensor1D) => T; crossEntropyRows: (logits: T, ids: tf.Tensor1D) => T }> = {
  layerNorm: layerNormTf,
  gelu: geluTf,
  crossEntropyIds: crossEntropyIdsTf,
  crossEntropyRows: crossEntropyRowsTf,
};
