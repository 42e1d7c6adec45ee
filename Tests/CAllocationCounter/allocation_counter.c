// Lets the tests count heap allocations: linked into the test process, these definitions
// replace glibc's allocation entry points for every library in it, count the call per thread
// and hand it to glibc's own implementation (`__libc_*`), so allocation itself is unchanged.
#include "allocation_counter.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// initial-exec: reading the counter must never allocate (the dynamic TLS model may).
static __thread int64_t thread_total __attribute__((tls_model("initial-exec")));

void *malloc(size_t size) {
    thread_total++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    thread_total++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    thread_total++;
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    thread_total++;
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    thread_total++;
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    thread_total++;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

int64_t allocation_counter_thread_total(void) { return thread_total; }
#else
int64_t allocation_counter_thread_total(void) { return -1; }
#endif
