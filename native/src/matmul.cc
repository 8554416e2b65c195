// @fileoverview BatchMatMul straight on the wasm heap. Transpose flags go to the GEMM (no
// transposed copies). Batches of small matrices run in parallel, one single-threaded GEMM per
// worker; large matrices use the GEMM's own threads.
//
// The GEMM is Trainyard's own (gemm.cc) or, when the addon was built with OpenBLAS
// (TY_OPENBLAS), OpenBLAS's sgemm, as setGemm / TRAINYARD_GEMM chose.
#ifdef TY_OPENBLAS
#include <cblas.h>
#endif
#include <string>
#include "common.h"
#include "gemm.h"

namespace ty {

int g_gemm_threads = 1;

/** The `auto` choice: ours with AVX-512 (faster than OpenBLAS 0.3's AVX2 kernels, measured in
 *  bench/native.ts), else OpenBLAS when linked in, else ours. */
static bool autoUsesBlas() {
#ifdef TY_OPENBLAS
  return bestGemmKernel() != GemmKernel::kAvx512;
#else
  return false;
#endif
}
static bool g_use_blas = autoUsesBlas();

static void gemmOne(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c,
                    int threads) {
  const int64_t lda = ta ? m : k, ldb = tb ? k : n;
#ifdef TY_OPENBLAS
  if (g_use_blas) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a,
                lda, b, ldb, 0.0f, c, n);
    return;
  }
#endif
  sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, n, threads);
}

// batchMatMul(heap, aOff, bOff, cOff, batchA, batchB, M, N, K, transA, transB)
// A: [batchA, M, K] (or [batchA, K, M] when transA), B: [batchB, K, N] (or [batchB, N, K]),
// C: [max(batchA, batchB), M, N]. A batch of 1 broadcasts.
static Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* a = F(heap, info, 1);
  const float* b = F(heap, info, 2);
  float* c = F(heap, info, 3);
  const int64_t batchA = N(info, 4), batchB = N(info, 5);
  const int64_t m = N(info, 6), n = N(info, 7), k = N(info, 8);
  const bool ta = info[9].As<Napi::Boolean>().Value(), tb = info[10].As<Napi::Boolean>().Value();
  const int64_t batch = std::max(batchA, batchB);
  const int64_t sa = batchA == 1 ? 0 : m * k, sb = batchB == 1 ? 0 : k * n;
  const int64_t flops = m * n * k;
  if (batch > 1 && g_threads > 1 && (flops <= (1 << 18) || batch >= 4 * g_threads)) {
    // Small matrices, or many of them (attention's B·H heads): one single-threaded GEMM per
    // worker, over fixed ranges of the batch.
    parallelFor(batch, flops, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; i++) gemmOne(ta, tb, m, n, k, a + i * sa, b + i * sb, c + i * m * n, 1);
    });
  } else {
    for (int64_t i = 0; i < batch; i++) gemmOne(ta, tb, m, n, k, a + i * sa, b + i * sb, c + i * m * n, g_gemm_threads);
  }
  return info.Env().Undefined();
}

// linear(heap, xOff, wOff, bOff, yOff, M, N, K): y[M×N] = x[M×K]·w[K×N] + b[N] (one kernel
// for the model's Conv1D layers; the bias is added while the rows are still in cache).
static Napi::Value Linear(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *x = F(heap, info, 1), *w = F(heap, info, 2), *b = F(heap, info, 3);
  float* y = F(heap, info, 4);
  const int64_t m = N(info, 5), n = N(info, 6), k = N(info, 7);
  gemmOne(false, false, m, n, k, x, w, y, g_gemm_threads);
  parallelFor(m, n, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      float* yr = y + i * n;
      for (int64_t j = 0; j < n; j++) yr[j] += b[j];
    }
  });
  return info.Env().Undefined();
}

// setGemm(name): "openblas" | "avx512" | "avx2" | "generic" | "auto" (autoUsesBlas). Returns false (and changes nothing) when this build or CPU
// cannot run it.
static Napi::Value SetGemm(const Napi::CallbackInfo& info) {
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  Napi::Env env = info.Env();
  if (name == "openblas") {
#ifdef TY_OPENBLAS
    g_use_blas = true;
    return Napi::Boolean::New(env, true);
#else
    return Napi::Boolean::New(env, false);
#endif
  }
  if (name == "auto") {
    setGemmKernel(bestGemmKernel());
    g_use_blas = autoUsesBlas();
    return Napi::Boolean::New(env, true);
  }
  for (GemmKernel k : {GemmKernel::kAvx512, GemmKernel::kAvx2, GemmKernel::kGeneric}) {
    if (name != gemmKernelName(k)) continue;
    if (!gemmKernelSupported(k)) return Napi::Boolean::New(env, false);
    setGemmKernel(k);
    g_use_blas = false;
    return Napi::Boolean::New(env, true);
  }
  return Napi::Boolean::New(env, false);
}

/** The GEMM in use: "openblas" or our kernel's name. */
std::string gemmInUse() { return g_use_blas ? "openblas" : gemmKernelName(gemmKernel()); }

void initMatmul(Napi::Env env, Napi::Object exports) {
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
  exports.Set("setGemm", Napi::Function::New(env, SetGemm));
  exports.Set("linear", Napi::Function::New(env, Linear));
}

}  // namespace ty
