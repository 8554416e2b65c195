/**
 * @fileoverview Worker task of the clean stage (pass 1): per document, email → HTML → Unicode →
 * control characters → whitespace, plus which steps changed it, the keys of its distinct
 * candidate boilerplate lines (for the cross-document line count) and, for a document that
 * comes out empty, the named reason it is dropped for.
 */
import type { Document } from '../../artifacts/documents.js';
import { hash32 } from '../../util/hash.js';
import { simplifyText } from '../../util/text.js';
import { parseEmail, looksLikeEmail } from './email.js';
import { isHtmlDocument } from './detect.js';
import { convertHtml } from './html.js';
import { normalizeUnicode, normalizeWhitespace, removeControlChars } from './normalize.js';

export interface CleanTaskOptions {
  html: 'auto' | 'always' | 'never';
  main_content: boolean;
  email: boolean;
  unicode: 'NFC' | 'NFKC' | 'none';
  control_chars: boolean;
  whitespace: boolean;
  boilerplate_min_docs: number;
  boilerplate_max_line_chars: number;
}

/** Why clean dropped a document (`dropped_<reason>` in stats, `meta.rejected.reason` in rejected). */
export type DropReason = 'empty_input' | 'empty_after_email' | 'empty_after_html' | 'empty_after_normalize' | 'boilerplate_only';
/** Every drop reason, in pipeline order (the order of the summary line). */
export const DROP_REASONS: readonly DropReason[] = ['empty_input', 'empty_after_email', 'empty_after_html', 'empty_after_normalize', 'boilerplate_only'];

export interface CleanResult { text: string; meta?: Record<string, unknown>; steps: string[]; lineKeys: number[]; dropped?: DropReason }

/** Nothing but whitespace, control, format and replacement characters. */
function isBlank(text: string): boolean {
  return /^[\s\p{Cc}\p{Cf}\uFFFD]*$/u.test(text);
}

/** Key of a line for boilerplate counting (normalised, so case/punctuation/digits don't matter). */
export function lineKey(line: string): number | undefined {
  const s = simplifyText(line);
  return s.length === 0 ? undefined : hash32(s);
}

async function cleanOne(doc: Document, o: CleanTaskOptions): Promise<CleanResult> {
  const steps: string[] = [];
  let text = doc.text;
  let meta: Record<string, unknown> | undefined;
  let blankAfter: DropReason | undefined = isBlank(text) ? 'empty_input' : undefined;
  let htmlPart = false;
  if (o.email && looksLikeEmail(text)) {
    const e = await parseEmail(text);
    htmlPart = e.html !== undefined; // a text/html MIME part is HTML whatever it starts with
    text = e.html !== undefined ? e.html : e.text;
    meta = { ...e.meta };
    steps.push('email');
    blankAfter ??= isBlank(text) ? 'empty_after_email' : undefined;
  }
  if (o.html !== 'never') {
    const isDocument = o.html === 'always' || htmlPart || isHtmlDocument(text, doc.meta);
    const h = convertHtml(text, isDocument, o.main_content);
    if (h) {
      text = h.text;
      if (h.title) meta = { ...meta, title: h.title };
      steps.push(isDocument ? 'html' : 'html_embedded');
      if (h.readability) steps.push('main_content');
      blankAfter ??= isBlank(text) ? 'empty_after_html' : undefined;
    }
  }
  const apply = (name: string, fn: (t: string) => string) => {
    const next = fn(text);
    if (next !== text) steps.push(name);
    text = next;
  };
  apply('unicode', (t) => normalizeUnicode(t, o.unicode));
  if (o.control_chars) apply('control_chars', removeControlChars);
  if (o.whitespace) apply('whitespace', normalizeWhitespace);
  if (text.length === 0) return { text, meta, steps, lineKeys: [], dropped: blankAfter ?? 'empty_after_normalize' };
  const lineKeys = o.boilerplate_min_docs > 0 ? boilerplateKeys(text, o.boilerplate_max_line_chars) : [];
  return { text, meta, steps, lineKeys };
}

function boilerplateKeys(text: string, maxChars: number): number[] {
  const keys = new Set<number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.length > maxChars) continue;
    const k = lineKey(line);
    if (k !== undefined) keys.add(k);
  }
  return [...keys];
}

export async function clean(batch: Document[], o: CleanTaskOptions): Promise<CleanResult[]> {
  const out: CleanResult[] = [];
  for (const doc of batch) {
    try {
      out.push(await cleanOne(doc, o));
    } catch (err) {
      // A document a parser cannot handle is passed through with whitespace/controls cleaned.
      const text = normalizeWhitespace(removeControlChars(doc.text));
      const meta = { clean_error: String(err instanceof Error ? err.message : err).slice(0, 200) };
      out.push({ text, steps: ['error'], lineKeys: [], meta, ...(text.length === 0 ? { dropped: 'empty_input' as const } : {}) });
    }
  }
  return out;
}
