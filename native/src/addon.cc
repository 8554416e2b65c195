// @fileoverview N-API entry point of trainyard_native: registers every kernel group, the
// thread settings and `ops` (the op codes of unary/binary/reduce by name, from common.h).
// Each kernel takes the wasm heap ArrayBuffer first and byte offsets into it.
#ifdef TY_OPENBLAS
#include <cblas.h>
#endif
#include "common.h"
#include "gemm.h"

namespace ty {

int g_threads = 1;

static Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  g_threads = std::max<int>(1, static_cast<int>(N(info, 0)));
  const int blas = std::max<int>(1, static_cast<int>(N(info, 1)));
  g_gemm_threads = blas;
#ifdef TY_OPENBLAS
  openblas_set_num_threads(blas);
#endif
  return info.Env().Undefined();
}

static Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("threads", g_threads);
  o.Set("blasThreads", g_gemm_threads);
#ifdef TY_OPENBLAS
  o.Set("blasConfig", std::string(openblas_get_config()));
#else
  o.Set("blasConfig", "");
#endif
  o.Set("gemm", gemmInUse());
  o.Set("gemmBest", gemmKernelName(bestGemmKernel()));
  o.Set("ompMaxThreads", omp_get_max_threads());
  return o;
}

/** { unary: { exp: 0, … }, binary: { add: 0, … }, reduce: { sum: 0, … } }, frozen. */
static Napi::Object OpCodes(Napi::Env env) {
  Napi::Object unary = Napi::Object::New(env), binary = Napi::Object::New(env), reduce = Napi::Object::New(env);
#define TY_UNARY(id, name) unary.Set(#name, static_cast<int>(id));
#define TY_BINARY(id, name) binary.Set(#name, static_cast<int>(id));
#define TY_REDUCE(id, name) reduce.Set(#name, static_cast<int>(id));
  TY_UNARY_OPS(TY_UNARY)
  TY_BINARY_OPS(TY_BINARY)
  TY_REDUCE_OPS(TY_REDUCE)
#undef TY_UNARY
#undef TY_BINARY
#undef TY_REDUCE
  Napi::Object ops = Napi::Object::New(env);
  ops.Set("unary", unary);
  ops.Set("binary", binary);
  ops.Set("reduce", reduce);
  for (Napi::Object o : {unary, binary, reduce, ops}) o.Freeze();
  return ops;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("ops", OpCodes(env));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  initMatmul(env, exports);
  initElementwise(env, exports);
  initReduce(env, exports);
  initFused(env, exports);
  initAdamW(env, exports);
  initCopy(env, exports);
  initAttention(env, exports);
  return exports;
}

}  // namespace ty

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return ty::Init(env, exports); }

NODE_API_MODULE(trainyard_native, InitModule)
