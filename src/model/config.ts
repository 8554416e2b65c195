/**
 * @fileoverview GPT-2 model configuration (nanoGPT's GPTConfig) and its Hugging Face
 * `config.json` form, so a saved folder loads with `GPT2LMHeadModel.from_pretrained`.
 */
import { errors } from '../errors/index.js';

export interface GPTConfig {
  /** Transformer blocks. @default 4 */
  n_layer: number;
  /** Attention heads per block (n_embd must divide by it). @default 4 */
  n_head: number;
  /** Embedding / residual width. @default 128 */
  n_embd: number;
  /** Longest context (learned position embeddings). @default 64 */
  block_size: number;
  /** Token vocabulary size (taken from the tokens artifact). */
  vocab_size: number;
  /** Dropout on embeddings, attention and residual branches while training. @default 0 */
  dropout: number;
}

/** LayerNorm epsilon of GPT-2 (`layer_norm_epsilon`). */
export const LN_EPS = 1e-5;

/** The Hugging Face GPT-2 `config.json` for a model. */
export function toHfConfig(c: GPTConfig, extra: { eos_token_id?: number | null } = {}): Record<string, unknown> {
  const eos = extra.eos_token_id ?? null;
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: c.vocab_size,
    n_positions: c.block_size,
    n_ctx: c.block_size,
    n_embd: c.n_embd,
    n_layer: c.n_layer,
    n_head: c.n_head,
    n_inner: null,
    activation_function: 'gelu_new',
    resid_pdrop: c.dropout,
    embd_pdrop: c.dropout,
    attn_pdrop: c.dropout,
    layer_norm_epsilon: LN_EPS,
    initializer_range: 0.02,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    use_cache: true,
    bos_token_id: eos,
    eos_token_id: eos,
    torch_dtype: 'float32',
  };
}

/**
 * Reads a Hugging Face GPT-2 `config.json` back into a GPTConfig; `file` names it in errors
 * (E_ARTIFACT for a missing or non-numeric field, sizes that are not positive integers, or a
 * head count that does not divide the width).
 */
export function fromHfConfig(hf: Record<string, unknown>, file = 'config.json'): GPTConfig {
  const num = (k: string, d?: number): number => {
    const v = hf[k] ?? d;
    if (typeof v !== 'number') throw errors.modelConfigInvalid({ file, problem: `"${k}" must be a number, got ${JSON.stringify(v)}` });
    return v;
  };
  const size = (k: string, d?: number): number => {
    const v = num(k, d);
    if (!Number.isInteger(v) || v < 1) throw errors.modelConfigInvalid({ file, problem: `"${k}" must be a positive integer, got ${v}` });
    return v;
  };
  const config = {
    n_layer: size('n_layer'),
    n_head: size('n_head'),
    n_embd: size('n_embd'),
    block_size: size('n_positions', typeof hf.n_ctx === 'number' ? hf.n_ctx : undefined),
    vocab_size: size('vocab_size'),
    dropout: num('resid_pdrop', 0),
  };
  const problem = checkConfig(config);
  if (problem) throw errors.modelConfigInvalid({ file, problem });
  return config;
}

/** Checks the head split; returns an error message or null. */
export function checkConfig(c: GPTConfig): string | null {
  if (c.n_embd % c.n_head !== 0) return `n_embd (${c.n_embd}) must be a multiple of n_head (${c.n_head})`;
  return null;
}
