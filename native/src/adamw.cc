// @fileoverview One-kernel AdamW step (PyTorch semantics: decoupled weight decay, bias
// correction) and a strided 2-D copy used by Concat/Split/Slice.
#include <cmath>
#include <cstring>
#include <vector>
#include "common.h"

namespace ty {

// adamw(heap, pOff, gOff, mOff, vOff, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, step,
//       gradScale) — the gradient is scaled first (global-norm clipping folded in).
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
  const float gs = info.Length() > 15 ? static_cast<float>(D(info, 15)) : 1.0f;
  const float bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(b1), step));
  const float bc2 = static_cast<float>(1.0 - std::pow(static_cast<double>(b2), step));
  const float decay = 1.0f - lr * wd;
  parallelFor(n, 8, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const float gi = gs == 1.0f ? g[i] : g[i] * gs;
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

// gatherRows(heap, tableOff, idsOff, outOff, n, rowBytes, rows): out[i] = table[ids[i]] (an id
// outside [0, rows) gives a row of zeros). The embedding lookup.
static Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const uint8_t* table = heap + static_cast<size_t>(D(info, 1));
  const int32_t* ids = I(heap, info, 2);
  uint8_t* out = heap + static_cast<size_t>(D(info, 3));
  const int64_t n = N(info, 4), bytes = N(info, 5), rows = N(info, 6);
  parallelFor(n, bytes / 16 + 1, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const int64_t id = ids[i];
      if (id >= 0 && id < rows) std::memcpy(out + i * bytes, table + id * bytes, bytes);
      else std::memset(out + i * bytes, 0, bytes);
    }
  });
  return info.Env().Undefined();
}

// segmentSum(heap, dataOff, idsOff, outOff, n, c, segments): out[s] = Σ_{i: ids[i] = s} data[i]
// (rows of c floats; ids outside [0, segments) are dropped). The embedding gradient. Parallel
// over column ranges, i ascending within each: deterministic.
static Napi::Value SegmentSum(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* data = F(heap, info, 1);
  const int32_t* ids = I(heap, info, 2);
  float* out = F(heap, info, 3);
  const int64_t n = N(info, 4), c = N(info, 5), segments = N(info, 6);
  const int64_t blocks = (c + 15) / 16;
  parallelFor(blocks, n * 16 + segments * 4, [&](int64_t lo, int64_t hi) {
    const int64_t c0 = lo * 16, c1 = std::min(c, hi * 16);
    for (int64_t s = 0; s < segments; s++) std::fill(out + s * c + c0, out + s * c + c1, 0.0f);
    for (int64_t i = 0; i < n; i++) {
      const int64_t id = ids[i];
      if (id < 0 || id >= segments) continue;
      float* o = out + id * c;
      const float* d = data + i * c;
      for (int64_t j = c0; j < c1; j++) o[j] += d[j];
    }
  });
  return info.Env().Undefined();
}

// sumSquares(heap, Float64Array [off0, n0, off1, n1, …]) → Σ over every tensor of Σ x² (the
// squared global gradient norm), in double: blocks of 4096 summed in order per tensor, tensors
// in order — deterministic for any thread count.
static Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  Napi::Float64Array spec = info[1].As<Napi::Float64Array>();
  const size_t count = spec.ElementLength() / 2;
  constexpr int64_t kBlock = 4096;
  // One partial per (tensor, block), computed in parallel, then added in order.
  std::vector<int64_t> first(count + 1, 0);
  for (size_t t = 0; t < count; t++) first[t + 1] = first[t] + (static_cast<int64_t>(spec[2 * t + 1]) + kBlock - 1) / kBlock;
  std::vector<double> partial(static_cast<size_t>(first[count]), 0.0);
  parallelFor(first[count], kBlock, [&](int64_t lo, int64_t hi) {
    size_t t = static_cast<size_t>(std::upper_bound(first.begin(), first.end(), lo) - first.begin()) - 1;
    for (int64_t pb = lo; pb < hi; pb++) {
      while (pb >= first[t + 1]) t++;
      const float* x = reinterpret_cast<const float*>(heap + static_cast<size_t>(spec[2 * t]));
      const int64_t n = static_cast<int64_t>(spec[2 * t + 1]);
      const int64_t b = (pb - first[t]) * kBlock, e = std::min(n, b + kBlock);
      float part[16] = {};
      int64_t i = b;
      for (; i + 16 <= e; i += 16)
        for (int l = 0; l < 16; l++) part[l] += x[i + l] * x[i + l];
      double s = 0.0;
      for (int l = 0; l < 16; l++) s += part[l];
      for (; i < e; i++) s += static_cast<double>(x[i]) * x[i];
      partial[static_cast<size_t>(pb)] = s;
    }
  });
  double total = 0.0;
  for (double v : partial) total += v;
  return Napi::Number::New(info.Env(), total);
}

void initAdamW(Napi::Env env, Napi::Object exports) {
  exports.Set("adamw", Napi::Function::New(env, AdamW));
  exports.Set("sumSquares", Napi::Function::New(env, SumSquares));
}

void initCopy(Napi::Env env, Napi::Object exports) {
  exports.Set("copy2d", Napi::Function::New(env, Copy2d));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows));
  exports.Set("segmentSum", Napi::Function::New(env, SegmentSum));
}

}  // namespace ty
