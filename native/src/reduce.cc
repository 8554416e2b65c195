// @fileoverview Sum / Max / Mean over a contiguous block of axes: the input is viewed as
// [outer, red, inner] and reduced over `red`. Each output is accumulated by one thread in a
// fixed order (8 lanes for row sums), so results do not depend on the thread count.
#include <cmath>
#include <limits>
#include "common.h"

namespace ty {

// Op codes: enum ReduceOp in common.h.

/** Sum of n contiguous floats, 8 interleaved lanes combined in a fixed order. */
static inline float rowSum(const float* x, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) acc[l] += x[i + l];
  float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; i++) s += x[i];
  return s;
}

static inline float rowMax(const float* x, int64_t n) {
  float m = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; i++) m = (x[i] > m || std::isnan(x[i])) ? x[i] : m;
  return m;
}

static void reduceInner(int op, const float* x, float* y, int64_t outer, int64_t red) {
  parallelFor(outer, red, [&](int64_t lo, int64_t hi) {
    for (int64_t o = lo; o < hi; o++) {
      const float* row = x + o * red;
      y[o] = op == kMaxR ? rowMax(row, red) : op == kMean ? rowSum(row, red) / static_cast<float>(red) : rowSum(row, red);
    }
  });
}

static void reduceStrided(int op, const float* x, float* y, int64_t outer, int64_t red, int64_t inner) {
  const int64_t block = 256;
  const int64_t blocks = (inner + block - 1) / block;
  parallelFor(outer * blocks, red * block, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; t++) {
      const int64_t o = t / blocks, i0 = (t % blocks) * block, i1 = std::min(inner, i0 + block);
      float* out = y + o * inner;
      const float* base = x + o * red * inner;
      for (int64_t i = i0; i < i1; i++) out[i] = op == kMaxR ? -std::numeric_limits<float>::infinity() : 0.0f;
      for (int64_t r = 0; r < red; r++) {
        const float* row = base + r * inner;
        if (op == kMaxR) {
          for (int64_t i = i0; i < i1; i++) out[i] = (row[i] > out[i] || std::isnan(row[i])) ? row[i] : out[i];
        } else {
          for (int64_t i = i0; i < i1; i++) out[i] += row[i];
        }
      }
      if (op == kMean)
        for (int64_t i = i0; i < i1; i++) out[i] /= static_cast<float>(red);
    }
  });
}

// reduce(heap, op, xOff, yOff, outer, red, inner); an op code outside ReduceOp throws a TypeError.
static Napi::Value Reduce(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const int op = static_cast<int>(N(info, 1));
  if (op != kSum && op != kMaxR && op != kMean) return unknownOp(info, "reduce", op);
  const float* x = F(heap, info, 2);
  float* y = F(heap, info, 3);
  const int64_t outer = N(info, 4), red = N(info, 5), inner = N(info, 6);
  if (inner == 1) reduceInner(op, x, y, outer, red);
  else reduceStrided(op, x, y, outer, red, inner);
  return info.Env().Undefined();
}

void initReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, Reduce));
}

}  // namespace ty
