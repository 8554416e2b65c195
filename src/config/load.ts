/**
 * @fileoverview Step 1 of the compile chain: YAML text → plain object + SourceMap.
 * YAML syntax errors become E_YAML with file:line:column and a code frame, all at once.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { TrainyardErrorList, codeFrame, errors } from '../errors/index.js';
import { SourceMap } from './source-map.js';

export interface LoadedFile {
  /** Absolute path. */
  path: string;
  /** Path as shown to the user (relative to cwd). */
  display: string;
  data: unknown;
  map: SourceMap;
}

/** Parses YAML text; `display` is the file name used in messages. */
export function parsePipelineText(text: string, path: string, display = path): LoadedFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const mergeConflict = /^(<<<<<<<|>>>>>>>|=======)/m.test(text);
    throw new TrainyardErrorList(doc.errors.map((e) => {
      const p = lines.linePos(e.pos[0]);
      const loc = { line: p.line, column: p.col, length: Math.max(1, e.pos[1] - e.pos[0]) };
      const msg = e.message.split('\n')[0] ?? e.message;
      return errors.yaml({ message: msg, mergeConflict }, { file: display, loc, frame: codeFrame(text, loc) });
    }), `${display}: YAML is invalid`);
  }
  return { path, display, data: doc.toJS({ maxAliasCount: 1000 }), map: new SourceMap(display, text, doc, lines) };
}

/** Reads and parses a pipeline file; a missing file is E_FILE_NOT_FOUND. */
export async function loadPipelineFile(file: string): Promise<LoadedFile> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw errors.pipelineUnreadable({ file, reason: e.code === 'ENOENT' ? undefined : e.message }, { cause: err });
  }
  const display = relative(process.cwd(), path) || path;
  return parsePipelineText(text, path, display.startsWith('..') ? path : display);
}
