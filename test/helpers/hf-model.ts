/**
 * Test helper: tiny Hugging Face GPT-2 folders written the way other tools write them —
 * safetensors encoded by hand in F32/F16/BF16 (little-endian, no alignment), bare or
 * `transformer.` names, attention buffers, an explicit tied lm_head, shards with an index —
 * plus weights on a grid that F16 and BF16 hold exactly.
 *
 *   const w = gridWeights(TINY, 1);
 *   await writeHfFolder(dir, TINY, w, { dtype: 'F16', bare: true, tokenizer: tok.toJSON() });
 */
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toHfConfig, type GPTConfig } from '../../src/model/config.js';
import { initParams, paramShapes } from '../../src/model/gpt.js';
import { charTokenizer } from '../../src/tokenizer/index.js';

/** A 2-layer, n_embd 8 GPT-2. */
export const TINY: GPTConfig = { n_layer: 2, n_head: 2, n_embd: 8, block_size: 16, vocab_size: 64, dropout: 0 };

/** Dtypes the helper writes: the four Trainyard reads, and BOOL/U8 (one byte each) for mask buffers. */
export type Dt = 'F32' | 'F16' | 'BF16' | 'F64' | 'BOOL' | 'U8';

/** IEEE half bits of `v`; throws unless `v` is exactly representable (tests pick such values). */
export function f16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  let exp = Math.floor(Math.log2(a));
  if (exp < -14) exp = -14; // subnormal range: fixed exponent, no implicit 1
  const frac = exp === -14 && a < 2 ** -14 ? a / 2 ** -24 : (a / 2 ** exp - 1) * 1024;
  if (!Number.isInteger(frac) || exp > 15) throw new Error(`${v} is not exactly a float16`);
  return sign | (a < 2 ** -14 ? 0 : (exp + 15) << 10) | frac;
}

/** bfloat16 bits of `v` (the top half of its float32 bits); throws unless exact. */
export function bf16Bits(v: number): number {
  const u = new Uint32Array(Float32Array.of(v).buffer)[0]!;
  if ((u & 0xffff) !== 0 && !Number.isNaN(v)) throw new Error(`${v} is not exactly a bfloat16`);
  return u >>> 16;
}

/** Little-endian bytes of `values` in `dtype`. */
export function encodeValues(values: ArrayLike<number>, dtype: Dt): Uint8Array {
  const size = { F32: 4, F16: 2, BF16: 2, F64: 8, BOOL: 1, U8: 1 }[dtype];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dtype === 'F32') view.setFloat32(i * 4, v, true);
    else if (dtype === 'F64') view.setFloat64(i * 8, v, true);
    else if (dtype === 'BOOL' || dtype === 'U8') view.setUint8(i, v);
    else view.setUint16(i * 2, dtype === 'F16' ? f16Bits(v) : bf16Bits(v), true);
  }
  return out;
}

