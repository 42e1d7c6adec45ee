// The machine's limit for the GEMM: FMAs (and, for the int8 products, VNNI multiply-adds) on 12
// independent accumulators (more than the latency × pipes of current x86 cores), so only the
// execution units bound the rate. Timed in thread CPU time, like the GEMM figures it is compared
// with, so other jobs on the shared machine take the core away from both alike instead of
// skewing the ratio.
#include "fma_peak.h"

#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

__attribute__((target("avx2,fma"))) static double peak_avx2(int64_t iterations) {
    __m256 s[12], b = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(1e-3f);
    for (int i = 0; i < 12; i++) s[i] = _mm256_set1_ps((float)i);
    double start = thread_seconds();
    for (int64_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 12; i++) s[i] = _mm256_fmadd_ps(s[i], b, c);
        // The empty asm takes every sum each round, so the compiler keeps all 12 chains.
        for (int i = 0; i < 12; i++) __asm__ volatile("" : "+x"(s[i]));
    }
    double seconds = thread_seconds() - start;
    return (double)iterations * 12 * 8 * 2 / seconds / 1e9;
}

__attribute__((target("avx512f"))) static double peak_avx512(int64_t iterations) {
    __m512 s[12], b = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(1e-3f);
    for (int i = 0; i < 12; i++) s[i] = _mm512_set1_ps((float)i);
    double start = thread_seconds();
    for (int64_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 12; i++) s[i] = _mm512_fmadd_ps(s[i], b, c);
        for (int i = 0; i < 12; i++) __asm__ volatile("" : "+v"(s[i]));
    }
    double seconds = thread_seconds() - start;
    return (double)iterations * 12 * 16 * 2 / seconds / 1e9;
}

// The int8 peak: vpdpbusd on 12 independent int32 accumulators, 4 byte products per lane.
__attribute__((target("avx512f,avx512vnni"))) static double peak_vnni512(int64_t iterations) {
    __m512i s[12], a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
    for (int i = 0; i < 12; i++) s[i] = _mm512_set1_epi32(i);
    double start = thread_seconds();
    for (int64_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 12; i++) s[i] = _mm512_dpbusd_epi32(s[i], a, b);
        for (int i = 0; i < 12; i++) __asm__ volatile("" : "+v"(s[i]));
    }
    double seconds = thread_seconds() - start;
    return (double)iterations * 12 * 64 * 2 / seconds / 1e9;
}

__attribute__((target("avx2,avxvnni"))) static double peak_avxvnni(int64_t iterations) {
    __m256i s[12], a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-2);
    for (int i = 0; i < 12; i++) s[i] = _mm256_set1_epi32(i);
    double start = thread_seconds();
    for (int64_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 12; i++) s[i] = _mm256_dpbusd_avx_epi32(s[i], a, b);
        for (int i = 0; i < 12; i++) __asm__ volatile("" : "+x"(s[i]));
    }
    double seconds = thread_seconds() - start;
    return (double)iterations * 12 * 32 * 2 / seconds / 1e9;
}

double vnni_peak_gops(int32_t bits, int64_t iterations) {
    __builtin_cpu_init();
    if (bits == 512) return __builtin_cpu_supports("avx512vnni") ? peak_vnni512(iterations) : 0;
    if (bits == 256) return __builtin_cpu_supports("avxvnni") ? peak_avxvnni(iterations) : 0;
    return 0;
}

double fma_peak_gflops(int32_t isa, int64_t iterations) {
    __builtin_cpu_init();
    if (isa == 2) return __builtin_cpu_supports("avx512f") ? peak_avx512(iterations) : 0;
    if (isa == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? peak_avx2(iterations) : 0;
    return 0;
}
#else
double fma_peak_gflops(int32_t isa, int64_t iterations) {
    (void)isa;
    (void)iterations;
    return 0;
}

double vnni_peak_gops(int32_t bits, int64_t iterations) {
    (void)bits;
    (void)iterations;
    return 0;
}
#endif
