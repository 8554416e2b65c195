// @fileoverview The cuda addon's kernel bodies: functors with TY_HD call operators, launched by
// forEach / forRows (device.h) on the GPU or by host loops in the emulation build. The math
// follows the native backend (native/src/*.cc); summation order differs (lanes of a warp).
#pragma once
#include "device.h"

namespace ty {

// ---- element-wise ------------------------------------------------------------------------

// Op codes, same lists and order as the native addon (native/src/common.h) plus `floor`.
#define TYC_UNARY_OPS(X)                                                                     \
  X(kExp, exp) X(kErf, erf) X(kTanh, tanh) X(kNeg, neg) X(kSqrt, sqrt) X(kRsqrt, rsqrt)      \
  X(kSquare, square) X(kLog, log) X(kRelu, relu) X(kSigmoid, sigmoid) X(kAbs, abs)          \
  X(kReciprocal, reciprocal) X(kFloor, floor)
#define TYC_BINARY_OPS(X)                                                                    \
  X(kAdd, add) X(kSub, sub) X(kMul, mul) X(kDiv, div) X(kSqDiff, squaredDifference)          \
  X(kMax, maximum) X(kMin, minimum) X(kPow, pow)
#define TYC_REDUCE_OPS(X) X(kSum, sum) X(kMaxR, max) X(kMean, mean)

#define TYC_ENUMERATOR(id, name) id,
enum UnaryOp : int { TYC_UNARY_OPS(TYC_ENUMERATOR) };
enum BinaryOp : int { TYC_BINARY_OPS(TYC_ENUMERATOR) };
enum ReduceOp : int { TYC_REDUCE_OPS(TYC_ENUMERATOR) };
#undef TYC_ENUMERATOR

template <int OP>
TY_HD inline float unaryOp(float x) {
  switch (OP) {
    case kExp: return expf(x);
    case kErf: return erff(x);
    case kTanh: return tanhf(x);
    case kNeg: return -x;
    case kSqrt: return sqrtf(x);
    case kRsqrt: return 1.0f / sqrtf(x);
    case kSquare: return x * x;
    case kLog: return logf(x);
    case kRelu: return x > 0.0f ? x : 0.0f;
    case kSigmoid: return 1.0f / (1.0f + expf(-x));
    case kAbs: return fabsf(x);
    case kReciprocal: return 1.0f / x;
    case kFloor: return floorf(x);
  }
  return x;
}

template <int OP>
TY_HD inline float binaryOp(float a, float b) {
  switch (OP) {
    case kAdd: return a + b;
    case kSub: return a - b;
    case kMul: return a * b;
    case kDiv: return a / b;
    case kSqDiff: return (a - b) * (a - b);
    case kMax: return (a != a || b != b) ? NAN : (a > b ? a : b);
    case kMin: return (a != a || b != b) ? NAN : (a < b ? a : b);
    case kPow: return powf(a, b);
  }
  return a;
}

template <int OP>
struct UnaryF {
  const float* x;
  float* y;
  TY_HD void operator()(int64_t i) const { y[i] = unaryOp<OP>(x[i]); }
};

/** Up to 6 dims of an output shape with per-operand strides (0 on broadcast dims). */
struct Geom {
  static constexpr int kMax = 6;
  int rank;
  int64_t shape[kMax], sa[kMax], sb[kMax];
};

template <int OP>
struct BinaryF {
  const float *a, *b;
  float* y;
  Geom g;
  TY_HD void operator()(int64_t i) const {
    int64_t rem = i, oa = 0, ob = 0;
    for (int d = g.rank - 1; d >= 0; d--) {
      const int64_t idx = rem % g.shape[d];
      rem /= g.shape[d];
      oa += idx * g.sa[d];
      ob += idx * g.sb[d];
    }
    y[i] = binaryOp<OP>(a[oa], b[ob]);
  }
};

// ---- reductions over [outer, red, inner] --------------------------------------------------

template <int OP>
struct ReduceRowsF {  // inner == 1: one team per output
  const float* x;
  float* y;
  int64_t red;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const float* row = x + r * red;
    if (OP == kMaxR) {
      float m = -INFINITY;
      for (int64_t i = t.lane; i < red; i += t.size) m = (row[i] > m || row[i] != row[i]) ? row[i] : m;
      y[r] = t.max(m);
    } else {
      float s = 0.0f;
      for (int64_t i = t.lane; i < red; i += t.size) s += row[i];
      s = t.sum(s);
      y[r] = OP == kMean ? s / static_cast<float>(red) : s;
    }
  }
};

