/**
 * Chat templates render as transformers' `apply_chat_template(…, tokenize=False)` does. Each
 * expected string is a documented Hugging Face / Meta rendering (the source is named above
 * each test), not the output of our own code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainyardError } from '../../../src/errors/index.js';
import { BUILTIN_TEMPLATES, renderChat, resolveTemplate } from '../../../src/sft/template.js';

const chatml = resolveTemplate('chatml');
const llama2 = resolveTemplate('llama2');

// transformers docs, "Templates for Chat Models" (docs/source/en/chat_templating.md), section
// "What are generation prompts?": the ChatML template, with and without add_generation_prompt.
const DOCS_CHAT = [
  { role: 'user', content: 'Hi there!' },
  { role: 'assistant', content: 'Nice to meet you!' },
  { role: 'user', content: 'Can I ask a question?' },
];

test('chatml matches the transformers guide without a generation prompt', () => {
  assert.equal(renderChat(chatml, DOCS_CHAT), `<|im_start|>user
Hi there!<|im_end|>
<|im_start|>assistant
Nice to meet you!<|im_end|>
<|im_start|>user
Can I ask a question?<|im_end|>
`);
});

test('chatml matches the transformers guide with add_generation_prompt', () => {
  assert.equal(renderChat(chatml, DOCS_CHAT, { addGenerationPrompt: true }), `<|im_start|>user
Hi there!<|im_end|>
<|im_start|>assistant
Nice to meet you!<|im_end|>
<|im_start|>user
Can I ask a question?<|im_end|>
<|im_start|>assistant
`);
});

// Qwen2.5-7B-Instruct's tokenizer_config.json chat_template, its branch without tools as
// published (the tool branches are left out here). It is ChatML as in the guide above, plus a
// system turn that defaults to "You are Qwen, created by Alibaba Cloud. You are a helpful
// assistant." when the chat has none; the expected strings follow that published text.
const QWEN25 = `{%- if messages[0]['role'] == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- else %}
    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
`;
const QWEN_CONFIG = {
  chat_template: QWEN25, bos_token: null, eos_token: '<|im_end|>',
  added_tokens_decoder: { 151643: { content: '<|endoftext|>' }, 151644: { content: '<|im_start|>' }, 151645: { content: '<|im_end|>' } },
};

test('a tokenizer_config template (Qwen2.5) renders system + user + assistant and the generation prompt', () => {
  const t = resolveTemplate('tokenizer_config', QWEN_CONFIG);
  assert.equal(t.name, 'tokenizer_config');
  assert.equal(t.endOfTurn, '<|im_end|>');
  assert.deepEqual([...t.specialTokens].sort(), ['<|im_end|>', '<|im_start|>']);
  const chat = [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Give me a short introduction to large language model.' },
  ];
  assert.equal(renderChat(t, chat, { addGenerationPrompt: true }),
    '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nGive me a short introduction to large language model.<|im_end|>\n<|im_start|>assistant\n');
  assert.equal(renderChat(t, [...chat, { role: 'assistant', content: 'A large language model is…' }]),
    '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nGive me a short introduction to large language model.<|im_end|>\n<|im_start|>assistant\nA large language model is…<|im_end|>\n');
  assert.equal(renderChat(t, [{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true }),
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
});

// Meta's Llama 2 chat format, as documented on llama.com ("Meta Llama 2" model card, "Multiple
// user and assistant messages example") and built by meta-llama/llama generation.py
// chat_completion: "<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user_1} [/INST] {answer_1} </s>"
// then "<s>[INST] {user_2} [/INST]" (BOS/EOS around each exchange, contents stripped). The
// built-in llama2 template is meta-llama/Llama-2-7b-chat-hf's tokenizer_config chat_template.
test('llama2 matches Meta\'s documented multi-turn prompt with a system prompt', () => {
  const chat = [
    { role: 'system', content: 'You are a helpful, respectful and honest assistant.' },
    { role: 'user', content: 'Hi, how are you?' },
    { role: 'assistant', content: 'Good thanks!' },
    { role: 'user', content: 'Can you help me with this math program?' },
  ];
  assert.equal(renderChat(llama2, chat),
    '<s>[INST] <<SYS>>\nYou are a helpful, respectful and honest assistant.\n<</SYS>>\n\nHi, how are you? [/INST] Good thanks! </s>' +
    '<s>[INST] Can you help me with this math program? [/INST]');
  // Single message without a system prompt (model card: "<s>[INST] {{ user_message }} [/INST]").
  assert.equal(renderChat(llama2, [{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true }), '<s>[INST] Hi [/INST]');
});

test('llama2 refuses roles that do not alternate, naming the template', () => {
  assert.throws(() => renderChat(llama2, [{ role: 'assistant', content: 'x' }]),
    (e: unknown) => e instanceof TrainyardError && e.code === 'E_SCHEMA' && /llama2: Conversation roles must alternate/.test(e.message));
});

test('the built-ins carry the tokens they need', () => {
  assert.deepEqual(BUILTIN_TEMPLATES.chatml!.specialTokens, ['<|im_start|>', '<|im_end|>']);
  assert.equal(chatml.endOfTurn, '<|im_end|>');
  assert.deepEqual(llama2.specialTokens, ['<s>', '</s>']);
  assert.equal(llama2.endOfTurn, '</s>');
});

test('a Jinja string is a custom template; its <|…|> literals are its special tokens', () => {
  const t = resolveTemplate("{% for m in messages %}{{ '<|' + m.role + '|>' }}{{ m.content }}{{ '<|end|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}");
  assert.equal(t.name, 'custom');
  assert.deepEqual(t.specialTokens, ['<|end|>', '<|assistant|>']);
  assert.equal(t.endOfTurn, '<|end|>');
  assert.equal(renderChat(t, [{ role: 'user', content: 'a' }], { addGenerationPrompt: true }), '<|user|>a<|end|><|assistant|>');
  const o = resolveTemplate('{{ messages[0].content }}', null, { endOfTurn: '###', specialTokens: [] });
  assert.equal(o.endOfTurn, '###');
});

test('resolveTemplate errors: unknown name, bad Jinja, tokenizer_config without a template', () => {
  assert.throws(() => resolveTemplate('chatlm'), (e: unknown) => e instanceof TrainyardError && e.code === 'E_SCHEMA' && /Did you mean "chatml"/.test(e.message));
  assert.throws(() => resolveTemplate('{% if x %}'), (e: unknown) => e instanceof TrainyardError && e.code === 'E_SCHEMA' && /custom: the Jinja text does not parse/.test(e.message));
  assert.throws(() => resolveTemplate('tokenizer_config', null), (e: unknown) => e instanceof TrainyardError && e.code === 'E_ARTIFACT' && /no tokenizer_config.json/.test(e.message));
  assert.throws(() => resolveTemplate('tokenizer_config', { eos_token: '</s>' }), (e: unknown) => e instanceof TrainyardError && /has no chat_template/.test(e.message));
});

test('tokenizer_config: AddedToken objects for bos/eos and a list of named templates', () => {
  const t = resolveTemplate('tokenizer_config', {
    bos_token: { content: '<s>', lstrip: false }, eos_token: { content: '</s>' },
    chat_template: [{ name: 'tool_use', template: 'X' }, { name: 'default', template: "{{ bos_token }}{% for m in messages %}{{ m.content + eos_token }}{% endfor %}" }],
  });
  assert.equal(t.bosToken, '<s>');
  assert.equal(t.endOfTurn, '</s>');
  assert.deepEqual(t.specialTokens, ['<s>', '</s>']);
  assert.equal(renderChat(t, [{ role: 'user', content: 'a' }]), '<s>a</s>');
});
