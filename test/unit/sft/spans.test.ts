/**
 * renderSpans cuts a rendering into spans that concatenate back to renderChat, with only
 * the assistant replies and their end-of-turn markers supervised (train_on: assistant).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainyardError } from '../../../src/errors/index.js';
import { renderChat, renderSpans, resolveTemplate, type Span } from '../../../src/sft/template.js';

const chatml = resolveTemplate('chatml');
const llama2 = resolveTemplate('llama2');
const CHAT = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is 2 + 3?' },
  { role: 'assistant', content: '5' },
  { role: 'user', content: 'And 4 + 4?' },
  { role: 'assistant', content: '8' },
];
const supervisedText = (spans: Span[]) => spans.filter((s) => s.supervised).map((s) => s.text);

test('chatml spans: concatenation is the rendering; replies + <|im_end|> supervised, headers and newlines not', () => {
  const spans = renderSpans(chatml, CHAT, { trainOn: 'assistant' });
  assert.equal(spans.map((s) => s.text).join(''), renderChat(chatml, CHAT));
  assert.deepEqual(spans, [
    { text: '<|im_start|>system\nBe brief.<|im_end|>\n', role: 'system', supervised: false },
    { text: '<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n', role: 'user', supervised: false },
    { text: '<|im_start|>assistant\n', role: 'assistant', supervised: false },
    { text: '5<|im_end|>', role: 'assistant', supervised: true },
    { text: '\n', role: 'assistant', supervised: false },
    { text: '<|im_start|>user\nAnd 4 + 4?<|im_end|>\n', role: 'user', supervised: false },
    { text: '<|im_start|>assistant\n', role: 'assistant', supervised: false },
    { text: '8<|im_end|>', role: 'assistant', supervised: true },
    { text: '\n', role: 'assistant', supervised: false },
  ]);
});

test('train_on all supervises every span, and the text is unchanged', () => {
  const spans = renderSpans(chatml, CHAT, { trainOn: 'all' });
  assert.ok(spans.every((s) => s.supervised));
  assert.equal(spans.map((s) => s.text).join(''), renderChat(chatml, CHAT));
});

test('llama2 spans: the system prompt rides in the first user turn; " reply </s>" is supervised', () => {
  const spans = renderSpans(llama2, CHAT, { trainOn: 'assistant' });
  assert.equal(spans.map((s) => s.text).join(''), renderChat(llama2, CHAT));
  assert.deepEqual(supervisedText(spans), [' 5 </s>', ' 8 </s>']);
  assert.deepEqual(spans.filter((s) => !s.supervised).map((s) => s.role), ['user', 'user']);
});

test('a reply that contains the end-of-turn text is cut at the last marker', () => {
  const spans = renderSpans(chatml, [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'say <|im_end|> twice' }], { trainOn: 'assistant' });
  assert.deepEqual(supervisedText(spans), ['say <|im_end|> twice<|im_end|>']);
});

// A template that rewrites earlier turns depending on what follows (here: replies are shown
// only when they are the last message) cannot be cut by prefixes.
const UNSTABLE = resolveTemplate("{% for m in messages %}{% if m.role != 'assistant' or loop.last %}{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endif %}{% endfor %}");

test('a template that is not prefix-stable is refused, naming the template and the conversation', () => {
  assert.throws(() => renderSpans(UNSTABLE, CHAT, { trainOn: 'assistant', where: 'chat.jsonl:3' }),
    (e: unknown) => e instanceof TrainyardError && e.code === 'E_SCHEMA' && /^chat\.jsonl:3: chat template custom is not prefix-stable/.test(e.message));
});

test('with train_on all, a template that is not prefix-stable gives one supervised span', () => {
  const spans = renderSpans(UNSTABLE, CHAT, { trainOn: 'all' });
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.text, renderChat(UNSTABLE, CHAT));
  assert.equal(spans[0]!.supervised, true);
});
