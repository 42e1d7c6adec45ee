#include "ckernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

static _Thread_local int32_t in_parallel_region = 0;

int32_t ckernels_in_parallel_region(void) { return in_parallel_region; }

void ckernels_set_in_parallel_region(int32_t inside) { in_parallel_region = inside; }

void ckernels_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // Blocks up to 32 MiB come from the heap rather than fresh mappings, and the heap is
    // trimmed only past 1 GiB of free space: measured 91k → 126k tokens/s for LSTM training.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void ckernels_return_freed_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
