// @fileoverview BatchMatMul through OpenBLAS sgemm, straight on the wasm heap. Transpose flags
// go to BLAS (no transposed copies). Batches of small matrices run in parallel, one sgemm
// per thread; large matrices use BLAS's own threads.
#include <cblas.h>
#include "common.h"

namespace ty {

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
  const int lda = ta ? m : k, ldb = tb ? k : n;
  auto one = [&](int64_t i) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                m, n, k, 1.0f, a + i * sa, lda, b + i * sb, ldb, 0.0f, c + i * m * n, n);
  };
  const int64_t flops = m * n * k;
  if (batch > 1 && g_threads > 1 && flops <= (1 << 18)) {
    // Small matrices: one single-threaded sgemm per worker (BLAS skips threading below its threshold).
    parallelFor(batch, flops, [&](int64_t lo, int64_t hi) { for (int64_t i = lo; i < hi; i++) one(i); });
  } else {
    for (int64_t i = 0; i < batch; i++) one(i);
  }
  return info.Env().Undefined();
}

void initMatmul(Napi::Env env, Napi::Object exports) {
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
}

}  // namespace ty
