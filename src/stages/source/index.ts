/**
 * @fileoverview `source`: reads local text, Markdown, JSONL/JSON (field selectable), WARC and
 * Parquet files (each optionally gzip'd) into the documents artifact. The matched files and
 * their content hashes are part of the cache key, so editing a file re-runs the stage.
 * Files stream (a `.gz` is never decompressed whole); a document over `max_document_bytes`,
 * a binary file, invalid UTF-8, a truncated or corrupt archive and empty documents are counted
 * and reported (the first few by name), never fatal.
 */
import { relative } from 'node:path';
import { DocumentsWriter } from '../../artifacts/documents.js';
import { errors } from '../../errors/index.js';
import { defineStage } from '../define.js';
import type { SourceOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';
import { expandFiles } from './files.js';
import { detectFormat, readRecords } from '../../readers/index.js';

/** How many skips of one kind are named in the log; the rest are only counted. */
const NAMED_PER_KIND = 5;

export default defineStage<SourceOptions>({
  type: 'source',
  version: 2, // 2: streamed reads, max_document_bytes, corrupt archives counted, JSONL ids by true line number
  description: 'Read local files (text, Markdown, JSONL, JSON, WARC, Parquet; .gz too) into documents',
  schema: stageSchema('source'),
  inputs: {},
  outputs: { docs: 'documents' },
  async externalDeps(options, { cwd }) {
    const files = await expandFiles(options.files, cwd);
    if (files.length === 0) {
      const pats = Array.isArray(options.files) ? options.files.join(', ') : options.files;
      throw errors.noInput({ patterns: pats, cwd });
    }
    return files;
  },
  async run(ctx, options) {
    const files = await expandFiles(options.files, ctx.cwd);
    const writer = new DocumentsWriter(ctx.outputs.docs!.dir);
    const counts: Record<string, number> = { files: 0, documents: 0, empty: 0 };
    const noted: Record<string, number> = {};
    /** Counts a skip; the first few of each kind with a note are named in the log. */
    const count = (what: string, note?: string) => {
      counts[what] = (counts[what] ?? 0) + 1;
      if (note && (noted[what] = (noted[what] ?? 0) + 1) <= NAMED_PER_KIND) ctx.log.warn(note);
    };
    const seen = new Set<string>();
    for (const [i, file] of files.entries()) {
      if (ctx.signal.aborted) throw errors.cancelled();
      const rel = relative(ctx.cwd, file);
      const format = options.format === 'auto' ? detectFormat(file) : options.format;
      if (!format) { count('unknown_format_files'); ctx.log.warn(`skipping ${rel}: unknown format (set with.format)`); continue; }
      counts.files!++;
      for await (const r of readRecords(file, format!, { field: options.field!, idField: options.id_field!, rel, maxBytes: options.max_document_bytes!, count })) {
        if (r.text.trim().length < options.min_chars!) { count('empty'); continue; }
        let id = r.id ?? `${rel}:${counts.documents}`;
        if (seen.has(id)) { count('duplicate_ids'); id = `${id}#${counts.documents}`; }
        seen.add(id);
        await writer.write({ id, text: r.text, meta: r.meta });
        counts.documents!++;
      }
      ctx.progress({ done: i + 1, total: files.length, unit: 'files' });
    }
    await writer.close();
    const problems = Object.entries(counts).filter(([k, v]) => !['files', 'documents'].includes(k) && v > 0);
    ctx.log.info(`read ${counts.documents} documents from ${counts.files} files${problems.length ? `; skipped: ${problems.map(([k, v]) => `${v} ${k}`).join(', ')}` : ''}`);
    ctx.stats({ ...counts, bytes: writer.bytes.all ?? 0 });
  },
});
