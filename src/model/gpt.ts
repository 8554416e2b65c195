/**
 * @fileoverview GPT-2 in TF.js, read like nanoGPT's model.py: learned position embeddings,
 * pre-LayerNorm blocks, causal self-attention, tanh-GELU MLP (4x), biases, lm_head tied to
 * the token embedding. Parameters are kept under their Hugging Face GPT-2 names and shapes
 * (Conv1D weights are [in, out]), so saving is a straight dump to safetensors.
 *
 * Activations are kept 2-D as [B*T, C] between blocks (cheaper linears, no batch matmuls).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPTConfig } from './config.js';
import { crossEntropyIds, embedding, gelu, layerNorm, linear, matmul, matmulNT } from './ops.js';
import { Rng } from '../util/random.js';

type T = tf.Tensor;

/** Parameter names and shapes in HF GPT-2 order (`transformer.h.0.attn.c_attn.weight` …). */
export function paramShapes(c: GPTConfig): Array<[string, number[]]> {
  const C = c.n_embd;
  const out: Array<[string, number[]]> = [
    ['transformer.wte.weight', [c.vocab_size, C]],
    ['transformer.wpe.weight', [c.block_size, C]],
  ];
  for (let i = 0; i < c.n_layer; i++) {
    const p = `transformer.h.${i}`;
    out.push(
      [`${p}.ln_1.weight`, [C]], [`${p}.ln_1.bias`, [C]],
      [`${p}.attn.c_attn.weight`, [C, 3 * C]], [`${p}.attn.c_attn.bias`, [3 * C]],
      [`${p}.attn.c_proj.weight`, [C, C]], [`${p}.attn.c_proj.bias`, [C]],
      [`${p}.ln_2.weight`, [C]], [`${p}.ln_2.bias`, [C]],
      [`${p}.mlp.c_fc.weight`, [C, 4 * C]], [`${p}.mlp.c_fc.bias`, [4 * C]],
      [`${p}.mlp.c_proj.weight`, [4 * C, C]], [`${p}.mlp.c_proj.bias`, [C]],
    );
  }
  out.push(['transformer.ln_f.weight', [C]], ['transformer.ln_f.bias', [C]]);
  return out;
}

/**
 * GPT-2 init (nanoGPT `_init_weights`): weights N(0, 0.02), residual projections (`c_proj`)
 * N(0, 0.02/sqrt(2·n_layer)), biases 0, LayerNorm gains 1. Drawn in JS from a seeded PRNG so
 * every backend starts from identical numbers.
 */
export function initParams(c: GPTConfig, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(c)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.includes('.ln_')) {
      if (name.endsWith('.weight')) data.fill(1);
    } else if (name.endsWith('.weight')) {
      const std = name.endsWith('c_proj.weight') ? 0.02 / Math.sqrt(2 * c.n_layer) : 0.02;
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    }
    out.set(name, data);
  }
  return out;
}

/** Additive causal mask: 0 where key j <= past + query i, -1e9 elsewhere. [Tq, Tk] */
function causalMask(tq: number, tk: number): T {
  const past = tk - tq;
  const m = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) for (let j = past + i + 1; j < tk; j++) m[i * tk + j] = -1e9;
  return tf.tensor2d(m, [tq, tk]);
}

/** Per-layer key/value cache for generation: [1, H, t, hs] each. */
export interface KvCache { k: T[]; v: T[]; length: number }

export class GPT {
  readonly config: GPTConfig;
  /** Trainable parameters by HF name. */
  readonly params: Map<string, tf.Variable>;
  private dropoutSeed = 0;

  constructor(config: GPTConfig, weights: Map<string, Float32Array>) {
    this.config = config;
    this.params = new Map();
    for (const [name, shape] of paramShapes(config)) {
      const w = weights.get(name);
      if (!w) throw new Error(`missing weight ${name}`);
      // Unnamed: TF.js variable names are process-global and must not collide across models.
      const init = tf.tensor(w, shape, 'float32');
      this.params.set(name, tf.variable(init, true));
      init.dispose();
    }
  }

  private p(name: string): T {
    return this.params.get(name)!;
  }

  private dropout(x: T, training: boolean): T {
    const rate = this.config.dropout;
    if (!training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.dropoutSeed++);
  }

