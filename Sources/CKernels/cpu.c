#include "ckernels.h"

int32_t ckernels_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    // Cached: the kernels ask on every call. Racing first calls store the same value.
    static int32_t known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return known;
#else
    return 0;
#endif
}
