#!/usr/bin/env node
// Lints (layering) and type-checks the project, then runs every test/**/*.test.ts with node's
// built-in test runner (tsx for TypeScript). Lint and typecheck run side by side first; if
// either fails, their output is printed and no test runs.
// Usage: npm test [-- <substring filter>...]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Runs one check (a node script under node_modules), resolving to its name, status, output and time. */
function check(name, script, args) {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', (err) => done({ name, ok: false, output: String(err), seconds: 0 }));
    child.on('close', (code) => done({ name, ok: code === 0, output, seconds: (performance.now() - started) / 1000 }));
  });
}

const filters = process.argv.slice(2);
const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const checks = await Promise.all([
  check('lint', 'node_modules/eslint/bin/eslint.js', ['.']),
  check('typecheck', 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.check.json']),
]);
for (const c of checks) {
  if (c.ok) console.log(`${c.name}: ok (${c.seconds.toFixed(1)} s)`);
  else console.error(`${c.name}: failed\n${c.output.trimEnd()}\n${/Cannot find module/.test(c.output) ? 'hint: run `npm install` (eslint and typescript are devDependencies)\n' : ''}`);
}
if (checks.some((c) => !c.ok)) {
  console.error(`not running tests: fix the ${checks.filter((c) => !c.ok).map((c) => c.name).join(' and ')} errors above first`);
  process.exit(1);
}

const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TRAINYARD_TEST: '1' },
});
process.exit(res.status ?? 1);
