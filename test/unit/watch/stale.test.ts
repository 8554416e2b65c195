/**
 * staleStages: an edit makes the edited stage and its downstream stale, nothing else;
 * a changed source file makes its stage stale; removed stages are stale.
 *
 *   a ──▶ b ──▶ c      d
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineText } from '../../../src/config/load.js';
import { resolvePipeline } from '../../../src/config/resolve.js';
import { compilePipeline } from '../../../src/graph/compile.js';
import { staleStages } from '../../../src/watch/stale.js';
import { TEST_PLUGIN } from '../../helpers/cli.js';

const yaml = (a = 'hello', d = 'other', extraC = '') => `
name: chain
plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit, with: { text: ${a} } }
  b: { type: upper, inputs: { docs: a } }
  c: { type: upper, inputs: { docs: b }${extraC} }
  d: { type: emit, with: { text: ${d} } }
`;
const compile = async (text: string) => compilePipeline(await resolvePipeline(parsePipelineText(text, '/tmp/p/pipeline.yaml', 'pipeline.yaml')));
const sorted = (s: Set<string>) => [...s].sort();

test('an option edit makes that stage and its downstream stale', async () => {
  const before = await compile(yaml());
  assert.deepEqual(sorted(staleStages(before, await compile(yaml()))), []);
  assert.deepEqual(sorted(staleStages(before, await compile(yaml('howdy')))), ['a', 'b', 'c']);
  assert.deepEqual(sorted(staleStages(before, await compile(yaml('hello', 'x')))), ['d']);
  assert.deepEqual(sorted(staleStages(before, await compile(yaml('hello', 'other', ', with: { sleep_ms: 5 }')))), ['c']);
});

test('a YAML-only change (comments, key order, explicit defaults) is not stale', async () => {
  const before = await compile(yaml());
  const reordered = yaml().replace('a: { type: emit, with: { text: hello } }', '# a comment\n  a: { with: { text: hello, sleep_ms: 0 }, type: emit }');
  assert.deepEqual(sorted(staleStages(before, await compile(reordered))), []);
});

test('a changed input file marks the stage that reads it; a removed stage is stale', async () => {
  const before = await compile(yaml());
  const deps = new Map([['a', ['/data/x.txt']], ['d', ['/data/y.txt']]]);
  assert.deepEqual(sorted(staleStages(before, before, ['/data/y.txt'], deps)), ['d']);
  assert.deepEqual(sorted(staleStages(before, before, ['/data/x.txt', '/elsewhere'], deps)), ['a', 'b', 'c']);
  const withoutD = await compile(yaml().replace(/ {2}d: .*\n/, ''));
  assert.deepEqual(sorted(staleStages(before, withoutD)), ['d']);
});
