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
 * (E_ARTIFACT for another architecture or a GPT-2 variant our GPT does not compute (see
 * unsupportedHf), a missing or non-numeric field, sizes that are not positive integers, or a
 * head count that does not divide the width).
 */
export function fromHfConfig(hf: Record<string, unknown>, file = 'config.json'): GPTConfig {
  const unsupported = unsupportedHf(hf);
  if (unsupported) throw errors.modelUnsupported({ file, ...unsupported });
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

const GPT2_ARCHITECTURES = ['GPT2LMHeadModel', 'GPT2Model'];
const OUR_GELU = ['gelu_new', 'gelu_pytorch_tanh']; // the tanh approximation that ops.ts computes

/**
 * Why an HF config is not a GPT-2 that src/model/gpt.ts computes identically, or null:
 * another `model_type` (or, without one, no GPT-2 class in `architectures`), another
 * activation, an MLP width other than 4·n_embd, a LayerNorm epsilon other than 1e-5, the
 * attention options of Stanford CRFM's Mistral runs, cross-attention, or an untied output head.
 */
export function unsupportedHf(hf: Record<string, unknown>): { problem: string; why?: string } | null {
  const archs = Array.isArray(hf.architectures) ? hf.architectures.map(String) : [];
  if (hf.model_type !== undefined && hf.model_type !== 'gpt2') {
    return { problem: `model_type is ${JSON.stringify(hf.model_type)}, not "gpt2"` };
  }
  if (hf.model_type === undefined && !archs.some((a) => GPT2_ARCHITECTURES.includes(a))) {
    return { problem: `no model_type, and architectures (${archs.join(', ') || 'none'}) names no GPT2LMHeadModel or GPT2Model` };
  }
  const act = hf.activation_function;
  if (act !== undefined && act !== null && !OUR_GELU.includes(String(act))) {
    return { problem: `activation_function is ${JSON.stringify(act)}`, why: `Our GELU is the tanh approximation (${OUR_GELU.join(' or ')}); other activations would give other outputs.` };
  }
  const inner = hf.n_inner;
  if (inner !== undefined && inner !== null && inner !== 4 * Number(hf.n_embd)) {
    return { problem: `n_inner is ${JSON.stringify(inner)}, not null or 4·n_embd (${4 * Number(hf.n_embd)})`, why: 'Our MLP is 4·n_embd wide.' };
  }
  const eps = hf.layer_norm_epsilon;
  if (eps !== undefined && (typeof eps !== 'number' || Math.abs(eps / LN_EPS - 1) > 1e-3)) {
    return { problem: `layer_norm_epsilon is ${JSON.stringify(eps)}, not ${LN_EPS}`, why: `Our LayerNorm uses epsilon ${LN_EPS}.` };
  }
  for (const key of ['scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn', 'add_cross_attention']) {
    if (hf[key] === true) return { problem: `${key} is true`, why: `Our attention has no ${key} (it scales by 1/sqrt(head size) only, in every layer).` };
  }
  if (hf.scale_attn_weights === false) return { problem: 'scale_attn_weights is false', why: 'Our attention always scales scores by 1/sqrt(head size).' };
  if (hf.tie_word_embeddings === false) return { problem: 'tie_word_embeddings is false', why: 'Our output head is the token embedding (wte) itself.' };
  return null;
}
