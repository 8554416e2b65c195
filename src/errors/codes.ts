/**
 * @fileoverview The catalog of stable error codes. Scripts and tests match on these; the
 * text beside each is what the code means (ESLint's messages/ folder, citty's E_* codes).
 */
export const ErrorCode = {
  E_YAML: 'The pipeline file is not valid YAML.',
  E_SCHEMA: 'A value does not match the pipeline or stage schema.',
  E_UNKNOWN_KEY: 'A key is not allowed here.',
  E_UNKNOWN_STAGE_TYPE: 'A stage names a type that no built-in stage or plugin provides.',
  E_UNKNOWN_REF: 'An input refers to a stage or output that does not exist.',
  E_TYPE_MISMATCH: 'An input is fed an artifact of the wrong kind.',
  E_CYCLE: 'The stages depend on each other in a cycle.',
  E_VAR: 'A ${vars.x} interpolation names an unknown variable.',
  E_SET: 'A --set override is malformed or names a path that does not exist.',
  E_FOREACH: 'A foreach stage is malformed.',
  E_FILE_NOT_FOUND: 'A file the pipeline needs does not exist.',
  E_NO_INPUT: 'A source stage matched no files.',
  E_PLUGIN_LOAD: 'A plugin could not be loaded.',
  E_PLUGIN_EXPORT: 'A plugin module does not export a plugin.',
  E_PLUGIN_HOOK: 'A plugin threw inside one of its hooks.',
  E_BACKEND: 'A tensor backend is unknown or not installed.',
  E_STAGE_FAILED: 'A stage failed while running.',
  E_STAGE_CRASHED: 'A stage worker process died (crash or out of memory).',
  E_ABORTED: 'The run was cancelled.',
  E_UNKNOWN_TARGET: 'A command names a stage that is not in the pipeline.',
  E_LOCKED: 'Another process holds a lock that did not free in time.',
  E_USAGE: 'A command-line argument is wrong.',
  E_ARTIFACT: 'An artifact on disk is missing or malformed.',
  E_NAN: 'Training produced a NaN or infinite loss.',
  E_UNKNOWN_RULE: 'A filter stage names a rule that no built-in rule or plugin filter provides.',
  E_TASK: 'An evaluation task file is malformed or its data cannot be read.',
  E_UNKNOWN_METRIC: 'An eval stage names a metric that no built-in metric or plugin provides.',
  E_INTERNAL: 'An unexpected internal error (a bug: please report it with --debug output).',
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
