import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetric, resolveMetric } from '../../../src/metrics/index.js';
import { Registry } from '../../../src/plugins/registry.js';
import distinctPlugin, { distinctN } from '../../../plugins/distinct-n-metric.js';

test('built-in metrics: exact_match/contains against references, perplexity from log-probs, per-item stderr', async () => {
  const input = { samples: [' whale', 'the whale', 'ship', 'x'], references: ['whale', 'whale', 'sea', 'x '] };
  const em = await computeMetric('exact_match', resolveMetric('exact_match'), input);
  assert.equal(em.exact_match, 0.5); // ' whale' and 'x' match after trimming
  assert.ok(em.exact_match_stderr! > 0.1 && em.exact_match_stderr! < 0.4);
  const c = await computeMetric('contains', resolveMetric('contains'), input);
  assert.equal(c.contains, 0.75);
  assert.ok(c.contains_stderr! > 0.1 && c.contains_stderr! < 0.35);
  const p = await computeMetric('perplexity', resolveMetric('perplexity'), { logprobs: [[Math.log(0.5), Math.log(0.25)], [Math.log(0.5)]] });
  assert.ok(Math.abs(p.perplexity! - Math.exp(-(Math.log(0.5) * 2 + Math.log(0.25)) / 3)) < 1e-12);
  assert.ok(p.perplexity_stderr! > 0);
});

test('plugin metrics: registry wins, options checked against the schema, bootstrap stderr by resampling', async () => {
  const registry = new Registry();
  registry.addPlugin(distinctPlugin, { name: 'distinct-n-metric', version: '1.0.0', codeHash: 't', specifier: 't' });
  const def = resolveMetric('distinct_n', registry);
  const samples = ['the whale the whale', 'a ship at sea', 'the sea the sea the sea', 'call me ishmael'];
  const r = await computeMetric('distinct_n', def, { samples }, { n: 2 });
  assert.equal(r.distinct_n, distinctN(samples, 2));
  assert.ok(r.distinct_n_stderr! > 0);
  assert.equal((await computeMetric('distinct_n', def, { samples }, {})).distinct_n, distinctN(samples, 2)); // default n = 2
  await assert.rejects(computeMetric('distinct_n', def, { samples }, { n: 0 }), (e: any) => e.code === 'E_SCHEMA');
  assert.throws(() => resolveMetric('exact-match', registry), (e: any) => e.code === 'E_UNKNOWN_METRIC' && /Did you mean "exact_match"/.test(e.message));
  assert.equal(distinctN(['a a a a'], 1), 0.25);
});

test('a plugin metric may replace a built-in: the registry warns and names the plugin that won', () => {
  const registry = new Registry();
  const mine = { ...distinctPlugin.metrics!.distinct_n!, name: 'contains' };
  registry.addPlugin({ name: 'my-metrics', version: '2.0.0', metrics: { contains: mine } }, { name: 'my-metrics', version: '2.0.0', codeHash: 't', specifier: 't' });
  assert.equal(resolveMetric('contains', registry), mine);
  assert.notEqual(resolveMetric('contains'), mine);
  assert.equal(registry.get('metric', 'contains').plugin?.name, 'my-metrics');
  assert.deepEqual(registry.warnings, ['metric "contains" from plugin my-metrics replaces the one from trainyard']);
  assert.throws(() => resolveMetric('distinct_n'), (e: any) => e.code === 'E_UNKNOWN_METRIC' && /Known metrics: contains, exact_match, mean_length, mean_logprob, perplexity\./.test(e.hint));
});