  /** Causal self-attention of block i: x [B*T, C] → [B*T, C]. With a cache, appends this call's k/v. */
  private attention(i: number, x: T, B: number, Tq: number, training: boolean, cache?: KvCache): T {
    const { n_head: H, n_embd: C } = this.config;
    const hs = C / H;
    const pre = `transformer.h.${i}.attn`;
    const qkv = linear(x, this.p(`${pre}.c_attn.weight`), this.p(`${pre}.c_attn.bias`)); // [B*T, 3C]
    const heads = (t: T) => tf.transpose(tf.reshape(t, [B, Tq, H, hs]), [0, 2, 1, 3]); // [B, H, T, hs]
    const [q, k0, v0] = tf.split(qkv, 3, 1).map(heads) as [T, T, T];
    let k = k0;
    let v = v0;
    if (cache) {
      const [pk, pv] = [cache.k[i], cache.v[i]];
      if (pk && pv) { k = tf.concat([pk, k0], 2); v = tf.concat([pv, v0], 2); } // [1, H, t+Tq, hs]
      cache.k[i] = tf.keep(k);
      cache.v[i] = tf.keep(v);
      pk?.dispose();
      pv?.dispose();
    }
    const Tk = k.shape[2]!;
    const att = tf.add(matmulNT(tf.mul(q, 1 / Math.sqrt(hs)), k), causalMask(Tq, Tk)); // [B, H, Tq, hs] @ [B, H, hs, Tk] → [B, H, Tq, Tk]
    const probs = this.dropout(tf.softmax(att), training); // [B, H, Tq, Tk]
    const y = tf.reshape(tf.transpose(matmul(probs, v), [0, 2, 1, 3]), [B * Tq, C]); // [B*T, C]
    return this.dropout(linear(y, this.p(`${pre}.c_proj.weight`), this.p(`${pre}.c_proj.bias`)), training);
  }

  private mlp(i: number, x: T, training: boolean): T {
    const pre = `transformer.h.${i}.mlp`;
    const h = gelu(linear(x, this.p(`${pre}.c_fc.weight`), this.p(`${pre}.c_fc.bias`))); // [B*T, 4C]
    return this.dropout(linear(h, this.p(`${pre}.c_proj.weight`), this.p(`${pre}.c_proj.bias`)), training); // [B*T, C]
  }

  /**
   * Logits for token ids. idx: int32 [B, T] → [B*T, V]. `pos0` is the first position
   * (non-zero only with a KV cache during generation).
   */
  forward(idx: T, training = false, cache?: KvCache): T {
    const [B, Tq] = idx.shape as [number, number];
    const C = this.config.n_embd;
    const pos0 = cache?.length ?? 0;
    if (pos0 + Tq > this.config.block_size) throw new Error(`sequence of ${pos0 + Tq} exceeds block_size ${this.config.block_size}`);
    const tok = embedding(this.p('transformer.wte.weight'), tf.reshape(idx, [B * Tq])); // [B*T, C]
    const pos = tf.slice(this.p('transformer.wpe.weight'), [pos0, 0], [Tq, C]); // [T, C]
    let x = this.dropout(tf.reshape(tf.add(tf.reshape(tok, [B, Tq, C]), pos), [B * Tq, C]), training); // [B*T, C]
    for (let i = 0; i < this.config.n_layer; i++) {
      const h = `transformer.h.${i}`;
      x = tf.add(x, this.attention(i, layerNorm(x, this.p(`${h}.ln_1.weight`), this.p(`${h}.ln_1.bias`)), B, Tq, training, cache));
      x = tf.add(x, this.mlp(i, layerNorm(x, this.p(`${h}.ln_2.weight`), this.p(`${h}.ln_2.bias`)), training));
    }
    if (cache) cache.length = pos0 + Tq;
    x = layerNorm(x, this.p('transformer.ln_f.weight'), this.p('transformer.ln_f.bias')); // [B*T, C]
    return matmulNT(x, this.p('transformer.wte.weight')); // tied lm_head: [B*T, C] @ [V, C]ᵀ → [B*T, V]
  }

  /** Mean next-token cross-entropy. idx, targets: int32 [B, T] → scalar. */
  loss(idx: T, targets: T, training = false): T {
    const logits = this.forward(idx, training); // [B*T, V]
    const flat = tf.reshape(targets, [-1]) as tf.Tensor1D; // [B*T]
    return crossEntropyIds(logits, flat); // scalar
  }

  /** Sets the dropout seed stream (per step, so resumed runs draw the same masks). */
  seedDropout(seed: number): void {
    this.dropoutSeed = seed;
  }

  /** Parameter count (tied lm_head counted once). */
  numParams(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Current weights, copied out (for checkpoints). */
  async weights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) out.set(name, (await v.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}
