/**
 * Every stage option that names a file or folder puts that file's content into the cache key
 * (through the stage's externalDeps), so editing the file re-runs the stage. The audit is
 * enforced: every schema property described as "relative to the pipeline file" must appear in
 * the table below with a case that proves its file is a dependency.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '../../../src/plugins/registry.js';
import { applyDefaults } from '../../../src/config/ajv.js';
import type { StageDefinition } from '../../../src/stages/define.js';
import { tempDir } from '../../helpers/stage-tester.js';

interface Case { stage: string; option: string; options: Record<string, unknown>; files: string[] }

/** Writes the files a case names (tiny but valid content) under cwd. */
async function setUp(cwd: string): Promise<void> {
  await writeFile(join(cwd, 'tok.json'), '{}');
  await writeFile(join(cwd, 'task.yaml'), 'task: t\ndataset_path: task.jsonl\noutput_type: generate_until\ndoc_to_text: "{{q}}"\ndoc_to_target: a\n');
  await writeFile(join(cwd, 'task.jsonl'), '{"q":"x","a":"y"}\n');
  await writeFile(join(cwd, 'chat.jsonl'), '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}\n');
  await writeFile(join(cwd, 'val.jsonl'), '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}\n');
  await writeFile(join(cwd, 'a.txt'), 'text');
  await writeFile(join(cwd, 'prompts.jsonl'), '{"prompt":"Call me"}\n');
  await mkdir(join(cwd, 'm'), { recursive: true });
  await writeFile(join(cwd, 'm', 'config.json'), '{}');
  await writeFile(join(cwd, 'm', 'model.safetensors'), '');
  await writeFile(join(cwd, 'm', 'tokenizer.json'), '{}');
}

const CASES: Case[] = [
  { stage: 'source', option: 'files', options: { files: '*.txt' }, files: ['a.txt'] },
  { stage: 'tokenize', option: 'pretrained', options: { mode: 'pretrained', pretrained: 'tok.json' }, files: ['tok.json'] },
  { stage: 'eval', option: 'tasks', options: { tasks: ['task.yaml'] }, files: ['task.yaml', 'task.jsonl'] },
  { stage: 'eval', option: 'chat_data', options: { chat_data: ['chat.jsonl'] }, files: ['chat.jsonl'] },
  { stage: 'sft', option: 'data', options: { data: 'chat.jsonl' }, files: ['chat.jsonl'] },
  { stage: 'sft', option: 'validation_data', options: { data: 'chat.jsonl', validation_data: ['val.jsonl'] }, files: ['val.jsonl'] },
  { stage: 'reward', option: 'data', options: { data: 'prefs.jsonl' }, files: ['prefs.jsonl'] },
  { stage: 'reward', option: 'validation_data', options: { data: 'prefs.jsonl', validation_data: ['val.jsonl'] }, files: ['val.jsonl'] },
  { stage: 'dpo', option: 'data', options: { data: 'prefs.jsonl' }, files: ['prefs.jsonl'] },
  { stage: 'dpo', option: 'validation_data', options: { data: 'prefs.jsonl', validation_data: ['val.jsonl'] }, files: ['val.jsonl'] },
  { stage: 'ppo', option: 'prompts_file', options: { reward: 'r', prompts_file: 'prompts.jsonl' }, files: ['prompts.jsonl'] },
  { stage: 'ppo', option: 'eval_prompts_file', options: { reward: 'r', prompts: ['x'], eval_prompts_file: 'prompts.jsonl' }, files: ['prompts.jsonl'] },
  { stage: 'feedback', option: 'prompts_file', options: { reward: 'r', prompts_file: 'prompts.jsonl' }, files: ['prompts.jsonl'] },
  { stage: 'model', option: 'path', options: { path: 'm' }, files: ['m/config.json', 'm/model.safetensors', 'm/tokenizer.json'] },
];

async function definition(type: string): Promise<StageDefinition<any>> {
  return new Registry().get('stage', type).value();
}

for (const c of CASES) {
  test(`${c.stage}.with.${c.option}: the file's content enters the key`, async () => {
    const cwd = await tempDir('trainyard-deps-');
    await setUp(cwd);
    const def = await definition(c.stage);
    const { value, errors } = applyDefaults(def.schema, c.options);
    assert.equal(errors ?? null, null, JSON.stringify(errors));
    const deps = (await def.externalDeps?.(value as never, { cwd })) ?? [];
    for (const f of c.files) assert.ok(deps.includes(join(cwd, f)), `${f} in ${JSON.stringify(deps)}`);
  });
}

test('tokenize: a built-in name (gpt2) is no file dependency', async () => {
  const def = await definition('tokenize');
  const { value } = applyDefaults(def.schema, { mode: 'pretrained', pretrained: 'gpt2' });
  assert.deepEqual(await def.externalDeps!(value as never, { cwd: '/nowhere' }), []);
});

test('audit: every option described as a path relative to the pipeline file has a case above', async () => {
  const reg = new Registry();
  const covered = new Set(CASES.map((c) => `${c.stage}.${c.option}`));
  const missing: string[] = [];
  for (const type of reg.names('stage')) {
    const def = await definition(type);
    for (const [key, prop] of Object.entries((def.schema.properties ?? {}) as Record<string, { description?: string }>)) {
      if (/relative to the pipeline file|^glob/i.test(prop.description ?? '') && !covered.has(`${type}.${key}`)) missing.push(`${type}.${key}`);
    }
  }
  assert.deepEqual(missing, [], 'file options without a cache-key test');
});
