import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import filterStage from '../../../src/stages/filter/index.js';
import { readDocuments, type Document } from '../../../src/artifacts/documents.js';
import { TrainyardError } from '../../../src/errors/index.js';
import shouting from '../../../plugins/shouting-filter.js';
import { collect, docsFixture, runStage } from '../../helpers/stage-tester.js';
import { mobyChapter, sotuDocs } from '../../helpers/corpus.js';

const SPEECH = sotuDocs(1)[0]!;
const FRENCH = "Le président de la République a prononcé un discours devant les deux chambres du Parlement réunies en Congrès à Versailles. Il a parlé de l'économie, de l'emploi et de la sécurité des citoyens, et il a annoncé plusieurs réformes importantes pour les prochaines années.";

async function filter(docs: Array<Document | string>, rules: unknown[]) {
  const res = await runStage(filterStage, { options: { rules }, inputs: { docs: await docsFixture(docs) }, plugins: [shouting] });
  const kept = await collect(readDocuments(res.outputs.kept!));
  const rejected = await collect(readDocuments(res.outputs.rejected!));
  return { kept, rejected, res, why: (id: string) => rejected.find((d) => d.id === id)?.meta?.rejected as Record<string, unknown> | undefined };
}

test('gopher-quality keeps a real speech and drops a short doc with value and threshold', async () => {
  const { kept, why } = await filter([SPEECH, { id: 'short', text: 'Hello world. Nice to see you.' }], ['gopher-quality']);
  assert.deepEqual(kept.map((d) => d.id), [SPEECH.id]);
  assert.deepEqual(why('short'), { rule: 'gopher-quality', reason: 'gopher_short_doc', value: 6, threshold: 50 });
});

test('gopher-quality: bullets, stop words, symbol ratio', async () => {
  const bullets = Array.from({ length: 60 }, (_, i) => `- item number ${i} with some words`).join('\n');
  const noStop = Array.from({ length: 60 }, () => 'apple banana cherry').join(' ');
  const hashes = Array.from({ length: 30 }, () => '#tag words are here').join(' ');
  const { why } = await filter([{ id: 'b', text: bullets }, { id: 's', text: noStop }, { id: 'h', text: hashes }], ['gopher-quality']);
  assert.deepEqual(why('b'), { rule: 'gopher-quality', reason: 'gopher_too_many_bullets', value: 1, threshold: 0.9 });
  assert.deepEqual(why('s'), { rule: 'gopher-quality', reason: 'gopher_enough_stop_words', value: 0, threshold: 2 });
  assert.equal(why('h')?.reason, 'gopher_too_many_hashes');
  assert.ok((why('h')!.value as number) > 0.1);
});

test('gopher-repetition drops repeated paragraphs and keeps a real chapter', async () => {
  const para = mobyChapter(1).split('\n\n')[1]!;
  const repeated = [para, para, para, 'A different closing paragraph.'].join('\n\n');
  const { kept, why } = await filter([{ id: 'moby', text: mobyChapter(1) }, { id: 'rep', text: repeated }], ['gopher-repetition']);
  assert.deepEqual(kept.map((d) => d.id), ['moby']);
  assert.deepEqual(why('rep'), { rule: 'gopher-repetition', reason: 'dup_para_frac', value: 0.5, threshold: 0.3 });
});