template <int OP>
struct ReduceStridedF {  // inner > 1: one thread per output, adjacent threads read adjacent floats
  const float* x;
  float* y;
  int64_t red, inner;
  TY_HD void operator()(int64_t i) const {
    const int64_t o = i / inner, j = i % inner;
    const float* base = x + o * red * inner + j;
    float acc = OP == kMaxR ? -INFINITY : 0.0f;
    for (int64_t r = 0; r < red; r++) {
      const float v = base[r * inner];
      if (OP == kMaxR) acc = (v > acc || v != v) ? v : acc;
      else acc += v;
    }
    y[i] = OP == kMean ? acc / static_cast<float>(red) : acc;
  }
};

/** Σ x² of block r (kBlock floats) of one tensor into partial[first + r] (double). */
struct SumSquaresF {
  static constexpr int64_t kBlock = 4096;
  const float* x;
  int64_t n;
  double* partial;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const int64_t b = r * kBlock, e = b + kBlock < n ? b + kBlock : n;
    float s = 0.0f;
    for (int64_t i = b + t.lane; i < e; i += t.size) s += x[i] * x[i];
    s = t.sum(s);
    if (t.lane == 0) partial[r] = s;
  }
};

/** out[0] = Σ partial (one thread, in order: deterministic). */
struct SumPartialsF {
  const double* partial;
  int64_t count;
  float* out;
  TY_HD void operator()(int64_t) const {
    double s = 0.0;
    for (int64_t i = 0; i < count; i++) s += partial[i];
    out[0] = static_cast<float>(s);
  }
};

// ---- fused transformer kernels ------------------------------------------------------------

struct LayerNormF {
  const float *x, *g, *b;
  float* y;
  int64_t c;
  float eps;
  float *mean, *rstd;  // per-row statistics (may be null)
  TY_HD void operator()(const Team& t, int64_t r) const {
    const float* xr = x + r * c;
    float s = 0.0f;
    for (int64_t i = t.lane; i < c; i += t.size) s += xr[i];
    const float mu = t.sum(s) / static_cast<float>(c);
    float v = 0.0f;
    for (int64_t i = t.lane; i < c; i += t.size) v += (xr[i] - mu) * (xr[i] - mu);
    const float rs = 1.0f / sqrtf(t.sum(v) / static_cast<float>(c) + eps);
    if (y)
      for (int64_t i = t.lane; i < c; i += t.size) y[r * c + i] = (xr[i] - mu) * rs * g[i] + b[i];
    if (t.lane == 0 && mean) { mean[r] = mu; rstd[r] = rs; }
  }
};

/** dx per row (statistics from LayerNormF); dgamma/dbeta by LayerNormParamGradF. */
struct LayerNormDxF {
  const float *dy, *x, *g, *mean, *rstd;
  float* dx;
  int64_t c;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const float *xr = x + r * c, *dyr = dy + r * c;
    const float mu = mean[r], rs = rstd[r];
    float sd = 0.0f, sdx = 0.0f;
    for (int64_t i = t.lane; i < c; i += t.size) {
      const float d = dyr[i] * g[i];
      sd += d;
      sdx += d * (xr[i] - mu) * rs;
    }
    sd = t.sum(sd) / static_cast<float>(c);
    sdx = t.sum(sdx) / static_cast<float>(c);
    for (int64_t i = t.lane; i < c; i += t.size) {
      const float xh = (xr[i] - mu) * rs;
      dx[r * c + i] = rs * (dyr[i] * g[i] - sd - xh * sdx);
    }
  }
};

