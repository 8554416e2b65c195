/**
 * @fileoverview The ink view of `trainyard label`: the prompt, two samples side by side
 * (wrapped columns), and the keys. Each answer is handed to `answer` (which appends and
 * fsyncs) before the next pair is drawn; `q` (or Ctrl-C) quits at once — nothing is lost.
 *
 *   trainyard label · prefs.jsonl · prompt 3/5 · 2 answered
 *   prompt
 *     Tell me about the sea
 *   ╭ 1 ← left ──────────╮╭ 2 → right ─────────╮
 *   │ The sea is …       ││ Waves …            │
 *   ╰────────────────────╯╰────────────────────╯
 *   1/← left better · 2/→ right better · t tie · s skip · q quit
 */
import { createElement as h, useEffect, useState, type ReactElement } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Choice, Pair } from './records.js';

export interface LabelAppProps {
  /** File name shown in the header. */
  file: string;
  /** Prompts still to ask, in order. */
  prompts: string[];
  /** Prompts answered before this session (for "prompt k/total"). */
  doneBefore: number;
  /** Draws the two samples of a prompt. */
  draw(prompt: string): Promise<Pair>;
  /** Records an answer durably; resolves once it is on disk. */
  answer(pair: Pair, choice: Choice): Promise<void>;
  /** Called once at the end: answers given this session and whether the user quit early. */
  onEnd(result: { answered: number; quit: boolean }): void;
}

/** Maps a key press to an answer, `quit`, or null (ignored). */
export function keyChoice(input: string, key: { leftArrow?: boolean; rightArrow?: boolean; ctrl?: boolean }): Choice | 'quit' | null {
  if (input === 'q' || (key.ctrl && input === 'c')) return 'quit';
  if (input === '1' || key.leftArrow) return 'left';
  if (input === '2' || key.rightArrow) return 'right';
  if (input === 't') return 'tie';
  if (input === 's') return 'skip';
  return null;
}

function Column({ title, text }: { title: string; text: string }): ReactElement {
  return h(Box, { width: '50%', flexDirection: 'column', borderStyle: 'round', paddingX: 1 },
    h(Text, { bold: true }, title),
    h(Text, { wrap: 'wrap' }, text === '' ? '(empty)' : text));
}

export function LabelApp({ file, prompts, doneBefore, draw, answer, onEnd }: LabelAppProps): ReactElement {
  const { exit } = useApp();
  const [index, setIndex] = useState(0);
  const [pair, setPair] = useState<Pair | null>(null);
  const [answered, setAnswered] = useState(0);
  const total = doneBefore + prompts.length;
  const finished = index >= prompts.length;

  useEffect(() => {
    if (finished) { onEnd({ answered, quit: false }); exit(); return; }
    let live = true;
    setPair(null);
    // A tick first, so "drawing samples…" reaches the screen before generation holds the thread.
    const t = setTimeout(() => { void draw(prompts[index]!).then((p) => { if (live) setPair(p); }); }, 10);
    return () => { live = false; clearTimeout(t); };
  }, [index]);

  useInput((input, key) => {
    const c = keyChoice(input, key);
    if (c === 'quit') { onEnd({ answered, quit: true }); exit(); return; }
    if (c === null || pair === null) return;
    const p = pair;
    setPair(null); // ignore keys until the next pair is shown
    void answer(p, c).then(() => { setAnswered((n) => n + 1); setIndex((i) => i + 1); });
  });

  const header = h(Text, {}, h(Text, { bold: true }, 'trainyard label'), ` · ${file} · prompt ${Math.min(doneBefore + index + 1, total)}/${total} · ${doneBefore + answered} answered`);
  if (finished) return h(Box, { flexDirection: 'column' }, header, h(Text, {}, 'all prompts answered'));
  return h(Box, { flexDirection: 'column' },
    header,
    h(Text, { bold: true }, 'prompt'),
    h(Box, { paddingLeft: 2 }, h(Text, { wrap: 'wrap' }, prompts[index]!)),
    pair
      ? h(Box, { flexDirection: 'row' }, h(Column, { title: '1 ← left', text: pair.left }), h(Column, { title: '2 → right', text: pair.right }))
      : h(Text, { dimColor: true }, 'drawing two samples…'),
    h(Text, { dimColor: true }, '1/← left better · 2/→ right better · t tie · s skip · q quit'));
}
