#!/usr/bin/env node
// Trainyard CLI entry: runs the compiled CLI (dist/), built by `npm ci` (prepare script).
import { existsSync } from 'node:fs';
const dist = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('trainyard: dist/ is missing; run `npm run build` (npm ci does it automatically).');
  process.exit(2);
}
await import(dist.href);
