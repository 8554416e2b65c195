/**
 * @fileoverview Rendering user errors and the exit codes scripts can rely on:
 *   0 success · 1 a stage failed · 2 bad input (pipeline, arguments) · 130 cancelled
 */
import pc from 'picocolors';
import { TrainyardErrorList, asTrainyardError, exitCodeFor, formatError } from '../errors/index.js';

export const EXIT = { OK: 0, STAGE_FAILED: 1, USER_ERROR: 2, CANCELLED: 130 } as const;

/** Prints an error (or list) to stderr and returns the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const list = err instanceof TrainyardErrorList ? err.errors : [asTrainyardError(err)];
  if (err instanceof TrainyardErrorList && list.length > 1) process.stderr.write(pc.red(`${err.message}\n\n`));
  for (const e of list) {
    process.stderr.write(formatError(e).replace(/ error {2}/, ` ${pc.red('error')}  `) + '\n\n');
    if (debug && e.code === 'E_INTERNAL' && e.cause instanceof Error) process.stderr.write(`${e.cause.stack}\n`);
    else if (debug && !(e.cause instanceof Error) && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  const internal = list.some((e) => e.code === 'E_INTERNAL');
  if (internal && !debug) process.stderr.write(pc.dim('Run again with --debug for the stack trace.\n'));
  return exitCodeFor(list.map((e) => e.code));
}