test('c4: lorem ipsum, curly bracket and too few sentences', async () => {
  const { kept, why } = await filter([
    SPEECH,
    { id: 'lorem', text: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.' },
    { id: 'code', text: 'The function is defined as follows { return x; } and it works.' },
    { id: 'few', text: 'One sentence here. Two sentences here.\nmenu item\nhome page' },
  ], ['c4']);
  assert.deepEqual(kept.map((d) => d.id), [SPEECH.id]);
  assert.equal(why('lorem')?.reason, 'lorem_ipsum');
  assert.equal(why('code')?.reason, 'curly_bracket');
  assert.deepEqual(why('few'), { rule: 'c4', reason: 'too_few_sentences', value: 2, threshold: 5 });
});

test('fineweb: no terminal punctuation and short lines', async () => {
  const menu = ['Home', 'About us', 'Products', 'Contact', 'Blog', 'Careers'].join('\n');
  const { kept, why } = await filter([SPEECH, { id: 'menu', text: menu }], ['fineweb']);
  assert.deepEqual(kept.map((d) => d.id), [SPEECH.id]);
  assert.deepEqual(why('menu'), { rule: 'fineweb', reason: 'line_punct_ratio', value: 0, threshold: 0.12 });
});

test('length with options, language with meta.language on kept docs', async () => {
  const { kept, why } = await filter([SPEECH, { id: 'fr', text: FRENCH }, { id: 'tiny', text: 'Too short.' }], [{ name: 'length', min_chars: 20 }, 'language']);
  assert.deepEqual(kept.map((d) => d.id), [SPEECH.id]);
  assert.equal(kept[0]!.meta!.language, 'eng');
  assert.deepEqual(why('tiny'), { rule: 'length', reason: 'too_short_chars', value: 10, threshold: 20 });
  assert.deepEqual(why('fr'), { rule: 'language', reason: 'wrong_language', value: 'fra', threshold: 'eng' });
});

test('toxicity matches whole words only; url-blocklist matches parent domains', async () => {
  const { kept, why } = await filter([
    { id: 'clean', text: 'A classic assessment of the class of passengers.' },
    { id: 'rude', text: 'What a load of shit this is.' },
    { id: 'spam', text: 'Buy now.', meta: { url: 'https://shop.spam.example/deals' } },
  ], ['toxicity', { name: 'url-blocklist', domains: ['spam.example'] }]);
  assert.deepEqual(kept.map((d) => d.id), ['clean']);
  assert.deepEqual(why('rude'), { rule: 'toxicity', reason: 'bad_words', value: 1, threshold: 0, detail: 'shit' });
  assert.deepEqual(why('spam'), { rule: 'url-blocklist', reason: 'domain', value: 'shop.spam.example', threshold: 'blocklist', detail: 'spam.example' });
});

test('plugin filters (plain function and defineFilter with options) and the funnel', async () => {
  const { kept, why, res } = await filter([
    SPEECH,
    { id: 'loud', text: 'STOP SHOUTING AT THE MEETING PLEASE' },
    { id: 'half', text: 'Some Words Are Capitalised Here And There' },
  ], ['shouting', { name: 'shouting-strict', max_upper_ratio: 0.15 }]);
  assert.deepEqual(kept.map((d) => d.id), [SPEECH.id]);
  assert.deepEqual(why('loud'), { rule: 'shouting', reason: 'shouting', value: 1, threshold: 0.5 });
  assert.deepEqual(why('half'), { rule: 'shouting-strict', reason: 'shouting', value: 0.2, threshold: 0.15 });
  assert.equal(res.stats.docs_in, 3);
  assert.equal(res.stats.dropped_shouting, 1);
  assert.equal(res.stats['dropped_shouting-strict'], 1);
  assert.equal(res.stats.docs_kept, 1);
  assert.ok(res.logs.some((l) => /filter funnel: in 3 docs/.test(l)));
  assert.ok(res.logs.some((l) => /shouting-strict\s+-1 docs/.test(l)));
});

test('unknown rule names fail with did-you-mean and the known rules', async () => {
  await assert.rejects(filter(['x'], ['gopher-qualty']), (err: TrainyardError) => {
    assert.equal(err.code, 'E_UNKNOWN_RULE');
    assert.match(err.message, /Did you mean "gopher-quality"\?/);
    assert.match(err.hint!, /c4, fineweb, gopher-quality/);
    return true;
  });
  await assert.rejects(filter(['x'], [{ name: 'length', min_char: 3 }]), (err: TrainyardError) => {
    assert.equal(err.code, 'E_SCHEMA');
    assert.match(err.message, /^rules\[0\] \(length\): unknown option "min_char". Did you mean "min_chars"/);
    assert.deepEqual(err.path, ['rules', 0, 'min_char']);
    assert.match(err.hint!, /Options of length: min_chars, max_chars, min_words, max_words/);
    return true;
  });
});

test('rule options go through the rule schema (ajv), for built-in rules and plugin filters alike', async () => {
  await assert.rejects(filter(['x'], ['c4', { name: 'length', min_chars: 'ten' }]), (err: TrainyardError) => {
    assert.equal(err.code, 'E_SCHEMA');
    assert.equal(err.message, 'rules[1] (length): option "min_chars" must be integer');
    assert.deepEqual(err.path, ['rules', 1, 'min_chars']);
    return true;
  });
  await assert.rejects(filter(['x'], [{ name: 'gopher-repetition', top_n_grams: [[2, 0.2], [3, 'x']] }]), (err: TrainyardError) =>
    err.code === 'E_SCHEMA' && /option "top_n_grams\.1\.1" must be number/.test(err.message) && JSON.stringify(err.path) === '["rules",0,"top_n_grams",1,1]');
  await assert.rejects(filter(['x'], [{ name: 'shouting-strict', max_upper_ratio: 2 }]), (err: TrainyardError) =>
    err.code === 'E_SCHEMA' && err.message === 'rules[0] (shouting-strict): option "max_upper_ratio" must be <= 1' && JSON.stringify(err.path) === '["rules",0,"max_upper_ratio"]');
  await assert.rejects(filter(['x'], [{ name: 'shouting', max_upper_ratio: 0.2 }]), /rules\[0\] \(shouting\): this filter takes no options, got max_upper_ratio/);
});

test('identical output with 1 and 2 worker threads', async () => {
  const docs = sotuDocs(80);
  const dir = await docsFixture(docs);
  const rules = ['gopher-repetition', 'gopher-quality', 'c4', 'fineweb', { name: 'length', min_chars: 40000 }];
  const out = [];
  for (const threads of [1, 2]) {
    const res = await runStage(filterStage, { options: { rules, batch_size: 7 }, inputs: { docs: dir }, threads });
    out.push([await readFile(join(res.outputs.kept!, 'all-00000.jsonl'), 'utf8'), await readFile(join(res.outputs.rejected!, 'all-00000.jsonl'), 'utf8')]);
  }
  assert.deepEqual(out[0], out[1]);
  assert.ok(out[0]![0]!.length > 0 && out[0]![1]!.length > 0);
});

test('bad input: junk lines, empty and huge documents are handled', async () => {
  const dir = await docsFixture([SPEECH, { id: 'empty', text: '' }, { id: 'huge', text: 'x'.repeat(20_000_000) }]);
  await writeFile(join(dir, 'all-00001.jsonl'), '\u0000\u0001\u00ff garbage\n{"id": 3}\n');
  const res = await runStage(filterStage, { options: { rules: ['length', 'gopher-repetition', 'gopher-quality', 'c4', 'fineweb', 'language', 'toxicity'] }, inputs: { docs: dir } });
  const rejected = await collect(readDocuments(res.outputs.rejected!));
  assert.deepEqual(rejected.map((d) => [d.id, (d.meta!.rejected as { reason: string }).reason]), [['empty', 'too_short_chars'], ['huge', 'gopher_short_doc']]);
  assert.equal(res.stats.skipped_invalid_json, 1);
  assert.equal(res.stats.skipped_invalid_doc, 1);
});
