/**
 * The label view through ink-testing-library: the prompt and both samples side by side, each
 * key's answer handed over in order (1 and ← left, 2 and → right, t tie, s skip), keys ignored
 * while a pair is drawn, `q` ending early with the count, and the end after the last prompt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import { render } from 'ink-testing-library';
import { LabelApp, keyChoice } from '../../../src/label/app.js';
import type { Choice, Pair } from '../../../src/label/records.js';

const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line no-control-regex
const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

/** Polls the frame until it matches (the first render under the test runner can be slow), then lets effects settle. */
async function until(ui: { lastFrame(): string | undefined }, re: RegExp, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const f = plain(ui.lastFrame());
    if (re.test(f)) { await tick(); return f; }
    await tick(20);
  }
  throw new Error(`frame never matched ${re}:\n${plain(ui.lastFrame())}`);
}

/** `gate`: draws wait for it (to hold the view in "drawing"). */
function setup(prompts: string[], doneBefore = 0, gate: Promise<void> = Promise.resolve()) {
  const answers: Array<[string, Choice]> = [];
  const ends: Array<{ answered: number; quit: boolean }> = [];
  const ui = render(h(LabelApp, {
    file: 'prefs.jsonl', prompts, doneBefore,
    draw: async (prompt: string): Promise<Pair> => { await gate; return { prompt, left: `${prompt} left sample`, right: `${prompt} right sample` }; },
    answer: async (pair: Pair, c: Choice) => { answers.push([pair.prompt, c]); },
    onEnd: (r: { answered: number; quit: boolean }) => ends.push(r),
  }));
  return { ui, answers, ends };
}

test('keys map to answers', () => {
  assert.equal(keyChoice('1', {}), 'left');
  assert.equal(keyChoice('', { leftArrow: true }), 'left');
  assert.equal(keyChoice('2', {}), 'right');
  assert.equal(keyChoice('', { rightArrow: true }), 'right');
  assert.equal(keyChoice('t', {}), 'tie');
  assert.equal(keyChoice('s', {}), 'skip');
  assert.equal(keyChoice('q', {}), 'quit');
  assert.equal(keyChoice('c', { ctrl: true }), 'quit');
  assert.equal(keyChoice('x', {}), null);
});

test('shows the prompt and both samples; answers go out in order; the end is reported', async () => {
  const { ui, answers, ends } = setup(['p1', 'p2', 'p3', 'p4'], 2);
  const f = await until(ui, /p1 right sample/);
  assert.match(f, /trainyard label · prefs\.jsonl · prompt 3\/6 · 2 answered/);
  assert.match(f, /1 ← left\s+│+\s*│ 2 → right/);
  assert.match(f, /p1 left sample\s+│+\s*│ p1 right sample/);
  for (const [i, k] of ['2', '\u001b[D', 't', 's'].entries()) {
    ui.stdin.write(k);
    if (i < 3) await until(ui, new RegExp(`p${i + 2} right sample`));
  }
  // The end frame is looked for among all frames: the app exits right after drawing it, and
  // under CI=true ink's unmount writes an empty last frame in the testing library's debug mode.
  const end = Date.now() + 5000;
  while (ends.length === 0 && Date.now() < end) await tick(20);
  assert.deepEqual(answers, [['p1', 'right'], ['p2', 'left'], ['p3', 'tie'], ['p4', 'skip']]);
  assert.deepEqual(ends, [{ answered: 4, quit: false }]);
  assert.ok(ui.frames.some((f) => /all prompts answered/.test(plain(f))), 'the end frame was drawn');
});

test('q quits early with the count; keys while a pair is drawn are ignored', async () => {
  let open!: () => void;
  const { ui, answers, ends } = setup(['p1', 'p2'], 0, new Promise<void>((r) => { open = r; }));
  await until(ui, /drawing two samples/);
  await tick(100); // input listener surely attached
  ui.stdin.write('1'); // while the pair is drawn: ignored
  await tick();
  assert.deepEqual(answers, []);
  open();
  await until(ui, /p1 right sample/);
  ui.stdin.write('1');
  await tick();
  assert.match(plain(ui.lastFrame()), /prompt 2\/2 · 1 answered/);
  ui.stdin.write('q');
  await tick();
  assert.deepEqual(answers, [['p1', 'left']]);
  assert.deepEqual(ends, [{ answered: 1, quit: true }]);
});
