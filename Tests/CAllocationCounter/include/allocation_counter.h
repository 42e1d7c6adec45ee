#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

#include <stdint.h>

/// The heap allocations (malloc, calloc, realloc and the aligned forms) the calling thread has
/// made since it started, or -1 where the allocator cannot be counted (not glibc).
int64_t allocation_counter_thread_total(void);

#endif
