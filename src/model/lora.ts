/**
 * @fileoverview LoRA (Hu et al., 2021) on the GPT's linear layers, PEFT's conventions: for a
 * targeted Conv1D weight W [in, out], y = x·W + b + (alpha/r)·dropout(x)·A·B with A [in, r]
 * drawn like PEFT's kaiming_uniform(a=√5) (U(±1/√in)) and B [r, out] zero, so step 0 equals
 * the base model. Targets match module names by suffix like PEFT's `target_modules`:
 * `c_attn`, `c_proj` (attention and MLP), `c_fc`, or a longer suffix such as `attn.c_proj`.
 *
 * Saved PEFT-style (`adapter_config.json` + `adapter_model.safetensors`, torch Linear layout:
 * lora_A [r, in], lora_B [out, r], `fan_in_fan_out: true` for GPT-2's Conv1D) and merged into
 * plain weights for the exported model folder.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { Rng } from '../util/random.js';
import type { GPTConfig } from './config.js';
import { writeSafetensors, type NamedTensor } from './safetensors.js';

export interface LoraSpec {
  /** Adapter rank. */
  r: number;
  /** Scaling numerator: updates are scaled by alpha / r. */
  alpha: number;
  /** Dropout on the adapter's input while training. */
  dropout: number;
  /** Module-name suffixes to adapt (`c_attn`, `c_proj`, `c_fc`, `attn.c_proj`, …). */
  targets: string[];
}

export interface LoraModule { module: string; in: number; out: number }

/** The linear modules of a GPT-2 config, with their Conv1D shapes. */
function linearModules(c: GPTConfig): LoraModule[] {
  const C = c.n_embd;
  const out: LoraModule[] = [];
  for (let i = 0; i < c.n_layer; i++) {
    const h = `transformer.h.${i}`;
    out.push(
      { module: `${h}.attn.c_attn`, in: C, out: 3 * C }, { module: `${h}.attn.c_proj`, in: C, out: C },
      { module: `${h}.mlp.c_fc`, in: C, out: 4 * C }, { module: `${h}.mlp.c_proj`, in: 4 * C, out: C },
    );
  }
  return out;
}

/** Modules a target list selects (PEFT suffix match on `.`-separated names). */
export function loraModules(c: GPTConfig, targets: string[]): LoraModule[] {
  return linearModules(c).filter((m) => targets.some((t) => m.module === t || m.module.endsWith(`.${t}`)));
}

/** Target names that select no module (a typo in `target_modules`). */
export function unknownTargets(c: GPTConfig, targets: string[]): string[] {
  return targets.filter((t) => loraModules(c, [t]).length === 0);
}

/** Fresh adapters: `<module>.lora_A` [in, r] ~ U(±1/√in), `<module>.lora_B` [r, out] = 0. */
export function initLora(c: GPTConfig, spec: LoraSpec, seed: number): Map<string, NamedTensor> {
  const rng = new Rng(seed);
  const out = new Map<string, NamedTensor>();
  for (const m of loraModules(c, spec.targets)) {
    const a = new Float32Array(m.in * spec.r);
    const bound = 1 / Math.sqrt(m.in);
    for (let i = 0; i < a.length; i++) a[i] = (rng.next() * 2 - 1) * bound;
    out.set(`${m.module}.lora_A`, { shape: [m.in, spec.r], data: a });
    out.set(`${m.module}.lora_B`, { shape: [spec.r, m.out], data: new Float32Array(spec.r * m.out) });
  }
  return out;
}

/** W + (alpha/r)·A·B for every adapted module; returns new weight arrays (others shared). */
export function mergeLora(weights: Map<string, Float32Array>, adapters: Map<string, Float32Array>, spec: LoraSpec): Map<string, Float32Array> {
  const scale = spec.alpha / spec.r;
  const out = new Map(weights);
  for (const [name, a] of adapters) {
    if (!name.endsWith('.lora_A')) continue;
    const module = name.slice(0, -'.lora_A'.length);
    const b = adapters.get(`${module}.lora_B`)!;
    const w = Float32Array.from(weights.get(`${module}.weight`)!);
    const r = spec.r, nIn = a.length / r, nOut = b.length / r;
    for (let i = 0; i < nIn; i++) {
      for (let k = 0; k < r; k++) {
        const aik = a[i * r + k]! * scale;
        if (aik === 0) continue;
        const row = i * nOut, brow = k * nOut;
        for (let j = 0; j < nOut; j++) w[row + j]! += aik * b[brow + j]!;
      }
    }
    out.set(`${module}.weight`, w);
  }
  return out;
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

/** Writes `adapter_config.json` + `adapter_model.safetensors` (PEFT names and layout) into dir. */
export async function saveLoraAdapter(dir: string, adapters: Map<string, Float32Array>, spec: LoraSpec, o: { baseModel: string; extra?: Map<string, NamedTensor> }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tensors = new Map<string, NamedTensor>();
  for (const [name, data] of adapters) {
    const module = name.replace(/\.lora_[AB]$/, '');
    const isA = name.endsWith('.lora_A');
    const other = data.length / spec.r; // in for A, out for B
    // ours: A [in, r], B [r, out]; PEFT (torch Linear): A [r, in], B [out, r]
    const t = isA ? transpose(data, other, spec.r) : transpose(data, spec.r, other);
    tensors.set(`base_model.model.${module}.${isA ? 'lora_A' : 'lora_B'}.weight`, { shape: isA ? [spec.r, other] : [other, spec.r], data: t });
  }
  for (const [name, t] of o.extra ?? []) tensors.set(`base_model.model.${name}`, t);
  await writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors);
  const config = {
    peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: o.baseModel, inference_mode: true,
    r: spec.r, lora_alpha: spec.alpha, lora_dropout: spec.dropout, target_modules: spec.targets,
    fan_in_fan_out: true, bias: 'none', init_lora_weights: true, use_rslora: false, modules_to_save: null,
  };
  await writeFileAtomic(join(dir, 'adapter_config.json'), JSON.stringify(config, null, 2) + '\n');
}
