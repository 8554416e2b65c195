/**
 * @fileoverview AdamW (PyTorch semantics, as nanoGPT uses it): decoupled weight decay applied
 * only to parameters with >= 2 dimensions (matmul weights and embeddings; not biases or
 * LayerNorm gains), bias-corrected moments, and global-norm gradient clipping.
 * `adamwUpdate` is the fused-op entry point a backend can replace with one kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TrainyardAdamW, TrainyardSumSquares } from '../model/kernel-names.js';
import { hasFused } from '../model/ops.js';

export interface AdamWConfig {
  /** @default 0.9 */
  beta1: number;
  /** @default 0.99 */
  beta2: number;
  /** @default 1e-8 */
  eps: number;
  /** Decoupled weight decay on >= 2-D parameters. @default 0.1 */
  weightDecay: number;
}

/**
 * One AdamW step for one parameter, in place (PyTorch `_single_tensor_adamw`):
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p − (lr / (1−β1ᵗ)) · m / (sqrt(v)/sqrt(1−β2ᵗ) + eps)
 */
export function adamwUpdate(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, lr: number, wd: number, t: number, c: AdamWConfig, gradScale = 1): void {
  if (hasFused(TrainyardAdamW)) {
    // One fused kernel instead of ~15 (the native backend's), the clipping scale folded in.
    const out = tf.engine().runKernel(TrainyardAdamW, { param: p, grad: g, m, v } as never,
      { lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.eps, weightDecay: wd, step: t, gradScale }) as unknown as tf.Tensor[];
    p.assign(out[0]!); m.assign(out[1]!); v.assign(out[2]!);
    tf.dispose(out);
    return;
  }
  if (gradScale === 1) return adamwUpdateTf(p, g, m, v, lr, wd, t, c);
  const scaled = tf.mul(g, gradScale);
  adamwUpdateTf(p, scaled, m, v, lr, wd, t, c);
  scaled.dispose();
}

/**
 * The plain TF.js AdamW step `adamwUpdate` runs on backends without the fused kernel
 * (exported so tests compare the fused kernel with exactly this).
 */
export function adamwUpdateTf(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, lr: number, wd: number, t: number, c: AdamWConfig): void {
  tf.tidy(() => {
    const m1 = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1));
    const v1 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
    const bc1 = 1 - c.beta1 ** t;
    const bc2 = 1 - c.beta2 ** t;
    const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(bc2)), c.eps);
    const decayed = wd > 0 ? tf.mul(p, 1 - lr * wd) : p;
    p.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), lr / bc1)));
    m.assign(m1);
    v.assign(v1);
  });
}

export class AdamW {
  readonly config: AdamWConfig;
  /** First and second moments by parameter name. */
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  /** Steps taken (t in the bias corrections). */
  t = 0;

  constructor(params: Map<string, tf.Variable>, config: AdamWConfig) {
    this.config = config;
    for (const [name, p] of params) {
      const zeros = tf.zerosLike(p);
      this.m.set(name, tf.variable(zeros, false));
      this.v.set(name, tf.variable(zeros, false));
      zeros.dispose();
    }
  }

  /** Applies gradients, each multiplied by `gradScale` (clipping's), with learning rate `lr`. */
  step(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number, gradScale = 1): void {
    this.t += 1;
    for (const [name, p] of params) {
      const g = grads.get(name);
      if (!g) continue;
      const wd = p.rank >= 2 ? this.config.weightDecay : 0;
      adamwUpdate(p, g, this.m.get(name)!, this.v.get(name)!, lr, wd, this.t, this.config, gradScale);
    }
  }

  /** Restores moments and the step count (from a checkpoint). */
  load(m: Map<string, Float32Array>, v: Map<string, Float32Array>, t: number): void {
    for (const [name, mv] of this.m) {
      const a = m.get(name);
      const b = v.get(name);
      if (!a || !b) throw new Error(`optimizer state lacks ${name}`);
      tf.tidy(() => {
        mv.assign(tf.tensor(a, mv.shape));
        this.v.get(name)!.assign(tf.tensor(b, mv.shape));
      });
    }
    this.t = t;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
  }
}

/**
 * Global-norm clipping (torch.nn.utils.clip_grad_norm_): the scale min(1, maxNorm/(norm + 1e-6))
 * that AdamW.step applies to every gradient. Returns the pre-clip norm and the scale (1 when
 * off, within bounds, or not finite). One fused kernel on backends that have it.
 */
export function globalNormScale(grads: Map<string, tf.Tensor>, maxNorm: number): { norm: number; scale: number } {
  const list = [...grads.values()];
  const normT = tf.tidy(() => hasFused(TrainyardSumSquares)
    ? tf.sqrt(tf.engine().runKernel(TrainyardSumSquares, list as never) as tf.Tensor)
    : tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))));
  const norm = normT.dataSync()[0]!;
  normT.dispose();
  if (!(maxNorm > 0) || !Number.isFinite(norm) || norm <= maxNorm) return { norm, scale: 1 };
  return { norm, scale: maxNorm / (norm + 1e-6) };
}
