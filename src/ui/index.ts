/**
 * @fileoverview Public surface of the terminal UI: the ink run view, the model behind it, and
 * the rule for when to use it.
 */
export { UiState, type RunSnapshot, type StageView, type TrainingView, type LogLine } from './state.js';
export { startInkUi, type InkUi, type InkUiOptions } from './ink-lifecycle.js';

export interface UiChoiceOptions { json?: boolean; plain?: boolean }

/**
 * The ink UI runs only on an interactive terminal: stdout is a TTY, CI is not set, and neither
 * `--plain` nor `--json` was given. Everything else gets plain lines (or JSON).
 */
export function shouldUseInkUi(o: UiChoiceOptions, env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean } = process.stdout): boolean {
  if (o.json || o.plain) return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0') return false;
  if (env.TERM === 'dumb') return false;
  return stdout.isTTY === true;
}
