/**
 * @fileoverview Step 1 of the compile chain: YAML text → plain object + SourceMap.
 * YAML syntax errors become E_YAML with file:line:column and a code frame, all at once.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { TrainyardError, TrainyardErrorList, codeFrame } from '../errors/index.js';
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
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const conflict = /^(<<<<<<<|>>>>>>>|=======)/m.test(text) ? ' (possible merge conflict markers)' : '';
    throw new TrainyardErrorList(doc.errors.map((e) => {
      const p = lines.linePos(e.pos[0]);
      const loc = { line: p.line, column: p.col, length: Math.max(1, e.pos[1] - e.pos[0]) };
      const msg = e.message.split('\n')[0] ?? e.message;
      return new TrainyardError('E_YAML', `${msg}${conflict}`, { file: display, loc, frame: codeFrame(text, loc) });
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
    throw new TrainyardError('E_FILE_NOT_FOUND', e.code === 'ENOENT' ? `Pipeline file not found: ${file}` : `Cannot read ${file}: ${e.message}`, {
      hint: 'Pass the pipeline with -f <file>, e.g. `trainyard run -f pipelines/quickstart.yaml`.',
    });
  }
  const display = relative(process.cwd(), path) || path;
  return parsePipelineText(text, path, display.startsWith('..') ? path : display);
}