/** A safetensors file of `tensors` ([name, shape, values, dtype?]), stored in `dtype` unless given; header not padded. */
export function rawSafetensors(tensors: Array<[string, number[], ArrayLike<number>, Dt?]>, dtype: Dt): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, shape, values, own] of tensors) {
    const bytes = encodeValues(values, own ?? dtype);
    header[name] = { dtype: own ?? dtype, shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  const head = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}

/** initParams rounded to multiples of 1/1024 within ±127/1024: exact in F16 and BF16. */
export function gridWeights(cfg: GPTConfig, seed: number): Map<string, Float32Array> {
  const w = initParams(cfg, seed);
  for (const x of w.values()) for (let i = 0; i < x.length; i++) x[i] = Math.max(-127, Math.min(127, Math.round(x[i]! * 1024))) / 1024;
  return w;
}

/** config.json as the Hugging Face hub has it for `gpt2` (extra summary_* fields and all). */
export function hubConfig(cfg: GPTConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { n_inner: _inner, scale_attn_weights: _s, tie_word_embeddings: _t, use_cache: _u, torch_dtype: _d, ...base } = toHfConfig(cfg, { eos_token_id: cfg.vocab_size - 1 });
  return {
    ...base, summary_activation: null, summary_first_dropout: 0.1, summary_proj_to_labels: true, summary_type: 'cls_index',
    summary_use_proj: true, task_specific_params: { 'text-generation': { do_sample: true, max_length: 50 } }, ...extra,
  };
}

export interface HfFolderOptions {
  /** @default 'F32' */
  dtype?: Dt;
  /** Names without `transformer.` (the published gpt2). @default false */
  bare?: boolean;
  /** Add h.N.attn.bias (causal tril) and h.N.attn.masked_bias (-1e4; -8192, exact, below F32) buffers. @default false */
  buffers?: boolean;
  /** Store attn.bias in this dtype (newer files: BOOL). @default dtype */
  bufferDtype?: Dt;
  /** Store lm_head.weight (these values, or wte's when true). */
  lmHead?: boolean | Float32Array;
  /** Split into this many shards with model.safetensors.index.json. @default 1 */
  shards?: number;
  /** Fields merged into config.json. */
  config?: Record<string, unknown>;
  /** tokenizer.json content. */
  tokenizer?: object;
  /** Other files to write (name → text). */
  files?: Record<string, string>;
}

/** Writes a Hugging Face GPT-2 folder for `weights` (our names) into `dir`. */
export async function writeHfFolder(dir: string, cfg: GPTConfig, weights: Map<string, Float32Array>, o: HfFolderOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const dtype = o.dtype ?? 'F32';
  const name = (n: string) => (o.bare ? n.replace(/^transformer\./, '') : n);
  const tensors: Array<[string, number[], ArrayLike<number>, Dt?]> = [];
  for (const [n, shape] of paramShapes(cfg)) {
    tensors.push([name(n), shape, weights.get(n)!]);
    const layer = /^transformer\.h\.(\d+)\.ln_1\.weight$/.exec(n)?.[1];
    if (o.buffers && layer !== undefined) {
      const T = cfg.block_size;
      const tril = new Float32Array(T * T).map((_, i) => (i % T <= Math.floor(i / T) ? 1 : 0));
      tensors.push([name(`transformer.h.${layer}.attn.bias`), [1, 1, T, T], tril, o.bufferDtype], [name(`transformer.h.${layer}.attn.masked_bias`), [], [dtype === 'F32' ? -1e4 : -8192]]);
    }
  }
  if (o.lmHead) tensors.push(['lm_head.weight', [cfg.vocab_size, cfg.n_embd], o.lmHead === true ? weights.get('transformer.wte.weight')! : o.lmHead]);
  const shards = o.shards ?? 1;
  if (shards === 1) await writeFile(join(dir, 'model.safetensors'), rawSafetensors(tensors, dtype));
  else {
    const weightMap: Record<string, string> = {};
    for (let s = 0; s < shards; s++) {
      const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const mine = tensors.filter((_, i) => i % shards === s);
      for (const [n] of mine) weightMap[n] = file;
      await writeFile(join(dir, file), rawSafetensors(mine, dtype));
    }
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }, null, 2));
  }
  await writeFile(join(dir, 'config.json'), JSON.stringify(hubConfig(cfg, o.config), null, 2));
  if (o.tokenizer) await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(o.tokenizer));
  for (const [f, text] of Object.entries(o.files ?? {})) await writeFile(join(dir, f), text);
}

/**
 * The tiny chat fixture of the RLHF-chain tests, under `dir`: chat.jsonl ("Say w" → "w and w"
 * for ten words), prompts.jsonl ({"prompt": "Say w"}), and a char-level base model in models/base.
 */
export async function writeChatFixture(dir: string): Promise<void> {
  const words = ['saga', 'banana', 'whale', 'sea', 'ahab', 'storm', 'captain', 'harpoon', 'ocean', 'mast'];
  const chat = words.map((w) => JSON.stringify({ messages: [{ role: 'user', content: `Say ${w}` }, { role: 'assistant', content: `${w} and ${w}` }] }));
  writeFileSync(join(dir, 'chat.jsonl'), chat.join('\n') + '\n');
  writeFileSync(join(dir, 'prompts.jsonl'), words.map((w) => JSON.stringify({ prompt: `Say ${w}` })).join('\n') + '\n');
  const tok = charTokenizer([chat.join('\n')]);
  const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 48, vocab_size: tok.vocabSize, dropout: 0 };
  await writeHfFolder(join(dir, 'models', 'base'), cfg, gridWeights(cfg, 5), { tokenizer: tok.toJSON() });
}
