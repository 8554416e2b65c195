/**
 * Test helper: a table-driven tester for filter rules, in the spirit of ESLint's RuleTester.
 * It calls the pure rule — options through the rule's schema (ajv, defaults applied), then
 * `create(options)`, then the FilterFn on a Document — never the filter stage. Each case
 * becomes its own `node:test` test.
 *
 *   filterTester.run(length, {
 *     valid: [{ text: 'Long enough.' }],
 *     invalid: [{ text: 'Hi', options: { min_chars: 5 }, expected: { reason: 'too_short_chars', value: 2, threshold: 5 } }],
 *   });
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDefaults, compileSchema } from '../../src/config/ajv.js';
import type { Document } from '../../src/artifacts/documents.js';
import type { FilterDefinition, FilterFn, FilterResult } from '../../src/plugins/contracts.js';

export interface FilterCase {
  text: string;
  /** Options as a user writes them under `rules:` (before defaults). */
  options?: Record<string, unknown>;
  /** Document meta (e.g. `url` for url-blocklist). */
  meta?: Record<string, unknown>;
  /** Shown as the test's name; defaults to the start of the text. */
  name?: string;
}

export interface ValidCase extends FilterCase {
  /** For rules that keep and annotate: the meta they must write. */
  meta_out?: Record<string, unknown>;
}

export interface InvalidCase extends FilterCase {
  expected: { reason: string; value?: number | string; threshold?: number | string; detail?: string };
}

export interface FilterTests {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

function label(kind: string, c: FilterCase): string {
  const text = c.text.length > 40 ? `${c.text.slice(0, 40)}…` : c.text;
  return `${kind}: ${c.name ?? JSON.stringify(text)}${c.options ? ` ${JSON.stringify(c.options)}` : ''}`;
}

/** The rule's options after its schema: defaults applied, invalid options fail the test. */
function optionsFor(def: FilterDefinition<any>, options: Record<string, unknown> = {}): Record<string, unknown> {
  if (!def.schema) return options;
  const { value, errors } = applyDefaults(def.schema, options);
  assert.equal(errors, null, `options ${JSON.stringify(options)} fail the schema of ${def.name}: ${JSON.stringify(errors)}`);
  return value;
}

async function verdict(def: FilterDefinition<any>, c: FilterCase): Promise<FilterResult> {
  const fn: FilterFn = await def.create(optionsFor(def, c.options));
  const doc: Document = { id: 'doc', text: c.text, ...(c.meta ? { meta: c.meta } : {}) };
  return fn(doc);
}

/** Checks that the schema compiles, gives every option a default and that the defaults validate. */
function checkSchema(def: FilterDefinition<any>): void {
  test(`${def.name}: schema compiles and applies defaults`, () => {
    assert.ok(def.schema, `${def.name} has no schema`);
    compileSchema(def.schema);
    const properties = (def.schema.properties ?? {}) as Record<string, { default?: unknown }>;
    const { value, errors } = applyDefaults(def.schema, {});
    assert.equal(errors, null);
    for (const [key, prop] of Object.entries(properties)) {
      assert.notEqual(prop.default, undefined, `${def.name}.${key} has no default`);
      assert.deepEqual(value[key], prop.default, `${def.name}.${key}: default not applied`);
    }
    assert.equal(applyDefaults(def.schema, { no_such_option: 1 }).errors?.[0]?.keyword, 'additionalProperties');
  });
}

export const filterTester = {
  /** Registers one test per case, plus a schema test, under the current test file. */
  run(def: FilterDefinition<any>, tests: FilterTests): void {
    checkSchema(def);
    for (const c of tests.valid) {
      test(`${def.name} ${label('valid', c)}`, async () => {
        const v = await verdict(def, c);
        if (c.meta_out) assert.deepEqual(v, { keep: true, meta: c.meta_out });
        else assert.ok(v === true || (typeof v === 'object' && v.keep === true), `expected keep, got ${JSON.stringify(v)}`);
      });
    }
    for (const c of tests.invalid) {
      test(`${def.name} ${label('invalid', c)}`, async () => {
        const v = await verdict(def, c);
        assert.ok(typeof v === 'object' && v.keep === false, `expected a drop, got ${JSON.stringify(v)}`);
        const { keep: _keep, ...got } = v;
        const wanted = Object.fromEntries(Object.entries(c.expected).filter(([, x]) => x !== undefined));
        // Only the fields the case names: a case may leave out value/threshold/detail.
        const picked = Object.fromEntries(Object.keys(wanted).map((k) => [k, (got as Record<string, unknown>)[k]]));
        assert.deepEqual(picked, wanted);
      });
    }
  },
};
