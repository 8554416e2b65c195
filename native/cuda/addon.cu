// @fileoverview N-API entry point of the cuda addon (trainyard_cuda.node, built by nvcc) and of
// its host-emulation build (trainyard_cuda_emu.node: this same file compiled by g++ as C++, see
// device.h). Tensors are device pointers passed as JS numbers (addresses fit in 53 bits); every
// kernel is asynchronous on the stream, and only `download` waits for it.
#include <napi.h>
#include <vector>
#include "allocator.h"
#include "attention.h"
#include "device.h"
#include "gemm.h"
#include "kernels.h"
#ifdef TY_GPU
#include "device_gpu.h"
#endif

namespace ty {

int g_precision = kFp32;

CachingAllocator& allocator() {
  static CachingAllocator a;
  return a;
}
void* deviceAlloc(size_t bytes) { return allocator().alloc(bytes); }
void deviceFree(void* p) { allocator().free(p); }

#ifndef TY_GPU
void copyToDevice(void* dst, const void* src, size_t bytes) { std::memcpy(dst, src, bytes); }
void copyToHost(void* dst, const void* src, size_t bytes) { std::memcpy(dst, src, bytes); }
void copyOnDevice(void* dst, const void* src, size_t bytes) { std::memmove(dst, src, bytes); }
void copy2dOnDevice(void* dst, size_t dstPitch, const void* src, size_t srcPitch, size_t width, size_t rows) {
  for (size_t r = 0; r < rows; r++)
    std::memcpy(static_cast<uint8_t*>(dst) + r * dstPitch, static_cast<const uint8_t*>(src) + r * srcPitch, width);
}
void zeroOnDevice(void* p, size_t bytes) { std::memset(p, 0, bytes); }
void synchronize() {}
std::string blasInfo() { return "emulated (host loop)"; }
#endif

namespace {

using Info = Napi::CallbackInfo;
inline void* P(const Info& info, size_t i) {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(info[i].As<Napi::Number>().DoubleValue()));
}
inline float* F(const Info& info, size_t i) { return static_cast<float*>(P(info, i)); }
inline int32_t* I(const Info& info, size_t i) { return static_cast<int32_t*>(P(info, i)); }
inline int64_t N(const Info& info, size_t i) { return static_cast<int64_t>(info[i].As<Napi::Number>().DoubleValue()); }
inline double D(const Info& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }
inline Napi::Value ptrValue(Napi::Env env, void* p) {
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(p)));
}
Napi::Value undef(const Info& info) { return info.Env().Undefined(); }

