/**
 * @fileoverview Step 1 of the compile chain: YAML text → plain data + SourceMap.
 * YAML syntax errors become E_YAML with file:line:column and a code frame, all at once; so do
 * documents that are YAML but not data a pipeline can be (see yaml-data.ts). Nothing here
 * throws anything but a TrainyardErrorList, and yaml never prints a process warning.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { TrainyardErrorList, codeFrame, errors, type SourceLoc, type TrainyardError } from '../errors/index.js';
import { SourceMap } from './source-map.js';
import { yamlToData, type YamlProblem } from './yaml-data.js';

export interface LoadedFile {
  /** Absolute path. */
  path: string;
  /** Path as shown to the user (relative to cwd). */
  display: string;
  /** The document as data; every map is an object without a prototype. */
  data: unknown;
  map: SourceMap;
}

/** At most this many problems per file are reported (60,000 duplicate keys help no one). */
const MAX_PROBLEMS = 20;

/** Parses YAML text; `display` is the file name used in messages. */
export function parsePipelineText(text: string, path: string, display = path): LoadedFile {
  const lines = new LineCounter();
  const at: At = (range) => {
    const p = lines.linePos(range[0]);
    const oneLine = lines.linePos(range[1]).line === p.line;
    const loc = { line: p.line, column: p.col, length: oneLine ? Math.max(1, range[1] - range[0]) : 1 };
    return { file: display, loc, frame: codeFrame(text, loc) };
  };
  const fail = <T>(list: T[], what: string, toError: (p: T) => TrainyardError): never => {
    const shown = list.slice(0, MAX_PROBLEMS).map(toError);
    const more = list.length > shown.length ? ` (first ${shown.length} of ${list.length} shown)` : '';
    throw new TrainyardErrorList(shown, `${display}: ${what}${more}`);
  };
  let doc: Document;
  let converted: ReturnType<typeof yamlToData>;
  try {
    // uniqueKeys: false, because yaml's check is quadratic; yaml-data.ts checks in one pass.
    // logLevel 'error': warnings stay in doc.warnings instead of going to process.emitWarning.
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true, logLevel: 'error' });
    if (doc.errors.length > 0) {
      const mergeConflict = /^(<<<<<<<|>>>>>>>|=======)/m.test(text);
      fail(doc.errors, 'YAML is invalid', (e) => errors.yaml({ message: e.message.split('\n')[0] ?? e.message, mergeConflict }, at(e.pos)));
    }
    converted = yamlToData(doc);
  } catch (err) {
    if (err instanceof TrainyardErrorList) throw err;
    // A parser failure without a position (none is known today) is still the file's fault.
    throw new TrainyardErrorList([errors.yaml({ message: (err as Error).message, mergeConflict: false }, { file: display, cause: err })], `${display}: YAML is invalid`);
  }
  if (converted.problems.length > 0) fail(converted.problems, 'YAML is not a pipeline', (p) => problemError(p, at, lines, text));
  return { path, display, data: converted.data, map: new SourceMap(display, text, doc, lines) };
}

/** A position in the file, as messages take it. */
type At = (range: readonly [number, number]) => { file: string; loc: SourceLoc; frame: string };

function problemError(p: YamlProblem, at: At, lines: LineCounter, text: string): TrainyardError {
  const where = at(p.range);
  switch (p.kind) {
    case 'duplicateKey': return errors.yamlDuplicateKey({ key: p.key, firstLine: lines.linePos(p.first).line }, where);
    case 'complexKey': return errors.yamlComplexKey(where);
    case 'forbiddenKey': return errors.yamlForbiddenKey({ key: p.key }, where);
    case 'unknownAlias': return errors.yamlUnknownAlias({ name: p.name }, where);
    case 'recursiveAlias': return errors.yamlRecursiveAlias({ name: p.name }, where);
    case 'duplicateAnchor': {
      // A node's range starts after its anchor: point at `&name` itself.
      const first = anchorAt(text, p.name, p.first), second = anchorAt(text, p.name, p.range[0]);
      return errors.yamlDuplicateAnchor({ name: p.name, firstLine: lines.linePos(first).line }, at([second, second + p.name.length + 1]));
    }
    case 'badMerge': return errors.yamlBadMerge(where);
    case 'aliasBomb': return errors.yamlAliasBomb({ limit: p.limit }, where);
  }
}

/** Offset of `&name` before `pos` (the node's own start when not found). */
function anchorAt(text: string, name: string, pos: number): number {
  const i = text.lastIndexOf(`&${name}`, pos);
  return i < 0 ? pos : i;
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
