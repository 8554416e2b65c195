import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableBackends, resolveBackend, setupBackend } from '../../../src/backends/index.js';
import { defineBackend, definePlugin } from '../../../src/plugins/define.js';
import { Registry } from '../../../src/plugins/registry.js';
import { TrainyardError } from '../../../src/errors/index.js';

test('auto picks the highest-priority available backend (native when built, else wasm)', async () => {
  const avail = await availableBackends();
  const best = avail.includes('native') ? 'native' : 'wasm';
  assert.deepEqual(avail.filter((n) => n !== 'native').slice(0, 2), ['wasm', 'cpu']);
  const notices: string[] = [];
  const r = await setupBackend('auto', undefined, { onNotice: (m) => notices.push(m) });
  assert.equal(r.name, best);
  assert.equal(r.tf.getBackend(), best);
  if (best === 'wasm') assert.match(notices.join('\n'), /native backend is not built \(apt-get install/);
});

test('unknown backend: E_BACKEND with did-you-mean and the known names', async () => {
  await assert.rejects(setupBackend('wsam'), (e: TrainyardError) =>
    e.code === 'E_BACKEND' && /Did you mean "wasm"/.test(e.message) && /cpu, wasm, native, tensorflow, tensorflow-gpu, cuda, cuda-emulated/.test(e.hint ?? ''));
});

test('missing optional package: says how to install it', async () => {
  await assert.rejects(setupBackend('tensorflow'), (e: TrainyardError) => e.code === 'E_BACKEND' && /npm install @tensorflow\/tfjs-node\b/.test(e.hint ?? ''));
  await assert.rejects(setupBackend('tensorflow-gpu'), (e: TrainyardError) => /npm install @tensorflow\/tfjs-node-gpu/.test(e.hint ?? ''));
});

test('one registry: built-in backends by name, a plugin may replace one with a warning', async () => {
  const reg = new Registry();
  assert.deepEqual(reg.names('backend'), ['cpu', 'wasm', 'native', 'tensorflow', 'tensorflow-gpu', 'cuda', 'cuda-emulated']);
  assert.equal(reg.find('backend', 'wsam'), undefined);
  assert.throws(() => reg.get('backend', 'wsam'), (e: TrainyardError) => e.code === 'E_BACKEND' && e.message === 'Unknown backend "wsam". Did you mean "wasm"?');
  const mine = defineBackend({ name: 'cpu', priority: 1, isAvailable: () => true, load: async () => 'cpu' });
  reg.addPlugin(definePlugin({ name: 'my-cpu', version: '1.0.0', backends: [mine] }), { name: 'my-cpu', version: '1.0.0', codeHash: 'x', specifier: 'my-cpu' });
  assert.equal(reg.get('backend', 'cpu').value, mine);
  assert.equal(reg.get('backend', 'cpu').plugin?.name, 'my-cpu');
  assert.deepEqual(reg.warnings, ['backend "cpu" from plugin my-cpu replaces the one from trainyard']);
  assert.equal(await resolveBackend('cpu', reg), mine);
});

test('plugin backends come from the registry and can win auto', async () => {
  const reg = new Registry();
  let loaded = 0;
  const plugin = definePlugin({
    name: 'fast', version: '1.0.0',
    backends: [defineBackend({ name: 'fastcpu', priority: 99, isAvailable: () => true, load: async () => { loaded++; await import('@tensorflow/tfjs-backend-cpu'); return 'cpu'; } })],
  });
  reg.addPlugin(plugin, { name: 'fast', version: '1.0.0', codeHash: 'x', specifier: 'fast' });
  assert.equal((await availableBackends(reg))[0], 'fastcpu');
  const r = await setupBackend('auto', reg);
  assert.equal(r.name, 'fastcpu');
  assert.equal(r.tf.getBackend(), 'cpu');
  assert.equal(loaded, 1);
});