/** Column partial sums over row block p: pg/pb [parts, c]. */
struct LayerNormParamGradF {
  const float *dy, *x, *mean, *rstd;
  float *pg, *pb;
  int64_t rows, c, parts;
  TY_HD void operator()(int64_t i) const {
    const int64_t p = i / c, j = i % c;
    const int64_t r0 = rows * p / parts, r1 = rows * (p + 1) / parts;
    float sg = 0.0f, sb = 0.0f;
    for (int64_t r = r0; r < r1; r++) {
      const float d = dy[r * c + j];
      sg += d * (x[r * c + j] - mean[r]) * rstd[r];
      sb += d;
    }
    pg[i] = sg;
    pb[i] = sb;
  }
};

/** out[j] = Σ_p part[p, j] (in order). */
struct SumPartsF {
  const float* part;
  float* out;
  int64_t parts, c;
  TY_HD void operator()(int64_t j) const {
    float s = 0.0f;
    for (int64_t p = 0; p < parts; p++) s += part[p * c + j];
    out[j] = s;
  }
};

constexpr float kGeluS = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluA = 0.044715f;

struct GeluF {
  const float* x;
  float* y;
  TY_HD void operator()(int64_t i) const {
    const float v = x[i];
    y[i] = 0.5f * v * (1.0f + tanhf(kGeluS * (v + kGeluA * v * v * v)));
  }
};

struct GeluGradF {
  const float *dy, *x;
  float* dx;
  TY_HD void operator()(int64_t i) const {
    const float v = x[i];
    const float t = tanhf(kGeluS * (v + kGeluA * v * v * v));
    dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * kGeluS * (1.0f + 3.0f * kGeluA * v * v));
  }
};

/** Row max and Σ exp(x − max) of a team's row. */
TY_HD inline void rowMaxSum(const Team& t, const float* row, int64_t v, float& m, float& s) {
  float mx = -INFINITY;
  for (int64_t i = t.lane; i < v; i += t.size) mx = row[i] > mx ? row[i] : mx;
  m = t.max(mx);
  float acc = 0.0f;
  for (int64_t i = t.lane; i < v; i += t.size) acc += expf(row[i] - m);
  s = t.sum(acc);
}

struct SoftmaxF {
  const float* x;
  float* y;
  int64_t v;
  TY_HD void operator()(const Team& t, int64_t r) const {
    float m, s;
    rowMaxSum(t, x + r * v, v, m, s);
    const float inv = 1.0f / s;
    for (int64_t i = t.lane; i < v; i += t.size) y[r * v + i] = expf(x[r * v + i] - m) * inv;
  }
};

/** loss[r] = logsumexp(row) − row[label]; a label outside [0, V) gives 0. */
struct SoftmaxCEF {
  const float* z;
  const int32_t* labels;
  float* loss;
  int64_t v;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const int32_t lab = labels[r];
    if (lab < 0 || lab >= v) {
      if (t.lane == 0) loss[r] = 0.0f;
      return;
    }
    float m, s;
    rowMaxSum(t, z + r * v, v, m, s);
    if (t.lane == 0) loss[r] = m + logf(s) - z[r * v + lab];
  }
};

struct SoftmaxCEGradF {
  const float *dloss, *z;
  const int32_t* labels;
  float* dz;
  int64_t v;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const int32_t lab = labels[r];
    float* out = dz + r * v;
    if (lab < 0 || lab >= v) {
      for (int64_t i = t.lane; i < v; i += t.size) out[i] = 0.0f;
      return;
    }
    float m, s;
    rowMaxSum(t, z + r * v, v, m, s);
    const float inv = 1.0f / s, d = dloss[r];
    for (int64_t i = t.lane; i < v; i += t.size) out[i] = (expf(z[r * v + i] - m) * inv - (i == lab ? 1.0f : 0.0f)) * d;
  }
};

