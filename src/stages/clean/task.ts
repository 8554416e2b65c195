/**
 * @fileoverview Worker task of the clean stage (pass 1): per document, email → HTML → Unicode →
 * control characters → whitespace, plus which steps changed it and the keys of its distinct
 * candidate boilerplate lines (for the cross-document line count).
 */
import type { Document } from '../../artifacts/documents.js';
import { hash32 } from '../../util/hash.js';
import { simplifyText } from '../../util/text.js';
import { parseEmail, looksLikeEmail } from './email.js';
import { htmlToText, looksLikeHtml } from './html.js';
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

export interface CleanResult { text: string; meta?: Record<string, unknown>; steps: string[]; lineKeys: number[] }

/** Key of a line for boilerplate counting (normalised, so case/punctuation/digits don't matter). */
export function lineKey(line: string): number | undefined {
  const s = simplifyText(line);
  return s.length === 0 ? undefined : hash32(s);
}

async function cleanOne(doc: Document, o: CleanTaskOptions): Promise<CleanResult> {
  const steps: string[] = [];
  let text = doc.text;
  let meta: Record<string, unknown> | undefined;
  if (o.email && looksLikeEmail(text)) {
    const e = await parseEmail(text);
    text = e.html !== undefined ? e.html : e.text;
    meta = { ...e.meta };
    steps.push('email');
  }
  if (o.html === 'always' || (o.html === 'auto' && looksLikeHtml(text))) {
    const h = htmlToText(text, o.main_content);
    text = h.text;
    if (h.title) meta = { ...meta, title: h.title };
    steps.push('html');
    if (h.readability) steps.push('main_content');
  }
  const apply = (name: string, fn: (t: string) => string) => {
    const next = fn(text);
    if (next !== text) steps.push(name);
    text = next;
  };
  apply('unicode', (t) => normalizeUnicode(t, o.unicode));
  if (o.control_chars) apply('control_chars', removeControlChars);
  if (o.whitespace) apply('whitespace', normalizeWhitespace);
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
      out.push({ text: normalizeWhitespace(removeControlChars(doc.text)), steps: ['error'], lineKeys: [], meta: { clean_error: String(err instanceof Error ? err.message : err).slice(0, 200) } });
    }
  }
  return out;
}
