/**
 * Test helper: a tiny real pipeline (source → split → tokenize → pretrain → eval) that runs
 * in a few seconds on the cpu backend, on a dozen small generated text files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { project } from './cli.js';

export const TINY = `
name: tiny
backend: cpu
stages:
  raw: { type: source, with: { files: "data/*.txt" } }
  split: { type: split, inputs: { docs: raw }, with: { validation: 0.3, test: 0 } }
  tokenize: { type: tokenize, inputs: { docs: split }, with: { vocab_size: 280 } }
  pretrain:
    type: pretrain
    inputs: { tokens: tokenize }
    with: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, batch_size: 4, steps: 2, warmup_steps: 1, eval_interval: 2, eval_iters: 1, sample_interval: 0 }
  eval:
    type: eval
    inputs: { model: pretrain, tokens: tokenize }
    with: { max_eval_tokens: 200, lambada: false, prompts: [], bootstrap_iters: 10 }
`;

/** A project with TINY (plus `extra`) and a dozen small text files. */
export async function tinyProject(extra = ''): Promise<string> {
  const dir = await project(TINY + extra);
  mkdirSync(join(dir, 'data'));
  const words = ['whale', 'sea', 'ship', 'captain', 'harpoon', 'storm', 'deck', 'sail', 'rope', 'wave', 'ocean', 'crew'];
  words.forEach((w, i) => writeFileSync(join(dir, 'data', `d${i}.txt`), Array.from({ length: 30 }, (_, j) => `the ${w} and the ${words[(i + j) % words.length]} went out ${j}`).join('. ')));
  return dir;
}

