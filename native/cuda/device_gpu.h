// @fileoverview The GPU side of device.h and gemm.h (nvcc build only): the stream, memory
// copies, and cuBLAS loaded with dlopen. cuBLAS is declared here (the handful of functions and
// enum values used, as cublas_api.h defines them) so the build needs only the CUDA runtime.
#pragma once
#ifdef TY_GPU
#include <dlfcn.h>
#include <cuda_bf16.h>
#include <library_types.h>
#include "allocator.h"
#include "gemm.h"

namespace ty {

cudaStream_t stream() {
  static cudaStream_t s = [] {
    cudaStream_t created;
    check(cudaStreamCreateWithFlags(&created, cudaStreamNonBlocking), "cudaStreamCreate");
    return created;
  }();
  return s;
}

void copyToDevice(void* dst, const void* src, size_t bytes) {
  check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream()), "upload");
}
void copyToHost(void* dst, const void* src, size_t bytes) {
  check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream()), "download");
  check(cudaStreamSynchronize(stream()), "download (synchronize)");
}
void copyOnDevice(void* dst, const void* src, size_t bytes) {
  check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream()), "copy");
}
void copy2dOnDevice(void* dst, size_t dstPitch, const void* src, size_t srcPitch, size_t width, size_t rows) {
  check(cudaMemcpy2DAsync(dst, dstPitch, src, srcPitch, width, rows, cudaMemcpyDeviceToDevice, stream()), "copy2d");
}
void zeroOnDevice(void* p, size_t bytes) { check(cudaMemsetAsync(p, 0, bytes, stream()), "memset"); }
void synchronize() { check(cudaStreamSynchronize(stream()), "synchronize"); }

namespace blas {
typedef struct Context* Handle;
typedef int Status;
enum Op { kN = 0, kT = 1 };
enum { kDefaultMath = 0, kTf32TensorOpMath = 3 };
enum { kCompute32F = 68, kCompute32FFastTf32 = 77 };
enum { kGemmDefault = -1 };
struct Api {
  Status (*create)(Handle*);
  Status (*destroy)(Handle);
  Status (*setStream)(Handle, cudaStream_t);
  Status (*setMathMode)(Handle, int);
  Status (*sgemmStridedBatched)(Handle, int, int, int, int, int, const float*, const float*, int, long long,
                                const float*, int, long long, const float*, float*, int, long long, int);
  Status (*gemmStridedBatchedEx)(Handle, int, int, int, int, int, const void*, const void*, int, int, long long,
                                 const void*, int, int, long long, const void*, void*, int, int, long long, int, int,
                                 int);
  Handle handle = nullptr;
  std::string name, error;
};

inline Api& api() {
  static Api a = [] {
    Api r{};
    void* lib = nullptr;
    for (const char* so : {"libcublas.so.13", "libcublas.so.12", "libcublas.so"}) {
      lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
      if (lib) { r.name = so; break; }
    }
    if (!lib) {
      const char* why = dlerror();
      r.error = std::string("cannot load cuBLAS (libcublas.so.13/.12): ") + (why ? why : "not found") +
                " — put the nvidia-cublas wheel's lib/ folder on LD_LIBRARY_PATH";
      return r;
    }
    auto sym = [&](const char* n) {
      void* p = dlsym(lib, n);
      if (!p && r.error.empty()) r.error = std::string("cuBLAS has no ") + n;
      return p;
    };
    r.create = reinterpret_cast<decltype(r.create)>(sym("cublasCreate_v2"));
    r.destroy = reinterpret_cast<decltype(r.destroy)>(sym("cublasDestroy_v2"));
    r.setStream = reinterpret_cast<decltype(r.setStream)>(sym("cublasSetStream_v2"));
    r.setMathMode = reinterpret_cast<decltype(r.setMathMode)>(sym("cublasSetMathMode"));
    r.sgemmStridedBatched = reinterpret_cast<decltype(r.sgemmStridedBatched)>(sym("cublasSgemmStridedBatched"));
    r.gemmStridedBatchedEx = reinterpret_cast<decltype(r.gemmStridedBatchedEx)>(sym("cublasGemmStridedBatchedEx"));
    if (!r.error.empty()) return r;
    if (r.create(&r.handle) != 0) { r.error = "cublasCreate failed (no usable GPU?)"; return r; }
    r.setStream(r.handle, stream());
    return r;
  }();
  if (!a.error.empty()) throw DeviceError(a.error);
  return a;
}
}  // namespace blas

std::string blasInfo() {
  try {
    return blas::api().name;
  } catch (const DeviceError& e) {
    return std::string("unavailable: ") + e.what();
  }
}

struct ToBf16F {
  const float* x;
  __nv_bfloat16* y;
  TY_HD void operator()(int64_t i) const {
#if defined(__CUDA_ARCH__)
    y[i] = __float2bfloat16(x[i]);
#endif
  }
};

// Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
void gemmDevice(const GemmArgs& g) {
  blas::Api& b = blas::api();
  const int opA = g.ta ? blas::kT : blas::kN, opB = g.tb ? blas::kT : blas::kN;
  const int m = static_cast<int>(g.n), n = static_cast<int>(g.m), k = static_cast<int>(g.k);
  const int batch = static_cast<int>(g.batch);
  blas::Status st;
  if (g_precision == kFp32) {
    b.setMathMode(b.handle, blas::kDefaultMath);
    st = b.sgemmStridedBatched(b.handle, opB, opA, m, n, k, &g.alpha, g.b, static_cast<int>(g.ldb), g.strideB, g.a,
                               static_cast<int>(g.lda), g.strideA, &g.beta, g.c, static_cast<int>(g.ldc), g.strideC,
                               batch);
  } else if (g_precision == kTf32) {
    b.setMathMode(b.handle, blas::kTf32TensorOpMath);
    st = b.gemmStridedBatchedEx(b.handle, opB, opA, m, n, k, &g.alpha, g.b, CUDA_R_32F, static_cast<int>(g.ldb),
                                g.strideB, g.a, CUDA_R_32F, static_cast<int>(g.lda), g.strideA, &g.beta, g.c,
                                CUDA_R_32F, static_cast<int>(g.ldc), g.strideC, batch, blas::kCompute32FFastTf32,
                                blas::kGemmDefault);
  } else {
    const int64_t na = spanOf(g.batch, g.strideA, g.ta ? g.k : g.m, g.lda);
    const int64_t nb = spanOf(g.batch, g.strideB, g.tb ? g.n : g.k, g.ldb);
    Scratch ha(na * 2), hb(nb * 2);
    forEach(na, ToBf16F{g.a, static_cast<__nv_bfloat16*>(ha.p)});
    forEach(nb, ToBf16F{g.b, static_cast<__nv_bfloat16*>(hb.p)});
    b.setMathMode(b.handle, blas::kDefaultMath);
    st = b.gemmStridedBatchedEx(b.handle, opB, opA, m, n, k, &g.alpha, hb.p, CUDA_R_16BF, static_cast<int>(g.ldb),
                                g.strideB, ha.p, CUDA_R_16BF, static_cast<int>(g.lda), g.strideA, &g.beta, g.c,
                                CUDA_R_32F, static_cast<int>(g.ldc), g.strideC, batch, blas::kCompute32F,
                                blas::kGemmDefault);
  }
  if (st != 0) throw DeviceError("cuBLAS GEMM failed with status " + std::to_string(st));
}

}  // namespace ty
#endif  // TY_GPU
