/**
 * @fileoverview The cuda addon compiles with nvcc (one architecture, sm_90 + PTX, into a temp
 * folder) and the result loads in Node: static CUDA runtime, cuBLAS left to dlopen, so on a
 * machine without a GPU or driver it still loads and says why it cannot run. Skipped, with
 * the reason, where nvcc is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGpu, findNvcc } from '../../../../native/cuda-build.mjs';
import type { CudaAddon } from '../../../../src/backends/cuda/addon.js';

const nvcc = findNvcc();
const skip = nvcc ? false : 'nvcc is not installed (the CUDA toolkit): the GPU addon cannot be compiled here';

test('the cuda addon compiles with nvcc and loads in Node', { skip, timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-nvcc-'));
  try {
    const res = buildGpu(dir, '90');
    assert.ok(res.ok, res.why);
    const addon = createRequire(import.meta.url)(res.path!) as CudaAddon;
    const info = addon.deviceInfo();
    assert.equal(info.emulated, false);
    assert.ok(info.runtimeVersion! >= 12000, `CUDA runtime ${info.runtimeVersion}`);
    if (info.deviceCount === 0) {
      // No GPU or driver: the reason is reported, and using the device throws a JS Error (no crash).
      assert.match(info.error ?? '', /./);
      assert.throws(() => addon.alloc(16), /cuda backend: /);
    } else {
      assert.match(info.name ?? '', /./);
    }
    assert.deepEqual(Object.keys(addon.ops.unary).slice(0, 3), ['exp', 'erf', 'tanh']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
