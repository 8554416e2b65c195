/**
 * @fileoverview The one error type users see. Every user-facing failure is a
 * TrainyardError with a stable `code` (see ./codes.ts), an optional source position and code
 * frame, and a hint that says what to do. The CLI renders it; a stack trace appears only
 * with --debug. Build them through the factories in ./messages (`errors.splitTooShort(…)`);
 * the constructor stays public for plugins and older call sites.
 */
import type { ErrorCodeName } from './codes.js';

/** A position in a source file (1-based line and column). */
export interface SourceLoc {
  line: number;
  column: number;
  /** Length of the highlighted span on that line. */
  length?: number;
}

export interface TrainyardErrorInit {
  file?: string;
  loc?: SourceLoc;
  /** Pre-rendered code frame (see codeFrame). */
  frame?: string;
  /** One sentence telling the user what to do. */
  hint?: string;
  /** Name of the plugin at fault, if any. */
  plugin?: string;
  /** Stage name, if the error belongs to one stage. */
  stage?: string;
  cause?: unknown;
  /** Path of the offending value inside a stage's `with:` options (for positions). */
  path?: Array<string | number>;
}

export class TrainyardError extends Error {
  readonly code: ErrorCodeName;
  readonly file?: string;
  readonly loc?: SourceLoc;
  readonly frame?: string;
  readonly hint?: string;
  readonly plugin?: string;
  readonly stage?: string;
  readonly path?: Array<string | number>;

  constructor(code: ErrorCodeName, message: string, init: TrainyardErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TrainyardError';
    this.code = code;
    this.file = init.file;
    this.loc = init.loc;
    this.frame = init.frame;
    this.hint = init.hint;
    this.plugin = init.plugin;
    this.stage = init.stage;
    this.path = init.path;
  }

  /** Plain-data form, for JSON output and crossing process boundaries. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code, message: this.message, file: this.file, loc: this.loc,
      frame: this.frame, hint: this.hint, plugin: this.plugin, stage: this.stage,
    };
  }
}

/** Several errors reported at once (all schema errors of a file, not just the first). */
export class TrainyardErrorList extends Error {
  readonly errors: TrainyardError[];
  constructor(errors: TrainyardError[], summary?: string) {
    super(summary ?? `${errors.length} error${errors.length === 1 ? '' : 's'}`);
    this.name = 'TrainyardErrorList';
    this.errors = errors;
  }
}

/** Renders one error for a terminal, Vite/ESLint style:
 *   pipelines/x.yaml:14:9  error  E_SCHEMA  stages.pretrain.with.lr must be number
 *   > 14 |     lr: fast
 *        |         ^^^^
 *   hint: …
 */
export function formatError(err: TrainyardError): string {
  const where = err.file ? `${err.file}${err.loc ? `:${err.loc.line}:${err.loc.column}` : ''}  ` : '';
  const lines = [`${where}error  ${err.code}  ${err.message}`];
  if (err.plugin) lines.push(`  plugin: ${err.plugin}`);
  if (err.frame) lines.push(err.frame);
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  return lines.join('\n');
}

/** Turns any thrown value into a TrainyardError (unknown errors become E_INTERNAL). */
export function asTrainyardError(err: unknown): TrainyardError {
  if (err instanceof TrainyardError) return err;
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as { code: unknown }).code === 'string' && String((err as { code: string }).code).startsWith('E_')) {
    const e = err as { code: ErrorCodeName; message: string } & TrainyardErrorInit;
    return new TrainyardError(e.code, e.message, e);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TrainyardError('E_INTERNAL', message, { cause: err });
}