/** One AdamW step (PyTorch semantics), the clip scale folded into the gradient. Outputs may alias inputs. */
struct AdamWF {
  const float *p, *g, *m, *v;
  float *po, *mo, *vo;
  float lr, b1, b2, eps, decay, bc1, bc2, gs;
  TY_HD void operator()(int64_t i) const {
    const float gi = g[i] * gs;
    const float mi = b1 * m[i] + (1.0f - b1) * gi;
    const float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    const float denom = sqrtf(vi / bc2) + eps;
    po[i] = p[i] * decay - lr * (mi / bc1) / denom;
    mo[i] = mi;
    vo[i] = vi;
  }
};

// ---- layout: gather, scatter-add, transpose, slice, pad, cast, fill, one-hot ---------------

/** out[i, :] = table[ids[i], :] (4-byte elements); an id outside [0, rows) gives zeros. */
struct GatherRowsF {
  const uint32_t* table;
  const int32_t* ids;
  uint32_t* out;
  int64_t rowElems, rows;
  TY_HD void operator()(int64_t i) const {
    const int64_t r = i / rowElems, j = i % rowElems;
    const int64_t id = ids[r];
    out[i] = (id >= 0 && id < rows) ? table[id * rowElems + j] : 0u;
  }
};

/** out[ids[i], :] += data[i, :] (out zeroed first; ids outside [0, segments) dropped). */
struct SegmentSumF {
  const float* data;
  const int32_t* ids;
  float* out;
  int64_t c, segments;
  TY_HD void operator()(int64_t i) const {
    const int64_t r = i / c, j = i % c;
    const int64_t id = ids[r];
    if (id >= 0 && id < segments) atomicAddF(out + id * c + j, data[i]);
  }
};

/** A gather by output index: in = Σ_d idx_d·stride_d + offset (transpose, slice, pad). */
struct IndexMap {
  static constexpr int kMax = 6;
  int rank;
  int64_t outShape[kMax], inStride[kMax], before[kMax], inShape[kMax];
  int64_t offset;
};

template <class E>
struct RemapF {
  const E* x;
  E* y;
  IndexMap map;
  E fill;
  TY_HD void operator()(int64_t i) const {
    int64_t rem = i, src = map.offset;
    bool inside = true;
    for (int d = map.rank - 1; d >= 0; d--) {
      const int64_t idx = rem % map.outShape[d] - map.before[d];
      rem /= map.outShape[d];
      if (idx < 0 || idx >= map.inShape[d]) inside = false;
      src += idx * map.inStride[d];
    }
    y[i] = inside ? x[src] : fill;
  }
};

enum DType : int { kFloat32 = 0, kInt32 = 1, kBool = 2 };

template <class A, class B>
struct CastF {
  const A* x;
  B* y;
  TY_HD void operator()(int64_t i) const {
    if (sizeof(B) == 1) y[i] = static_cast<B>(x[i] != 0);
    else y[i] = static_cast<B>(x[i]);
  }
};

template <class E>
struct FillF {
  E* y;
  E value;
  TY_HD void operator()(int64_t i) const { y[i] = value; }
};

template <class E>
struct OneHotF {
  const int32_t* ids;
  E* y;
  int64_t depth;
  E on, off;
  TY_HD void operator()(int64_t i) const { y[i] = ids[i / depth] == i % depth ? on : off; }
};

/** Rounds float32 to tf32 (10 mantissa bits) or bf16 (7), nearest-even: what tensor cores
 *  read; the emulation build rounds GEMM inputs with it so `precision` is testable. */
TY_HD inline float roundMantissa(float x, int keepBits) {
  uint32_t u;
  memcpy(&u, &x, 4);
  if ((u & 0x7f800000u) == 0x7f800000u) return x;  // inf / nan
  const int drop = 23 - keepBits;
  const uint32_t half = 1u << (drop - 1), lsb = (u >> drop) & 1u;
  u = (u + half - 1 + lsb) & ~((1u << drop) - 1);
  memcpy(&x, &u, 4);
  return x;
}

