import assert from 'node:assert/strict';
import { test } from 'node:test';
import cleanStage from '../../../src/stages/clean/index.js';
import { readDocuments, type Document } from '../../../src/artifacts/documents.js';
import { collect, docsFixture, runStage } from '../../helpers/stage-tester.js';
import { mobyChapter } from '../../helpers/corpus.js';

const paras = mobyChapter(1).split('\n\n').slice(1, 14);

async function clean(docs: Array<Document | string>, options: Record<string, unknown> = {}, threads = 1) {
  const res = await runStage(cleanStage, { options, inputs: { docs: await docsFixture(docs) }, threads });
  return { res, docs: await collect(readDocuments(res.outputs.docs!)) };
}

function page(i: number): string {
  return `<!doctype html><html><head><title>Chapter ${i}</title><style>body{color:red}</style>
  <script>var tracking = "SECRET_SCRIPT";</script></head><body>
  <nav><a href="/">Home</a> | <a href="/about">About us</a> | <a href="/shop">Shop</a></nav>
  <header><h1>The Whaling Blog</h1></header>
  <div class="sidebar"><ul><li><a href="/x">Popular post one</a></li><li><a href="/y">Popular post two</a></li></ul></div>
  <article><h2>Loomings, part ${i}</h2>${paras.slice(0, 6).map((p) => `<p>${p}</p>`).join('\n')}</article>
  <footer>Copyright 2024 Whaling Blog Inc. All rights reserved.</footer></body></html>`;
}

test('whole HTML pages: main content kept, script/nav/footer removed, paragraphs on their own lines', async () => {
  const { docs, res } = await clean([{ id: 'p', text: page(1) }], { boilerplate_min_docs: 0 });
  const text = docs[0]!.text;
  assert.ok(text.includes('Call me Ishmael.'));
  assert.ok(!text.includes('SECRET_SCRIPT') && !text.includes('color:red'));
  assert.ok(!text.includes('About us') && !text.includes('All rights reserved'));
  assert.equal(docs[0]!.meta!.title, 'Chapter 1');
  assert.ok(text.split('\n\n').length >= 6, 'paragraphs stay separate');
  assert.equal(res.stats.changed_html, 1);
  assert.equal(res.stats.changed_main_content, 1);
});

test('HTML fragments: tags and scripts removed, plain text left alone', async () => {
  const { docs } = await clean([
    { id: 'frag', text: '<p>Hello <b>brave</b> world.</p><script>alert("x")</script><p>Second paragraph.</p>' },
    { id: 'plain', text: 'If x < 3 and y > 2 then go.' },
  ], { boilerplate_min_docs: 0 });
  assert.equal(docs[0]!.text, 'Hello brave world.\n\nSecond paragraph.');
  assert.equal(docs[1]!.text, 'If x < 3 and y > 2 then go.');
});

test('Unicode NFKC, control characters and whitespace', async () => {
  const raw = 'The \uFB01nancial  report\u200B of\t\tＡＣＭＥ\u0007 Corp.\r\n\r\n\r\n\r\nNext\u00A0line.   ';
  const nfc = await clean([raw], { boilerplate_min_docs: 0 });
  assert.equal(nfc.docs[0]!.text, 'The \uFB01nancial report of ＡＣＭＥ Corp.\n\nNext line.');
  const nfkc = await clean([raw], { unicode: 'NFKC', boilerplate_min_docs: 0 });
  assert.equal(nfkc.docs[0]!.text, 'The financial report of ACME Corp.\n\nNext line.');
  assert.equal(nfkc.res.stats.changed_unicode, 1);
  assert.equal(nfkc.res.stats.changed_control_chars, 1);
  assert.equal(nfkc.res.stats.changed_whitespace, 1);
});

test('boilerplate lines repeated across many documents are removed, the rest kept', async () => {
  const docs = paras.slice(0, 12).map((p, i) => ({
    id: `d${i}`,
    text: `Subscribe to our newsletter!\n${p}\nCopyright ${2000 + i} Example Inc.\nShare this page`,
  }));
  const { docs: out, res } = await clean(docs, { boilerplate_min_docs: 10 });
  assert.equal(out.length, 12);
  out.forEach((d, i) => assert.equal(d.text, paras[i]));
  assert.equal(res.stats.boilerplate_lines_removed, 36);
  assert.equal(res.stats.boilerplate_patterns, 3);
  const below = await clean(docs.slice(0, 9), { boilerplate_min_docs: 10 });
  assert.ok(below.docs[0]!.text.startsWith('Subscribe to our newsletter!'));
});

test('e-mail: headers to meta, quoted-printable body decoded', async () => {
  const mail = [
    'From: Ishmael <ishmael@pequod.example>', 'To: crew@pequod.example', 'Subject: Loomings', 'Date: Mon, 1 Jan 1851 10:00:00 +0000',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '',
    'Call me Ishmael. Some years ago=E2=80=94never mind how long precisely=E2=80=94having li=', 'ttle or no money.', '',
  ].join('\r\n');
  const { docs, res } = await clean([{ id: 'm', text: mail }], { email: true, boilerplate_min_docs: 0 });
  assert.equal(docs[0]!.text, 'Call me Ishmael. Some years ago\u2014never mind how long precisely\u2014having little or no money.');
  assert.equal(docs[0]!.meta!.email_subject, 'Loomings');
  assert.equal(docs[0]!.meta!.email_from, 'ishmael@pequod.example');
  assert.equal(res.stats.changed_email, 1);
});