/** Runs a kernel entry point, turning a DeviceError (or any C++ exception) into a JS Error. */
template <Napi::Value (*Fn)(const Info&)>
Napi::Value guarded(const Info& info) {
  try {
    return Fn(info);
  } catch (const std::exception& e) {
    Napi::Error::New(info.Env(), std::string("cuda backend: ") + e.what()).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
}

Napi::Value typeError(const Info& info, const std::string& msg) {
  Napi::TypeError::New(info.Env(), msg).ThrowAsJavaScriptException();
  return info.Env().Undefined();
}

// ---- device and memory --------------------------------------------------------------------

Napi::Value DeviceInfo(const Info& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
#ifdef TY_GPU
  o.Set("emulated", false);
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  o.Set("deviceCount", err == cudaSuccess ? count : 0);
  if (err != cudaSuccess) o.Set("error", cudaGetErrorString(err));
  if (err == cudaSuccess && count > 0) {
    cudaDeviceProp prop;
    cudaGetDeviceProperties(&prop, 0);
    o.Set("name", prop.name);
    o.Set("computeCapability", std::to_string(prop.major) + "." + std::to_string(prop.minor));
    o.Set("totalMemory", static_cast<double>(prop.totalGlobalMem));
  }
  int rt = 0;
  cudaRuntimeGetVersion(&rt);
  o.Set("runtimeVersion", rt);
#else
  o.Set("emulated", true);
  o.Set("deviceCount", 1);
  o.Set("name", "host emulation");
#endif
  o.Set("blas", blasInfo());
  return o;
}

Napi::Value Alloc(const Info& info) { return ptrValue(info.Env(), deviceAlloc(static_cast<size_t>(N(info, 0)))); }
Napi::Value Free(const Info& info) { deviceFree(P(info, 0)); return undef(info); }

/** upload(ptr, typedArray) / download(ptr, typedArray): the array's bytes, to or from the device. */
Napi::Value Upload(const Info& info) {
  Napi::TypedArray t = info[1].As<Napi::TypedArray>();
  const uint8_t* src = static_cast<const uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
  copyToDevice(P(info, 0), src, t.ByteLength());
  return undef(info);
}
Napi::Value Download(const Info& info) {
  Napi::TypedArray t = info[1].As<Napi::TypedArray>();
  uint8_t* dst = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
  copyToHost(dst, P(info, 0), t.ByteLength());
  return undef(info);
}
Napi::Value Copy(const Info& info) { copyOnDevice(P(info, 0), P(info, 1), static_cast<size_t>(N(info, 2))); return undef(info); }
Napi::Value Zero(const Info& info) { zeroOnDevice(P(info, 0), static_cast<size_t>(N(info, 1))); return undef(info); }
Napi::Value Sync(const Info& info) { synchronize(); return undef(info); }

Napi::Value Memory(const Info& info) {
  const MemoryStats& s = allocator().stats();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("inUse", static_cast<double>(s.inUse));
  o.Set("cached", static_cast<double>(s.cached));
  o.Set("peak", static_cast<double>(s.peak));
  o.Set("deviceAllocs", static_cast<double>(s.deviceAllocs));
  o.Set("cacheHits", static_cast<double>(s.cacheHits));
  return o;
}
Napi::Value EmptyCache(const Info& info) { allocator().emptyCache(); return undef(info); }

Napi::Value SetPrecision(const Info& info) {
  const int p = static_cast<int>(N(info, 0));
  if (p < kFp32 || p > kBf16) return typeError(info, "setPrecision: 0 (fp32), 1 (tf32) or 2 (bf16)");
  g_precision = p;
  return undef(info);
}

// ---- element-wise and reductions ----------------------------------------------------------

// unary(op, x, y, n)
Napi::Value Unary(const Info& info) {
  const int op = static_cast<int>(N(info, 0));
  const float* x = F(info, 1);
  float* y = F(info, 2);
  const int64_t n = N(info, 3);
  switch (op) {
#define TYC_CASE(id, name) case id: forEach(n, UnaryF<id>{x, y}); break;
    TYC_UNARY_OPS(TYC_CASE)
#undef TYC_CASE
    default: return typeError(info, "unary: unknown op code " + std::to_string(op) + " (see the addon's ops.unary)");
  }
  return undef(info);
}

/** geom = [rank, shape..., aStrides..., bStrides...] (rank <= 6). */
bool readGeom(const Info& info, size_t i, Geom& g) {
  Napi::Int32Array a = info[i].As<Napi::Int32Array>();
  const int32_t* d = a.Data();
  g.rank = d[0];
  if (g.rank < 1 || g.rank > Geom::kMax || a.ElementLength() != static_cast<size_t>(1 + 3 * g.rank)) return false;
  for (int k = 0; k < g.rank; k++) {
    g.shape[k] = d[1 + k];
    g.sa[k] = d[1 + g.rank + k];
    g.sb[k] = d[1 + 2 * g.rank + k];
  }
  return true;
}

// binary(op, a, b, y, geom)
Napi::Value Binary(const Info& info) {
  const int op = static_cast<int>(N(info, 0));
  const float *a = F(info, 1), *b = F(info, 2);
  float* y = F(info, 3);
  Geom g;
  if (!readGeom(info, 4, g)) return typeError(info, "binary: bad geometry");
  int64_t n = 1;
  for (int k = 0; k < g.rank; k++) n *= g.shape[k];
  switch (op) {
#define TYC_CASE(id, name) case id: forEach(n, BinaryF<id>{a, b, y, g}); break;
    TYC_BINARY_OPS(TYC_CASE)
#undef TYC_CASE
    default: return typeError(info, "binary: unknown op code " + std::to_string(op) + " (see the addon's ops.binary)");
  }
  return undef(info);
}

// reduce(op, x, y, outer, red, inner)
Napi::Value Reduce(const Info& info) {
  const int op = static_cast<int>(N(info, 0));
  const float* x = F(info, 1);
  float* y = F(info, 2);
  const int64_t outer = N(info, 3), red = N(info, 4), inner = N(info, 5);
  switch (op) {
#define TYC_CASE(id, name)                                                    \
  case id:                                                                    \
    if (inner == 1) forRows(outer, ReduceRowsF<id>{x, y, red});               \
    else forEach(outer * inner, ReduceStridedF<id>{x, y, red, inner});        \
    break;
    TYC_REDUCE_OPS(TYC_CASE)
#undef TYC_CASE
    default: return typeError(info, "reduce: unknown op code " + std::to_string(op) + " (see the addon's ops.reduce)");
  }
  return undef(info);
}

// sumSquares(Float64Array [ptr0, n0, ptr1, n1, …], out): out[0] = Σ x² over all (float32 scalar on the device).
Napi::Value SumSquares(const Info& info) {
  Napi::Float64Array spec = info[0].As<Napi::Float64Array>();
  float* out = F(info, 1);
  const size_t count = spec.ElementLength() / 2;
  int64_t blocks = 0;
  for (size_t t = 0; t < count; t++) blocks += (static_cast<int64_t>(spec[2 * t + 1]) + SumSquaresF::kBlock - 1) / SumSquaresF::kBlock;
  Scratch partial(static_cast<size_t>(std::max<int64_t>(blocks, 1)) * sizeof(double));
  double* parts = static_cast<double*>(partial.p);
  int64_t at = 0;
  for (size_t t = 0; t < count; t++) {
    const int64_t n = static_cast<int64_t>(spec[2 * t + 1]);
    const int64_t nb = (n + SumSquaresF::kBlock - 1) / SumSquaresF::kBlock;
    const float* x = reinterpret_cast<const float*>(static_cast<uintptr_t>(spec[2 * t]));
    forRows(nb, SumSquaresF{x, n, parts + at});
    at += nb;
  }
  forEach(1, SumPartialsF{parts, blocks, out});
  return undef(info);
}

// ---- fused --------------------------------------------------------------------------------

// layerNorm(x, gamma, beta, y, rows, C, eps)
Napi::Value LayerNorm(const Info& info) {
  forRows(N(info, 4), LayerNormF{F(info, 0), F(info, 1), F(info, 2), F(info, 3), N(info, 5), static_cast<float>(D(info, 6)), nullptr, nullptr});
  return undef(info);
}

// layerNormGrad(dy, x, gamma, dx, dgamma, dbeta, rows, C, eps)
Napi::Value LayerNormGrad(const Info& info) {
  const float *dy = F(info, 0), *x = F(info, 1), *g = F(info, 2);
  float *dx = F(info, 3), *dg = F(info, 4), *db = F(info, 5);
  const int64_t rows = N(info, 6), c = N(info, 7);
  const float eps = static_cast<float>(D(info, 8));
  Scratch stats(static_cast<size_t>(2 * std::max<int64_t>(rows, 1)) * 4);
  float *mean = stats.f(), *rstd = stats.f() + rows;
  forRows(rows, LayerNormF{x, g, nullptr, nullptr, c, eps, mean, rstd});
  forRows(rows, LayerNormDxF{dy, x, g, mean, rstd, dx, c});
  const int64_t parts = std::min<int64_t>(64, std::max<int64_t>(rows, 1));
  Scratch pg(static_cast<size_t>(parts * c) * 4), pb(static_cast<size_t>(parts * c) * 4);
  forEach(parts * c, LayerNormParamGradF{dy, x, mean, rstd, pg.f(), pb.f(), rows, c, parts});
  forEach(c, SumPartsF{pg.f(), dg, parts, c});
  forEach(c, SumPartsF{pb.f(), db, parts, c});
  return undef(info);
}

Napi::Value Gelu(const Info& info) { forEach(N(info, 2), GeluF{F(info, 0), F(info, 1)}); return undef(info); }
Napi::Value GeluGrad(const Info& info) { forEach(N(info, 3), GeluGradF{F(info, 0), F(info, 1), F(info, 2)}); return undef(info); }
Napi::Value Softmax(const Info& info) { forRows(N(info, 2), SoftmaxF{F(info, 0), F(info, 1), N(info, 3)}); return undef(info); }
// softmaxCrossEntropy(logits, labels, loss, rows, V)
Napi::Value SoftmaxCE(const Info& info) { forRows(N(info, 3), SoftmaxCEF{F(info, 0), I(info, 1), F(info, 2), N(info, 4)}); return undef(info); }
// softmaxCrossEntropyGrad(dloss, logits, labels, dlogits, rows, V)
Napi::Value SoftmaxCEGrad(const Info& info) {
  forRows(N(info, 4), SoftmaxCEGradF{F(info, 0), F(info, 1), I(info, 2), F(info, 3), N(info, 5)});
  return undef(info);
}

// adamw(p, g, m, v, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, step, gradScale)
Napi::Value AdamW(const Info& info) {
  const float lr = static_cast<float>(D(info, 8)), b1 = static_cast<float>(D(info, 9)), b2 = static_cast<float>(D(info, 10));
  const double step = D(info, 13);
  AdamWF f{F(info, 0), F(info, 1), F(info, 2), F(info, 3), F(info, 4), F(info, 5), F(info, 6), lr, b1, b2,
           static_cast<float>(D(info, 11)), 1.0f - lr * static_cast<float>(D(info, 12)),
           static_cast<float>(1.0 - std::pow(static_cast<double>(b1), step)),
           static_cast<float>(1.0 - std::pow(static_cast<double>(b2), step)), static_cast<float>(D(info, 14))};
  forEach(N(info, 7), f);
  return undef(info);
}

// attention(qkv, y, probs, B, T, H, C, seg | 0)
AttentionShape attentionShape(const Info& info, size_t at) {
  AttentionShape s{N(info, at), N(info, at + 1), N(info, at + 2), N(info, at + 3), 0, I(info, at + 4)};
  s.hs = s.C / s.H;
  return s;
}
Napi::Value Attention(const Info& info) {
  attentionForward(attentionShape(info, 3), F(info, 0), F(info, 1), F(info, 2));
  return undef(info);
}
// attentionGrad(dy, qkv, probs, dqkv, B, T, H, C, seg | 0)
Napi::Value AttentionGrad(const Info& info) {
  attentionBackward(attentionShape(info, 4), F(info, 0), F(info, 1), F(info, 2), F(info, 3));
  return undef(info);
}

// ---- matmul -------------------------------------------------------------------------------

// batchMatMul(a, b, c, batchA, batchB, M, N, K, transA, transB); a batch of 1 broadcasts.
Napi::Value BatchMatMul(const Info& info) {
  const int64_t batchA = N(info, 3), batchB = N(info, 4), m = N(info, 5), n = N(info, 6), k = N(info, 7);
  const bool ta = info[8].As<Napi::Boolean>().Value(), tb = info[9].As<Napi::Boolean>().Value();
  GemmArgs g{ta, tb, m, n, k, 1.0f, F(info, 0), ta ? m : k, batchA == 1 ? 0 : m * k, F(info, 1), tb ? k : n,
             batchB == 1 ? 0 : k * n, 0.0f, F(info, 2), n, m * n, std::max(batchA, batchB)};
  if (k == 0) { zeroOnDevice(g.c, static_cast<size_t>(g.batch * m * n) * 4); return undef(info); }
  gemm(g);
  return undef(info);
}

// linear(x, w, b, y, M, N, K): y = x·w + b (bias broadcast into y, then the GEMM with beta = 1).
Napi::Value Linear(const Info& info) {
  const int64_t m = N(info, 4), n = N(info, 5), k = N(info, 6);
  float* y = F(info, 3);
  forEach(m * n, BiasRowsF{F(info, 2), y, n});
  gemm(GemmArgs{false, false, m, n, k, 1.0f, F(info, 0), k, 0, F(info, 1), n, 0, 1.0f, y, n, 0, 1});
  return undef(info);
}

// ---- layout -------------------------------------------------------------------------------

// copy2d(src, dst, rows, rowBytes, srcStrideBytes, dstStrideBytes)
Napi::Value Copy2d(const Info& info) {
  const int64_t rows = N(info, 2), bytes = N(info, 3);
  if (rows > 0 && bytes > 0) copy2dOnDevice(P(info, 1), static_cast<size_t>(N(info, 5)), P(info, 0), static_cast<size_t>(N(info, 4)), static_cast<size_t>(bytes), static_cast<size_t>(rows));
  return undef(info);
}

// gatherRows(table, ids, out, n, rowElems, rows): 4-byte elements.
Napi::Value GatherRows(const Info& info) {
  const int64_t n = N(info, 3), row = N(info, 4);
  forEach(n * row, GatherRowsF{static_cast<const uint32_t*>(P(info, 0)), I(info, 1), static_cast<uint32_t*>(P(info, 2)), row, N(info, 5)});
  return undef(info);
}

// segmentSum(data, ids, out, n, c, segments)
Napi::Value SegmentSum(const Info& info) {
  const int64_t n = N(info, 3), c = N(info, 4), segs = N(info, 5);
  zeroOnDevice(P(info, 2), static_cast<size_t>(segs * c) * 4);
  forEach(n * c, SegmentSumF{F(info, 0), I(info, 1), F(info, 2), c, segs});
  return undef(info);
}

/** remap(x, y, elemBytes, fillBits, Float64Array [rank, offset, outShape..., inStride..., before..., inShape...]). */
Napi::Value Remap(const Info& info) {
  const int64_t bytes = N(info, 2);
  Napi::Float64Array a = info[4].As<Napi::Float64Array>();
  IndexMap m;
  m.rank = static_cast<int>(a[0]);
  if (m.rank < 1 || m.rank > IndexMap::kMax || a.ElementLength() != static_cast<size_t>(2 + 4 * m.rank)) return typeError(info, "remap: bad index map");
  m.offset = static_cast<int64_t>(a[1]);
  int64_t n = 1;
  for (int d = 0; d < m.rank; d++) {
    m.outShape[d] = static_cast<int64_t>(a[2 + d]);
    m.inStride[d] = static_cast<int64_t>(a[2 + m.rank + d]);
    m.before[d] = static_cast<int64_t>(a[2 + 2 * m.rank + d]);
    m.inShape[d] = static_cast<int64_t>(a[2 + 3 * m.rank + d]);
    n *= m.outShape[d];
  }
  if (bytes == 4) {  // float32 or int32, copied as bits; `fill` is the fill value's bit pattern
    const uint32_t fill = static_cast<uint32_t>(D(info, 3));
    forEach(n, RemapF<uint32_t>{static_cast<const uint32_t*>(P(info, 0)), static_cast<uint32_t*>(P(info, 1)), m, fill});
  } else if (bytes == 1) {
    forEach(n, RemapF<uint8_t>{static_cast<const uint8_t*>(P(info, 0)), static_cast<uint8_t*>(P(info, 1)), m, static_cast<uint8_t>(D(info, 3))});
  } else {
    return typeError(info, "remap: elements of 1 or 4 bytes");
  }
  return undef(info);
}

// cast(x, y, n, from, to): dtype codes 0 float32, 1 int32, 2 bool (uint8).
Napi::Value Cast(const Info& info) {
  const int64_t n = N(info, 2);
  const int from = static_cast<int>(N(info, 3)), to = static_cast<int>(N(info, 4));
  void *x = P(info, 0), *y = P(info, 1);
#define TYC_CAST(A, B, a, b) if (from == a && to == b) { forEach(n, CastF<A, B>{static_cast<const A*>(x), static_cast<B*>(y)}); return undef(info); }
  TYC_CAST(float, int32_t, kFloat32, kInt32)
  TYC_CAST(float, uint8_t, kFloat32, kBool)
  TYC_CAST(int32_t, float, kInt32, kFloat32)
  TYC_CAST(int32_t, uint8_t, kInt32, kBool)
  TYC_CAST(uint8_t, float, kBool, kFloat32)
  TYC_CAST(uint8_t, int32_t, kBool, kInt32)
#undef TYC_CAST
  if (from == to) { copyOnDevice(y, x, static_cast<size_t>(n) * (from == kBool ? 1 : 4)); return undef(info); }
  return typeError(info, "cast: unknown dtype code");
}

// fill(y, n, elemBytes, value): value as float32 (4 bytes, float), int32 (4 bytes, int: pass isInt) or bool.
Napi::Value Fill(const Info& info) {
  const int64_t n = N(info, 1), bytes = N(info, 2);
  const bool isInt = info[4].As<Napi::Boolean>().Value();
  if (bytes == 1) forEach(n, FillF<uint8_t>{static_cast<uint8_t*>(P(info, 0)), static_cast<uint8_t>(D(info, 3) != 0)});
  else if (isInt) forEach(n, FillF<int32_t>{I(info, 0), static_cast<int32_t>(D(info, 3))});
  else forEach(n, FillF<float>{F(info, 0), static_cast<float>(D(info, 3))});
  return undef(info);
}

// oneHot(ids, y, n, depth, on, off, isInt): float32 or int32 output.
Napi::Value OneHot(const Info& info) {
  const int64_t n = N(info, 2), depth = N(info, 3);
  if (info[6].As<Napi::Boolean>().Value())
    forEach(n * depth, OneHotF<int32_t>{I(info, 0), I(info, 1), depth, static_cast<int32_t>(D(info, 4)), static_cast<int32_t>(D(info, 5))});
  else
    forEach(n * depth, OneHotF<float>{I(info, 0), F(info, 1), depth, static_cast<float>(D(info, 4)), static_cast<float>(D(info, 5))});
  return undef(info);
}

Napi::Object OpCodes(Napi::Env env) {
  Napi::Object unary = Napi::Object::New(env), binary = Napi::Object::New(env), reduce = Napi::Object::New(env);
#define TYC_SET_U(id, name) unary.Set(#name, static_cast<int>(id));
#define TYC_SET_B(id, name) binary.Set(#name, static_cast<int>(id));
#define TYC_SET_R(id, name) reduce.Set(#name, static_cast<int>(id));
  TYC_UNARY_OPS(TYC_SET_U)
  TYC_BINARY_OPS(TYC_SET_B)
  TYC_REDUCE_OPS(TYC_SET_R)
#undef TYC_SET_U
#undef TYC_SET_B
#undef TYC_SET_R
  Napi::Object ops = Napi::Object::New(env);
  ops.Set("unary", unary);
  ops.Set("binary", binary);
  ops.Set("reduce", reduce);
  for (Napi::Object o : {unary, binary, reduce, ops}) o.Freeze();
  return ops;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("ops", OpCodes(env));
#define TYC_EXPORT(name, fn) exports.Set(name, Napi::Function::New(env, guarded<fn>));
  TYC_EXPORT("deviceInfo", DeviceInfo)
  TYC_EXPORT("alloc", Alloc)
  TYC_EXPORT("free", Free)
  TYC_EXPORT("upload", Upload)
  TYC_EXPORT("download", Download)
  TYC_EXPORT("copy", Copy)
  TYC_EXPORT("zero", Zero)
  TYC_EXPORT("sync", Sync)
  TYC_EXPORT("memory", Memory)
  TYC_EXPORT("emptyCache", EmptyCache)
  TYC_EXPORT("setPrecision", SetPrecision)
  TYC_EXPORT("unary", Unary)
  TYC_EXPORT("binary", Binary)
  TYC_EXPORT("reduce", Reduce)
  TYC_EXPORT("sumSquares", SumSquares)
  TYC_EXPORT("layerNorm", LayerNorm)
  TYC_EXPORT("layerNormGrad", LayerNormGrad)
  TYC_EXPORT("gelu", Gelu)
  TYC_EXPORT("geluGrad", GeluGrad)
  TYC_EXPORT("softmax", Softmax)
  TYC_EXPORT("softmaxCrossEntropy", SoftmaxCE)
  TYC_EXPORT("softmaxCrossEntropyGrad", SoftmaxCEGrad)
  TYC_EXPORT("adamw", AdamW)
  TYC_EXPORT("attention", Attention)
  TYC_EXPORT("attentionGrad", AttentionGrad)
  TYC_EXPORT("batchMatMul", BatchMatMul)
  TYC_EXPORT("linear", Linear)
  TYC_EXPORT("copy2d", Copy2d)
  TYC_EXPORT("gatherRows", GatherRows)
  TYC_EXPORT("segmentSum", SegmentSum)
  TYC_EXPORT("remap", Remap)
  TYC_EXPORT("cast", Cast)
  TYC_EXPORT("fill", Fill)
  TYC_EXPORT("oneHot", OneHot)
#undef TYC_EXPORT
  return exports;
}

}  // namespace ty

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return ty::Init(env, exports); }

NODE_API_MODULE(trainyard_cuda, InitModule)
