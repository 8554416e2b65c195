/**
 * @fileoverview Backend conformance: forward values and gradients of every op the model uses,
 * plus a whole GPT loss and its parameter gradients, on each available backend other than the
 * reference `cpu` (wasm, native when built, libtensorflow when installed), each compared with
 * the same computation on `cpu`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, setupBackend } from '../../../src/backends/index.js';
import { nativeBackend } from '../../../src/backends/native/index.js';
import { crossEntropy, embedding, gelu, layerNorm, linear, matmul } from '../../../src/model/ops.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { Rng } from '../../../src/util/random.js';

type T = tf.Tensor;
const rng = new Rng(7);
const rand = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);

interface Case { name: string; inputs: () => Array<{ shape: number[]; data: Float32Array | Int32Array; grad: boolean }>; f: (...xs: T[]) => T }

const cases: Case[] = [
  { name: 'matmul 2-D', inputs: () => [{ shape: [5, 7], data: rand(35), grad: true }, { shape: [7, 3], data: rand(21), grad: true }], f: (a, b) => matmul(a!, b!) },
  { name: 'matmul 4-D', inputs: () => [{ shape: [2, 3, 4, 5], data: rand(120), grad: true }, { shape: [2, 3, 5, 4], data: rand(120), grad: true }], f: (a, b) => matmul(a!, b!) },
  { name: 'linear', inputs: () => [{ shape: [6, 8], data: rand(48), grad: true }, { shape: [8, 5], data: rand(40), grad: true }, { shape: [5], data: rand(5), grad: true }], f: (x, w, b) => linear(x!, w!, b!) },
  { name: 'layerNorm', inputs: () => [{ shape: [4, 16], data: rand(64, 3), grad: true }, { shape: [16], data: rand(16), grad: true }, { shape: [16], data: rand(16), grad: true }], f: (x, g, b) => layerNorm(x!, g!, b!) },
  { name: 'gelu', inputs: () => [{ shape: [3, 20], data: rand(60, 2), grad: true }], f: (x) => gelu(x!) },
  { name: 'softmax', inputs: () => [{ shape: [2, 3, 5, 5], data: rand(150), grad: true }], f: (x) => tf.softmax(x!) },
  { name: 'transpose/reshape/split/slice', inputs: () => [{ shape: [4, 6], data: rand(24), grad: true }], f: (x) => tf.transpose(tf.reshape(tf.slice(tf.split(x!, 3, 1)[1]!, [1, 0], [3, 2]), [2, 3]), [1, 0]) },
  { name: 'broadcast add/mul', inputs: () => [{ shape: [2, 3, 4], data: rand(24), grad: true }, { shape: [3, 4], data: rand(12), grad: true }], f: (a, b) => tf.mul(tf.add(a!, b!), b!) },
  { name: 'crossEntropy', inputs: () => [{ shape: [6, 9], data: rand(54, 2), grad: true }], f: (l) => crossEntropy(l!, tf.oneHot(tf.tensor1d([0, 3, 8, 2, 2, 5], 'int32'), 9)) },
  { name: 'embedding', inputs: () => [{ shape: [7, 4], data: rand(28), grad: true }], f: (t) => embedding(t!, tf.tensor1d([1, 6, 1, 0, 3], 'int32')) },
];

/** Value of sum(f(x) * r) and its gradients, as plain arrays, on the active backend. */
function evaluate(c: Case, inputs: ReturnType<Case['inputs']>): { value: number[]; grads: number[][] } {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.data instanceof Int32Array ? 'int32' : 'float32'));
    const out = c.f(...xs);
    const r = tf.tensor(Float32Array.from({ length: out.size }, (_, k) => Math.sin(k + 1)), out.shape);
    const g = tf.grads((...a: T[]) => tf.sum(tf.mul(c.f(...a), r)))(xs);
    return { value: Array.from(out.dataSync()), grads: g.map((t) => Array.from(t.dataSync())) };
  });
}

function close(a: number[], b: number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const scale = Math.max(1, ...b.map(Math.abs));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * scale, `${what}[${i}]: ${a[i]} vs cpu ${b[i]}`);
}

const REFERENCE = 'cpu';
const backends = await availableBackends();
const others = backends.filter((n) => n !== REFERENCE);

/** Sets up `name` and checks it is really active (not the reference under another name). */
async function use(name: string): Promise<void> {
  const { name: active, tf: engine } = await setupBackend(name);
  assert.equal(active, name);
  if (name !== REFERENCE) assert.notEqual(engine.getBackend(), REFERENCE, `${name} runs on the reference backend`);
}

test('conformance needs a backend besides cpu', { skip: others.length === 0 ? `only ${REFERENCE} is available: nothing to compare with it` : false }, () => {
  assert.ok(others.length > 0);
});

for (const name of others) {
  test(`backend ${name}: ops match cpu (forward and gradients)`, async () => {
    for (const c of cases) {
      const inputs = c.inputs();
      await use(REFERENCE);
      const ref = evaluate(c, inputs);
      await use(name);
      const got = evaluate(c, inputs);
      close(got.value, ref.value, 1e-4, `${c.name} forward`);
      got.grads.forEach((g, i) => close(g, ref.grads[i]!, 1e-4, `${c.name} grad ${i}`));
    }
  });

  test(`backend ${name}: GPT loss and parameter gradients match cpu`, async () => {
    const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 8, vocab_size: 11, dropout: 0 };
    const weights = initParams(cfg, 3);
    const ids = Int32Array.from({ length: 16 }, (_, i) => (i * 5) % 11);
    const tgt = Int32Array.from({ length: 16 }, (_, i) => (i * 3 + 1) % 11);
    const run = async (backend: string) => {
      await use(backend);
      const m = new GPT(cfg, weights);
      const vars = [...m.params.values()];
      const { value, grads } = tf.variableGrads(() => m.loss(tf.tensor2d(ids, [2, 8], 'int32'), tf.tensor2d(tgt, [2, 8], 'int32')) as tf.Scalar, vars);
      const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => Array.from(grads[v.name]!.dataSync())) };
      tf.dispose([value, ...Object.values(grads)]);
      m.dispose();
      return out;
    };
    const ref = await run(REFERENCE);
    const got = await run(name);
    assert.ok(Math.abs(got.loss - ref.loss) < 1e-4, `loss ${got.loss} vs ${ref.loss}`);
    got.grads.forEach((g, i) => close(g, ref.grads[i]!, 1e-4, `param ${i} grad`));
  });
}

test('at least cpu and wasm are available here, so wasm is compared with cpu', () => {
  assert.ok(backends.includes('cpu') && others.includes('wasm'), backends.join(','));
});

test('native is compared with cpu whenever its addon is built', async () => {
  assert.equal(others.includes('native'), await nativeBackend.isAvailable(), backends.join(','));
});
