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
import type { LoraSpec } from './lora.js';
import { crossEntropyIds, crossEntropyRows, embedding, frozenLinear, frozenMatmulNT, fusedAttention, gelu, hasFused, layerNorm, linear, maskedCrossEntropyIds, matmul, matmulNT } from './ops.js';
import { TrainyardAttention } from './kernel-names.js';
import type { NamedTensor } from './safetensors.js';
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

/**
 * Several samples packed in each row of a batch ([B*T] each): attention stays inside a sample
 * (block-diagonal causal mask) and positions restart at 0 per sample, so a packed row computes
 * exactly what its samples would alone.
 */
export interface PackedLayout {
  /** Sample index of each token within its row (padding: -1). */
  segment: Int32Array;
  /** Position of each token within its own sample. */
  position: Int32Array;
}

/** Additive block-diagonal causal mask [B, 1, T, T]: 0 where key j ≤ query i in the same sample. */
function packedMask(seg: Int32Array, B: number, Tq: number): T {
  const m = new Float32Array(B * Tq * Tq).fill(-1e9);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const si = seg[b * Tq + i]!;
      const row = (b * Tq + i) * Tq;
      for (let j = 0; j <= i; j++) if (seg[b * Tq + j] === si) m[row + j] = 0;
    }
  }
  return tf.tensor4d(m, [B, 1, Tq, Tq]);
}

/** Per-layer key/value cache for generation: [1, H, t, hs] each. */
export interface KvCache { k: T[]; v: T[]; length: number }

/** Options of the GPT constructor beyond its weights. */
export interface GPTOptions {
  /** LoRA adapters (`<module>.lora_A` / `.lora_B`, see ./lora.ts); the base weights are then frozen. */
  lora?: { spec: LoraSpec; weights: Map<string, NamedTensor> };
  /**
   * With LoRA: token-embedding rows from this index on (tokens added for a chat template)
   * are trainable, kept apart from the frozen rows (PEFT's trainable_token_indices).
   */
  trainRowsFrom?: number;
}

/** Name of the trainable new token-embedding rows (see GPTOptions.trainRowsFrom). */
export const NEW_ROWS = 'transformer.wte.new_rows';

