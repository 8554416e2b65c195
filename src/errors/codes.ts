/**
 * @fileoverview The catalog of stable error codes. Scripts and tests match on these; the
 * text beside each is what the code means (ESLint's messages/ folder, citty's E_* codes), and
 * `exit` is the process exit code the CLI uses when the error ends a command:
 *
 *   2    bad input: the pipeline, a file it names, an argument (the user can fix it)
 *   130  cancelled
 *   1    an internal error (a bug)
 *
 * Inside `trainyard run` a failing stage is reported in the run summary and the run exits 1,
 * whatever the stage's error code. The messages themselves are built in ./messages.
 * test/unit/errors/catalog.test.ts checks that real input produces every code listed here.
 */

/** What one code means and how the CLI exits on it. */
export interface ErrorCodeInfo {
  description: string;
  exit: 1 | 2 | 130;
}

const input = (description: string): ErrorCodeInfo => ({ description, exit: 2 });

export const ErrorCode = {
  E_YAML: input('The pipeline file is not valid YAML.'),
  E_SCHEMA: input('A value does not match the pipeline or stage schema.'),
  E_UNKNOWN_KEY: input('A key is not allowed here.'),
  E_UNKNOWN_STAGE_TYPE: input('A stage names a type that no built-in stage or plugin provides.'),
  E_UNKNOWN_REF: input('An input refers to a stage or output that does not exist.'),
  E_TYPE_MISMATCH: input('An input is fed an artifact of the wrong kind.'),
  E_CYCLE: input('The stages depend on each other in a cycle.'),
  E_VAR: input('A ${vars.x} interpolation names an unknown variable.'),
  E_SET: input('A --set override is malformed or names a path that does not exist.'),
  E_FOREACH: input('A foreach stage expands to no stages, or to two stages with the same name.'),
  E_FILE_NOT_FOUND: input('A file the pipeline needs does not exist.'),
  E_NO_INPUT: input('A source stage matched no files.'),
  E_PLUGIN_LOAD: input('A plugin could not be loaded.'),
  E_PLUGIN_EXPORT: input('A plugin module does not export a plugin.'),
  E_PLUGIN_HOOK: input('A plugin threw inside one of its hooks.'),
  E_BACKEND: input('A tensor backend is unknown, not installed, or cannot run the precision asked for.'),
  E_STAGE_CRASHED: input('A stage worker process died (crash or out of memory).'),
  E_ABORTED: { description: 'The run was cancelled.', exit: 130 },
  E_UNKNOWN_TARGET: input('A command names a stage that is not in the pipeline.'),
  E_LOCKED: input('Another process holds a lock that did not free in time.'),
  E_USAGE: input('A command-line argument is wrong.'),
  E_ARTIFACT: input('An artifact or data file on disk is missing, malformed or too small for the stage.'),
  E_MODEL: input('A model weights file (safetensors) is malformed: its header, offsets, shapes or dtypes do not describe its bytes.'),
  E_CHECKPOINT: input('No training checkpoint of a stage can be resumed from: each is damaged (truncated, changed or unreadable).'),
  E_NAN: input('Training produced a NaN or infinite loss.'),
  E_UNKNOWN_RULE: input('A filter stage names a rule that no built-in rule or plugin filter provides.'),
  E_TASK: input('An evaluation task file or one of its templates is malformed, or its data cannot be read.'),
  E_UNKNOWN_REWARD: input('A stage names a reward function that no plugin provides.'),
  E_UNKNOWN_METRIC: input('An eval stage names a metric that no built-in metric or plugin provides.'),
  E_SWEEP: input('A sweep block is inconsistent with its pipeline, or a sweep state cannot be resumed.'),
  E_EXECUTOR: { description: 'A cluster could not run a stage: its job was refused, failed, cancelled, timed out or lost.', exit: 1 },
  E_INTERNAL: { description: 'An unexpected internal error (a bug: please report it with --debug output).', exit: 1 },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCodeName = keyof typeof ErrorCode;

/** The exit code for a command that ends with errors of these codes (all cancelled → 130, any bug → 1, else 2). */
export function exitCodeFor(codes: readonly ErrorCodeName[]): 1 | 2 | 130 {
  const exits = codes.map((c) => ErrorCode[c].exit);
  if (exits.every((e) => e === 130)) return 130;
  return exits.includes(1) ? 1 : 2;
}
