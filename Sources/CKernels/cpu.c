// Which instruction set the kernels use: the widest this CPU (and its OS) supports, capped by
// the environment variable TEXTCLF_ISA, both read once.
#include "ckernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t ckernels_isa_supported(void) {
#if defined(__x86_64__) || defined(__i386__)
    // Cached, since every kernel call asks. Threads racing on the first call store the same
    // value; the relaxed atomics only make that race well-defined.
    static int32_t known = -1;
    int32_t value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        // The runtime behind __builtin_cpu_supports reports AVX and AVX-512 features only
        // when XGETBV says the OS saves their registers (YMM, and opmask + ZMM state).
        value = CKERNELS_ISA_PORTABLE;
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            value = CKERNELS_ISA_AVX2;
            if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
                value = CKERNELS_ISA_AVX512;
            }
        }
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
#else
    return CKERNELS_ISA_PORTABLE;
#endif
}

// The cap set by TEXTCLF_ISA, or the widest level when it is unset. An unknown value is
// reported once on stderr and ignored, so a typo never passes silently for a forced path.
static int32_t requested_cap(void) {
    const char *text = getenv("TEXTCLF_ISA");
    if (!text || !*text) return CKERNELS_ISA_AVX512;
    if (strcmp(text, "portable") == 0) return CKERNELS_ISA_PORTABLE;
    if (strcmp(text, "avx2") == 0) return CKERNELS_ISA_AVX2;
    if (strcmp(text, "avx512") == 0) return CKERNELS_ISA_AVX512;
    fprintf(stderr, "textclf: warning: TEXTCLF_ISA=%s is not one of portable, avx2, avx512; ignored\n", text);
    return CKERNELS_ISA_AVX512;
}

int32_t ckernels_isa(void) {
    static int32_t known = -1;
    int32_t value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        int32_t supported = ckernels_isa_supported(), cap = requested_cap();
        value = cap < supported ? cap : supported;
        // Only the first caller's store matters; a racing caller computes the same value
        // (and may print the warning a second time, which is harmless).
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}
