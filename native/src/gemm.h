// @fileoverview Trainyard's own SGEMM (gemm.cc): C = op(A)·op(B), row-major, float32.
#pragma once
#include <cstdint>

namespace ty {

/** The micro-kernel variants compiled into the addon. */
enum class GemmKernel : int { kGeneric = 0, kAvx2 = 1, kAvx512 = 2 };

/** The best variant this CPU supports (detected once at load). */
GemmKernel bestGemmKernel();
/** The variant sgemm uses now. */
GemmKernel gemmKernel();
/** Whether this CPU can run variant k. */
bool gemmKernelSupported(GemmKernel k);
/** Forces variant k (the caller checks gemmKernelSupported). */
void setGemmKernel(GemmKernel k);
const char* gemmKernelName(GemmKernel k);

/**
 * C[m×n] = op(A)[m×k] · op(B)[k×n] with op = transpose when ta/tb; row-major with leading
 * dimensions lda, ldb, ldc. Runs on up to `threads` threads; the result is bit-identical for
 * any thread count.
 */
void sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float* c, int64_t ldc, int threads);

}  // namespace ty
