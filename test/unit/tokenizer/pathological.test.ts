/**
 * Bad input never crashes and never goes quadratic.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer, trainBpe, type Tokenizer } from '../../../src/tokenizer/index.js';
import { sotuTexts } from './fixtures.js';

let gpt2: Tokenizer;
before(async () => { gpt2 = await loadTokenizer('gpt2'); });

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

test('20 MB document without a newline stays fast', () => {
  let text = sotuTexts().join(' ').replace(/\s+/g, ' ');
  while (text.length < 20_000_000) text += text;
  text = text.slice(0, 20_000_000);
  const [ids, ms] = timed(() => gpt2.encodeToArray(text));
  assert.ok(ids.length > 3_000_000);
  assert.ok(ms < 20_000, `${ms} ms`); // ~1-2 s on an idle core; linear, not quadratic
});

test('megabytes of whitespace, one huge word, huge digit and CJK runs', () => {
  const cases = [' '.repeat(5_000_000) + 'x', '\n'.repeat(1_000_000), ' \t\r\n'.repeat(250_000), 'ab'.repeat(1_000_000),
    '7'.repeat(1_000_000), '日本語'.repeat(300_000)];
  for (const text of cases) {
    const [ids, ms] = timed(() => gpt2.encodeToArray(text));
    assert.equal(gpt2.decode(ids), text);
    assert.ok(ms < 10_000, `${ms} ms on ${JSON.stringify(text.slice(0, 4))}`);
  }
  // Doubling a single-word input must not quadruple the time.
  const [, t1] = timed(() => gpt2.encodeToArray('ab'.repeat(500_000) + 'x'));
  const [, t2] = timed(() => gpt2.encodeToArray('ab'.repeat(1_000_000) + 'y'));
  assert.ok(t2 < t1 * 3.5 + 50, `${t1} → ${t2} ms`);
});

test('invalid UTF-8 (replacement chars), lone surrogates, control bytes', async () => {
  const bad = Buffer.from([0x66, 0xff, 0xfe, 0x80, 0x67, 0xc3]).toString('utf8') + '\ud800x\udfff' + '\u0000\u0001\u007f';
  const ids = gpt2.encode(bad);
  assert.ok(ids.length > 0);
  assert.equal(gpt2.decode(ids), bad.replace(/[\ud800-\udfff]/g, '\ufffd'));
  const tok = await trainBpe([bad, '', bad + bad], { vocabSize: 300, minFrequency: 1 });
  assert.ok(tok.vocabSize > 257);
  assert.equal(tok.decode(tok.encode('\ufffd')), '\ufffd');
  assert.equal(gpt2.decode([99999, 1, -5]), '"'); // unknown ids are skipped
});

test('training on empty input gives the byte alphabet only', async () => {
  const tok = await trainBpe(['', ''], { vocabSize: 1000 });
  assert.equal(tok.vocabSize, 257);
  assert.deepEqual(tok.decode(tok.encode('any text 😉')), 'any text 😉');
});
