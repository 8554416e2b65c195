/**
 * @fileoverview The fused Trainyard kernels on the native backend: LayerNorm, GELU (tanh),
 * softmax + cross-entropy, causal attention from qkv (each with its gradient kernel) and a
 * one-kernel AdamW step.
 * Names and contracts: src/model/kernel-names.ts.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import * as K from '../../../model/kernel-names.js';
import { heapOf, nativeKernel, offsetOf, sizeOf } from './heap.js';

type Attrs = Record<string, number>;
const f32 = (...ts: TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

function layerNormKernels(addon: NativeAddon): KernelConfig[] {
  return [
    nativeKernel(K.TrainyardLayerNorm, ({ inputs, attrs }, backend) => {
      const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
      if (!x || !gamma || !beta || !f32(x, gamma, beta)) return undefined;
      const c = x.shape[x.shape.length - 1]!;
      const y = backend.makeOutput(x.shape, 'float32');
      addon.layerNorm(heapOf(backend), offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta),
        offsetOf(backend, y), sizeOf(x.shape) / c, c, (attrs as Attrs).epsilon ?? 1e-5);
      return y;
    }),
    nativeKernel(K.TrainyardLayerNormGrad, ({ inputs, attrs }, backend) => {
      const { dy, x, gamma } = inputs as Record<string, TensorInfo>;
      if (!dy || !x || !gamma || !f32(dy, x, gamma)) return undefined;
      const c = x.shape[x.shape.length - 1]!;
      const dx = backend.makeOutput(x.shape, 'float32');
      const dg = backend.makeOutput(gamma.shape, 'float32');
      const db = backend.makeOutput(gamma.shape, 'float32');
      addon.layerNormGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, gamma),
        offsetOf(backend, dx), offsetOf(backend, dg), offsetOf(backend, db), sizeOf(x.shape) / c, c, (attrs as Attrs).epsilon ?? 1e-5);
      return [dx, dg, db];
    }),
  ];
}

function geluKernels(addon: NativeAddon): KernelConfig[] {
  return [
    nativeKernel(K.TrainyardGelu, ({ inputs }, backend) => {
      const x = inputs.x as TensorInfo;
      if (!f32(x)) return undefined;
      const y = backend.makeOutput(x.shape, 'float32');
      addon.gelu(heapOf(backend), offsetOf(backend, x), offsetOf(backend, y), sizeOf(x.shape));
      return y;
    }),
    nativeKernel(K.TrainyardGeluGrad, ({ inputs }, backend) => {
      const { dy, x } = inputs as Record<string, TensorInfo>;
      if (!dy || !x || !f32(dy, x)) return undefined;
      const dx = backend.makeOutput(x.shape, 'float32');
      addon.geluGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, dx), sizeOf(x.shape));
      return dx;
    }),
  ];
}

function crossEntropyKernels(addon: NativeAddon): KernelConfig[] {
  return [
    nativeKernel(K.TrainyardSoftmaxCrossEntropy, ({ inputs }, backend) => {
      const { logits, labels } = inputs as Record<string, TensorInfo>;
      if (!logits || !labels || !f32(logits) || labels.dtype !== 'int32') return undefined;
      const v = logits.shape[logits.shape.length - 1]!;
      const loss = backend.makeOutput(logits.shape.slice(0, -1), 'float32');
      addon.softmaxCrossEntropy(heapOf(backend), offsetOf(backend, logits), offsetOf(backend, labels),
        offsetOf(backend, loss), sizeOf(logits.shape) / v, v);
      return loss;
    }),
    nativeKernel(K.TrainyardSoftmaxCrossEntropyGrad, ({ inputs }, backend) => {
      const { dloss, logits, labels } = inputs as Record<string, TensorInfo>;
      if (!dloss || !logits || !labels || !f32(dloss, logits) || labels.dtype !== 'int32') return undefined;
      const v = logits.shape[logits.shape.length - 1]!;
      const dz = backend.makeOutput(logits.shape, 'float32');
      addon.softmaxCrossEntropyGrad(heapOf(backend), offsetOf(backend, dloss), offsetOf(backend, logits),
        offsetOf(backend, labels), offsetOf(backend, dz), sizeOf(logits.shape) / v, v);
      return dz;
    }),
  ];
}

function adamwKernel(addon: NativeAddon): KernelConfig {
  return nativeKernel(K.TrainyardAdamW, ({ inputs, attrs }, backend) => {
    const { param, grad, m, v } = inputs as Record<string, TensorInfo>;
    if (!param || !grad || !m || !v || !f32(param, grad, m, v)) return undefined;
    const a = attrs as Attrs;
    const outs = [param, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
    const [po, mo, vo] = outs.map((t) => offsetOf(backend, t)) as [number, number, number];
    addon.adamw(heapOf(backend), offsetOf(backend, param), offsetOf(backend, grad), offsetOf(backend, m), offsetOf(backend, v),
      po, mo, vo, sizeOf(param.shape), a.lr!, a.beta1 ?? 0.9, a.beta2 ?? 0.999, a.epsilon ?? 1e-8, a.weightDecay ?? 0, a.step!, a.gradScale ?? 1);
    return outs;
  });
}

/** One kernel for the squared global norm of many tensors (instead of Square + Sum each, AddN). */
function sumSquaresKernel(addon: NativeAddon): KernelConfig {
  return nativeKernel(K.TrainyardSumSquares, ({ inputs }, backend) => {
    const xs = Object.values(inputs) as TensorInfo[];
    if (!xs.every((x) => x.dtype === 'float32')) return undefined;
    const out = backend.makeOutput([], 'float32');
    const spec = new Float64Array(xs.length * 2);
    xs.forEach((x, i) => { spec[2 * i] = offsetOf(backend, x); spec[2 * i + 1] = sizeOf(x.shape); });
    const total = addon.sumSquares(heapOf(backend), spec);
    new Float32Array(heapOf(backend), offsetOf(backend, out), 1)[0] = total;
    return out;
  });
}

