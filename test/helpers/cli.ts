/**
 * Test helper: run the trainyard CLI (from src/, through tsx) in a folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CLI = join(ROOT, 'src/cli/index.ts');
export const TEST_PLUGIN = join(ROOT, 'test/fixtures/plugins/test-stages.ts');
/** tsx's loader by absolute URL, so the CLI (and its forked workers) work from any cwd. */
export const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function cli(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI without waiting (for kill and concurrency tests). */
export function cliAsync(args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A temp project folder with `pipeline.yaml`. */
export async function project(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-e2e-'));
  await writeFile(join(dir, 'pipeline.yaml'), yaml);
  return dir;
}

/** Parses `--json` output into events. */
export function events(stdout: string): Array<Record<string, any>> {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** Names of stages that ended with a status. */
export function ended(stdout: string, status: string): string[] {
  const evs = events(stdout);
  if (status === 'cached') return evs.filter((e) => e.event === 'stageCached').map((e) => e.name).sort();
  return evs.filter((e) => e.event === 'stageEnd' && e.status === status).map((e) => e.name).sort();
}

/** Accumulates a child's stdout as it arrives. */
export function collectOutput(child: { stdout: NodeJS.ReadableStream | null }): { text: string } {
  const out = { text: '' };
  child.stdout?.on('data', (d) => { out.text += String(d); });
  return out;
}

/** Resolves once `needle` has appeared in the collected output. */
export async function waitForOutput(out: { text: string }, needle: string, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!out.text.includes(needle)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${JSON.stringify(needle)} in:\n${out.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
