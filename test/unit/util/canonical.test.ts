import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../../src/util/canonical.js';

test('canonical JSON sorts keys at every depth, inside lists too', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
  assert.equal(canonicalJson({ rules: [{ min: 1, name: 'len' }] }), canonicalJson({ rules: [{ name: 'len', min: 1 }] }));
});

test('objects without a prototype (as the YAML loader builds them) are sorted too', () => {
  const o = Object.assign(Object.create(null) as object, { b: 1, a: Object.assign(Object.create(null) as object, { d: 1, c: 2 }) });
  assert.equal(canonicalJson(o), '{"a":{"c":2,"d":1},"b":1}');
  // An option named `constructor` does not make an object look non-plain.
  assert.equal(canonicalJson({ b: 1, constructor: 'x', a: 2 }), '{"a":2,"b":1,"constructor":"x"}');
});

test('a __proto__ key is data: it changes the JSON instead of vanishing', () => {
  assert.equal(canonicalJson(JSON.parse('{"__proto__": {"a": 1}, "b": 2}')), '{"__proto__":{"a":1},"b":2}');
});
