#include "ckernels.h"

int32_t ckernels_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    // Cached, since every kernel call asks. Threads racing on the first call store the same
    // value; the relaxed atomics only make that race well-defined.
    static int32_t known = -1;
    int32_t value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
#else
    return 0;
#endif
}
