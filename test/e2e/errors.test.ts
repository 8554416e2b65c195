/**
 * Every user error kind has a stable code, file:line:col, a frame and a hint, exit code 2,
 * and no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PLUGIN, cli, project } from '../helpers/cli.js';

async function fails(yaml: string, ...patterns: RegExp[]): Promise<string> {
  const dir = await project(yaml);
  const r = cli(['validate'], dir);
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.stdout}\n${r.stderr}`);
  for (const p of patterns) assert.match(r.stderr, p);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
  return r.stderr;
}

test('YAML syntax error points at line and column', async () => {
  await fails('stages:\n  a: { type: source\n  b: 1\n', /pipeline\.yaml:\d+:\d+\s+error\s+E_YAML/, /> *\d+ \|/);
});

test('unknown keys: did-you-mean, expected keys, position; all schema errors at once', async () => {
  const err = await fails(`stages:
  raw:
    type: source
    with: { files: "*.txt", fromat: text, min_chars: lots }
    inptus: {}
`, /pipeline\.yaml:4:29\s+error\s+E_UNKNOWN_KEY\s+Unknown key "fromat" in stages\.raw\.with\. Did you mean "format"\?/,
    /hint: Expected keys: files, format, field, id_field, min_chars/,
    /pipeline\.yaml:4:\d+\s+error\s+E_SCHEMA\s+stages\.raw\.with\.min_chars must be integer/,
    /pipeline\.yaml:5:5\s+error\s+E_UNKNOWN_KEY\s+Unknown key "inptus" in stages\.raw\. Did you mean "inputs"\?/);
  assert.match(err, /3 errors/);
});

test('unknown stage type lists the known ones', async () => {
  await fails('stages:\n  raw: { type: sorce, with: { files: x } }\n', /pipeline\.yaml:2:16\s+error\s+E_UNKNOWN_STAGE_TYPE.*"sorce"\. Did you mean "source"\?/, /Known types: .*source/);
});

test('dangling reference lists what exists; type mismatch is rejected at compile time', async () => {
  await fails(`plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit }
  b: { type: upper, inputs: { docs: aa } }
`, /pipeline\.yaml:4:37\s+error\s+E_UNKNOWN_REF.*unknown stage "aa"\. Did you mean "a"\?/, /Stages in this pipeline: a, b/);
  await fails(`plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit }
  b: { type: upper, inputs: { docs: a.tokens } }
`, /E_UNKNOWN_REF.*no output "tokens"/);
  await fails(`plugins: [${TEST_PLUGIN}]
stages:
  a: { type: emit }
  t: { type: tokenize, inputs: { docs: a } }
  b: { type: upper, inputs: { docs: t } }
`, /pipeline\.yaml:5:37\s+error\s+E_TYPE_MISMATCH.*expects documents, but "t" produces tokens/);
});

test('a cycle prints its path', async () => {
  await fails(`plugins: [${TEST_PLUGIN}]
stages:
  a: { type: upper, inputs: { docs: c } }
  b: { type: upper, inputs: { docs: a } }
  c: { type: upper, inputs: { docs: b } }
`, /E_CYCLE\s+Stages depend on each other in a cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
});

test('unknown variable and bad --set', async () => {
  await fails('vars: { name: x }\nstages:\n  raw: { type: source, with: { files: "${vars.nmae}" } }\n', /pipeline\.yaml:3:\d+\s+error\s+E_VAR\s+Unknown variable \$\{vars\.nmae\}\. Did you mean "vars\.name"\?/);
  const dir = await project('stages:\n  raw: { type: source, with: { files: "*.txt" } }\n');
  const r = cli(['status', '--set', 'stages.rwa.with.files=x'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_SET.*Did you mean "raw"\?/);
});

test('plugin errors name the plugin: missing, syntax error, wrong export, no input files', async () => {
  await fails('plugins: [./nope.ts]\nstages:\n  raw: { type: source, with: { files: x } }\n', /pipeline\.yaml:1:\d+\s+error\s+E_FILE_NOT_FOUND\s+Plugin "\.\/nope\.ts" not found/);
  const dir = await project('plugins: [./bad.ts, ./empty.ts]\nstages:\n  raw: { type: source, with: { files: x } }\n');
  writeFileSync(join(dir, 'bad.ts'), 'export default {{ oops');
  writeFileSync(join(dir, 'empty.ts'), 'export const x = 1;');
  const r = cli(['validate'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_PLUGIN_LOAD\s+Plugin "\.\/bad\.ts" failed to load/);
  assert.match(r.stderr, /E_PLUGIN_EXPORT\s+Plugin "\.\/empty\.ts" does not export a plugin/);
  const none = await project('stages:\n  raw: { type: source, with: { files: "data/*.txt" } }\n');
  const s = cli(['run'], none);
  assert.equal(s.code, 1);
  assert.match(s.stdout + s.stderr, /E_NO_INPUT\s+No files match data\/\*\.txt/);
});

test('missing pipeline file', async () => {
  const dir = await project('stages: {}');
  const r = cli(['run', '-f', 'nope.yaml'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_FILE_NOT_FOUND\s+Pipeline file not found: nope\.yaml/);
});

test('stage-specific checks run at compile time: an unknown filter rule points at its entry', async () => {
  await fails(`stages:
  raw: { type: source, with: { files: "*.txt" } }
  f:
    type: filter
    inputs: { docs: raw }
    with:
      rules: [gopher-quality, { name: lenght, min_chars: 3 }]
`, /pipeline\.yaml:7:31\s+error\s+E_UNKNOWN_RULE\s+stages\.f\.with: rules\[1\]: unknown filter rule "lenght"\. Did you mean "length"\?/, /Known rules: .*gopher-quality/);
});

test('an unknown backend is caught when the pipeline compiles; a bad --jobs is a usage error', async () => {
  await fails('backend: wsam\nstages:\n  raw: { type: source, with: { files: "*.txt" } }\n',
    /pipeline\.yaml:1:10\s+error\s+E_BACKEND\s+Unknown backend "wsam"\. Did you mean "wasm"\?/, /Known backends: auto, cpu, wasm/);
  const dir = await project('stages:\n  raw: { type: source, with: { files: "*.txt" } }\n');
  const r = cli(['run', '-j', 'abc'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_USAGE\s+--jobs must be a whole number of at least 1, got "abc"/);
});

test('YAML that is not a pipeline is a positioned user error: alias bomb, unresolved alias, complex key', async () => {
  const bomb = [`a0: &a0 [${Array(10).fill('x').join(', ')}]`];
  for (let i = 1; i <= 9; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  await fails(`${bomb.join('\n')}\nstages: {}\n`, /pipeline\.yaml:\d+:\d+\s+error\s+E_YAML\s+Aliases expand to more than/);
  await fails('vars:\n  <<: *a\nstages: {}\n', /pipeline\.yaml:2:7\s+error\s+E_YAML\s+Alias \*a refers to no anchor/);
  const err = await fails('? [a, b]\n: 1\nstages: {}\n', /pipeline\.yaml:1:3\s+error\s+E_YAML\s+A key must be a plain value/);
  assert.doesNotMatch(err, /Warning|E_INTERNAL/);
});

test('--set refuses prototype segments and non-finite numbers', async () => {
  const dir = await project('stages:\n  raw: { type: source, with: { files: "*.txt" } }\n');
  for (const [set, message] of [['__proto__.polluted=1', /E_SET\s+--set __proto__\.polluted: "__proto__" cannot be set/], ['stages.raw.with.min_chars=1e999', /E_SET\s+.*not a finite number/]] as const) {
    const r = cli(['validate', '--set', set], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /E_INTERNAL/);
  }
});

test('a reader that closes the pipe early (`| head -1`) ends the CLI quietly, without an EPIPE stack trace', async () => {
  const { spawnSync } = await import('node:child_process');
  const { CLI, TSX } = await import('../helpers/cli.js');
  const dir = await project('stages:\n' + Array.from({ length: 2500 }, (_, i) => `  stage_with_a_long_name_${i}: { type: source, with: { files: "x${i}.txt" } }`).join('\n') + '\n');
  // `graph` writes one line per stage; the reader takes one byte and exits.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" --import "${TSX}" "${CLI}" graph | head -c 1 >/dev/null; echo "rc=\${PIPESTATUS:-?}"`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at .*\.js:\d+/, r.stderr);
  assert.equal(r.stderr, '');
});
