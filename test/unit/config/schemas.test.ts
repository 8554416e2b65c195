/**
 * The schemas are the single source of truth: every built-in stage has one, the editor schema
 * references all of them, ajv compiles them, each option has a default or is required, and the
 * generated TypeScript option types are up to date.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { builtinStageTypes } from '../../../src/plugins/registry.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const read = (p: string) => JSON.parse(readFileSync(`${ROOT}${p}`, 'utf8'));

test('every built-in stage has a schema, referenced by the editor schema', () => {
  const types = builtinStageTypes();
  assert.ok(types.includes('source') && types.length >= 5, types.join());
  const files = readdirSync(`${ROOT}schemas/stages`).map((f) => f.replace('.schema.json', '')).sort();
  assert.deepEqual(files, types);
  const pipeline = read('schemas/pipeline.schema.json');
  const refs = pipeline.definitions.stage.allOf.map((c: any) => [c.if.properties.type.const, c.then.properties.with.$ref]);
  assert.deepEqual(refs.map((r: string[]) => r[0]).sort(), types);
  for (const [t, ref] of refs) assert.equal(ref, `stages/${t}.schema.json`);
});

test('the full editor schema (with $refs) compiles, and validates a real pipeline', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const t of builtinStageTypes()) ajv.addSchema(read(`schemas/stages/${t}.schema.json`), `https://trainyard.dev/schemas/stages/${t}.schema.json`);
  ajv.addSchema(read('schemas/sweep.schema.json'));
  const validate = ajv.compile(read('schemas/pipeline.schema.json'));
  const yaml = readFileSync(`${ROOT}pipelines/quickstart.yaml`, 'utf8');
  const data = parse(yaml) as { stages: { pretrain: { with: Record<string, unknown> } } };
  assert.ok(validate(data), JSON.stringify(validate.errors));
  data.stages.pretrain.with.lr = 'fast';
  assert.equal(validate(data), false, 'editor schema catches bad stage options');
  const sweep = parse(readFileSync(`${ROOT}pipelines/sweep.yaml`, 'utf8')) as { sweep: { parameters: Record<string, Record<string, unknown>> } };
  assert.ok(validate(sweep), JSON.stringify(validate.errors));
  sweep.sweep.parameters['stages.pretrain.with.lr']!.lowest = 1;
  assert.equal(validate(sweep), false, 'editor schema catches a bad sweep parameter');
});

test('stage options: closed and described', () => {
  for (const t of builtinStageTypes()) {
    const s = read(`schemas/stages/${t}.schema.json`);
    assert.equal(s.type, 'object', t);
    assert.equal(s.additionalProperties, false, `${t}: unknown options must be rejected`);
    for (const [k, v] of Object.entries<any>(s.properties)) {
      assert.ok(v.description, `${t}.${k} has a description`);
    }
  }
});

test('generated option types match the schemas', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr || r.stdout);
});
