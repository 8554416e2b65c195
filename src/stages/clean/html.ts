/**
 * @fileoverview HTML to text with a real parser (linkedom, on htmlparser2): drops script,
 * style, nav, footer and other non-content elements, keeps block structure as line breaks,
 * and for a whole page (has <html>/<body>) extracts the main content with Mozilla's
 * Readability, falling back to the whole body when Readability finds too little.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

const DROP = 'script,style,noscript,nav,footer,header,aside,form,iframe,svg,template,button,select,object,embed,canvas';
const BLOCK = new Set(['P', 'DIV', 'BR', 'LI', 'UL', 'OL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR', 'TABLE', 'SECTION', 'ARTICLE',
  'BLOCKQUOTE', 'PRE', 'HR', 'DL', 'DT', 'DD', 'MAIN', 'FIGURE', 'FIGCAPTION', 'ADDRESS', 'TD', 'TH', 'BODY', 'HTML']);

/** Heuristic: does this text look like HTML (a whole page or at least two tags)? */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/<(!doctype\s+html|html|body|head)[\s>]/iu.test(head)) return true;
  return (head.match(/<\/?(p|div|span|a|br|li|ul|h[1-6]|table|td|tr|script|style|img|b|i|em|strong)\b[^>]*>/giu) ?? []).length >= 2;
}

/** Whether the text is a whole page rather than a fragment. */
function isWholePage(text: string): boolean {
  return /<(html|body)[\s>]/iu.test(text.slice(0, 4096));
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

/** Converts HTML to text; `mainContent` enables Readability for whole pages. */
export function htmlToText(html: string, mainContent: boolean, minMainChars = 200): HtmlResult {
  const whole = isWholePage(html);
  const { document } = parseHTML(whole ? html : `<!doctype html><html><body>${html}</body></html>`);
  const title = document.title || undefined;
  if (whole && mainContent) {
    const article = new Readability(parseHTML(html).document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: minMainChars }).parse();
    if (article?.content && (article.textContent ?? '').trim().length >= minMainChars) {
      const { document: main } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
      const removed = stripNoise(main);
      return { text: render(main.body as unknown as DomNode), title: article.title ?? title, readability: true, removed };
    }
  }
  const removed = stripNoise(document);
  return { text: render((document.body ?? document.documentElement) as unknown as DomNode), title, readability: false, removed };
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
