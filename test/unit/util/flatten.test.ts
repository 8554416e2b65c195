import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenParams } from '../../../src/util/flatten.js';

test('flattenParams names nested options by dotted paths', () => {
  assert.deepEqual(flattenParams({ a: { b: 1, c: [1], d: {} }, e: 'x' }), { 'a.b': 1, 'a.c': [1], 'a.d': {}, e: 'x' });
});

test('flattenParams keeps a __proto__ key as data instead of setting a prototype', () => {
  const flat = flattenParams(JSON.parse('{"__proto__": [1], "a": {"__proto__": {}}}'));
  assert.deepEqual(Object.keys(flat), ['__proto__', 'a.__proto__']);
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(flat, '__proto__')?.value, [1]);
});
