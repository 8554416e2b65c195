/**
 * YAML that is not a pipeline is a positioned user error (E_YAML and friends), never an
 * internal one and never a raw Node warning; duplicate keys are found in linear time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineText } from '../../../src/config/load.js';
import { TrainyardError, TrainyardErrorList } from '../../../src/errors/index.js';

/** The user errors parsing `text` throws (fails the test on anything else). */
function problems(text: string): TrainyardError[] {
  try {
    parsePipelineText(text, 'p.yaml');
  } catch (err) {
    if (err instanceof TrainyardErrorList) return err.errors;
    if (err instanceof TrainyardError) return [err];
    assert.fail(`not a user error: ${String(err)}`);
  }
  assert.fail('parsed without an error');
}

function one(text: string, code: string, message: RegExp, line?: number, column?: number): TrainyardError {
  const [e, ...rest] = problems(text);
  assert.equal(rest.length, 0, rest.map((r) => r.message).join('\n'));
  assert.equal(e!.code, code, e!.message);
  assert.match(e!.message, message);
  assert.equal(e!.file, 'p.yaml');
  if (line !== undefined) assert.deepEqual([e!.loc?.line, e!.loc?.column], [line, column]);
  assert.ok(e!.frame, 'has a code frame');
  return e!;
}

/** `a: &a [x × 10]`, `b: &b [*a × 10]`, …: 10^depth strings from a few hundred bytes. */
function aliasBomb(depth: number): string {
  const lines = [`l0: &l0 [${Array(10).fill('x').join(', ')}]`];
  for (let i = 1; i <= depth; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nstages: {}\n`;
}

test('an alias bomb is E_YAML at the alias that crosses the bound, not E_INTERNAL', () => {
  const e = one(aliasBomb(9), 'E_YAML', /aliases expand to more than/i);
  assert.ok(e.loc && e.loc.line > 1);
  assert.ok(e.hint);
});

test('ordinary aliases and merge keys still work', () => {
  const f = parsePipelineText('base: &b { lr: 1, n: 2 }\nlist: &l [1, 2]\nuse: { <<: *b, n: 3 }\nboth: { <<: [*b, { m: 4 }] }\nagain: *l\n', 'p.yaml');
  assert.deepEqual(JSON.parse(JSON.stringify(f.data)), {
    base: { lr: 1, n: 2 }, list: [1, 2], use: { lr: 1, n: 3 }, both: { lr: 1, n: 2, m: 4 }, again: [1, 2],
  });
});

test('an alias to no anchor, in a merge key or a value, is E_YAML at the alias', () => {
  one('vars:\n  <<: *a\nstages: {}\n', 'E_YAML', /\*a .*no anchor/, 2, 7);
  one('vars:\n  x: *a\nstages: {}\n', 'E_YAML', /\*a .*no anchor/, 2, 6);
  one('vars:\n  x: *a\n  y: &a 1\n', 'E_YAML', /\*a .*no anchor/, 2, 6);
});

test('an alias inside its own anchor is E_YAML', () => {
  one('vars: &v\n  x: [*v]\n', 'E_YAML', /\*v .*contains it/, 2, 7);
});

test('a merge key given a scalar is E_YAML', () => {
  one('vars:\n  <<: 5\n', 'E_YAML', /merge key/i, 2, 7);
  one('s: &s 5\nvars:\n  <<: [*s]\n', 'E_YAML', /merge key/i, 3, 8);
});

test('an anchor defined twice is E_YAML at the second one', () => {
  one('vars:\n  a: &x 1\n  b: &x 2\n  c: *x\n', 'E_YAML', /&x .*twice.*line 2/, 3, 6);
});

test('a complex key is E_YAML and prints no process warning', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    one('? [a, b]\n: 1\nstages: {}\n', 'E_YAML', /key .*plain/i, 1, 3);
    one('vars:\n  ? { a: 1 }\n  : 1\n', 'E_YAML', /key .*plain/i, 2, 5);
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

test('duplicate keys are E_YAML naming the key and the first line', () => {
  one('vars:\n  a: 1\n  a: 2\nstages: {}\n', 'E_YAML', /Duplicate key "a" .*line 2/, 3, 3);
  one('vars: { a: 1, b: 2, a: 3 }\n', 'E_YAML', /Duplicate key "a"/, 1, 21);
  // 1 and "1" are one key once they are object keys.
  one('vars:\n  1: x\n  "1": y\n', 'E_YAML', /Duplicate key "1"/, 3, 3);
});

test('a __proto__ key is refused, and no loaded object has a prototype', () => {
  one('vars:\n  __proto__: { polluted: 1 }\n', 'E_UNKNOWN_KEY', /__proto__/, 2, 3);
  const f = parsePipelineText('vars: { a: { b: 1 } }\nlist: [{ c: 2 }]\n', 'p.yaml');
  const data = f.data as { vars: { a: object }; list: object[] };
  assert.equal(Object.getPrototypeOf(data), null);
  assert.equal(Object.getPrototypeOf(data.vars.a), null);
  assert.equal(Object.getPrototypeOf(data.list[0]), null);
});

test('duplicate keys are found in linear time (20k vars)', () => {
  const text = (n: number) => `vars:\n${Array.from({ length: n }, (_, i) => `  v${i}: ${i}\n`).join('')}  v7: again\n`;
  /** Best of three, so a busy machine's pauses do not decide. */
  const time = (n: number) => {
    const src = text(n);
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      one(src, 'E_YAML', /Duplicate key "v7"/, n + 2, 3);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const small = time(5_000), large = time(20_000);
  // 4x the keys: linear checking costs ~4x, quadratic checking (~3 s at 20k here) ~16x. The
  // ratio, not a wall-clock bound, so a loaded machine does not fail it.
  assert.ok(large / small < 9, `5k keys: ${small.toFixed(0)} ms, 20k keys: ${large.toFixed(0)} ms (ratio ${(large / small).toFixed(1)})`);
});
