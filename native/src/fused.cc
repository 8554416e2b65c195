// @fileoverview Fused transformer kernels: LayerNorm (fwd+bwd), GELU tanh approximation
// (fwd+bwd), softmax over the last axis, and softmax + cross-entropy (fwd+bwd).
// Row-parallel; cross-row sums (dgamma, dbeta) use a fixed number of partial blocks summed
// in order, so results do not depend on the thread count.
#include <cmath>
#include <cstring>
#include <vector>
#include "common.h"

namespace ty {

static constexpr int64_t kPartials = 16;

// layerNorm(heap, xOff, gOff, bOff, yOff, rows, C, eps)
static Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *x = F(heap, info, 1), *g = F(heap, info, 2), *b = F(heap, info, 3);
  float* y = F(heap, info, 4);
  const int64_t rows = N(info, 5), c = N(info, 6);
  const float eps = static_cast<float>(D(info, 7));
  parallelFor(rows, c * 4, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) {
      const float* xr = x + r * c;
      float* yr = y + r * c;
      float mean = 0, var = 0;
      for (int64_t i = 0; i < c; i++) mean += xr[i];
      mean /= static_cast<float>(c);
      for (int64_t i = 0; i < c; i++) var += (xr[i] - mean) * (xr[i] - mean);
      const float rstd = 1.0f / std::sqrt(var / static_cast<float>(c) + eps);
      for (int64_t i = 0; i < c; i++) yr[i] = (xr[i] - mean) * rstd * g[i] + b[i];
    }
  });
  return info.Env().Undefined();
}

// layerNormGrad(heap, dyOff, xOff, gOff, dxOff, dgOff, dbOff, rows, C, eps)
static Napi::Value LayerNormGrad(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *dy = F(heap, info, 1), *x = F(heap, info, 2), *g = F(heap, info, 3);
  float *dx = F(heap, info, 4), *dg = F(heap, info, 5), *db = F(heap, info, 6);
  const int64_t rows = N(info, 7), c = N(info, 8);
  const float eps = static_cast<float>(D(info, 9));
  const int64_t parts = std::min(kPartials, std::max<int64_t>(rows, 1));
  std::vector<float> pg(parts * c, 0.0f), pb(parts * c, 0.0f);
  parallelFor(parts, rows * c * 8 / parts, [&](int64_t plo, int64_t phi) {
    std::vector<float> xhat(c);
    for (int64_t p = plo; p < phi; p++) {
      float *gp = pg.data() + p * c, *bp = pb.data() + p * c;
      for (int64_t r = rows * p / parts; r < rows * (p + 1) / parts; r++) {
        const float *xr = x + r * c, *dyr = dy + r * c;
        float mean = 0, var = 0;
        for (int64_t i = 0; i < c; i++) mean += xr[i];
        mean /= static_cast<float>(c);
        for (int64_t i = 0; i < c; i++) var += (xr[i] - mean) * (xr[i] - mean);
        const float rstd = 1.0f / std::sqrt(var / static_cast<float>(c) + eps);
        float sumD = 0, sumDX = 0;
        for (int64_t i = 0; i < c; i++) {
          xhat[i] = (xr[i] - mean) * rstd;
          const float d = dyr[i] * g[i];
          sumD += d;
          sumDX += d * xhat[i];
          gp[i] += dyr[i] * xhat[i];
          bp[i] += dyr[i];
        }
        const float mD = sumD / static_cast<float>(c), mDX = sumDX / static_cast<float>(c);
        float* dxr = dx + r * c;
        for (int64_t i = 0; i < c; i++) dxr[i] = rstd * (dyr[i] * g[i] - mD - xhat[i] * mDX);
      }
    }
  });
  for (int64_t i = 0; i < c; i++) {
    float sg = 0, sb = 0;
    for (int64_t p = 0; p < parts; p++) { sg += pg[p * c + i]; sb += pb[p * c + i]; }
    dg[i] = sg;
    db[i] = sb;
  }
  return info.Env().Undefined();
}

static constexpr float kGeluS = 0.7978845608028654f;  // sqrt(2/pi)
static constexpr float kGeluA = 0.044715f;

// tanh(u) = 1 − 2/(e^{2u} + 1); saturates cleanly to ±1.
static inline float fastTanh(float u) { return 1.0f - 2.0f / (fastExp(2.0f * u) + 1.0f); }

