// @fileoverview Causal self-attention as one forward and one backward kernel, straight from the
// fused qkv projection [B·T, 3C] to the merged heads [B·T, C] (no split, reshape, transpose,
// scale, mask or softmax kernels in between). Optional segment ids give the block-diagonal
// mask of packed rows: token i attends to j ≤ i of its own segment. The forward keeps the
// attention probabilities P [B, H, T, T] for the backward pass.
//
// Per head, the four products are our GEMM (single-threaded, on the strided rows of qkv: no
// copies); the heads run in parallel (each writes only its own columns of the outputs), every
// sum in one fixed order: results are bit-identical whatever the thread count. The causal
// products compute the full T×T and zero the upper triangle: at these sizes a dense GEMM at
// full speed beats a triangular loop.
#include <cmath>
#include <cstring>
#include <vector>
#include "common.h"
#include "gemm.h"

namespace ty {

namespace {

/** Σ a_j·b_j (b null: Σ a_j) in 16 interleaved partial sums added in order: vectorizable and
 *  deterministic. */
inline float dotOrSum(const float* a, const float* b, int64_t n) {
  float part[16] = {};
  int64_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) part[l] += b ? a[j + l] * b[j + l] : a[j + l];
  float s = 0.0f;
  for (int l = 0; l < 16; l++) s += part[l];
  for (; j < n; j++) s += b ? a[j] * b[j] : a[j];
  return s;
}

struct Geometry {
  int64_t B, T, H, hs, C;
  float scale;
  const int32_t* seg;  // [B·T] or null (plain causal)
  bool allowed(int64_t b, int64_t i, int64_t j) const {
    return j <= i && (seg == nullptr || seg[b * T + i] == seg[b * T + j]);
  }
};

/** Softmax of score row i in place (scaled, masked: P_ij = 0 where j may not be attended). */
void softmaxRow(const Geometry& g, int64_t b, int64_t i, float* pr) {
  const int64_t n = i + 1;
  for (int64_t j = 0; j < n; j++) pr[j] *= g.scale;
  if (g.seg != nullptr) {
    const int32_t* sr = g.seg + b * g.T;
    for (int64_t j = 0; j < n; j++) pr[j] = sr[j] == sr[i] ? pr[j] : -INFINITY;
  }
  float mx = -INFINITY;
  for (int64_t j = 0; j < n; j++) mx = pr[j] > mx ? pr[j] : mx;
  for (int64_t j = 0; j < n; j++) pr[j] = pr[j] == -INFINITY ? 0.0f : fastExp(pr[j] - mx);
  const float inv = 1.0f / dotOrSum(pr, nullptr, n);
  for (int64_t j = 0; j < n; j++) pr[j] *= inv;
  for (int64_t j = n; j < g.T; j++) pr[j] = 0.0f;
}

/**
 * Forward of head (b, h): S = Q·Kᵀ (our GEMM, straight from the strided qkv rows), P = causal
 * softmax(scale·S) row by row, y = P·V into the head's columns of y.
 */
void headForward(const Geometry& g, int64_t b, int64_t h, const float* qkv, float* y, float* p) {
  const int64_t T = g.T, hs = g.hs, C = g.C, row = 3 * C;
  const float* q = qkv + b * T * row + h * hs;
  float* ph = p + (b * g.H + h) * T * T;
  sgemm(false, true, T, T, hs, q, row, q + C, row, ph, T, 1);  // [T, hs]·[T, hs]ᵀ → [T, T]
  for (int64_t i = 0; i < T; i++) softmaxRow(g, b, i, ph + i * T);
  sgemm(false, false, T, hs, T, ph, T, q + 2 * C, row, y + b * T * C + h * hs, C, 1);  // [T, T]·[T, hs]
}

/**
 * Backward of head (b, h) into its q/k/v columns of dqkv: dV = Pᵀ·dY, dP = dY·Vᵀ,
 * dS = P ∘ (dP − rowsum(P ∘ dP)) · scale, dQ = dS·K, dK = dSᵀ·Q. Scratch dp: [T, T].
 */
void headBackward(const Geometry& g, int64_t b, int64_t h, const float* dy, const float* qkv, const float* p,
                  float* dqkv, float* dp) {
  const int64_t T = g.T, hs = g.hs, C = g.C, row = 3 * C;
  const float* q = qkv + b * T * row + h * hs;
  const float* dyh = dy + b * T * C + h * hs;
  float* dq = dqkv + b * T * row + h * hs;
  const float* ph = p + (b * g.H + h) * T * T;
  sgemm(true, false, T, hs, T, ph, T, dyh, C, dq + 2 * C, row, 1);  // dV = Pᵀ·dY
  sgemm(false, true, T, T, hs, dyh, C, q + 2 * C, row, dp, T, 1);   // dP = dY·Vᵀ
  for (int64_t i = 0; i < T; i++) {
    const float* pr = ph + i * T;
    float* dr = dp + i * T;
    const float dot = dotOrSum(pr, dr, i + 1);
    for (int64_t j = 0; j <= i; j++) dr[j] = pr[j] * (dr[j] - dot) * g.scale;
    for (int64_t j = i + 1; j < T; j++) dr[j] = 0.0f;
  }
  sgemm(false, false, T, hs, T, dp, T, q + C, row, dq, row, 1);     // dQ = dS·K
  sgemm(true, false, T, hs, T, dp, T, q, row, dq + C, row, 1);      // dK = dSᵀ·Q
}

Geometry geometry(const Napi::CallbackInfo& info, uint8_t* heap, size_t at) {
  Geometry g;
  g.B = N(info, at);
  g.T = N(info, at + 1);
  g.H = N(info, at + 2);
  g.C = N(info, at + 3);
  g.hs = g.C / g.H;
  g.scale = 1.0f / std::sqrt(static_cast<float>(g.hs));
  const double segOff = D(info, at + 4);
  g.seg = segOff < 0 ? nullptr : reinterpret_cast<const int32_t*>(heap + static_cast<size_t>(segOff));
  return g;
}

}  // namespace

// attention(heap, qkvOff, yOff, pOff, B, T, H, C, segOff | -1)
static Napi::Value Attention(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* qkv = F(heap, info, 1);
  float *y = F(heap, info, 2), *p = F(heap, info, 3);
  const Geometry g = geometry(info, heap, 4);
  parallelFor(g.B * g.H, g.T * g.T * g.hs * 2, [&](int64_t lo, int64_t hi) {
    for (int64_t bh = lo; bh < hi; bh++) headForward(g, bh / g.H, bh % g.H, qkv, y, p);
  });
  return info.Env().Undefined();
}

// attentionGrad(heap, dyOff, qkvOff, pOff, dqkvOff, B, T, H, C, segOff | -1)
static Napi::Value AttentionGrad(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *dy = F(heap, info, 1), *qkv = F(heap, info, 2), *p = F(heap, info, 3);
  float* dqkv = F(heap, info, 4);
  const Geometry g = geometry(info, heap, 5);
  parallelFor(g.B * g.H, g.T * g.T * g.hs * 4, [&](int64_t lo, int64_t hi) {
    std::vector<float> dp(static_cast<size_t>(g.T * g.T));
    for (int64_t bh = lo; bh < hi; bh++) headBackward(g, bh / g.H, bh % g.H, dy, qkv, p, dqkv, dp.data());
  });
  return info.Env().Undefined();
}

void initAttention(Napi::Env env, Napi::Object exports) {
  exports.Set("attention", Napi::Function::New(env, Attention));
  exports.Set("attentionGrad", Napi::Function::New(env, AttentionGrad));
}

}  // namespace ty
