#!/usr/bin/env node
/**
 * @fileoverview Build-time probes for native/binding.gyp (run by gyp's `<!(…)`; prints one word).
 *
 *   node detect.mjs openblas   # "1" when OpenBLAS's cblas.h and -lopenblas compile and link
 *                              # here ("0" otherwise, or when TRAINYARD_BLAS=none)
 *   node detect.mjs arch       # the -march flag: "-march=native", or "-march=x86-64" with
 *                              # TRAINYARD_NATIVE_PORTABLE=1 (a binary for other machines)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openblas() {
  if ((process.env.TRAINYARD_BLAS ?? '').toLowerCase() === 'none') return '0';
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-blas-'));
  try {
    const src = join(dir, 'probe.cc');
    writeFileSync(src, '#include <cblas.h>\nint main() { float a = 1, b = 1, c = 0; cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1); return c == 1.0f ? 0 : 1; }\n');
    const cxx = process.env.CXX ?? 'g++';
    const res = spawnSync(cxx, [src, '-o', join(dir, 'probe'), '-lopenblas'], { stdio: 'ignore' });
    return res.status === 0 ? '1' : '0';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function arch() {
  if (process.env.TRAINYARD_NATIVE_PORTABLE === '1') return process.arch === 'x64' ? '-march=x86-64' : '-O3';
  return '-march=native';
}

const what = process.argv[2];
process.stdout.write(what === 'openblas' ? openblas() : what === 'arch' ? arch() : '');
