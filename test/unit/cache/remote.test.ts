/**
 * The remote cache protocol on a shared folder: push then pull round-trips an entry between
 * two stores; an upload without its manifest is never a hit; a damaged blob, a manifest for
 * another key or with paths that climb out are refused with the reason; concurrent pushes
 * of one key leave a whole entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteCache, blobPath, entryPath } from '../../../src/cache/remote/cache.js';
import { FolderTransport } from '../../../src/cache/remote/folder.js';
import { stageKey, type KeyDetails } from '../../../src/cache/fingerprint.js';
import { Store } from '../../../src/cache/store.js';
import { sha256 } from '../../../src/util/hash.js';
import { tempDir } from '../../helpers/stage-tester.js';

async function entry(store: Store, text: string): Promise<string> {
  const details: KeyDetails = { type: 'emit', version: 1, params: { text }, inputs: {}, deps: {}, seed: 1 };
  const key = stageKey(details);
  const staging = await store.stagingDir('t');
  mkdirSync(join(staging, 'outputs', 'docs', 'sub'), { recursive: true });
  writeFileSync(join(staging, 'outputs', 'docs', 'all-00000.jsonl'), `{"id":"a","text":"${text}"}\n`);
  writeFileSync(join(staging, 'outputs', 'docs', 'sub', 'shared.txt'), 'same in every entry');
  await store.commit(staging, { key, stage: 'a', details, kinds: { docs: 'documents' }, metrics: { m: 1 }, stats: {}, backend: 'cpu', durationMs: 1 });
  return key;
}

async function setup() {
  const root = await tempDir();
  const remote = new RemoteCache(new FolderTransport(join(root, 'remote')), { url: join(root, 'remote'), pull: true, push: true, from: 'test' });
  return { root, remote, a: new Store(join(root, 'a')), b: new Store(join(root, 'b')) };
}

test('push then pull: the second store gets a verified copy; shared blobs are uploaded once', async () => {
  const { root, remote, a, b } = await setup();
  const k1 = await entry(a, 'one');
  const k2 = await entry(a, 'two');
  assert.deepEqual(await remote.push(a, k1), { status: 'pushed', files: 2, bytes: 24 + 19 });
  assert.equal((await remote.push(a, k2)).files, 1, 'the shared file is already there');
  assert.equal((await remote.push(a, k1)).status, 'present');
  assert.equal((await remote.pull(b, 'f'.repeat(64))).status, 'absent');
  const r = await remote.pull(b, k1);
  assert.equal(r.status, 'pulled');
  const hit = await b.lookup(k1, { verify: 'full' });
  assert.equal(hit.manifest?.metrics.m, 1);
  assert.equal(readFileSync(join(b.outputDir(k1, 'docs'), 'sub', 'shared.txt'), 'utf8'), 'same in every entry');
  assert.deepEqual(readdirSync(join(root, 'b', 'tmp')), [], 'no staging left');
});

test('blobs without a manifest (an interrupted push) are a miss; a damaged blob or manifest is refused with the reason', async () => {
  const { root, remote, a, b } = await setup();
  const key = await entry(a, 'x');
  await remote.push(a, key);
  const manifestFile = join(root, 'remote', ...entryPath(key).split('/'));
  const manifest = readFileSync(manifestFile, 'utf8');
  rmSync(manifestFile);
  assert.equal((await remote.pull(b, key)).status, 'absent');

  writeFileSync(manifestFile, manifest);
  const m = JSON.parse(manifest) as { outputs: { docs: { files: Array<{ path: string; sha256: string }> } } };
  const blob = join(root, 'remote', ...blobPath(m.outputs.docs.files[0]!.sha256).split('/'));
  const good = readFileSync(blob);
  writeFileSync(blob, Buffer.from(good.toString().replace('x', 'y')));
  const bad = await remote.pull(b, key);
  assert.deepEqual(bad, { status: 'corrupt', reason: 'docs/all-00000.jsonl does not match its recorded size and sha256' });
  assert.equal((await b.lookup(key)).manifest, undefined);
  rmSync(blob);
  assert.match(JSON.stringify(await remote.pull(b, key)), /blob of docs\/all-00000\.jsonl is missing/);
  writeFileSync(blob, good);

  const tamper = (f: (o: any) => void) => { const o = JSON.parse(manifest); f(o); writeFileSync(manifestFile, JSON.stringify(o)); };
  tamper((o) => { o.details.params.text = 'other'; });
  assert.match(JSON.stringify(await remote.pull(b, key)), /key details do not hash to its key/);
  tamper((o) => { o.outputs.docs.files[0].path = '../../escape.txt'; });
  assert.match(JSON.stringify(await remote.pull(b, key)), /unsafe/);
  assert.ok(!existsSync(join(root, 'escape.txt')));
  writeFileSync(manifestFile, manifest);
  assert.equal((await remote.pull(b, key)).status, 'pulled');
});

test('concurrent pushes of one key, from two stores, leave one whole entry', async () => {
  const { root, remote, a } = await setup();
  const other = new Store(join(root, 'c'));
  const key = await entry(a, 'same');
  assert.equal(await entry(other, 'same'), key);
  const results = await Promise.all([remote.push(a, key), remote.push(other, key), remote.push(a, key)]);
  assert.ok(results.every((r) => r.status === 'pushed' || r.status === 'present'));
  const fresh = new Store(join(root, 'd'));
  assert.equal((await remote.pull(fresh, key)).status, 'pulled');
  const left = readdirSync(join(root, 'remote', 'entries', key.slice(0, 2)));
  assert.deepEqual(left, [`${key}.json`], 'no temporary names left behind');
  assert.equal(sha256(readFileSync(join(fresh.outputDir(key, 'docs'), 'all-00000.jsonl'))), sha256(readFileSync(join(a.outputDir(key, 'docs'), 'all-00000.jsonl'))));
});
