// @fileoverview One-kernel AdamW step (PyTorch semantics: decoupled weight decay, bias
// correction) and a strided 2-D copy used by Concat/Split/Slice.
#include <cmath>
#include <cstring>
#include "common.h"

namespace ty {

// adamw(heap, pOff, gOff, mOff, vOff, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, step)
// Outputs may alias inputs (in-place update).
static Napi::Value AdamW(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *p = F(heap, info, 1), *g = F(heap, info, 2), *m = F(heap, info, 3), *v = F(heap, info, 4);
  float *po = F(heap, info, 5), *mo = F(heap, info, 6), *vo = F(heap, info, 7);
  const int64_t n = N(info, 8);
  const float lr = static_cast<float>(D(info, 9)), b1 = static_cast<float>(D(info, 10));
  const float b2 = static_cast<float>(D(info, 11)), eps = static_cast<float>(D(info, 12));
  const float wd = static_cast<float>(D(info, 13));
  const double step = D(info, 14);
  const float bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(b1), step));
  const float bc2 = static_cast<float>(1.0 - std::pow(static_cast<double>(b2), step));
  const float decay = 1.0f - lr * wd;
  parallelFor(n, 8, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const float gi = g[i];
      const float mi = b1 * m[i] + (1.0f - b1) * gi;
      const float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
      const float denom = std::sqrt(vi / bc2) + eps;
      po[i] = p[i] * decay - lr * (mi / bc1) / denom;
      mo[i] = mi;
      vo[i] = vi;
    }
  });
  return info.Env().Undefined();
}

// copy2d(heap, srcOff, dstOff, rows, rowBytes, srcStrideBytes, dstStrideBytes)
static Napi::Value Copy2d(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const uint8_t* src = heap + static_cast<size_t>(D(info, 1));
  uint8_t* dst = heap + static_cast<size_t>(D(info, 2));
  const int64_t rows = N(info, 3), bytes = N(info, 4), ss = N(info, 5), ds = N(info, 6);
  parallelFor(rows, bytes / 16 + 1, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) std::memcpy(dst + r * ds, src + r * ss, bytes);
  });
  return info.Env().Undefined();
}

void initAdamW(Napi::Env env, Napi::Object exports) {
  exports.Set("adamw", Napi::Function::New(env, AdamW));
}

void initCopy(Napi::Env env, Napi::Object exports) {
  exports.Set("copy2d", Napi::Function::New(env, Copy2d));
}

}  // namespace ty
