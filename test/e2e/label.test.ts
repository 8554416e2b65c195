/**
 * `trainyard label` for real: in tmux (a real terminal) answer two prompts with `1` and `→`,
 * quit with `q`, see both answers on disk; cut the file's last line mid-write, restart, see the
 * repair notice and the tool resume at the third prompt; tie and skip the rest. Without a
 * terminal it refuses and points at --judge, which fills the file from a reward plugin.
 * Skipped, with the reason, when tmux is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { saveModelFolder } from '../../src/model/checkpoint.js';
import { initParams } from '../../src/model/gpt.js';
import { charTokenizer } from '../../src/tokenizer/index.js';
import { CLI, ROOT, cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/stage-tester.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const REWARD_PLUGIN = join(ROOT, 'test/fixtures/plugins/count-a-reward.ts');
const PROMPTS = ['first question', 'second question', 'third question', 'fourth question'];

/** A project folder with a tiny random model (char tokenizer) and a prompt file. */
async function fixture(): Promise<string> {
  const dir = await tempDir('trainyard-label-e2e-');
  const tok = charTokenizer([PROMPTS.join('\n') + ' abcdefghijklmnopqrstuvwxyz']);
  await mkdir(join(dir, 'model'));
  await writeFile(join(dir, 'tok.json'), JSON.stringify(tok.toJSON()));
  const cfg = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 32, vocab_size: tok.vocabSize, dropout: 0 };
  await saveModelFolder(join(dir, 'model'), cfg, initParams(cfg, 1), { tokenizerPath: join(dir, 'tok.json') });
  await writeFile(join(dir, 'prompts.jsonl'), PROMPTS.map((p) => JSON.stringify({ prompt: p })).join('\n') + '\n');
  return dir;
}

const lines = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

async function until(session: string, re: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = tmux('capture-pane', '-p', '-J', '-t', session);
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`screen never matched ${re}:\n${last}`);
}

test('label in a real terminal: answer two, quit, repair a cut line, resume at the third', { skip: hasTmux ? false : 'tmux is not installed', timeout: 120_000 }, async () => {
  const dir = await fixture();
  const out = join(dir, 'prefs.jsonl');
  const session = `trainyard-label-${process.pid}`;
  const start = () => tmux('new-session', '-d', '-x', '100', '-y', '30', '-s', session,
    `cd ${dir} && env -u CI ${process.execPath} --import ${TSX} ${CLI} label model --prompts prompts.jsonl --out prefs.jsonl --max-tokens 24; echo EXIT=$?; sleep 60`);
  try {
    start();
    let s = await until(session, /prompt 1\/4 · 0 answered[\s\S]*first question[\s\S]*1 ← left[\s\S]*2 → right/);
    assert.match(s, /1\/← left better · 2\/→ right better · t tie · s skip · q quit/);
    assert.match(s, /╭─+╮╭─+╮/, 'two columns side by side');
    tmux('send-keys', '-t', session, '1');
    s = await until(session, /prompt 2\/4 · 1 answered[\s\S]*second question[\s\S]*2 → right/);
    assert.equal((await lines(out)).length, 1, 'the first answer is on disk before the next question');
    tmux('send-keys', '-t', session, 'Right');
    await until(session, /prompt 3\/4 · 2 answered[\s\S]*third question[\s\S]*2 → right/);
    tmux('send-keys', '-t', session, 'q');
    s = await until(session, /EXIT=\d+/);
    assert.match(s, /2 answers saved to prefs\.jsonl; 2 prompts left \(run the same command to resume\)[\s\S]*EXIT=0/);
    const [a, b] = await lines(out);
    assert.equal(a.prompt, 'first question');
    assert.equal(b.prompt, 'second question');
    for (const l of [a, b]) assert.ok(typeof l.chosen === 'string' && typeof l.rejected === 'string' && !('tie' in l));

    // a crash mid-write of the third answer
    await appendFile(out, '{"prompt":"third question","cho');
    tmux('kill-session', '-t', session);
    start();
    s = await until(session, /prompt 3\/4 · 2 answered[\s\S]*third question[\s\S]*2 → right/);
    assert.match(s, /prefs\.jsonl: the last line was cut off mid-write \(31 bytes\); truncated to the last complete line/);
    assert.doesNotMatch(s, /first question|second question/);
    tmux('send-keys', '-t', session, 't');
    await until(session, /prompt 4\/4 · 3 answered[\s\S]*fourth question[\s\S]*2 → right/);
    tmux('send-keys', '-t', session, 's');
    s = await until(session, /EXIT=\d+/);
    assert.match(s, /all prompts answered · prefs\.jsonl[\s\S]*EXIT=0/);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
  const all = await lines(out);
  assert.deepEqual(all.map((l) => l.prompt), PROMPTS);
  assert.equal(all[2].tie, true);
  assert.deepEqual(all[3], { prompt: 'fourth question', skipped: true });
  // the first answer took the left sample, the second the right: they were different draws
  assert.notEqual(all[0].chosen, all[0].rejected);
});

test('label without a terminal refuses and points at --judge; --judge fills the file from a reward plugin and resumes', { timeout: 120_000 }, async () => {
  const dir = await fixture();
  const r = cli(['label', 'model', '--prompts', 'prompts.jsonl', '--out', 'prefs.jsonl'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_USAGE\s+trainyard label is interactive and needs a terminal/);
  assert.match(r.stderr, /--judge <reward>/);
  const args = ['label', 'model', '--prompts', 'prompts.jsonl', '--out', 'prefs.jsonl', '--judge', 'count_a', '--plugin', REWARD_PLUGIN, '--n', '4', '--max-tokens', '16'];
  const j = cli(args, dir);
  assert.equal(j.code, 0, j.stderr);
  assert.match(j.stdout, /\d pairs, \d ties skipped → .*prefs\.jsonl/);
  const got = await lines(join(dir, 'prefs.jsonl'));
  assert.deepEqual(got.map((l) => l.prompt), PROMPTS);
  for (const l of got.filter((x) => !x.skipped)) {
    assert.ok(l.chosen_score > l.rejected_score);
    assert.equal(l.chosen_score, l.chosen.split('a').length - 1);
  }
  const again = cli(args, dir);
  assert.match(again.stdout, /all 4 prompts already answered/);
  const bad = cli([...args.slice(0, 6), '--judge', 'count_b', '--plugin', REWARD_PLUGIN], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /E_UNKNOWN_REWARD[\s\S]*count_a/);
});
