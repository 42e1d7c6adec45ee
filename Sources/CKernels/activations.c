// Vectorized exp, sigmoid and tanh over float buffers: the lane functions of
// vector_activations.h (whose comment gives the method and the measured errors) mapped over a
// buffer, with libm as the portable fallback.
#include "ckernels.h"

#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#define CKERNELS_X86 1
#include "vector_activations.h"
#endif

#ifdef CKERNELS_X86
// Defines `name(x, count)`, applying the 8-lane `kernel8` to x in place, the tail through a mask.
#define DEFINE_AVX2_MAP(name, kernel8)                                                           \
    __attribute__((target("avx2,fma"))) static void name(float *x, int64_t count) {              \
        int64_t i = 0;                                                                           \
        for (; i + 8 <= count; i += 8) _mm256_storeu_ps(x + i, kernel8(_mm256_loadu_ps(x + i))); \
        if (i < count) {                                                                         \
            __m256i mask = tail_mask(count - i);                                                 \
            _mm256_maskstore_ps(x + i, mask, kernel8(_mm256_maskload_ps(x + i, mask)));          \
        }                                                                                        \
    }

DEFINE_AVX2_MAP(exp_avx2, exp8)
DEFINE_AVX2_MAP(sigmoid_avx2, sigmoid8)
DEFINE_AVX2_MAP(tanh_avx2, tanh8)
// Defines `name(x, count)`, applying the 16-lane `kernel16` to x in place, the tail through a mask.
#define DEFINE_AVX512_MAP(name, kernel16)                                                        \
    AVX512_TARGET static void name(float *x, int64_t count) {                                    \
        int64_t i = 0;                                                                           \
        for (; i + 16 <= count; i += 16) _mm512_storeu_ps(x + i, kernel16(_mm512_loadu_ps(x + i))); \
        if (i < count) {                                                                         \
            __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);                               \
            _mm512_mask_storeu_ps(x + i, mask, kernel16(_mm512_maskz_loadu_ps(mask, x + i)));    \
        }                                                                                        \
    }

DEFINE_AVX512_MAP(exp_avx512, exp16)
DEFINE_AVX512_MAP(sigmoid_avx512, sigmoid16)
DEFINE_AVX512_MAP(tanh_avx512, tanh16)
#endif

static void exp_portable(float *x, int64_t count) {
    for (int64_t i = 0; i < count; i++) x[i] = expf(x[i]);
}

static void sigmoid_portable(float *x, int64_t count) {
    for (int64_t i = 0; i < count; i++) {
        float u = expf(-fabsf(x[i]));
        x[i] = x[i] >= 0 ? 1.0f / (1.0f + u) : u / (1.0f + u);
    }
}

static void tanh_portable(float *x, int64_t count) {
    for (int64_t i = 0; i < count; i++) x[i] = tanhf(x[i]);
}

#ifdef CKERNELS_X86
#define DISPATCH(isa, x, count, avx512, avx2, portable)                                          \
    do {                                                                                         \
        if (isa >= CKERNELS_ISA_AVX512 && ckernels_isa_supported() >= CKERNELS_ISA_AVX512) {     \
            avx512(x, count);                                                                    \
        } else if (isa >= CKERNELS_ISA_AVX2 && ckernels_isa_supported() >= CKERNELS_ISA_AVX2) {  \
            avx2(x, count);                                                                      \
        } else {                                                                                 \
            portable(x, count);                                                                  \
        }                                                                                        \
    } while (0)
#else
#define DISPATCH(isa, x, count, avx512, avx2, portable) portable(x, count)
#endif

void ckernels_exp_isa(int32_t isa, float *x, int64_t count) {
    DISPATCH(isa, x, count, exp_avx512, exp_avx2, exp_portable);
}

void ckernels_sigmoid_isa(int32_t isa, float *x, int64_t count) {
    DISPATCH(isa, x, count, sigmoid_avx512, sigmoid_avx2, sigmoid_portable);
}

void ckernels_tanh_isa(int32_t isa, float *x, int64_t count) {
    DISPATCH(isa, x, count, tanh_avx512, tanh_avx2, tanh_portable);
}

void ckernels_exp(float *x, int64_t count) { ckernels_exp_isa(ckernels_isa(), x, count); }

void ckernels_sigmoid(float *x, int64_t count) { ckernels_sigmoid_isa(ckernels_isa(), x, count); }

void ckernels_tanh(float *x, int64_t count) { ckernels_tanh_isa(ckernels_isa(), x, count); }
