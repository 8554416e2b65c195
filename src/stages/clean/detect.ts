/**
 * @fileoverview What in a document is HTML. A document is HTML when its meta says so
 * (`content_type`/`mime_type` containing `html`), or when, after a BOM, whitespace, comments,
 * an XML prolog and a doctype, it starts with a tag and markup dominates (it also ends with a
 * tag, or tags are ≥ 20 % of its characters). A plain-text document (an e-mail quoting HTML,
 * a forwarded message) is not HTML; only the closed `<html>…</html>` pages inside it are.
 */

/** Leading BOM, whitespace, comments, XML prolog and doctype. */
const PROLOG_RE = /^(?:\uFEFF|\s+|<!--[\s\S]*?-->|<\?xml[^>]*>|<!doctype[^>]*>)*/iu;
const START_TAG_RE = /^<([a-z][a-z0-9-]*)(?=[\s/>])/iu;
const TAG_RE = /<\/?[a-z][a-z0-9-]*(?=[\s/>])[^<>]*>/giu;
const PAGE_TAGS = new Set(['html', 'head', 'body']);
/** Share of characters in tags above which a tag-first document counts as markup. */
const MIN_TAG_SHARE = 0.2;
/** Only this many leading characters are measured (the decision must stay cheap). */
const HEAD_CHARS = 65_536;

/** Whether `meta` declares an HTML content type (WARC and HTTP readers record `content_type`). */
export function metaSaysHtml(meta: Record<string, unknown> | undefined): boolean {
  const type = meta?.content_type ?? meta?.mime_type;
  return typeof type === 'string' && /html/iu.test(type);
}

/** Length of the prolog (BOM, whitespace, comments, XML declaration, doctype) at the start. */
export function prologLength(text: string): number {
  return PROLOG_RE.exec(text.slice(0, HEAD_CHARS))?.[0].length ?? 0;
}

/** Is the whole document HTML (see the file overview for the test)? */
export function isHtmlDocument(text: string, meta?: Record<string, unknown>): boolean {
  if (metaSaysHtml(meta)) return true;
  const start = prologLength(text);
  if (/<!doctype\s+html/iu.test(text.slice(0, start))) return true;
  const head = text.slice(start, start + HEAD_CHARS);
  const first = START_TAG_RE.exec(head);
  if (!first) return false;
  if (PAGE_TAGS.has(first[1]!.toLowerCase())) return true;
  const tags = head.match(TAG_RE) ?? [];
  if (tags.length < 2) return false;
  if (/>\s*$/u.test(text)) return true;
  const tagChars = tags.reduce((n, t) => n + t.length, 0);
  return tagChars >= MIN_TAG_SHARE * head.replace(/\s+/gu, '').length;
}

/** A piece of a document: plain text, or one `<html>` page (with its doctype, if any). */
export interface Segment { page: boolean; text: string }

const PAGE_START_RE = /(?:<!doctype\s+html[^>]*>\s*)?<html(?=[\s>])[^>]*>/giu;
const PAGE_END_RE = /<\/html\s*>/giu;

/**
 * Splits `text` into plain segments and `<html>` pages. With `strict` (plain-text documents)
 * a page must be closed by `</html>` and hold at least one other tag, so prose that merely
 * mentions `<html>` stays text; otherwise an unclosed page runs to the end.
 */
export function splitPages(text: string, strict: boolean): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  PAGE_START_RE.lastIndex = 0;
  for (let m = PAGE_START_RE.exec(text); m; m = PAGE_START_RE.exec(text)) {
    PAGE_END_RE.lastIndex = m.index + m[0].length;
    const end = PAGE_END_RE.exec(text);
    if (!end && strict) break;
    const stop = end ? end.index + end[0].length : text.length;
    if (strict && !/<[a-z]/iu.test(text.slice(m.index + m[0].length, end!.index))) { PAGE_START_RE.lastIndex = stop; continue; }
    if (m.index > pos) out.push({ page: false, text: text.slice(pos, m.index) });
    out.push({ page: true, text: text.slice(m.index, stop) });
    pos = stop;
    PAGE_START_RE.lastIndex = stop;
  }
  if (pos < text.length) out.push({ page: false, text: text.slice(pos) });
  return out;
}
