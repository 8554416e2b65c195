// @fileoverview The "device" under the cuda addon's kernels, in two builds of the same sources:
//
//  - GPU (nvcc, __CUDACC__): kernels launch on one CUDA stream; memory comes from the caching
//    allocator (allocator.h) over cudaMalloc.
//  - Host emulation (g++, TY_EMULATE): __host__/__device__ are empty, a "launch" is a host loop
//    over the same index space, memory is malloc-backed. The arithmetic is the same functors,
//    so `npm test` checks the kernel math on machines without a GPU.
//
// Kernels are functors with a `TY_HD` call operator, launched two ways:
//   forEach(n, f)      f(i) for i in [0, n): one GPU thread per index (grid-stride loop).
//   forRows(rows, f)   f(team, r) per row: on the GPU a warp (32 lanes) per row, the row's sums
//                      by warp shuffles (team.sum / team.max); on the host one lane.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <string>
#include <stdexcept>
#include <algorithm>

#if defined(__CUDACC__)
#include <cuda_runtime.h>
#define TY_GPU 1
#define TY_HD __host__ __device__
#else
#ifndef TY_EMULATE
#define TY_EMULATE 1
#endif
#define TY_HD
#define __host__
#define __device__
#endif

namespace ty {

/** A failed CUDA call or launch: thrown as a JS Error by the N-API layer. */
struct DeviceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#ifdef TY_GPU
inline void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw DeviceError(std::string(what) + ": " + cudaGetErrorString(err));
}
/** The stream every kernel, copy and cuBLAS call runs on (created on first use). */
cudaStream_t stream();
#endif

/** A row's lanes: `size` threads that each see `lane` and reduce together. */
struct Team {
  int lane;
  int size;
  TY_HD float sum(float v) const {
#if defined(__CUDA_ARCH__)
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
#endif
    return v;
  }
  TY_HD float max(float v) const {
#if defined(__CUDA_ARCH__)
    for (int o = 16; o > 0; o >>= 1) {
      const float w = __shfl_xor_sync(0xffffffffu, v, o);
      v = (w > v || w != w) ? w : v;
    }
#endif
    return v;
  }
};

/** *p += v, atomically on the GPU (segment sums; the order of adds is then unspecified). */
TY_HD inline void atomicAddF(float* p, float v) {
#if defined(__CUDA_ARCH__)
  atomicAdd(p, v);
#else
  *p += v;
#endif
}

#ifdef TY_GPU
template <class F>
__global__ void forEachKernel(int64_t n, F f) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) f(i);
}
template <class F>
__global__ void forRowsKernel(int64_t rows, F f) {
  const int warps = blockDim.x / 32;
  const Team team{static_cast<int>(threadIdx.x % 32), 32};
  const int64_t step = static_cast<int64_t>(gridDim.x) * warps;
  for (int64_t r = static_cast<int64_t>(blockIdx.x) * warps + threadIdx.x / 32; r < rows; r += step) f(team, r);
}
template <class F>
void forEach(int64_t n, const F& f) {
  if (n <= 0) return;
  const int block = 256;
  const int64_t grid = std::min<int64_t>((n + block - 1) / block, 132 * 64);
  forEachKernel<<<static_cast<unsigned>(grid), block, 0, stream()>>>(n, f);
  check(cudaGetLastError(), "kernel launch");
}
template <class F>
void forRows(int64_t rows, const F& f) {
  if (rows <= 0) return;
  const int block = 256, perBlock = block / 32;
  const int64_t grid = std::min<int64_t>((rows + perBlock - 1) / perBlock, 132 * 64);
  forRowsKernel<<<static_cast<unsigned>(grid), block, 0, stream()>>>(rows, f);
  check(cudaGetLastError(), "kernel launch");
}
#else
template <class F>
void forEach(int64_t n, const F& f) {
  for (int64_t i = 0; i < n; i++) f(i);
}
template <class F>
void forRows(int64_t rows, const F& f) {
  const Team team{0, 1};
  for (int64_t r = 0; r < rows; r++) f(team, r);
}
#endif

// Memory: the caching allocator (allocator.cc/.cu) and copies, the same calls in both builds.
void* deviceAlloc(size_t bytes);
void deviceFree(void* p);
void copyToDevice(void* dst, const void* src, size_t bytes);
void copyToHost(void* dst, const void* src, size_t bytes);
void copyOnDevice(void* dst, const void* src, size_t bytes);
void copy2dOnDevice(void* dst, size_t dstPitch, const void* src, size_t srcPitch, size_t width, size_t rows);
void zeroOnDevice(void* p, size_t bytes);
void synchronize();

/** Scratch memory for one call: freed (back to the cache) when it goes out of scope; the
 *  stream orders the free after the kernels that use it. */
struct Scratch {
  void* p;
  explicit Scratch(size_t bytes) : p(bytes ? deviceAlloc(bytes) : nullptr) {}
  ~Scratch() { if (p) deviceFree(p); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  float* f() const { return static_cast<float*>(p); }
};

}  // namespace ty
