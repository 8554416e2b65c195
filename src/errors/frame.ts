/**
 * @fileoverview Code frames for errors that point into a file (@babel/code-frame).
 */
import { codeFrameColumns } from '@babel/code-frame';
import type { SourceLoc } from './error.js';

/** A few numbered lines around `loc` with the span underlined. */
export function codeFrame(source: string, loc: SourceLoc, color = false): string {
  const end = loc.length && loc.length > 0 ? { line: loc.line, column: loc.column + loc.length } : undefined;
  return codeFrameColumns(source, { start: { line: loc.line, column: loc.column }, end }, {
    highlightCode: color, linesAbove: 1, linesBelow: 1,
  });
}
