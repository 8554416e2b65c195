/**
 * @fileoverview HTML to text with a real parser (linkedom, on htmlparser2): drops script,
 * style, nav, footer and other non-content elements, keeps block structure as line breaks,
 * and for a whole page (has <html>/<head>/<body>) extracts the main content with Mozilla's
 * Readability, falling back to the whole page when Readability finds too little.
 * `convertHtml` applies this only to what is HTML (see detect.ts): a whole HTML document, or
 * the `<html>` pages quoted inside a plain-text one, whose own text is kept verbatim.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { prologLength, splitPages } from './detect.js';

const DROP = 'script,style,noscript,nav,footer,header,aside,form,iframe,svg,template,button,select,object,embed,canvas';
const BLOCK = new Set(['P', 'DIV', 'BR', 'LI', 'UL', 'OL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR', 'TABLE', 'SECTION', 'ARTICLE',
  'BLOCKQUOTE', 'PRE', 'HR', 'DL', 'DT', 'DD', 'MAIN', 'FIGURE', 'FIGCAPTION', 'ADDRESS', 'TD', 'TH', 'BODY', 'HTML']);

/** Whether the text is a whole page (or its head/body) rather than a fragment. */
function isWholePage(text: string): boolean {
  return /<(html|head|body)[\s>]/iu.test(text);
}

interface DomNode { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<DomNode> }

/** Text of a DOM subtree with block elements on their own lines. */
function textOf(node: DomNode, out: string[]): void {
  if (node.nodeType === 3) { out.push(node.textContent ?? ''); return; }
  if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
  const block = BLOCK.has(node.nodeName.toUpperCase());
  if (block) out.push('\n');
  for (let i = 0; i < node.childNodes.length; i++) textOf(node.childNodes[i]!, out);
  if (block) out.push('\n');
}

export interface HtmlResult { text: string; title?: string; readability: boolean; removed: number }

/** Converts one page or fragment of HTML to text; `mainContent` enables Readability for whole pages. */
export function htmlToText(html: string, mainContent: boolean, minMainChars = 200): HtmlResult {
  const whole = isWholePage(html);
  // linkedom drops what lies outside the root element, so a head/body without <html> is wrapped.
  const page = !whole ? `<!doctype html><html><body>${html}</body></html>` : /<html[\s>]/iu.test(html) ? html : `<!doctype html><html>${html}</html>`;
  const { document } = parseHTML(page);
  const title = document.title || undefined;
  if (whole && mainContent) {
    const article = new Readability(parseHTML(page).document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: minMainChars }).parse();
    if (article?.content && (article.textContent ?? '').trim().length >= minMainChars) {
      const { document: main } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
      const removed = stripNoise(main);
      return { text: render(main.body as unknown as DomNode), title: article.title ?? title, readability: true, removed };
    }
  }
  const removed = stripNoise(document);
  for (const head of Array.from(document.querySelectorAll('head') as ArrayLike<{ remove(): void }>)) head.remove();
  // The root, not just <body>: text a malformed page puts beside <body> is still its text.
  return { text: render(document.documentElement as unknown as DomNode), title, readability: false, removed };
}

/** What `convertHtml` did: the text, a title if a page had one, and how many pages it converted. */
export interface ConvertResult extends HtmlResult { pages: number }

/**
 * Converts what is HTML in `text`. `isDocument`: the whole text is HTML (pages and the
 * fragments around them are converted; Readability only when `mainContent` and the text is
 * one page). Otherwise only closed `<html>` pages are converted and the rest stays verbatim;
 * returns undefined when there is none.
 */
export function convertHtml(text: string, isDocument: boolean, mainContent: boolean): ConvertResult | undefined {
  const segments = splitPages(text, !isDocument);
  const pages = segments.filter((s) => s.page).length;
  if (!isDocument && pages === 0) return undefined;
  const onePage = pages === 1 && segments.every((s) => s.page || prologLength(s.text) === s.text.length);
  const parts: string[] = [];
  let title: string | undefined, readability = false, removed = 0;
  for (const s of segments) {
    if (!s.page && !isDocument) { parts.push(s.text); continue; }
    if (!s.page && prologLength(s.text) === s.text.length) continue;
    const h = htmlToText(s.text, isDocument && mainContent && onePage);
    parts.push(`\n${h.text}\n`);
    title ??= h.title;
    readability ||= h.readability;
    removed += h.removed;
  }
  return { text: parts.join(''), title, readability, removed, pages };
}

function stripNoise(doc: { querySelectorAll(sel: string): ArrayLike<{ remove(): void }> }): number {
  const nodes = Array.from(doc.querySelectorAll(DROP));
  for (const n of nodes) n.remove();
  return nodes.length;
}

function render(root: DomNode): string {
  const out: string[] = [];
  textOf(root, out);
  return out.join('');
}
