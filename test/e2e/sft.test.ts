/**
 * Fine-tuning through the CLI: an imported Hugging Face folder (F16, bare names) → sft on
 * chat JSONL → eval answering held-out conversations. A rerun is cached; raising sft's steps
 * resumes from its final checkpoint (and re-runs eval); `sample --chat` answers through the
 * exported chat template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { charTokenizer } from '../../src/tokenizer/index.js';
import { cli, ended, events, project } from '../helpers/cli.js';
import { gridWeights, writeHfFolder } from '../helpers/hf-model.js';

const YAML = `
name: chat
stages:
  base: { type: model, with: { path: ./models/base } }
  sft:
    type: sft
    inputs: { model: base }
    with: { data: train.jsonl, validation_data: test.jsonl, steps: 30, batch_size: 4, lr: 0.003, warmup_steps: 3, eval_interval: 10, checkpoint_interval: 10 }
  eval:
    type: eval
    inputs: { model: sft }
    with: { perplexity: false, lambada: false, contamination: false, chat_data: [test.jsonl], chat_max_tokens: 12 }
`;

const line = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

test('model → sft → eval: end to end, cached, raising steps resumes, sample --chat', { timeout: 180_000 }, async () => {
  const dir = await project(YAML);
  const words = ['whale', 'ship', 'sea', 'harpoon', 'captain', 'sailor', 'ocean', 'storm'];
  const train = words.flatMap((w) => [line(`Spell ${w}`, w.split('').join(' ')), line(`Shout ${w}`, w.toUpperCase())]);
  writeFileSync(join(dir, 'train.jsonl'), train.join('\n') + '\n');
  writeFileSync(join(dir, 'test.jsonl'), [line('Shout whale', 'WHALE'), line('Spell sea', 's e a')].join('\n') + '\n');
  const tok = charTokenizer([train.join('\n')]);
  const cfg = { n_layer: 2, n_head: 2, n_embd: 16, block_size: 48, vocab_size: tok.vocabSize, dropout: 0 };
  await writeHfFolder(join(dir, 'models', 'base'), cfg, gridWeights(cfg, 3), { dtype: 'F16', bare: true, tokenizer: tok.toJSON() });

  const first = cli(['run', '--json'], dir);
  assert.equal(first.code, 0, first.stderr + first.stdout.slice(-3000));
  assert.deepEqual(ended(first.stdout, 'done'), ['base', 'eval', 'sft']);
  const sftEnd = events(first.stdout).find((e) => e.event === 'stageEnd' && e.name === 'sft')!;
  assert.ok(sftEnd.outputs.model && sftEnd.outputs.report, JSON.stringify(sftEnd.outputs));
  const metrics = Object.keys(events(first.stdout).find((e) => e.event === 'stageEnd' && e.name === 'eval')!.metrics ?? {});
  for (const m of ['chat.exact_match', 'chat.contains', 'chat.items']) assert.ok(metrics.includes(m), `eval reports ${m}: ${metrics.join(', ')}`);

  assert.deepEqual(ended(cli(['run', '--json'], dir).stdout, 'cached'), ['base', 'eval', 'sft']);

  const more = cli(['run', '--plain', '--set', 'stages.sft.with.steps=40'], dir);
  assert.equal(more.code, 0, more.stderr + more.stdout.slice(-3000));
  assert.match(more.stdout, /sft info resumed from .*step-00000030 \(step 30\)/);
  assert.match(more.stdout, /✔ eval done/);

  const s = cli(['sample', 'sft', '--chat', '--prompt', 'Shout ship', '--max-tokens', '8', '--temperature', '0', '--set', 'stages.sft.with.steps=40'], dir);
  assert.equal(s.code, 0, s.stderr);
  assert.ok(s.stdout.startsWith('Shout ship\n'), s.stdout);
  assert.doesNotMatch(s.stdout, /<\|im_end\|>/, 'generation stops at the end of the turn');
});