struct RoundF {
  const float* x;
  float* y;
  int keepBits;
  TY_HD void operator()(int64_t i) const { y[i] = roundMantissa(x[i], keepBits); }
};

// ---- attention pieces (attention.h composes them with batched GEMMs) ----------------------

/** qkv [B·T, 3C] → q, k, v [B, H, T, hs] (part 0/1/2), or the reverse (merge = true). */
struct HeadsF {
  float* qkv;
  float *q, *k, *v;
  int64_t B, T, H, hs;
  bool merge;
  TY_HD void operator()(int64_t i) const {  // i over B·H·T·hs
    const int64_t d = i % hs, t = (i / hs) % T, h = (i / (hs * T)) % H, b = i / (hs * T * H);
    const int64_t C = H * hs;
    float* row = qkv + (b * T + t) * 3 * C + h * hs + d;
    if (merge) {
      row[0] = q[i];
      row[C] = k[i];
      row[2 * C] = v[i];
    } else {
      q[i] = row[0];
      k[i] = row[C];
      v[i] = row[2 * C];
    }
  }
};

/** y [B, H, T, hs] ↔ [B·T, C] (heads merged). */
struct MergeHeadsF {
  const float* src;
  float* dst;
  int64_t B, T, H, hs;
  bool split;  // false: [B,H,T,hs] → [B·T,C]; true: the reverse
  TY_HD void operator()(int64_t i) const {
    const int64_t d = i % hs, t = (i / hs) % T, h = (i / (hs * T)) % H, b = i / (hs * T * H);
    const int64_t j = (b * T + t) * H * hs + h * hs + d;
    if (split) dst[i] = src[j];
    else dst[j] = src[i];
  }
};

/** Row (bh, i) of the scores [B·H, T, T] (already scaled): causal (and same-segment) softmax in place. */
struct CausalSoftmaxF {
  float* s;
  const int32_t* seg;  // [B·T] or null
  int64_t T, H;
  TY_HD bool allowed(int64_t b, int64_t i, int64_t j) const {
    return j <= i && (seg == nullptr || seg[b * T + i] == seg[b * T + j]);
  }
  TY_HD void operator()(const Team& t, int64_t r) const {
    const int64_t i = r % T, b = r / (T * H);
    float* row = s + r * T;
    float mx = -INFINITY;
    for (int64_t j = t.lane; j <= i; j += t.size) if (allowed(b, i, j)) mx = row[j] > mx ? row[j] : mx;
    mx = t.max(mx);
    float acc = 0.0f;
    for (int64_t j = t.lane; j < T; j += t.size) {
      const float e = allowed(b, i, j) ? expf(row[j] - mx) : 0.0f;
      row[j] = e;
      acc += e;
    }
    const float inv = 1.0f / t.sum(acc);
    for (int64_t j = t.lane; j <= i; j += t.size) row[j] *= inv;
  }
};

/** dS = P ∘ (dP − rowsum(P ∘ dP)) · scale, in place over dP (masked entries of P are 0). */
struct SoftmaxBackF {
  const float* p;
  float* dp;
  int64_t T;
  float scale;
  TY_HD void operator()(const Team& t, int64_t r) const {
    const float *pr = p + r * T;
    float* dr = dp + r * T;
    float dot = 0.0f;
    for (int64_t j = t.lane; j < T; j += t.size) dot += pr[j] * dr[j];
    dot = t.sum(dot);
    for (int64_t j = t.lane; j < T; j += t.size) dr[j] = pr[j] * (dr[j] - dot) * scale;
  }
};

/** Broadcasts bias [n] into every row of y [m, n] (the GEMM then adds x·w with beta = 1). */
struct BiasRowsF {
  const float* b;
  float* y;
  int64_t n;
  TY_HD void operator()(int64_t i) const { y[i] = b[i % n]; }
};

}  // namespace ty
