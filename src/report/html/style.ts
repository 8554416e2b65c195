/**
 * @fileoverview The report's stylesheet: a plain readable page, tables that scroll sideways
 * when wide, charts two to a row on wide screens.
 */
export const STYLE = `
:root { color-scheme: light; --fg: #212529; --muted: #6c757d; --line: #dee2e6; --bg2: #f8f9fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); }
h1 { font-size: 22px; margin: 8px 0 12px; } h1 small { color: var(--muted); font-weight: normal; font-size: 14px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; } h4 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); }
nav { position: sticky; top: 0; background: #fff; padding: 6px 0; border-bottom: 1px solid var(--line); z-index: 2; }
nav a { margin-right: 14px; color: #1c7ed6; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0; display: block; overflow-x: auto; max-width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--bg2); font-weight: 600; white-space: nowrap; }
table.meta th { background: none; color: var(--muted); font-weight: normal; padding-left: 0; }
table.num td { font-variant-numeric: tabular-nums; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; max-width: 760px; }
code { font: 12px ui-monospace, monospace; }
details summary { cursor: pointer; color: #1c7ed6; }
.doc { margin: 6px 0; padding: 6px 8px; background: var(--bg2); border-left: 3px solid #f08c00; }
.doc .why { color: var(--muted); margin-bottom: 3px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px; }
.chart-box { margin: 8px 0; } .chart-box figcaption { font-weight: 600; margin-bottom: 2px; }
.chart { width: 100%; min-width: 300px; }
.ok { color: #2f9e44; font-weight: 600; } .bad { color: #e03131; font-weight: 600; }
.st { padding: 1px 6px; border-radius: 8px; color: #fff; background: #868e96; font-size: 12px; }
.st-done, .st-complete { background: #2f9e44; } .st-cached { background: #1c7ed6; } .st-failed { background: #e03131; } .st-pruned { background: #adb5bd; }
.notes { color: #e8590c; }
`;
