// @fileoverview Trainyard's own SGEMM, so that the native backend needs only a C++ compiler.
// One blocked implementation (gemm_kernel.inc: packing, register-tiled micro-kernel, both
// cores through OpenMP with fixed work ranges) compiled three times: AVX-512 (12×32 tile),
// AVX2+FMA (6×16) and a portable 4-wide version (SSE2 on x86-64, plain C++ elsewhere). The
// best one the CPU supports is chosen at run time; `setGemm` can force any of them (tests run
// each against a reference, the bench compares them with OpenBLAS when it is linked in).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include "common.h"
#include "gemm.h"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace ty {

namespace {

/** A grow-only 64-byte-aligned float buffer. */
class GemmBuffer {
 public:
  ~GemmBuffer() { std::free(data_); }
  float* get(int64_t floats) {
    if (floats > size_) {
      std::free(data_);
      size_ = std::max<int64_t>(floats, size_ * 2);
      data_ = static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>((size_ * 4 + 63) / 64 * 64)));
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  int64_t size_ = 0;
};

// Packed B belongs to the thread that calls sgemm (its workers only read it); packed A to each
// worker. Both thread-local, so concurrent sgemm calls (one per batch item) never share.
GemmBuffer& sharedBBuffer() {
  static thread_local GemmBuffer buf;
  return buf;
}
GemmBuffer& threadABuffer() {
  static thread_local GemmBuffer buf;
  return buf;
}

}  // namespace

#if defined(__x86_64__) || defined(__i386__)
#pragma GCC push_options
#pragma GCC target("avx512f,fma")
namespace gemm_avx512 {
#define TY_VW 16
#define TY_MR 12
#define TY_NRV 2
#define TY_SPLAT _mm512_set1_ps
#include "gemm_kernel.inc"
#undef TY_VW
#undef TY_MR
#undef TY_NRV
#undef TY_SPLAT
}  // namespace gemm_avx512
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace gemm_avx2 {
#define TY_VW 8
#define TY_MR 6
#define TY_NRV 2
#define TY_SPLAT _mm256_set1_ps
#include "gemm_kernel.inc"
#undef TY_VW
#undef TY_MR
#undef TY_NRV
#undef TY_SPLAT
}  // namespace gemm_avx2
#pragma GCC pop_options
#endif

// The portable version: no target pragma, so it runs wherever the rest of the addon runs.
// (With -march=native the compiler may still use what this CPU has; TRAINYARD_NATIVE_PORTABLE=1
// builds without it.)
namespace gemm_generic {
#define TY_VW 4
#define TY_MR 4
#define TY_NRV 2
#include "gemm_kernel.inc"
#undef TY_VW
#undef TY_MR
#undef TY_NRV
}  // namespace gemm_generic

namespace {

GemmKernel detectKernel() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return GemmKernel::kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return GemmKernel::kAvx2;
#endif
  return GemmKernel::kGeneric;
}

GemmKernel g_best = detectKernel();
GemmKernel g_kernel = g_best;

}  // namespace

GemmKernel bestGemmKernel() { return g_best; }
GemmKernel gemmKernel() { return g_kernel; }

bool gemmKernelSupported(GemmKernel k) {
  switch (k) {
    case GemmKernel::kGeneric: return true;
    case GemmKernel::kAvx2: return g_best == GemmKernel::kAvx2 || g_best == GemmKernel::kAvx512;
    case GemmKernel::kAvx512: return g_best == GemmKernel::kAvx512;
  }
  return false;
}

void setGemmKernel(GemmKernel k) { g_kernel = k; }

const char* gemmKernelName(GemmKernel k) {
  switch (k) {
    case GemmKernel::kAvx512: return "avx512";
    case GemmKernel::kAvx2: return "avx2";
    case GemmKernel::kGeneric: return "generic";
  }
  return "?";
}

void sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float* c, int64_t ldc, int threads) {
  switch (g_kernel) {
#if defined(__x86_64__) || defined(__i386__)
    case GemmKernel::kAvx512: return gemm_avx512::sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, threads);
    case GemmKernel::kAvx2: return gemm_avx2::sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, threads);
#endif
    default: return gemm_generic::sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, threads);
  }
}

}  // namespace ty
