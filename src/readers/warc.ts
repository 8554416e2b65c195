/**
 * @fileoverview WARC reader (Common Crawl's format, plain or gzip'd per record) on warcio.js.
 * Yields `response` records (the HTTP body, decoded by the charset of the Content-Type header
 * or the page's <meta charset>) and `conversion` records (WET text), with meta url, date,
 * content_type, status and record_id. HTML stays HTML: the clean stage turns it into text.
 */
import { createReadStream } from 'node:fs';
import { WARCParser } from 'warcio';

export interface SourceRecord { id?: string; text: string; meta: Record<string, unknown> }

export interface WarcOptions {
  /** `body` (default): the decoded payload; `raw`: HTTP headers and payload. */
  field?: string;
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

export async function* readWarc(path: string, opts: WarcOptions = {}): AsyncGenerator<SourceRecord> {
  const types = new Set(opts.types ?? ['response', 'conversion']);
  const contentTypes = opts.contentTypes ?? ['text/', 'application/xhtml'];
  const parser = new WARCParser(createReadStream(path) as AsyncIterable<Uint8Array>);
  for await (const record of parser) {
    if (!types.has(record.warcType)) continue;
    const isResponse = record.warcType === 'response';
    const contentType = (isResponse ? record.httpHeaders?.headers.get('content-type') : record.warcHeader('Content-Type')) ?? undefined;
    if (isResponse && contentType && !contentTypes.some((c) => contentType.toLowerCase().startsWith(c))) continue;
    const body = await record.readFully(true);
    const text = decode(body, detectCharset(contentType, body));
    const meta: Record<string, unknown> = { url: record.warcTargetURI ?? undefined, date: record.warcDate ?? undefined, content_type: contentType, warc_type: record.warcType };
    const status = record.httpHeaders?.statusCode;
    if (isResponse && status !== undefined) meta.status = Number(status);
    const id = record.warcHeader('WARC-Record-ID')?.replace(/^<|>$/gu, '') ?? undefined;
    const raw = opts.field === 'raw' && record.httpHeaders ? `${record.httpHeaders.toString()}\r\n${text}` : text;
    yield id ? { id, text: raw, meta } : { text: raw, meta };
  }
}
