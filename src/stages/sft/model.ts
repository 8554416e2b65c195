/**
 * @fileoverview The model sft starts from and the one it exports. Starting: the `model`
 * input's folder, its tokenizer extended with the chat template's special tokens, the token
 * embedding grown to match (new rows = the mean embedding plus small noise, so they start as
 * an "average" token and stay distinguishable), and LoRA adapters when asked. Exporting: the
 * LoRA update merged into plain GPT-2 weights (loads as GPT2LMHeadModel), the updated
 * tokenizer.json, a tokenizer_config.json carrying the chat template, generation_config.json
 * stopping at the end-of-turn token, and the adapters PEFT-style under `adapter/`.
 */
import { join } from 'node:path';
import { readTokenizerConfig } from '../../artifacts/conversations.js';
import { errors } from '../../errors/index.js';
import { loadModelFolder, saveModelFolder } from '../../model/checkpoint.js';
import type { GPTConfig } from '../../model/config.js';
import { GPT } from '../../model/gpt.js';
import { initLora, loraModules, mergeLora, saveLoraAdapter, unknownTargets, type LoraSpec } from '../../model/lora.js';
import { resolveTemplate, type ChatTemplate } from '../../sft/template.js';
import { addSpecialTokens, loadTokenizer, type Tokenizer } from '../../tokenizer/index.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { hashFile } from '../../util/hash.js';
import { Rng } from '../../util/random.js';
import type { SftOptions } from '../options.gen.js';

export interface StartingPoint {
  model: GPT;
  config: GPTConfig;
  tokenizer: Tokenizer;
  template: ChatTemplate;
  /** Special tokens added to the base tokenizer. */
  added: string[];
  /** Rows of the base model's token embedding. */
  baseVocab: number;
  lora: LoraSpec | null;
  /** sha256 of the base tokenizer.json. */
  tokenizerHash: string;
}


/** Token-embedding rows grown from V0 to V1: new rows = mean row + N(0, (0.1·σ_d)²) per dimension. */
export function growEmbedding(wte: Float32Array, V0: number, V1: number, C: number, seed: number): Float32Array {
  if (V1 <= V0) return wte;
  const out = new Float32Array(V1 * C);
  out.set(wte.subarray(0, V0 * C));
  const mean = new Float64Array(C), sq = new Float64Array(C);
  for (let v = 0; v < V0; v++) for (let d = 0; d < C; d++) { const x = wte[v * C + d]!; mean[d]! += x; sq[d]! += x * x; }
  const rng = new Rng(seed);
  for (let d = 0; d < C; d++) { mean[d]! /= V0; sq[d] = Math.sqrt(Math.max(0, sq[d]! / V0 - mean[d]! ** 2)); }
  for (let v = V0; v < V1; v++) for (let d = 0; d < C; d++) out[v * C + d] = mean[d]! + 0.1 * sq[d]! * rng.normal();
  return out;
}

function loraSpec(o: Pick<SftOptions, 'lora'>, config: GPTConfig): LoraSpec | null {
  if (!o.lora) return null;
  const spec = { r: o.lora.r, alpha: o.lora.alpha, dropout: o.lora.dropout, targets: o.lora.target_modules };
  const bad = unknownTargets(config, spec.targets);
  if (bad.length) throw errors.loraUnknownTarget({ target: bad[0]!, known: ['c_attn', 'c_proj', 'c_fc', 'attn.c_proj', 'mlp.c_proj'] });
  return spec;
}

/** Loads the base model folder and prepares tokenizer, template, embedding and adapters. */
export async function startingPoint(dir: string, o: Pick<SftOptions, 'template' | 'dropout' | 'lora'>, seed: number): Promise<StartingPoint> {
  const base = await loadModelFolder(dir);
  const tokPath = join(dir, 'tokenizer.json');
  const baseTok = await loadTokenizer(tokPath);
  const template = resolveTemplate(o.template, await readTokenizerConfig(dir));
  const { tokenizer, added } = addSpecialTokens(baseTok, template.specialTokens);
  const V0 = base.config.vocab_size;
  const config: GPTConfig = { ...base.config, vocab_size: Math.max(V0, tokenizer.vocabSize), dropout: o.dropout };
  const weights = new Map(base.weights);
  weights.set('transformer.wte.weight', growEmbedding(base.weights.get('transformer.wte.weight')!, V0, config.vocab_size, config.n_embd, seed));
  const lora = loraSpec(o, config);
  const model = new GPT(config, weights, lora ? { lora: { spec: lora, weights: initLora(config, lora, seed + 1) }, trainRowsFrom: V0 } : {});
  return { model, config, tokenizer, template, added, baseVocab: V0, lora, tokenizerHash: await hashFile(tokPath) };
}

/** Number of adapted modules (for the log). */
export function adaptedModules(sp: StartingPoint): number {
  return sp.lora ? loraModules(sp.config, sp.lora.targets).length : 0;
}

/** Hugging Face's tokenizer_config.json for a model trained with `template` (its chat_template and special tokens). */
export function tokenizerConfigOf(template: ChatTemplate, blockSize: number): Record<string, unknown> {
  return {
    tokenizer_class: 'GPT2TokenizerFast', model_max_length: blockSize, chat_template: template.source,
    eos_token: template.endOfTurn || template.eosToken || null, bos_token: template.bosToken ?? null,
    pad_token: template.endOfTurn || null, additional_special_tokens: template.specialTokens,
  };
}

/** Writes the fine-tuned model folder (merged), its tokenizer files, and `adapter/` with LoRA. */
export async function exportModel(dir: string, sp: StartingPoint, baseName: string): Promise<void> {
  const { model, config, tokenizer, template } = sp;
  const base = await model.weights();
  const weights = sp.lora ? mergeLora(base, await model.adapterWeights(), sp.lora) : base;
  const eot = tokenizer.specialTokens.get(template.endOfTurn) ?? tokenizer.eotId;
  await saveModelFolder(dir, config, weights, { eosId: eot });
  await writeFileAtomic(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
  await writeFileAtomic(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigOf(template, config.block_size), null, 2) + '\n');
  const stops = [...new Set([eot, tokenizer.eotId].filter((x): x is number => x !== null && x !== undefined))];
  await writeFileAtomic(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: stops.length === 1 ? stops[0] : stops, pad_token_id: stops[0] ?? null }, null, 2) + '\n');
  if (sp.lora) {
    const extra = model.adapters.get('transformer.wte.new_rows');
    const rows = extra ? new Map([['transformer.wte.new_rows', { shape: extra.shape, data: (await extra.data()) as Float32Array }]]) : undefined;
    await saveLoraAdapter(join(dir, 'adapter'), await model.adapterWeights(), sp.lora, { baseModel: baseName, extra: rows });
  }
}
