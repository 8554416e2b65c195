/**
 * @fileoverview Trainyard's own GEMM (native/src/gemm.cc) behind BatchMatMul: every micro-kernel
 * variant this CPU can run (avx512, avx2, generic) and OpenBLAS when linked in, on shapes that hit
 * every edge (tiles cut in M and N, K across block boundaries, all four transpose pairs, batch
 * broadcast, k = 1), against a float64 reference; results bit-identical across thread counts;
 * TRAINYARD_GEMM choices checked with a clear error for one this build cannot run; and the addon
 * built without OpenBLAS (only a compiler) in a temp folder, loaded and checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { availableGemms, loadAddon, setGemm, setNativeThreads, type NativeAddon } from '../../../../src/backends/native/addon.js';
import { TrainyardError } from '../../../../src/errors/index.js';
import { nativeSkipReason, randomArray } from './harness.js';

const skip = await nativeSkipReason();
const root = new URL('../../../../', import.meta.url).pathname;

/** op(A)·op(B) in float64 for batched row-major operands (batch 1 broadcasts). */
function reference(a: Float32Array, b: Float32Array, bA: number, bB: number, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const batch = Math.max(bA, bB), out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (bA === 1 ? 0 : t) * m * k, bo = (bB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + (ta ? p * m + i : i * k + p)]! * b[bo + (tb ? j * k + p : p * n + j)]!;
      out[t * m * n + i * n + j] = s;
    }
  }
  return out;
}

// [batchA, batchB, m, n, k]: tiles cut in M (12/6/4-row tiles) and N (32/16/8 columns), K over
// the 256 block, the vocabulary head's odd N, tiny and single-element products.
const SHAPES: Array<[number, number, number, number, number]> = [
  [1, 1, 1, 1, 1], [1, 1, 13, 37, 5], [1, 1, 30, 70, 300], [3, 3, 17, 33, 9], [3, 1, 25, 65, 260],
  [1, 1, 100, 129, 513], [2, 2, 64, 64, 32], [1, 1, 7, 300, 1],
  [1, 1, 1, 300, 77], [1, 1, 1, 37, 513], // one row: the GEMV path (bias gradients)
];


function matmul(bA: number, bB: number, m: number, n: number, k: number, ta: boolean, tb: boolean, seed: number): { got: Float32Array; want: Float64Array } {
  const a = randomArray(bA * m * k, seed), b = randomArray(bB * k * n, seed + 1);
  const at = tf.tensor(a, bA === 1 && bB > 1 ? (ta ? [k, m] : [m, k]) : (ta ? [bA, k, m] : [bA, m, k]));
  const bt = tf.tensor(b, bB === 1 && bA > 1 ? (tb ? [n, k] : [k, n]) : (tb ? [bB, n, k] : [bB, k, n]));
  const got = tf.tidy(() => tf.matMul(at, bt, ta, tb).dataSync() as Float32Array);
  tf.dispose([at, bt]);
  return { got, want: reference(a, b, bA, bB, m, n, k, ta, tb) };
}

test('native GEMM: every kernel variant matches a float64 reference on edge shapes and all transposes', { skip }, async () => {
  await tf.setBackend('native');
  const addon = loadAddon();
  const names = availableGemms(addon);
  assert.ok(names.includes('generic'));
  try {
    for (const name of names) {
      setGemm(addon, name);
      assert.equal(addon.info().gemm, name);
      for (const [bA, bB, m, n, k] of SHAPES) for (const ta of [false, true]) for (const tb of [false, true]) {
        const { got, want } = matmul(bA, bB, m, n, k, ta, tb, m + n + k);
        assert.equal(got.length, want.length);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
        assert.ok(worst < 2e-5 * Math.sqrt(k), `${name} ${bA}x${bB} ${m}x${n}x${k} ta=${ta} tb=${tb}: error ${worst}`);
      }
    }
  } finally {
    setGemm(addon, 'auto');
  }
});

test('native GEMM: our kernels give bit-identical results for 1 and 2 threads (split by rows, by columns, GEMV)', { skip }, async () => {
  await tf.setBackend('native');
  const addon = loadAddon();
  try {
    for (const name of availableGemms(addon).filter((v) => v !== 'openblas')) {
      setGemm(addon, name);
      // 768 rows: split by rows; 12 rows × 2048 columns: by column panels; 1 row: GEMV by columns.
      for (const [m, n, k] of [[768, 384, 128], [12, 2048, 300], [1, 4099, 300]] as const) {
        setNativeThreads(1, 1);
        const one = matmul(1, 1, m, n, k, false, false, 7).got;
        setNativeThreads(2, 2);
        const two = matmul(1, 1, m, n, k, false, false, 7).got;
        assert.deepEqual(two, one, `${name} ${m}x${n}x${k}`);
      }
    }
  } finally {
    setGemm(addon, 'auto');
    setNativeThreads(2, 2);
  }
});

test('TRAINYARD_GEMM: an unknown or unavailable choice is a clear error naming the choices', { skip }, () => {
  const addon = loadAddon();
  const before = addon.info().gemm;
  for (const bad of ['cublas', addon.info().blasConfig ? null : 'openblas'].filter((x): x is string => x !== null)) {
    assert.throws(() => setGemm(addon, bad), (err: unknown) => err instanceof TrainyardError && /TRAINYARD_GEMM=/.test(err.message) && /generic/.test(err.hint ?? ''));
  }
  assert.equal(addon.info().gemm, before, 'a refused choice changes nothing');
});

const gxx = spawnSync('g++', ['--version'], { stdio: 'ignore' }).status === 0;
const gyp = existsSync(join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
test('the addon builds with only a C++ compiler (TRAINYARD_BLAS=none) and its GEMM is ours', { skip: skip || (!gxx ? 'g++ not installed' : !gyp ? 'node-gyp not installed' : false), timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-native-build-'));
  try {
    const native = join(dir, 'native');
    const skipBuilt = join(root, 'native', 'build');
    cpSync(join(root, 'native'), native, { recursive: true, filter: (src) => src !== skipBuilt && !src.startsWith(`${skipBuilt}/`) });
    // node-gyp and node-addon-api resolve from the package's node_modules, as in an install.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const res = spawnSync(process.execPath, [join(native, 'build.mjs'), '--strict'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, TRAINYARD_BLAS: 'none', JOBS: '2' },
    });
    assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(res.stdout, /GEMM: \w+; without OpenBLAS/);
    const built = createRequire(import.meta.url)(join(native, 'build', 'Release', 'trainyard_native.node')) as NativeAddon;
    assert.equal(built.info().blasConfig, '');
    assert.equal(built.setGemm('openblas'), false);
    // A product on its own heap: [2,3]·[3,2].
    const heap = new ArrayBuffer(1024), f = new Float32Array(heap);
    f.set([1, 2, 3, 4, 5, 6], 0); f.set([7, 8, 9, 10, 11, 12], 16);
    built.batchMatMul(heap, 0, 64, 128, 1, 1, 2, 2, 3, false, false);
    assert.deepEqual(Array.from(f.subarray(32, 36)), [58, 64, 139, 154]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
