/**
 * `--set` walks user-given paths over pipeline data: it refuses segments that reach
 * JavaScript internals (prototype pollution) and values that are not finite numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySets } from '../../../src/config/overrides.js';
import { TrainyardError } from '../../../src/errors/index.js';

const pipeline = (): Record<string, unknown> => ({ stages: { t: { type: 'x', with: { lr: 1, opt: { b: 2 } } } } });

function refused(set: string, message: RegExp): void {
  assert.throws(() => applySets(pipeline(), [set]), (e: unknown) => {
    assert.ok(e instanceof TrainyardError, String(e));
    assert.equal(e.code, 'E_SET');
    assert.match(e.message, message);
    assert.ok(e.hint);
    return true;
  });
}

test('--set refuses __proto__, constructor and prototype segments and pollutes nothing', () => {
  try {
    refused('__proto__.polluted=1', /"__proto__" cannot be set/);
    refused('stages.t.with.__proto__.polluted=1', /"__proto__" cannot be set/);
    refused('stages.t.with.new.__proto__.polluted=1', /"__proto__" cannot be set/);
    refused('stages.t.constructor.prototype.polluted=1', /"constructor" cannot be set/);
    refused('stages.t.with.opt.prototype=1', /"prototype" cannot be set/);
    refused('stages.t.with.__proto__=1', /"__proto__" cannot be set/);
  } finally {
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    delete (Object.prototype as Record<string, unknown>).polluted;
  }
});

test('--set refuses numbers that are not finite, alone or inside a value', () => {
  refused('stages.t.with.lr=1e999', /lr=1e999: the value is not a finite number/);
  refused('stages.t.with.lr=-.inf', /not a finite number/);
  refused('stages.t.with.lr=.nan', /not a finite number/);
  refused('stages.t.with.lr=[1, 1e999]', /not a finite number/);
  refused('stages.t.with.lr={ a: 1e999 }', /not a finite number/);
  const data = applySets(pipeline(), ['stages.t.with.lr=1e300', 'stages.t.with.name="1e999"']);
  assert.deepEqual((data.stages as any).t.with.lr, 1e300);
  assert.equal((data.stages as any).t.with.name, '1e999');
});