// gelu(heap, xOff, yOff, n)
static Napi::Value Gelu(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* x = F(heap, info, 1);
  float* y = F(heap, info, 2);
  parallelFor(N(info, 3), 16, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const float v = x[i];
      y[i] = 0.5f * v * (1.0f + fastTanh(kGeluS * (v + kGeluA * v * v * v)));
    }
  });
  return info.Env().Undefined();
}

// geluGrad(heap, dyOff, xOff, dxOff, n)
static Napi::Value GeluGrad(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *dy = F(heap, info, 1), *x = F(heap, info, 2);
  float* dx = F(heap, info, 3);
  parallelFor(N(info, 4), 16, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const float v = x[i];
      const float t = fastTanh(kGeluS * (v + kGeluA * v * v * v));
      const float d = 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * kGeluS * (1.0f + 3.0f * kGeluA * v * v);
      dx[i] = dy[i] * d;
    }
  });
  return info.Env().Undefined();
}

/** Writes softmax(row) to out and returns log-sum-exp of the row. */
static inline float softmaxRow(const float* row, float* out, int64_t v) {
  float m = row[0];
  for (int64_t i = 1; i < v; i++) m = row[i] > m ? row[i] : m;
  float s = 0;
  for (int64_t i = 0; i < v; i++) out[i] = fastExp(row[i] - m);  // vectorised
  for (int64_t i = 0; i < v; i++) s += out[i];
  const float inv = 1.0f / s;
  for (int64_t i = 0; i < v; i++) out[i] *= inv;
  return m + std::log(s);
}

// softmax(heap, xOff, yOff, rows, V)
static Napi::Value Softmax(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* x = F(heap, info, 1);
  float* y = F(heap, info, 2);
  const int64_t rows = N(info, 3), v = N(info, 4);
  parallelFor(rows, v * 8, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) softmaxRow(x + r * v, y + r * v, v);
  });
  return info.Env().Undefined();
}

// softmaxCrossEntropy(heap, logitsOff, labelsOff, lossOff, rows, V): loss[r] = lse - logit[label];
// a label outside [0, V) (e.g. -1) is ignored: loss 0.
static Napi::Value SoftmaxCE(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float* z = F(heap, info, 1);
  const int32_t* lab = I(heap, info, 2);
  float* loss = F(heap, info, 3);
  const int64_t rows = N(info, 4), v = N(info, 5);
  parallelFor(rows, v * 8, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) {
      const float* row = z + r * v;
      const int32_t t = lab[r];
      if (t < 0 || t >= v) { loss[r] = 0; continue; }
      float m = row[0];
      for (int64_t i = 1; i < v; i++) m = row[i] > m ? row[i] : m;
      float s = 0;
      for (int64_t i = 0; i < v; i++) s += fastExp(row[i] - m);
      loss[r] = m + std::log(s) - row[t];
    }
  });
  return info.Env().Undefined();
}

// softmaxCrossEntropyGrad(heap, dlossOff, logitsOff, labelsOff, dzOff, rows, V)
static Napi::Value SoftmaxCEGrad(const Napi::CallbackInfo& info) {
  uint8_t* heap = heapBase(info);
  const float *dl = F(heap, info, 1), *z = F(heap, info, 2);
  const int32_t* lab = I(heap, info, 3);
  float* dz = F(heap, info, 4);
  const int64_t rows = N(info, 5), v = N(info, 6);
  parallelFor(rows, v * 8, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) {
      float* out = dz + r * v;
      const int32_t t = lab[r];
      if (t < 0 || t >= v) { for (int64_t i = 0; i < v; i++) out[i] = 0; continue; }
      softmaxRow(z + r * v, out, v);
      out[t] -= 1.0f;
      const float d = dl[r];
      for (int64_t i = 0; i < v; i++) out[i] *= d;
    }
  });
  return info.Env().Undefined();
}

void initFused(Napi::Env env, Napi::Object exports) {
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm));
  exports.Set("layerNormGrad", Napi::Function::New(env, LayerNormGrad));
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("geluGrad", Napi::Function::New(env, GeluGrad));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCE));
  exports.Set("softmaxCrossEntropyGrad", Napi::Function::New(env, SoftmaxCEGrad));
}

}  // namespace ty