/** A variable holding a copy of `data` (unnamed: TF.js variable names are process-global). */
function variable(data: Float32Array, shape: number[], trainable: boolean): tf.Variable {
  const init = tf.tensor(data, shape, 'float32');
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

export class GPT {
  readonly config: GPTConfig;
  /** Trainable parameters by HF name. */
  readonly params: Map<string, tf.Variable>;
  /** LoRA adapters by name (empty without LoRA) and the trainable new embedding rows. */
  readonly adapters = new Map<string, tf.Variable>();
  readonly lora: LoraSpec | null;
  private dropoutSeed = 0;

  constructor(config: GPTConfig, weights: Map<string, Float32Array>, o: GPTOptions = {}) {
    this.config = config;
    this.params = new Map();
    this.lora = o.lora?.spec ?? null;
    const split = o.lora && o.trainRowsFrom !== undefined && o.trainRowsFrom < config.vocab_size ? o.trainRowsFrom : null;
    for (const [name, shape] of paramShapes(config)) {
      const w = weights.get(name);
      if (!w) throw new Error(`missing weight ${name}`);
      if (name === 'transformer.wte.weight' && split !== null) {
        const C = config.n_embd;
        this.params.set(name, variable(w.subarray(0, split * C), [split, C], false));
        this.adapters.set(NEW_ROWS, variable(w.subarray(split * C), [config.vocab_size - split, C], true));
      } else this.params.set(name, variable(w, shape, !o.lora));
    }
    for (const [name, t] of o.lora?.weights ?? []) this.adapters.set(name, variable(t.data, t.shape, true));
  }

  /** The variables a full fine-tune or pretraining updates: all parameters, or with LoRA the adapters (and new rows). */
  trainable(): Map<string, tf.Variable> {
    return this.lora ? this.adapters : this.params;
  }

  private p(name: string): T {
    return this.params.get(name)!;
  }

  /** The token embedding [V, C] (frozen rows + trainable new rows with LoRA). */
  private tokenTable(): T {
    const extra = this.adapters.get(NEW_ROWS);
    return extra ? tf.concat([this.p('transformer.wte.weight'), extra], 0) : this.p('transformer.wte.weight');
  }

  /**
   * Tied lm_head x·wteᵀ: [B*T, C] @ [V, C]ᵀ → [B*T, V]. With LoRA the base rows are frozen, so
   * their product skips its weight gradient and only the new token rows get one.
   */
  private lmHead(x: T, wte: T): T {
    if (!this.lora) return matmulNT(x, wte);
    const extra = this.adapters.get(NEW_ROWS);
    const base = frozenMatmulNT(x, this.p('transformer.wte.weight'));
    return extra ? tf.concat([base, matmulNT(x, extra)], 1) : base;
  }

  /** x·W + b of a Conv1D module, plus its LoRA update when the module is adapted. */
  private linear(module: string, x: T, training: boolean): T {
    if (!this.lora) return linear(x, this.p(`${module}.weight`), this.p(`${module}.bias`));
    const y = frozenLinear(x, this.p(`${module}.weight`), this.p(`${module}.bias`)); // base frozen: no weight gradients
    const a = this.adapters.get(`${module}.lora_A`);
    if (!a) return y;
    const xd = training && this.lora.dropout > 0 ? tf.dropout(x, this.lora.dropout, undefined, this.dropoutSeed++) : x;
    return tf.add(y, tf.mul(matmul(matmul(xd, a), this.adapters.get(`${module}.lora_B`)!), this.lora.alpha / this.lora.r));
  }

  private dropout(x: T, training: boolean): T {
    const rate = this.config.dropout;
    if (!training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.dropoutSeed++);
  }

  /**
   * Causal self-attention of block i: x [B*T, C] → [B*T, C]. With a cache, appends this call's
   * k/v. `fused`: the backend's one-kernel attention (no cache, no attention dropout), with
   * `segment` ids for packed rows in place of `mask`.
   */
  private attention(i: number, x: T, B: number, Tq: number, training: boolean, cache?: KvCache, mask?: T, fused?: { segment?: T }): T {
    const { n_head: H, n_embd: C } = this.config;
    const hs = C / H;
    const pre = `transformer.h.${i}.attn`;
    const qkv = this.linear(`${pre}.c_attn`, x, training); // [B*T, 3C]
    if (fused) return this.dropout(this.linear(`${pre}.c_proj`, fusedAttention(qkv, B, H, fused.segment), training), training);
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
    const att = tf.add(matmulNT(tf.mul(q, 1 / Math.sqrt(hs)), k), mask ?? causalMask(Tq, Tk)); // [B, H, Tq, hs] @ [B, H, hs, Tk] → [B, H, Tq, Tk]
    const probs = this.dropout(tf.softmax(att), training); // [B, H, Tq, Tk]
    const y = tf.reshape(tf.transpose(matmul(probs, v), [0, 2, 1, 3]), [B * Tq, C]); // [B*T, C]
    return this.dropout(this.linear(`${pre}.c_proj`, y, training), training);
  }

  private mlp(i: number, x: T, training: boolean): T {
    const pre = `transformer.h.${i}.mlp`;
    const h = gelu(this.linear(`${pre}.c_fc`, x, training)); // [B*T, 4C]
    return this.dropout(this.linear(`${pre}.c_proj`, h, training), training); // [B*T, C]
  }

  /**
   * Logits for token ids. idx: int32 [B, T] → [B*T, V]. `pos0` is the first position
   * (non-zero only with a KV cache during generation). With a packing `layout`, attention and
   * positions restart at every sample of a row.
   */
  forward(idx: T, training = false, cache?: KvCache, layout?: PackedLayout): T {
    const wte = this.tokenTable(); // one table for the lookup and the tied head (a concat with new LoRA rows)
    return this.lmHead(this.trunk(idx, wte, training, cache, layout), wte); // [B*T, V]
  }

  /** Logits [N, V] of hidden states [N, C] (from `hidden`, or rows gathered from it): the tied lm_head. */
  logits(hidden: T): T {
    return this.lmHead(hidden, this.tokenTable());
  }

  /**
   * The final hidden states (after ln_f) [B*T, C], what lm_head and scalar heads (reward
   * model, value head) read. Same arguments as forward.
   */
  hidden(idx: T, training = false, cache?: KvCache, layout?: PackedLayout): T {
    return this.trunk(idx, this.tokenTable(), training, cache, layout);
  }

  /** Embeddings → blocks → ln_f, reading tokens from `wte`. */
  private trunk(idx: T, wte: T, training: boolean, cache?: KvCache, layout?: PackedLayout): T {
    const [B, Tq] = idx.shape as [number, number];
    const C = this.config.n_embd;
    const pos0 = cache?.length ?? 0;
    if (pos0 + Tq > this.config.block_size) throw new Error(`sequence of ${pos0 + Tq} exceeds block_size ${this.config.block_size}`);
    const tok = embedding(wte, tf.reshape(idx, [B * Tq])); // [B*T, C]
    let x: T;
    if (layout) {
      const pos = embedding(this.p('transformer.wpe.weight'), tf.tensor1d(layout.position, 'int32')); // [B*T, C]
      x = this.dropout(tf.add(tok, pos), training);
    } else {
      const pos = tf.slice(this.p('transformer.wpe.weight'), [pos0, 0], [Tq, C]); // [T, C]
      x = this.dropout(tf.reshape(tf.add(tf.reshape(tok, [B, Tq, C]), pos), [B * Tq, C]), training); // [B*T, C]
    }
    // The fused kernel covers full causal (or packed) attention; a KV cache or attention
    // dropout takes the composition of TF.js ops.
    const fused = !cache && !(training && this.config.dropout > 0) && hasFused(TrainyardAttention)
      ? { segment: layout ? tf.tensor1d(layout.segment, 'int32') : undefined } : undefined;
    const mask = layout && !fused ? packedMask(layout.segment, B, Tq) : undefined; // [B, 1, T, T]
    for (let i = 0; i < this.config.n_layer; i++) {
      const h = `transformer.h.${i}`;
      x = tf.add(x, this.attention(i, layerNorm(x, this.p(`${h}.ln_1.weight`), this.p(`${h}.ln_1.bias`)), B, Tq, training, cache, mask, fused));
      x = tf.add(x, this.mlp(i, layerNorm(x, this.p(`${h}.ln_2.weight`), this.p(`${h}.ln_2.bias`)), training));
    }
    if (cache) cache.length = pos0 + Tq;
    return layerNorm(x, this.p('transformer.ln_f.weight'), this.p('transformer.ln_f.bias')); // [B*T, C]
  }

  /** Mean next-token cross-entropy. idx, targets: int32 [B, T] → scalar. */
  loss(idx: T, targets: T, training = false): T {
    const logits = this.forward(idx, training); // [B*T, V]
    const flat = tf.reshape(targets, [-1]) as tf.Tensor1D; // [B*T]
    return crossEntropyIds(logits, flat); // scalar
  }

  /**
   * Cross-entropy over the positions whose target is ≥ 0 (targets -1 are not trained on),
   * averaged over those positions; 0 when there are none. idx int32 [B, T], targets [B*T].
   */
  maskedLoss(idx: T, targets: Int32Array, training = false, layout?: PackedLayout): T {
    let count = 0;
    for (const t of targets) if (t >= 0) count++;
    const logits = this.forward(idx, training, undefined, layout); // [B*T, V]
    return maskedCrossEntropyIds(logits, tf.tensor1d(targets, 'int32'), count); // scalar
  }

  /** Per-position cross-entropy [B*T] (0 where the target is -1), forward only. */
  tokenLosses(idx: T, targets: Int32Array, layout?: PackedLayout): T {
    return crossEntropyRows(this.forward(idx, false, undefined, layout), tf.tensor1d(targets, 'int32'));
  }

  /** Sets the dropout seed stream (per step, so resumed runs draw the same masks). */
  seedDropout(seed: number): void {
    this.dropoutSeed = seed;
  }

  /** Parameter count (tied lm_head counted once; LoRA adapters included). */
  numParams(): number {
    let n = 0;
    for (const v of [...this.params.values(), ...this.adapters.values()]) n += v.size;
    return n;
  }

  /** Parameters the optimizer updates (see trainable()). */
  numTrainable(): number {
    let n = 0;
    for (const v of this.trainable().values()) n += v.size;
    return n;
  }

  /** Current base weights by HF name (the token embedding whole), copied out. LoRA updates are not merged: see mergeLora. */
  async weights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) out.set(name, (await v.data()) as Float32Array);
    const extra = this.adapters.get(NEW_ROWS);
    if (extra) {
      const base = out.get('transformer.wte.weight')!;
      const all = new Float32Array(base.length + extra.size);
      all.set(base);
      all.set((await extra.data()) as Float32Array, base.length);
      out.set('transformer.wte.weight', all);
    }
    return out;
  }

  /** The trainable variables' values with their shapes (checkpoints). */
  async trainableTensors(): Promise<Map<string, NamedTensor>> {
    const out = new Map<string, NamedTensor>();
    for (const [name, v] of this.trainable()) out.set(name, { shape: v.shape, data: (await v.data()) as Float32Array });
    return out;
  }

  /** Adapter values by name (LoRA A/B only). */
  async adapterWeights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.adapters) if (name !== NEW_ROWS) out.set(name, (await v.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of [...this.params.values(), ...this.adapters.values()]) v.dispose();
  }
}
