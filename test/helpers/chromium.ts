/**
 * Test helper: open an HTML file in headless Chromium (Debian's `chromium` package, or
 * $CHROMIUM) through its own command line, no browser download and no driver library. A probe
 * script injected at the end of the page writes what it finds (from the live page: chart
 * instances, canvas pixels, resource loads, errors) into a `<pre id="probe">` that
 * `--dump-dom` prints; console messages come from Chromium's log on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseHTML } from 'linkedom';

const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable, or undefined (tests skip and say so). */
export function findChromium(): string | undefined {
  return CANDIDATES.find((c): c is string => !!c && existsSync(c));
}

export const NO_CHROMIUM = 'Chromium is not installed (apt-get install -y chromium, or set CHROMIUM=/path/to/chrome)';

/** Flags for a headless, offline, deterministic run: every host name fails to resolve. */
const flags = (w: number, h: number) => [
  '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND', '--enable-logging=stderr', '--v=0', '--virtual-time-budget=5000', `--window-size=${w},${h}`,
];

export interface BrowserResult { probe: unknown; console: string[]; dom: string }

/**
 * Loads `file` with `probe` (a script body that returns a JSON-able value) run after the
 * page's own scripts, and an error catcher installed before them.
 */
export async function probePage(chromium: string, file: string, probe: string): Promise<BrowserResult> {
  const page = await readFile(file, 'utf8');
  const catcher = `<script>window.__errors=[];addEventListener('error',function(e){__errors.push(String(e.message))});` +
    `addEventListener('securitypolicyviolation',function(e){__errors.push('CSP '+e.violatedDirective+' '+e.blockedURI)});</script>`;
  const runner = `<script>(function(){var r;try{r=(function(){${probe}})()}catch(e){r={probeError:String(e)}}` +
    `var p=document.createElement('pre');p.id='probe';p.textContent=JSON.stringify(r);document.body.appendChild(p)})()</script>`;
  const probed = file.replace(/\.html$/, '') + '.probe.html';
  await writeFile(probed, page.replace('<head>', `<head>${catcher}`).replace(/<\/body>(?![\s\S]*<\/body>)/, `${runner}</body>`));
  const r = spawnSync(chromium, [...flags(1280, 900), '--dump-dom', `file://${probed}`], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const { document } = parseHTML(r.stdout);
  const text = document.getElementById('probe')?.textContent;
  return { probe: text ? JSON.parse(text) : undefined, console: consoleLines(r.stderr), dom: r.stdout };
}

/** Writes a full-page PNG of `file`. */
export function screenshot(chromium: string, file: string, png: string, height = 5000): void {
  const r = spawnSync(chromium, [...flags(1280, height), `--screenshot=${png}`, `file://${file}`], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !existsSync(png)) throw new Error(`chromium screenshot failed (${r.status}): ${r.stderr.slice(-2000)}`);
}

/** The page's console messages (errors, CSP violations, uncaught exceptions) in Chromium's log. */
function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
}
