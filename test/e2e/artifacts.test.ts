/**
 * Artifacts a person can reach: `ls`, `show`, `export` (copy, hard link, model card,
 * nanoGPT tokens, JSONL documents), pipeline `outs:` kept in sync after each run, and the
 * errors for unknown stages, unknown outputs, stages not run yet and bad `outs:` entries.
 *
 *   raw ──▶ split ──▶ tokenize ──▶ pretrain ──▶ eval        outs: models/tiny, data/tokens, data/docs
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFolder } from '../../src/model/checkpoint.js';
import { cli } from '../helpers/cli.js';
import { TINY, tinyProject } from '../helpers/tiny.js';

const OUTS = `
outs:
  models/tiny: pretrain
  data/tokens: { from: tokenize.tokens, link: hardlink }
  data/docs: split
`;

const json = (s: string) => JSON.parse(s) as Record<string, any>;

test('run keeps outs in sync: a Hugging Face model folder with card, nanoGPT tokens, JSONL documents; ls and show describe the store', { timeout: 120_000 }, async () => {
  const dir = await tinyProject(OUTS);
  const r = cli(['run', '--plain'], dir);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /outs: pretrain\.model → models\/tiny/);

  const model = join(dir, 'models/tiny');
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'README.md']) assert.ok(statSync(join(model, f)).size > 0, f);
  const loaded = await loadModelFolder(model);
  assert.equal(loaded.config.n_embd, 16);
  const tokCfg = json(readFileSync(join(model, 'tokenizer_config.json'), 'utf8'));
  assert.equal(tokCfg.tokenizer_class, 'GPT2TokenizerFast');
  assert.equal(tokCfg.eos_token, '<|endoftext|>');
  assert.equal(json(readFileSync(join(model, 'generation_config.json'), 'utf8')).eos_token_id, loaded.hfConfig.eos_token_id);
  const card = readFileSync(join(model, 'README.md'), 'utf8');
  assert.match(card, /^---\nlibrary_name: transformers/);
  assert.match(card, /## Training recipe[\s\S]*pretrain:\n\s+type: pretrain[\s\S]*n_embd: 16/);
  assert.match(card, /\| pretrain \| val_loss \| \d/);
  assert.match(card, /\| eval \| bits_per_byte \| \d/, 'the evaluation of this model is on its card');

  const meta = json(readFileSync(join(dir, 'data/tokens/meta.json'), 'utf8'));
  assert.equal(meta.vocab_size, 280);
  assert.deepEqual(Object.keys(meta.files).sort(), ['train', 'val']);
  assert.equal(statSync(join(dir, 'data/tokens/train.bin')).size, meta.splits.train * 2);
  assert.equal(statSync(join(dir, 'data/tokens/val.bin')).size, meta.splits.val * 2);
  assert.ok(statSync(join(dir, 'data/tokens/train.bin')).nlink >= 2, 'hard-linked to the store');
  const docs = readdirSync(join(dir, 'data/docs')).sort();
  assert.deepEqual(docs, ['train.jsonl', 'validation.jsonl']);
  const lines = docs.flatMap((f) => readFileSync(join(dir, 'data/docs', f), 'utf8').trim().split('\n'));
  assert.equal(lines.length, 12);
  assert.ok(lines.every((l) => typeof json(l).text === 'string'));

  // An unchanged result leaves the outs alone; one deleted by hand comes back.
  const before = statSync(join(model, 'README.md')).mtimeMs;
  const again = cli(['run', '--plain'], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /outs:/);
  assert.equal(statSync(join(model, 'README.md')).mtimeMs, before);

  const ls = json(cli(['ls', '--json'], dir).stdout);
  assert.deepEqual(ls.stages.map((s: any) => [s.stage, s.cached]), [['raw', true], ['split', true], ['tokenize', true], ['pretrain', true], ['eval', true]]);
  const pre = ls.stages.find((s: any) => s.stage === 'pretrain');
  assert.match(pre.key, /^[0-9a-f]{64}$/);
  assert.equal(pre.artifacts[0].kind, 'model');
  assert.equal(pre.artifacts[0].bytes, ['config.json', 'model.safetensors', 'tokenizer.json'].reduce((a, f) => a + statSync(join(pre.artifacts[0].path, f)).size, 0));
  const text = cli(['ls'], dir);
  assert.match(text.stdout, /pretrain\s+pretrain\s+cached\s+[0-9a-f]{12}\s+model\s+model\s+[\d.]+ kB\s+3 files/);

  const show = json(cli(['show', 'pretrain', '--json'], dir).stdout).artifacts[0];
  assert.equal(show.summary.parameters, [...loaded.weights.values()].reduce((a, w) => a + w.length, 0));
  assert.equal(show.summary.config.n_layer, 1);
  const tokens = json(cli(['show', 'tokenize.tokens', '--json'], dir).stdout).artifacts[0];
  assert.equal(tokens.summary.total, meta.splits.train + meta.splits.val);
  const split = cli(['show', 'split'], dir);
  assert.match(split.stdout, /split\.docs {2}documents\n {2}path +\/.*\.trainyard\/store\//);
  assert.match(split.stdout, /documents +train \d+ · validation \d+/);
});

test('export: copy, --link, --force, and the errors of a bad target', { timeout: 120_000 }, async () => {
  const dir = await tinyProject();
  const none = cli(['export', 'pretrain', 'out'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /E_ARTIFACT\s+Stage "pretrain" has no up-to-date result \(never ran; upstream tokenize will run\)[\s\S]*trainyard run pretrain/);
  assert.equal(cli(['run', '--plain'], dir).code, 0);

  const r = cli(['export', 'pretrain', 'out/model'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(dir, 'out/model/README.md'), 'utf8'), /# tiny: pretrain\.model/);
  const again = cli(['export', 'pretrain', 'out/model'], dir);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /E_USAGE\s+out\/model exists and is not empty[\s\S]*--force/);
  assert.equal(cli(['export', 'pretrain', 'out/model', '--force'], dir).code, 0);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['model'], 'no temporary folder left beside it');

  assert.equal(cli(['export', 'raw', 'out/raw', '--link'], dir).code, 0);
  const rawPath = json(cli(['show', 'raw', '--json'], dir).stdout).artifacts[0].path as string;
  const shard = readdirSync(rawPath)[0]!;
  assert.equal(statSync(join(dir, 'out/raw/all.jsonl')).ino, statSync(join(rawPath, shard)).ino);

  const typo = cli(['show', 'pretrian'], dir);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /E_UNKNOWN_TARGET\s+"pretrian" is not a stage of this pipeline\. Did you mean "pretrain"\?/);
  const port = cli(['export', 'pretrain.modle', 'x'], dir);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /E_UNKNOWN_REF\s+Stage "pretrain" \(pretrain\) has no output "modle"\. Did you mean "model"\?/);
  const both = cli(['export', 'raw', 'y', '--link', '--symlink'], dir);
  assert.equal(both.code, 2);
});

test('outs: unknown stages, outputs and paths outside the project are positioned errors', async () => {
  const dir = await tinyProject(`
outs:
  models/a: pretrian
  models/b: { from: pretrain.weights }
  ../escape: raw
  models/a/inner: raw
  models/c: { form: raw }
`);
  const r = cli(['validate'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pipeline\.yaml:\d+:\d+\s+error\s+E_UNKNOWN_KEY\s+Unknown key "form" in outs\.models\/c/);
  assert.match(r.stderr, /pipeline\.yaml:\d+:\d+\s+error\s+E_SCHEMA\s+outs path "\.\.\/escape" is not inside the project/);
  assert.match(r.stderr, /E_SCHEMA\s+outs path "models\/a\/inner" overlaps outs path "models\/a"/);
  writeFileSync(join(dir, 'pipeline.yaml'), TINY + 'outs:\n  models/a: pretrian\n  models/b: { from: pretrain.weights }\n');
  const refs = cli(['validate'], dir);
  assert.equal(refs.code, 2);
  assert.match(refs.stderr, /pipeline\.yaml:\d+:13\s+error\s+E_UNKNOWN_REF\s+outs\.models\/a refers to unknown stage "pretrian"\. Did you mean "pretrain"\?/);
  assert.match(refs.stderr, /pipeline\.yaml:\d+:\d+\s+error\s+E_UNKNOWN_REF\s+outs\.models\/b: stage "pretrain" \(pretrain\) has no output "weights"/);
});
