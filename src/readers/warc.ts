/**
 * @fileoverview WARC reader (Common Crawl's format, plain or gzip'd per record) on warcio.js.
 * Yields `response` records (the HTTP body, decoded by the charset of the Content-Type header
 * or the page's <meta charset>) and `conversion` records (WET text), with meta url, date,
 * content_type, status and record_id. HTML stays HTML: the clean stage turns it into text.
 * A `.warc.gz` is gunzipped as a stream (bytes.ts); a record over `maxBytes` (declared length, or
 * payload after Content-Encoding) is skipped without being held whole.
 */
import { WARCParser } from 'warcio';
import { fileChunks } from './bytes.js';

export interface SourceRecord { id?: string; text: string; meta: Record<string, unknown> }

export interface WarcOptions {
  /** `body` (default): the decoded payload; `raw`: HTTP headers and payload. */
  field?: string;
  /** Largest payload kept, in bytes after Content-Encoding; bigger records are skipped (streamed past). @default Infinity */
  maxBytes?: number;
  /** Told about each record skipped for size: `record <id>` and its declared length if that was over. */
  onOversized?: (where: string, size?: number) => void;
  /** Record types to yield. @default ['response', 'conversion'] */
  types?: string[];
  /** Yield only payloads whose content type starts with one of these. @default ['text/', 'application/xhtml'] */
  contentTypes?: string[];
}

/** The charset of a Content-Type value, else of a <meta charset> in the first 2 KB, else utf-8. */
function detectCharset(contentType: string | undefined, body: Uint8Array): string {
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/iu.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
  const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/iu.exec(head)?.[1];
  return (fromMeta ?? 'utf-8').toLowerCase();
}

/** Decodes bytes by charset name; unknown charsets fall back to UTF-8 (with replacement). */
export function decode(body: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/**
 * The record's payload (decoded per Content-Encoding), or undefined once it passes `maxBytes`;
 * the parser then skips the rest of the record as a stream.
 */
async function payloadUpTo(record: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of record) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

export async function* readWarc(path: string, opts: WarcOptions = {}): AsyncGenerator<SourceRecord> {
  const types = new Set(opts.types ?? ['response', 'conversion']);
  const contentTypes = opts.contentTypes ?? ['text/', 'application/xhtml'];
  const maxBytes = opts.maxBytes ?? Infinity;
  // Node's zlib gunzips (all members) and raises CorruptInputError on a cut file; warcio alone
  // would stop silently at a truncated member. Plain bytes pass through warcio's own gzip probe.
  const parser = new WARCParser(fileChunks(path));
  for await (const record of parser) {
    if (!types.has(record.warcType)) continue;
    const isResponse = record.warcType === 'response';
    const contentType = (isResponse ? record.httpHeaders?.headers.get('content-type') : record.warcHeader('Content-Type')) ?? undefined;
    if (isResponse && contentType && !contentTypes.some((c) => contentType.toLowerCase().startsWith(c))) continue;
    const where = `record ${record.warcHeader('WARC-Record-ID') ?? record.warcTargetURI ?? '?'}`;
    // The declared length bounds the raw block; the decoded payload (gzip Content-Encoding) is capped as it streams.
    if (record.warcContentLength > maxBytes) { opts.onOversized?.(where, record.warcContentLength); continue; }
    const body = await payloadUpTo(record, maxBytes);
    if (!body) { opts.onOversized?.(where); continue; }
    const text = decode(body, detectCharset(contentType, body));
    const meta: Record<string, unknown> = { url: record.warcTargetURI ?? undefined, date: record.warcDate ?? undefined, content_type: contentType, warc_type: record.warcType };
    const status = record.httpHeaders?.statusCode;
    if (isResponse && status !== undefined) meta.status = Number(status);
    const id = record.warcHeader('WARC-Record-ID')?.replace(/^<|>$/gu, '') ?? undefined;
    const raw = opts.field === 'raw' && record.httpHeaders ? `${record.httpHeaders.toString()}\r\n${text}` : text;
    yield id ? { id, text: raw, meta } : { text: raw, meta };
  }
}
