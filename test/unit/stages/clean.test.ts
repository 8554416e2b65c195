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