/** Causal self-attention from qkv [B·T, 3C] (native/src/attention.cc); segment ids optional. */
function attentionKernels(addon: NativeAddon): KernelConfig[] {
  const geometry = (qkv: TensorInfo, attrs: Attrs) => {
    const B = attrs.batch!, H = attrs.heads!;
    const [rows, c3] = qkv.shape as [number, number];
    return { B, T: rows / B, H, C: c3 / 3 };
  };
  const segOffset = (backend: Parameters<Parameters<typeof nativeKernel>[1]>[1], seg: TensorInfo | undefined) =>
    seg ? offsetOf(backend, seg) : -1;
  return [
    nativeKernel(K.TrainyardAttention, ({ inputs, attrs }, backend) => {
      const { qkv, segment } = inputs as Record<string, TensorInfo | undefined>;
      if (!qkv || !f32(qkv) || qkv.shape.length !== 2 || (segment && segment.dtype !== 'int32')) return undefined;
      const { B, T, H, C } = geometry(qkv, attrs as Attrs);
      const y = backend.makeOutput([B * T, C], 'float32');
      const probs = backend.makeOutput([B, H, T, T], 'float32');
      addon.attention(heapOf(backend), offsetOf(backend, qkv), offsetOf(backend, y), offsetOf(backend, probs), B, T, H, C, segOffset(backend, segment));
      return [y, probs];
    }),
    nativeKernel(K.TrainyardAttentionGrad, ({ inputs, attrs }, backend) => {
      const { dy, qkv, probs, segment } = inputs as Record<string, TensorInfo | undefined>;
      if (!dy || !qkv || !probs || !f32(dy, qkv, probs)) return undefined;
      const { B, T, H, C } = geometry(qkv, attrs as Attrs);
      const dqkv = backend.makeOutput(qkv.shape, 'float32');
      addon.attentionGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, qkv), offsetOf(backend, probs),
        offsetOf(backend, dqkv), B, T, H, C, segOffset(backend, segment));
      return dqkv;
    }),
  ];
}

export function fusedKernels(addon: NativeAddon): KernelConfig[] {
  return [...layerNormKernels(addon), ...geluKernels(addon), ...crossEntropyKernels(addon), adamwKernel(addon), sumSquaresKernel(addon), ...attentionKernels(addon)];
}
