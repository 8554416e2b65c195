// @fileoverview Causal self-attention forward and backward from the fused projection qkv
// [B·T, 3C], as native/src/attention.cc computes it, built from device pieces: split heads,
// S = scale·Q·Kᵀ (batched GEMM over B·H), causal/segment softmax rows, Y = P·V, merge heads.
// The probabilities P [B, H, T, T] are kept for the backward pass.
#pragma once
#include "gemm.h"
#include "kernels.h"

namespace ty {

struct AttentionShape {
  int64_t B, T, H, C, hs;
  const int32_t* seg;
  float scale() const { return 1.0f / std::sqrt(static_cast<float>(hs)); }
  int64_t heads() const { return B * H; }
  int64_t headElems() const { return B * H * T * hs; }
};

/** C_i = alpha·op(A_i)·op(B_i) over the B·H heads, each A/B/C contiguous [rows, ld]. */
inline void headGemm(const AttentionShape& s, bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha,
                     const float* a, const float* b, float* c) {
  GemmArgs g{ta, tb, m, n, k, alpha, a, ta ? m : k, (ta ? k : m) * (ta ? m : k), b, tb ? k : n,
             (tb ? n : k) * (tb ? k : n), 0.0f, c, n, m * n, s.heads()};
  gemm(g);
}

inline void attentionForward(const AttentionShape& s, const float* qkv, float* y, float* probs) {
  const int64_t e = s.headElems();
  Scratch q(e * 4), k(e * 4), v(e * 4), yh(e * 4);
  forEach(e, HeadsF{const_cast<float*>(qkv), q.f(), k.f(), v.f(), s.B, s.T, s.H, s.hs, false});
  headGemm(s, false, true, s.T, s.T, s.hs, s.scale(), q.f(), k.f(), probs);  // S = scale·Q·Kᵀ
  forRows(s.heads() * s.T, CausalSoftmaxF{probs, s.seg, s.T, s.H});
  headGemm(s, false, false, s.T, s.hs, s.T, 1.0f, probs, v.f(), yh.f());     // Y = P·V
  forEach(e, MergeHeadsF{yh.f(), y, s.B, s.T, s.H, s.hs, false});
}

inline void attentionBackward(const AttentionShape& s, const float* dy, const float* qkv, const float* probs,
                              float* dqkv) {
  const int64_t e = s.headElems();
  Scratch q(e * 4), k(e * 4), v(e * 4), dyh(e * 4), dq(e * 4), dk(e * 4), dv(e * 4);
  Scratch dp(s.heads() * s.T * s.T * 4);
  forEach(e, HeadsF{const_cast<float*>(qkv), q.f(), k.f(), v.f(), s.B, s.T, s.H, s.hs, false});
  forEach(e, MergeHeadsF{dy, dyh.f(), s.B, s.T, s.H, s.hs, true});
  headGemm(s, true, false, s.T, s.hs, s.T, 1.0f, probs, dyh.f(), dv.f());    // dV = Pᵀ·dY
  headGemm(s, false, true, s.T, s.T, s.hs, 1.0f, dyh.f(), v.f(), dp.f());    // dP = dY·Vᵀ
  forRows(s.heads() * s.T, SoftmaxBackF{probs, dp.f(), s.T, s.scale()});      // dS
  headGemm(s, false, false, s.T, s.hs, s.T, 1.0f, dp.f(), k.f(), dq.f());    // dQ = dS·K
  headGemm(s, true, false, s.T, s.hs, s.T, 1.0f, dp.f(), q.f(), dk.f());     // dK = dSᵀ·Q
  forEach(e, HeadsF{dqkv, dq.f(), dk.f(), dv.f(), s.B, s.T, s.H, s.hs, true});
}

}  // namespace ty
