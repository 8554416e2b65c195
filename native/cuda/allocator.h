// @fileoverview The caching allocator (PyTorch's idea, much simplified): freed blocks are kept
// in free lists by rounded size and handed out again, so a training step after the first does
// no cudaMalloc/cudaFree (both synchronise the device). Sizes round up to 512 B below 1 MiB
// and to 2 MiB above. When the device is out of memory the cache is released and the
// allocation retried once. Single-threaded (the JS thread); frees are stream-ordered.
#pragma once
#include <unordered_map>
#include <vector>
#include <cstdlib>
#include "device.h"

namespace ty {

struct MemoryStats {
  size_t inUse = 0, cached = 0, peak = 0;
  uint64_t deviceAllocs = 0, cacheHits = 0;
};

class CachingAllocator {
 public:
  static size_t roundSize(size_t bytes) {
    const size_t small = 512, large = 2u << 20;
    if (bytes == 0) bytes = 1;
    return bytes < (1u << 20) ? (bytes + small - 1) / small * small : (bytes + large - 1) / large * large;
  }

  void* alloc(size_t bytes) {
    const size_t size = roundSize(bytes);
    auto& list = free_[size];
    void* p = nullptr;
    if (!list.empty()) {
      p = list.back();
      list.pop_back();
      stats_.cached -= size;
      stats_.cacheHits++;
    } else {
      p = raw(size);
      if (!p) {
        emptyCache();
        p = raw(size);
      }
      if (!p) throw DeviceError("out of device memory allocating " + std::to_string(size) + " bytes (" +
                                std::to_string(stats_.inUse) + " bytes in use)");
      stats_.deviceAllocs++;
    }
    sizes_[p] = size;
    stats_.inUse += size;
    stats_.peak = std::max(stats_.peak, stats_.inUse);
    return p;
  }

  void free(void* p) {
    auto it = sizes_.find(p);
    if (it == sizes_.end()) throw DeviceError("free of a pointer this allocator did not hand out");
    const size_t size = it->second;
    sizes_.erase(it);
    stats_.inUse -= size;
    stats_.cached += size;
    free_[size].push_back(p);
  }

  /** Returns every cached block to the device (cudaFree / free). */
  void emptyCache() {
#ifdef TY_GPU
    if (stats_.cached) cudaStreamSynchronize(stream());
#endif
    for (auto& [size, list] : free_) {
      for (void* p : list) release(p);
      list.clear();
    }
    stats_.cached = 0;
  }

  const MemoryStats& stats() const { return stats_; }

 private:
  static void* raw(size_t size) {
#ifdef TY_GPU
    void* p = nullptr;
    const cudaError_t err = cudaMalloc(&p, size);
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // clear the out-of-memory error; the caller empties the cache and retries
      return nullptr;
    }
    check(err, "cudaMalloc");
    return p;
#else
    return std::aligned_alloc(256, size);
#endif
  }
  static void release(void* p) {
#ifdef TY_GPU
    cudaFree(p);
#else
    std::free(p);
#endif
  }

  std::unordered_map<size_t, std::vector<void*>> free_;
  std::unordered_map<void*, size_t> sizes_;
  MemoryStats stats_;
};

CachingAllocator& allocator();

}  // namespace ty
