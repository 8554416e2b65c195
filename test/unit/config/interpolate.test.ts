import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineText } from '../../../src/config/load.js';
import { interpolate } from '../../../src/config/interpolate.js';
import { applySets } from '../../../src/config/overrides.js';

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
