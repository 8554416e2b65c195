/**
 * @fileoverview Trainyard's fused kernels on the device (contracts: src/model/kernel-names.ts):
 * LayerNorm, GELU, softmax + cross-entropy and causal attention with their gradients, AdamW
 * with the clip scale folded in, and the squared global norm (kept on the device).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import * as K from '../../../model/kernel-names.js';
import type { CudaAddon } from '../addon.js';
import { cudaKernel, sizeOf } from '../backend.js';

type Attrs = Record<string, number>;
const f32 = (...ts: Array<TensorInfo | undefined>) => ts.every((t) => t?.dtype === 'float32');

export function fusedKernels(addon: CudaAddon, name: string): KernelConfig[] {
  const k = (kernelName: string, run: Parameters<typeof cudaKernel>[2]) => cudaKernel(kernelName, name, run);
  return [
    k(K.TrainyardLayerNorm, ({ inputs, attrs }, be) => {
      const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
      if (!f32(x, gamma, beta)) return undefined;
      const c = x!.shape[x!.shape.length - 1]!;
      const y = be.makeOutput(x!.shape, 'float32');
      if (sizeOf(x!.shape) > 0) addon.layerNorm(be.ptr(x!), be.ptr(gamma!), be.ptr(beta!), be.ptr(y), sizeOf(x!.shape) / c, c, (attrs as Attrs).epsilon ?? 1e-5);
      return y;
    }),
    k(K.TrainyardLayerNormGrad, ({ inputs, attrs }, be) => {
      const { dy, x, gamma } = inputs as Record<string, TensorInfo>;
      if (!f32(dy, x, gamma)) return undefined;
      const c = x!.shape[x!.shape.length - 1]!;
      const [dx, dg, db] = [be.makeOutput(x!.shape, 'float32'), be.makeOutput(gamma!.shape, 'float32'), be.makeOutput(gamma!.shape, 'float32')];
      addon.layerNormGrad(be.ptr(dy!), be.ptr(x!), be.ptr(gamma!), be.ptr(dx), be.ptr(dg), be.ptr(db), sizeOf(x!.shape) / c, c, (attrs as Attrs).epsilon ?? 1e-5);
      return [dx, dg, db];
    }),
    k(K.TrainyardGelu, ({ inputs }, be) => {
      const x = inputs.x as TensorInfo;
      if (!f32(x)) return undefined;
      const y = be.makeOutput(x.shape, 'float32');
      addon.gelu(be.ptr(x), be.ptr(y), sizeOf(x.shape));
      return y;
    }),
    k(K.TrainyardGeluGrad, ({ inputs }, be) => {
      const { dy, x } = inputs as Record<string, TensorInfo>;
      if (!f32(dy, x)) return undefined;
      const dx = be.makeOutput(x!.shape, 'float32');
      addon.geluGrad(be.ptr(dy!), be.ptr(x!), be.ptr(dx), sizeOf(x!.shape));
      return dx;
    }),
    k(K.TrainyardSoftmaxCrossEntropy, ({ inputs }, be) => {
      const { logits, labels } = inputs as Record<string, TensorInfo>;
      if (!f32(logits) || labels?.dtype !== 'int32') return undefined;
      const v = logits!.shape[logits!.shape.length - 1]!;
      const loss = be.makeOutput(logits!.shape.slice(0, -1), 'float32');
      addon.softmaxCrossEntropy(be.ptr(logits!), be.ptr(labels), be.ptr(loss), sizeOf(logits!.shape) / v, v);
      return loss;
    }),
    k(K.TrainyardSoftmaxCrossEntropyGrad, ({ inputs }, be) => {
      const { dloss, logits, labels } = inputs as Record<string, TensorInfo>;
      if (!f32(dloss, logits) || labels?.dtype !== 'int32') return undefined;
      const v = logits!.shape[logits!.shape.length - 1]!;
      const dz = be.makeOutput(logits!.shape, 'float32');
      addon.softmaxCrossEntropyGrad(be.ptr(dloss!), be.ptr(logits!), be.ptr(labels), be.ptr(dz), sizeOf(logits!.shape) / v, v);
      return dz;
    }),
    k(K.TrainyardAdamW, ({ inputs, attrs }, be) => {
      const { param, grad, m, v } = inputs as Record<string, TensorInfo>;
      if (!f32(param, grad, m, v)) return undefined;
      const a = attrs as Attrs;
      const outs = [param!, m!, v!].map((t) => be.makeOutput(t.shape, 'float32'));
      const [po, mo, vo] = outs.map((t) => be.ptr(t)) as [number, number, number];
      addon.adamw(be.ptr(param!), be.ptr(grad!), be.ptr(m!), be.ptr(v!), po, mo, vo, sizeOf(param!.shape), a.lr!, a.beta1 ?? 0.9,
        a.beta2 ?? 0.999, a.epsilon ?? 1e-8, a.weightDecay ?? 0, a.step!, a.gradScale ?? 1);
      return outs;
    }),
    k(K.TrainyardSumSquares, ({ inputs }, be) => {
      const xs = Object.values(inputs) as TensorInfo[];
      if (!xs.every((x) => x.dtype === 'float32')) return undefined;
      const out = be.makeOutput([], 'float32');
      const spec = new Float64Array(xs.length * 2);
      xs.forEach((x, i) => { spec[2 * i] = be.ptr(x); spec[2 * i + 1] = sizeOf(x.shape); });
      addon.sumSquares(spec, be.ptr(out));
      return out;
    }),
    k(K.TrainyardAttention, ({ inputs, attrs }, be) => {
      const { qkv, segment } = inputs as Record<string, TensorInfo | undefined>;
      if (!f32(qkv) || qkv!.shape.length !== 2 || (segment && segment.dtype !== 'int32')) return undefined;
      const { batch: B, heads: H } = attrs as Attrs as { batch: number; heads: number };
      const [rows, c3] = qkv!.shape as [number, number];
      const T = rows / B, C = c3 / 3;
      const y = be.makeOutput([B * T, C], 'float32');
      const probs = be.makeOutput([B, H, T, T], 'float32');
      addon.attention(be.ptr(qkv!), be.ptr(y), be.ptr(probs), B, T, H, C, segment ? be.ptr(segment) : 0);
      return [y, probs];
    }),
    k(K.TrainyardAttentionGrad, ({ inputs, attrs }, be) => {
      const { dy, qkv, probs, segment } = inputs as Record<string, TensorInfo | undefined>;
      if (!f32(dy, qkv, probs)) return undefined;
      const { batch: B, heads: H } = attrs as Attrs as { batch: number; heads: number };
      const [rows, c3] = qkv!.shape as [number, number];
      const dqkv = be.makeOutput(qkv!.shape, 'float32');
      addon.attentionGrad(be.ptr(dy!), be.ptr(qkv!), be.ptr(probs!), be.ptr(dqkv), B, rows / B, H, c3 / 3, segment ? be.ptr(segment) : 0);
      return dqkv;
    }),
  ];
}
