/**
 * @fileoverview Gradients of the fused kernels (TF.js gradients are per kernel name, for every
 * backend): each one calls the matching *Grad kernel.
 */
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import * as K from '../../model/kernel-names.js';

const run = (name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}) =>
  tf.engine().runKernel(name, inputs as never, attrs);

const GRADIENTS: GradConfig[] = [
  {
    kernelName: K.TrainyardLayerNorm,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved as [Tensor, Tensor];
      const [dx, dg, db] = run(K.TrainyardLayerNormGrad, { dy: dy as Tensor, x, gamma }, attrs) as Tensor[];
      return { x: () => dx!, gamma: () => dg!, beta: () => db! };
    },
  },
  {
    kernelName: K.TrainyardGelu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => run(K.TrainyardGeluGrad, { dy: dy as Tensor, x: saved[0]! }) as Tensor }),
  },
  {
    kernelName: K.TrainyardSoftmaxCrossEntropy,
    inputsToSave: ['logits', 'labels'],
    gradFunc: (dy, saved) => {
      const [logits, labels] = saved as [Tensor, Tensor];
      return {
        logits: () => run(K.TrainyardSoftmaxCrossEntropyGrad, { dloss: dy as Tensor, logits, labels }) as Tensor,
        labels: () => tf.zerosLike(labels),
      };
    },
  },
];

/** Registers the fused kernels' gradients once per process. */
export function registerFusedGradients(): void {
  for (const g of GRADIENTS) if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
}
