// @fileoverview Shared helpers for the Trainyard native kernels: pointers into the wasm heap
// (an ArrayBuffer handed over from JS), the thread setting, and a deterministic parallel-for.
//
// Determinism: work is split into fixed contiguous ranges and every reduced value is summed
// by one thread in one fixed order, so results are bit-identical whatever the thread count.
#pragma once
#include <napi.h>
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <cmath>
#include <cstring>
#include <omp.h>

namespace ty {

/** Worker threads used by the element-wise kernels (BLAS has its own setting). */
extern int g_threads;
/** Threads of one large GEMM (ours or OpenBLAS's). */
extern int g_gemm_threads;
/** The GEMM in use ("openblas" or our kernel's name; matmul.cc). */
std::string gemmInUse();

/** Base address of the heap ArrayBuffer (args[0] of every kernel call). */
inline uint8_t* heapBase(const Napi::CallbackInfo& info) {
  return static_cast<uint8_t*>(info[0].As<Napi::ArrayBuffer>().Data());
}

/** float* at byte offset args[i] of the heap. */
inline float* F(uint8_t* heap, const Napi::CallbackInfo& info, size_t i) {
  return reinterpret_cast<float*>(heap + static_cast<size_t>(info[i].As<Napi::Number>().DoubleValue()));
}

inline int32_t* I(uint8_t* heap, const Napi::CallbackInfo& info, size_t i) {
  return reinterpret_cast<int32_t*>(heap + static_cast<size_t>(info[i].As<Napi::Number>().DoubleValue()));
}

inline int64_t N(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<int64_t>(info[i].As<Napi::Number>().DoubleValue());
}

inline double D(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().DoubleValue();
}

/**
 * Runs fn(begin, end) over [0, n) in at most g_threads fixed chunks; runs inline when the
 * work (n * cost) is too small to pay for waking threads.
 */
template <typename Fn>
inline void parallelFor(int64_t n, int64_t costPerItem, Fn fn) {
  const int64_t minWork = 1 << 18;
  int64_t chunks = std::min<int64_t>(g_threads, std::max<int64_t>(1, (n * costPerItem) / minWork));
  chunks = std::min<int64_t>(chunks, n);
  if (chunks <= 1) {
    if (n > 0) fn(0, n);
    return;
  }
#pragma omp parallel for num_threads(static_cast<int>(chunks)) schedule(static, 1)
  for (int64_t c = 0; c < chunks; c++) {
    const int64_t b = n * c / chunks, e = n * (c + 1) / chunks;
    if (b < e) fn(b, e);
  }
}

// exp(x) for float, branch-free so loops that call it vectorise (std::tanh/std::exp do not):
// Cephes-style range reduction x = n·ln2 + r, a degree-6 polynomial for e^r, and 2^n built in
// the exponent bits. Relative error ~2e-7 over the clamped range.
inline float fastExp(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

// Op codes of unary() / binary() / reduce(), one X-macro list each: the enum, the dispatch
// switches and the `exports.ops` table JS reads (addon.cc) all expand from the same list, so
// the codes cannot drift apart. X(enumerator, js name).
#define TY_UNARY_OPS(X)                                                                     \
  X(kExp, exp) X(kErf, erf) X(kTanh, tanh) X(kNeg, neg) X(kSqrt, sqrt) X(kRsqrt, rsqrt)     \
  X(kSquare, square) X(kLog, log) X(kRelu, relu) X(kSigmoid, sigmoid) X(kAbs, abs)         \
  X(kReciprocal, reciprocal)
#define TY_BINARY_OPS(X)                                                                    \
  X(kAdd, add) X(kSub, sub) X(kMul, mul) X(kDiv, div) X(kSqDiff, squaredDifference)         \
  X(kMax, maximum) X(kMin, minimum) X(kPow, pow)
#define TY_REDUCE_OPS(X) X(kSum, sum) X(kMaxR, max) X(kMean, mean)

#define TY_ENUMERATOR(id, name) id,
enum UnaryOp : int { TY_UNARY_OPS(TY_ENUMERATOR) };
enum BinaryOp : int { TY_BINARY_OPS(TY_ENUMERATOR) };
enum ReduceOp : int { TY_REDUCE_OPS(TY_ENUMERATOR) };
#undef TY_ENUMERATOR

/** Throws a JS TypeError for an op code outside `kind`'s list (instead of running some op). */
inline Napi::Value unknownOp(const Napi::CallbackInfo& info, const char* kind, int op) {
  Napi::TypeError::New(info.Env(), std::string(kind) + ": unknown op code " + std::to_string(op) +
                                       " (see the addon's ops." + kind + ")")
      .ThrowAsJavaScriptException();
  return info.Env().Undefined();
}

// Kernel groups register their functions on the exports object.
void initMatmul(Napi::Env env, Napi::Object exports);
void initElementwise(Napi::Env env, Napi::Object exports);
void initReduce(Napi::Env env, Napi::Object exports);
void initFused(Napi::Env env, Napi::Object exports);
void initAdamW(Napi::Env env, Napi::Object exports);
void initCopy(Napi::Env env, Napi::Object exports);
void initAttention(Napi::Env env, Napi::Object exports);

}  // namespace ty
