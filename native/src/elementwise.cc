// @fileoverview Element-wise float32 kernels: unary math and broadcasting binary ops.
// Broadcasting arrives pre-collapsed from JS: an output shape plus per-input strides
// (0 on broadcast dims), innermost dim last.
#include <cmath>
#include "common.h"

namespace ty {

// Op codes: enum UnaryOp / BinaryOp in common.h.

template <int OP>
static inline float unaryOp(float x) {
  switch (OP) {
    case kExp: return std::exp(x);
    case kErf: return std::erf(x);
    case kTanh: return std::tanh(x);
    case kNeg: return -x;
    case kSqrt: return std::sqrt(x);
    case kRsqrt: return 1.0f / std::sqrt(x);
    case kSquare: return x * x;
    case kLog: return std::log(x);
    case kRelu: return x > 0.0f ? x : 0.0f;
    case kSigmoid: return 1.0f / (1.0f + std::exp(-x));
    case kAbs: return std::fabs(x);
    case kReciprocal: return 1.0f / x;
  }
  return x;  // unreachable: OP is always one of TY_UNARY_OPS
}

template <int OP>
static void unaryLoop(const float* x, float* y, int64_t n) {
  parallelFor(n, OP == kNeg || OP == kSquare || OP == kRelu || OP == kAbs ? 1 : 8, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) y[i] = unaryOp<OP>(x[i]);
  });
}

// unary(heap, op, xOff, yOff, n); an op code outside UnaryOp throws a TypeError.
static Napi::Value UnaryFn(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const int op = static_cast<int>(N(info, 1));
  const float* x = F(heap, info, 2);
  float* y = F(heap, info, 3);
  const int64_t n = N(info, 4);
  switch (op) {
#define TY_CASE(id, name) case id: unaryLoop<id>(x, y, n); break;
    TY_UNARY_OPS(TY_CASE)
#undef TY_CASE
    default: return unknownOp(info, "unary", op);
  }
  return info.Env().Undefined();
}

template <int OP>
static inline float binaryOp(float a, float b) {
  switch (OP) {
    case kAdd: return a + b;
    case kSub: return a - b;
    case kMul: return a * b;
    case kDiv: return a / b;
    case kSqDiff: return (a - b) * (a - b);
    case kMax: return std::isnan(a) || std::isnan(b) ? NAN : (a > b ? a : b);
    case kMin: return std::isnan(a) || std::isnan(b) ? NAN : (a < b ? a : b);
    case kPow: return std::pow(a, b);
  }
  return a;  // unreachable: OP is always one of TY_BINARY_OPS
}

/** Strided loops: geom = [rank, shape..., aStrides..., bStrides...], rank <= 6. */
template <int OP>
static void binaryLoop(const float* a, const float* b, float* y, const int32_t* geom) {
  const int rank = geom[0];
  const int32_t* shape = geom + 1;
  const int32_t* sa = geom + 1 + rank;
  const int32_t* sb = geom + 1 + 2 * rank;
  const int64_t inner = shape[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  const int64_t ia = sa[rank - 1], ib = sb[rank - 1];
  parallelFor(rows, inner, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) {
      int64_t oa = 0, ob = 0, rem = r;
      for (int d = rank - 2; d >= 0; d--) {
        const int64_t idx = rem % shape[d];
        rem /= shape[d];
        oa += idx * sa[d];
        ob += idx * sb[d];
      }
      const float* pa = a + oa;
      const float* pb = b + ob;
      float* py = y + r * inner;
      if (ia == 1 && ib == 1) {
        for (int64_t i = 0; i < inner; i++) py[i] = binaryOp<OP>(pa[i], pb[i]);
      } else if (ia == 1) {
        const float vb = pb[0];
        for (int64_t i = 0; i < inner; i++) py[i] = binaryOp<OP>(pa[i], vb);
      } else if (ib == 1) {
        const float va = pa[0];
        for (int64_t i = 0; i < inner; i++) py[i] = binaryOp<OP>(va, pb[i]);
      } else {
        for (int64_t i = 0; i < inner; i++) py[i] = binaryOp<OP>(pa[i * ia], pb[i * ib]);
      }
    }
  });
}

// binary(heap, op, aOff, bOff, yOff, geom: Int32Array); an op code outside BinaryOp throws a TypeError.
static Napi::Value BinaryFn(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const int op = static_cast<int>(N(info, 1));
  const float* a = F(heap, info, 2);
  const float* b = F(heap, info, 3);
  float* y = F(heap, info, 4);
  Napi::Int32Array g = info[5].As<Napi::Int32Array>();
  const int32_t* geom = g.Data();
  switch (op) {
#define TY_CASE(id, name) case id: binaryLoop<id>(a, b, y, geom); break;
    TY_BINARY_OPS(TY_CASE)
#undef TY_CASE
    default: return unknownOp(info, "binary", op);
  }
  return info.Env().Undefined();
}

void initElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, UnaryFn));
  exports.Set("binary", Napi::Function::New(env, BinaryFn));
}

}  // namespace ty
