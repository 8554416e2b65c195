// @fileoverview Strided batched GEMM, row-major: C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i in
// [0, batch), a stride of 0 broadcasting one matrix. GPU: cuBLAS, loaded with dlopen at run time
// (libcublas.so.13, else .12; our own prototypes of the six functions used, so the build needs
// no cuBLAS headers); fp32, tf32 (tensor cores) or bf16 inputs with fp32 accumulation. Host
// emulation: a plain loop, the inputs rounded to tf32/bf16 first when that precision is set.
#pragma once
#include "device.h"
#include "kernels.h"

namespace ty {

/** Matmul input precision (the pipeline's `precision`). */
enum Precision : int { kFp32 = 0, kTf32 = 1, kBf16 = 2 };
extern int g_precision;

struct GemmArgs {
  bool ta, tb;
  int64_t m, n, k;
  float alpha;
  const float* a;
  int64_t lda, strideA;
  const float* b;
  int64_t ldb, strideB;
  float beta;
  float* c;
  int64_t ldc, strideC;
  int64_t batch;
};

/** The cuBLAS library in use ("emulated" on the host build; the dlopen error when absent). */
std::string blasInfo();

#ifdef TY_GPU
void gemmDevice(const GemmArgs& g);
#endif

inline void gemmHost(const GemmArgs& g) {
  for (int64_t bi = 0; bi < g.batch; bi++) {
    const float* a = g.a + bi * g.strideA;
    const float* b = g.b + bi * g.strideB;
    float* c = g.c + bi * g.strideC;
    for (int64_t i = 0; i < g.m; i++) {
      float* cr = c + i * g.ldc;
      for (int64_t j = 0; j < g.n; j++) cr[j] = g.beta == 0.0f ? 0.0f : g.beta * cr[j];
      for (int64_t p = 0; p < g.k; p++) {
        const float av = g.alpha * (g.ta ? a[p * g.lda + i] : a[i * g.lda + p]);
        if (g.tb) for (int64_t j = 0; j < g.n; j++) cr[j] += av * b[j * g.ldb + p];
        else {
          const float* br = b + p * g.ldb;
          for (int64_t j = 0; j < g.n; j++) cr[j] += av * br[j];
        }
      }
    }
  }
}

/** Elements spanned by a strided batch of one operand (rows × ld per matrix). */
inline int64_t spanOf(int64_t batch, int64_t stride, int64_t rows, int64_t ld) {
  return (batch - 1) * stride + rows * ld;
}

inline void gemm(const GemmArgs& g) {
  if (g.m == 0 || g.n == 0 || g.batch == 0) return;
#ifdef TY_GPU
  gemmDevice(g);
#else
  if (g_precision == kFp32) return gemmHost(g);
  const int bits = g_precision == kTf32 ? 10 : 7;
  const int64_t na = spanOf(g.batch, g.strideA, g.ta ? g.k : g.m, g.lda);
  const int64_t nb = spanOf(g.batch, g.strideB, g.tb ? g.n : g.k, g.ldb);
  Scratch ra(na * 4), rb(nb * 4);
  forEach(na, RoundF{g.a, ra.f(), bits});
  forEach(nb, RoundF{g.b, rb.f(), bits});
  GemmArgs r = g;
  r.a = ra.f();
  r.b = rb.f();
  gemmHost(r);
#endif
}

}  // namespace ty
