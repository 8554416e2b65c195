import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineText } from '../../../src/config/load.js';
import { interpolate } from '../../../src/config/interpolate.js';
import { applySets } from '../../../src/config/overrides.js';
import { TrainyardError } from '../../../src/errors/index.js';

test('${vars.x} keeps types for whole-string placeholders and formats inside strings', () => {
  const f = parsePipelineText('a: 1', 'p.yaml');
  const scope = { vars: { lr: 0.001, name: 'moby', dims: { n: 4 } } };
  assert.deepEqual(interpolate({ lr: '${vars.lr}', path: 'data/${vars.name}/*.txt', n: '${ vars.dims.n }' }, scope, f.map, []),
    { lr: 0.001, path: 'data/moby/*.txt', n: 4 });
  assert.throws(() => interpolate('${vars.nme}', scope, f.map, []), /Unknown variable \$\{vars\.nme\}\. Did you mean "vars\.name"\?/);
});

test('--set parses YAML values and creates option keys under with', () => {
  const data = { stages: { t: { type: 'x', with: { lr: 1 } } } } as Record<string, unknown>;
  applySets(data, ['stages.t.with.lr=3e-4', 'stages.t.with.layers=[1, 2]', 'stages.t.with.new.deep=true']);
  assert.deepEqual((data.stages as any).t.with, { lr: 0.0003, layers: [1, 2], new: { deep: true } });
  assert.throws(() => applySets(data, ['stages.u.with.lr=1']), /no such key\. Did you mean "t"\?/);
  assert.throws(() => applySets(data, ['nonsense']), /must look like path=value/);
});

test('${...} refuses __proto__, constructor and prototype, and finds only own variables', () => {
  const f = parsePipelineText('a: 1', 'p.yaml');
  const scope = { vars: { lr: 1 } };
  for (const [name, segment] of [['vars.__proto__', '__proto__'], ['vars.constructor', 'constructor'], ['vars.lr.constructor.prototype', 'constructor'], ['__proto__.x', '__proto__']]) {
    assert.throws(() => interpolate(`\${${name}}`, scope, f.map, []), (e: unknown) => {
      assert.ok(e instanceof TrainyardError, String(e));
      assert.equal(e.code, 'E_VAR');
      assert.match(e.message, new RegExp(`"${segment}" cannot be looked up`));
      assert.ok(e.hint);
      return true;
    }, name);
  }
  // Inherited members are not variables.
  assert.throws(() => interpolate('${vars.toString}', scope, f.map, []), /Unknown variable \$\{vars\.toString\}/);
  assert.throws(() => interpolate('${vars.lr.toFixed}', scope, f.map, []), /Unknown variable/);
});

test('interpolate keeps a __proto__ key as data instead of setting a prototype', () => {
  const f = parsePipelineText('a: 1', 'p.yaml');
  const out = interpolate(JSON.parse('{"__proto__": {"x": 1}}'), {}, f.map, []) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['__proto__']);
  assert.equal((out as { x?: unknown }).x, undefined);
});