test('same output with 2 threads; empty and junk documents handled', async () => {
  const docs: Document[] = [...Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, text: page(i) })), { id: 'empty', text: '  \u0000 ' }, { id: 'junk', text: '\u0001\u0002<<<>>>\uFFFD' + 'x'.repeat(1000) }];
  const one = await clean(docs, {}, 1);
  const two = await clean(docs, {}, 2);
  assert.deepEqual(one.docs, two.docs);
  assert.equal(one.res.stats.empty_after_clean, 1);
  assert.ok(one.docs.some((d) => d.id === 'junk'));
});

async function cleanAll(docs: Array<Document | string>, options: Record<string, unknown> = {}) {
  const res = await runStage(cleanStage, { options, inputs: { docs: await docsFixture(docs) } });
  return { res, docs: await collect(readDocuments(res.outputs.docs!)), rejected: await collect(readDocuments(res.outputs.rejected!)) };
}

test('plain text that quotes HTML keeps its own text; only the quoted page is converted', async () => {
  const { docs } = await clean([{ id: 'min', text: `${paras[0]}\n\n<html><body><p>Buy now</p></body></html>` }], { boilerplate_min_docs: 0 });
  assert.equal(docs[0]!.text, `${paras[0]}\n\nBuy now`);
  const forwarded = [
    paras[1], '', '---------- Forwarded message ----------', 'From: Peleg <peleg@pequod.example>', '',
    '<!DOCTYPE html><html><head><title>Offer</title><style>p{color:red}</style></head>',
    `<body><nav><a href="/">Home</a></nav><p>${paras[2]}</p><script>var t = "SECRET";</script></body></html>`, '', paras[3],
  ].join('\n');
  const { docs: out, res } = await clean([{ id: 'fwd', text: forwarded }], { boilerplate_min_docs: 0 });
  const text = out[0]!.text;
  for (const p of [paras[1]!, '---------- Forwarded message ----------', 'From: Peleg <peleg@pequod.example>', paras[2]!, paras[3]!]) assert.ok(text.includes(p), `kept: ${p.slice(0, 40)}`);
  assert.ok(!/SECRET|color:red|<\/?(p|html|body)\b/u.test(text), text);
  assert.equal(res.stats.changed_html_embedded, 1);
  assert.equal(res.stats.changed_html, undefined);
});

test('HTML detection: markup-first documents, content_type meta and text/html MIME parts are HTML; prose with < is not', async () => {
  const { docs } = await clean([
    { id: 'bom', text: '\uFEFF  <!-- saved page -->\n<div><p>Boarded <b>the</b> ship.</p></div>' },
    { id: 'meta', text: 'Queequeg <i>was</i> a native of <a href="/k">Kokovoko</a>', meta: { content_type: 'text/html; charset=utf-8' } },
    { id: 'prose', text: 'If a<b and c>d then <html> is only a word here, and <p> too.' },
    { id: 'tag-first', text: '<b>Note</b>: when x<y and the sea is calm, whales surface more often than not' },
  ], { boilerplate_min_docs: 0 });
  assert.deepEqual(docs.map((d) => d.text), [
    'Boarded the ship.',
    'Queequeg was a native of Kokovoko',
    'If a<b and c>d then <html> is only a word here, and <p> too.',
    '<b>Note</b>: when x<y and the sea is calm, whales surface more often than not',
  ]);
  const mail = ['From: a@b.example', 'Subject: Offer', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '',
    'Dear Ishmael, <b>buy</b> a berth on the Pequod.'].join('\r\n');
  const { docs: m } = await clean([{ id: 'm', text: mail }], { email: true, boilerplate_min_docs: 0 });
  assert.equal(m[0]!.text, 'Dear Ishmael, buy a berth on the Pequod.');
});

test('every dropped document is counted under a named reason and written to rejected', async () => {
  const docs: Document[] = [
    { id: 'keep', text: paras[4]! },
    { id: 'blank', text: '  \u0000 \n\t' },
    { id: 'script-only', text: '<html><head><script>track()</script></head><body><nav><a href="/">Home</a></nav></body></html>' },
    ...Array.from({ length: 3 }, (_, i) => ({ id: `bp${i}`, text: i === 0 ? 'Subscribe now!\nShare this page' : `Subscribe now!\n${paras[5 + i]}\nShare this page` })),
  ];
  const { docs: out, rejected, res } = await cleanAll(docs, { boilerplate_min_docs: 3 });
  assert.deepEqual(out.map((d) => d.id), ['keep', 'bp1', 'bp2']);
  assert.deepEqual(rejected.map((d) => [d.id, (d.meta!.rejected as { reason: string }).reason]).sort(),
    [['blank', 'empty_input'], ['bp0', 'boilerplate_only'], ['script-only', 'empty_after_html']]);
  assert.equal(rejected.find((d) => d.id === 'script-only')!.text, docs[2]!.text, 'rejected keeps the raw text');
  assert.equal(res.stats.dropped_empty_input, 1);
  assert.equal(res.stats.dropped_empty_after_html, 1);
  assert.equal(res.stats.dropped_boilerplate_only, 1);
  assert.equal(res.stats.docs_in, (res.stats.docs_out as number) + (res.stats.docs_dropped as number));
  assert.ok(res.logs.some((l) => /dropped 3: empty_input 1, empty_after_html 1, boilerplate_only 1/u.test(l)), res.logs.join('\n'));
});
