import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointKey, explainChange, stageKey, type KeyDetails } from '../../../src/cache/fingerprint.js';
import { flattenParams } from '../../../src/util/flatten.js';
import { canonicalJson } from '../../../src/util/canonical.js';

const base: KeyDetails = { type: 'pretrain', version: 1, params: { lr: 0.001, steps: 100, opt: { beta1: 0.9 } }, inputs: { tokens: ['h1'] }, deps: {}, seed: 1 };

test('canonical JSON ignores key order; keys change with any component', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } }), '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  const k = stageKey(base);
  assert.equal(stageKey({ ...base, params: { steps: 100, opt: { beta1: 0.9 }, lr: 0.001 } }), k);
  for (const d of [{ version: 2 }, { seed: 2 }, { inputs: { tokens: ['h2'] } }, { plugin: 'p@1#abc' }, { params: { ...base.params, lr: 0.0003 } }]) {
    assert.notEqual(stageKey({ ...base, ...d }), k, JSON.stringify(d));
  }
});

test('checkpoint key ignores the options that only extend a run', () => {
  const more = { ...base, params: { ...base.params, steps: 200 } };
  assert.notEqual(stageKey(more), stageKey(base));
  assert.equal(checkpointKey(more, ['steps']), checkpointKey(base, ['steps']));
  assert.notEqual(checkpointKey({ ...more, params: { ...more.params, lr: 1 } }, ['steps']), checkpointKey(base, ['steps']));
});

test('explainChange says old → new for each changed thing', () => {
  const now: KeyDetails = { ...base, params: { lr: 0.0003, steps: 100, opt: { beta1: 0.95 } }, inputs: { tokens: ['h9'] }, deps: { 'a.txt': 'x' } };
  assert.deepEqual(explainChange(base, now, { tokens: ['tokenize'] }), [
    'with.lr 0.001 → 0.0003', 'with.opt.beta1 0.9 → 0.95', 'input tokens (from tokenize) changed', 'new file a.txt',
  ]);
  assert.deepEqual(flattenParams({ a: { b: 1, c: [1] } }), { 'a.b': 1, 'a.c': [1] });
});

test('explainChange ignores key order inside options, lists of objects included', () => {
  const rules = { ...base, params: { rules: [{ name: 'len', min: 10, max: 100 }], opt: { a: 1, b: 2 } } };
  const reordered = { ...base, params: { opt: { b: 2, a: 1 }, rules: [{ max: 100, min: 10, name: 'len' }] } };
  assert.equal(stageKey(reordered), stageKey(rules));
  assert.deepEqual(explainChange(rules, reordered), []);
  const changed = { ...base, params: { ...reordered.params, rules: [{ max: 100, min: 11, name: 'len' }] } };
  assert.deepEqual(explainChange(rules, changed), ['with.rules [{"name":"len","min":10,"max":100}] → [{"max":100,"min":11,"name":"len"}]']);
});

test('tensorboard: unset or false keeps the cache key of every training stage; true enters it but not the checkpoint key', async () => {
  const { keyParams } = await import('../../../src/cache/details.js');
  for (const type of ['pretrain', 'sft', 'reward', 'dpo', 'ppo']) {
    const def = (await import(`../../../src/stages/${type}/index.js`)).default;
    const options = { lr: 0.001, steps: 100 };
    const key = (o: Record<string, unknown>) => ({ ...base, type, params: keyParams({ def, options: o }) });
    assert.equal(stageKey(key({ ...options, tensorboard: false })), stageKey(key(options)), type);
    const on = key({ ...options, tensorboard: true });
    assert.notEqual(stageKey(on), stageKey(key(options)), type);
    assert.deepEqual(explainChange(key(options), on), ['with.tensorboard (unset) → true']);
    assert.equal(checkpointKey(on, def.checkpointKeyIgnores), checkpointKey(key(options), def.checkpointKeyIgnores), `${type}: turning it on never restarts training`);
  }
});
