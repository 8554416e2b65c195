/**
 * The remote cache on an S3-compatible server, through the AWS SDK v3: s3rver (npm, a
 * pure-JS S3 server kept on local disk: no download, no Docker, starts in-process in
 * milliseconds) on a loopback port. Two workspaces: the first computes and pushes, the
 * second pulls every stage and computes none. Skipped, saying why, when s3rver is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, ended, events, type CliResult } from '../helpers/cli.js';
import { tinyProject } from '../helpers/tiny.js';

interface S3Server { run(): Promise<{ port: number }>; close(): Promise<void> }
type S3rverCtor = new (o: Record<string, unknown>) => S3Server;

/** The CLI without blocking this process (the S3 server lives in it). */
function cliAsync(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

async function loadS3rver(): Promise<S3rverCtor | undefined> {
  const name = 's3rver';
  try {
    return ((await import(name)) as { default: S3rverCtor }).default;
  } catch {
    return undefined;
  }
}

test('an S3-compatible remote (s3rver, AWS SDK v3): the second workspace pulls every stage', { timeout: 180_000 }, async (t) => {
  const S3rver = await loadS3rver();
  if (!S3rver) return t.skip('s3rver is not installed (npm install -D s3rver): no S3-compatible server to test against');
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: await mkdtemp(join(tmpdir(), 'trainyard-s3-')), configureBuckets: [{ name: 'cache' }] });
  const { port } = await server.run();
  try {
    const remote = `remote: { url: s3://cache/team, endpoint: "http://127.0.0.1:${port}" }\n`;
    const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    const a = await tinyProject(remote);
    const first = await cliAsync(['run', '--json'], a, env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(events(first.stdout).filter((e) => e.event === 'stageLog' && /pushed to the remote cache s3:\/\/cache\/team/.test(e.message)).length, 5, first.stdout);

    const b = await tinyProject(remote);
    const second = await cliAsync(['run', '--json'], b, env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(ended(second.stdout, 'done'), []);
    assert.deepEqual(ended(second.stdout, 'cached'), ['eval', 'pretrain', 'raw', 'split', 'tokenize']);
    const model = (out: string) => events(out).find((e) => e.name === 'pretrain' && (e.event === 'stageEnd' || e.event === 'stageCached'))!.outputs.model as string;
    assert.deepEqual(readFileSync(join(model(second.stdout), 'model.safetensors')), readFileSync(join(model(first.stdout), 'model.safetensors')));

    const push = await cliAsync(['push'], b, env);
    assert.match(push.stdout, /pretrain\s+already in the remote/);
  } finally {
    await server.close();
  }
});
