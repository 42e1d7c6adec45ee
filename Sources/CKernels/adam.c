// The Adam update loops, in C so that the square roots and divisions vectorize (Swift left
// them scalar: ~5 ns per value, so a SparseAdam step on 4096 rows of 64 took over 1 ms).
// Each form keeps PyTorch's order of operations; see Optimizers.swift for the formulas. The
// AVX-512 and AVX2 loops do the same operations per value (the AVX2 tail is scalar C).
#include "ckernels.h"

#include <math.h>

static inline __attribute__((always_inline)) void
adam_body(float *restrict theta, const float *restrict g, float *restrict m, float *restrict v,
          int64_t count, float beta1, float beta2, float step_size, float correction2_root,
          float epsilon, float gradient_decay) {
    for (int64_t i = 0; i < count; i++) {
        float gi = g[i] + gradient_decay * theta[i];
        float new_m = m[i] + (1 - beta1) * (gi - m[i]);
        float new_v = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = new_m;
        v[i] = new_v;
        theta[i] -= step_size * (new_m / (sqrtf(new_v) / correction2_root + epsilon));
    }
}

static inline __attribute__((always_inline)) void
sparse_adam_body(float *restrict theta, const float *restrict g, float *restrict m, float *restrict v,
                 int64_t count, float beta1, float beta2, float step_size, float epsilon) {
    for (int64_t i = 0; i < count; i++) {
        float new_m = (g[i] - m[i]) * (1 - beta1) + m[i];
        float new_v = (g[i] * g[i] - v[i]) * (1 - beta2) + v[i];
        m[i] = new_m;
        v[i] = new_v;
        theta[i] += -step_size * (new_m / (sqrtf(new_v) + epsilon));
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Explicit vectors: sqrtf's errno path keeps the compiler from vectorizing the plain loops.
__attribute__((target("avx2,fma")))
static void adam_avx2(float *restrict theta, const float *restrict g, float *restrict m,
                      float *restrict v, int64_t count, float beta1, float beta2, float step_size,
                      float correction2_root, float epsilon, float gradient_decay) {
    const __m256 one_minus_beta1 = _mm256_set1_ps(1 - beta1), beta2v = _mm256_set1_ps(beta2);
    const __m256 one_minus_beta2 = _mm256_set1_ps(1 - beta2), step = _mm256_set1_ps(step_size);
    const __m256 root = _mm256_set1_ps(correction2_root), eps = _mm256_set1_ps(epsilon);
    const __m256 decay = _mm256_set1_ps(gradient_decay);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 t = _mm256_loadu_ps(theta + i);
        __m256 gi = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(decay, t));
        __m256 mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
        mi = _mm256_add_ps(mi, _mm256_mul_ps(one_minus_beta1, _mm256_sub_ps(gi, mi)));
        vi = _mm256_add_ps(_mm256_mul_ps(beta2v, vi), _mm256_mul_ps(_mm256_mul_ps(one_minus_beta2, gi), gi));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), root), eps);
        _mm256_storeu_ps(theta + i, _mm256_sub_ps(t, _mm256_mul_ps(step, _mm256_div_ps(mi, denom))));
    }
    adam_body(theta + i, g + i, m + i, v + i, count - i, beta1, beta2, step_size, correction2_root,
              epsilon, gradient_decay);
}

__attribute__((target("avx2,fma")))
static void sparse_adam_avx2(float *restrict theta, const float *restrict g, float *restrict m,
                             float *restrict v, int64_t count, float beta1, float beta2,
                             float step_size, float epsilon) {
    const __m256 one_minus_beta1 = _mm256_set1_ps(1 - beta1), one_minus_beta2 = _mm256_set1_ps(1 - beta2);
    const __m256 minus_step = _mm256_set1_ps(-step_size), eps = _mm256_set1_ps(epsilon);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 gi = _mm256_loadu_ps(g + i), mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
        mi = _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(gi, mi), one_minus_beta1), mi);
        vi = _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(gi, gi), vi), one_minus_beta2), vi);
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 update = _mm256_mul_ps(minus_step, _mm256_div_ps(mi, _mm256_add_ps(_mm256_sqrt_ps(vi), eps)));
        _mm256_storeu_ps(theta + i, _mm256_add_ps(_mm256_loadu_ps(theta + i), update));
    }
    sparse_adam_body(theta + i, g + i, m + i, v + i, count - i, beta1, beta2, step_size, epsilon);
}
// The AVX2 loops on 16 lanes, the tail through a mask instead of the scalar loop.
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))

AVX512_TARGET static void adam_avx512(float *restrict theta, const float *restrict g, float *restrict m,
                                      float *restrict v, int64_t count, float beta1, float beta2,
                                      float step_size, float correction2_root, float epsilon,
                                      float gradient_decay) {
    const __m512 one_minus_beta1 = _mm512_set1_ps(1 - beta1), beta2v = _mm512_set1_ps(beta2);
    const __m512 one_minus_beta2 = _mm512_set1_ps(1 - beta2), step = _mm512_set1_ps(step_size);
    const __m512 root = _mm512_set1_ps(correction2_root), eps = _mm512_set1_ps(epsilon);
    const __m512 decay = _mm512_set1_ps(gradient_decay);
    for (int64_t i = 0; i < count; i += 16) {
        __mmask16 k = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        __m512 t = _mm512_maskz_loadu_ps(k, theta + i);
        __m512 gi = _mm512_add_ps(_mm512_maskz_loadu_ps(k, g + i), _mm512_mul_ps(decay, t));
        __m512 mi = _mm512_maskz_loadu_ps(k, m + i), vi = _mm512_maskz_loadu_ps(k, v + i);
        mi = _mm512_add_ps(mi, _mm512_mul_ps(one_minus_beta1, _mm512_sub_ps(gi, mi)));
        vi = _mm512_add_ps(_mm512_mul_ps(beta2v, vi), _mm512_mul_ps(_mm512_mul_ps(one_minus_beta2, gi), gi));
        _mm512_mask_storeu_ps(m + i, k, mi);
        _mm512_mask_storeu_ps(v + i, k, vi);
        __m512 denom = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vi), root), eps);
        _mm512_mask_storeu_ps(theta + i, k, _mm512_sub_ps(t, _mm512_mul_ps(step, _mm512_div_ps(mi, denom))));
    }
}

AVX512_TARGET static void sparse_adam_avx512(float *restrict theta, const float *restrict g, float *restrict m,
                                             float *restrict v, int64_t count, float beta1, float beta2,
                                             float step_size, float epsilon) {
    const __m512 one_minus_beta1 = _mm512_set1_ps(1 - beta1), one_minus_beta2 = _mm512_set1_ps(1 - beta2);
    const __m512 minus_step = _mm512_set1_ps(-step_size), eps = _mm512_set1_ps(epsilon);
    for (int64_t i = 0; i < count; i += 16) {
        __mmask16 k = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        __m512 gi = _mm512_maskz_loadu_ps(k, g + i), mi = _mm512_maskz_loadu_ps(k, m + i);
        __m512 vi = _mm512_maskz_loadu_ps(k, v + i);
        mi = _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(gi, mi), one_minus_beta1), mi);
        vi = _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(_mm512_mul_ps(gi, gi), vi), one_minus_beta2), vi);
        _mm512_mask_storeu_ps(m + i, k, mi);
        _mm512_mask_storeu_ps(v + i, k, vi);
        __m512 update = _mm512_mul_ps(minus_step, _mm512_div_ps(mi, _mm512_add_ps(_mm512_sqrt_ps(vi), eps)));
        _mm512_mask_storeu_ps(theta + i, k, _mm512_add_ps(_mm512_maskz_loadu_ps(k, theta + i), update));
    }
}
#endif

void ckernels_adam(float *theta, const float *g, float *m, float *v, int64_t count, float beta1,
                   float beta2, float step_size, float correction2_root, float epsilon,
                   float gradient_decay) {
#if defined(__x86_64__) || defined(__i386__)
    if (ckernels_isa() >= CKERNELS_ISA_AVX512) {
        adam_avx512(theta, g, m, v, count, beta1, beta2, step_size, correction2_root, epsilon, gradient_decay);
        return;
    }
    if (ckernels_isa() >= CKERNELS_ISA_AVX2) {
        adam_avx2(theta, g, m, v, count, beta1, beta2, step_size, correction2_root, epsilon, gradient_decay);
        return;
    }
#endif
    adam_body(theta, g, m, v, count, beta1, beta2, step_size, correction2_root, epsilon, gradient_decay);
}

void ckernels_sparse_adam(float *theta, float *m, float *v, int64_t d, const intptr_t *rows,
                          int64_t row_count, const float *g, float beta1, float beta2,
                          float step_size, float epsilon) {
    int32_t isa = ckernels_isa();
    for (int64_t slot = 0; slot < row_count; slot++) {
        // The rows are scattered over tables larger than the cache: fetch a few ahead.
        if (slot + 4 < row_count) {
            int64_t ahead = rows[slot + 4] * d;
            for (int64_t byte = 0; byte < d * (int64_t)sizeof(float); byte += 64) {
                __builtin_prefetch((const char *)(theta + ahead) + byte, 1, 3);
                __builtin_prefetch((const char *)(m + ahead) + byte, 1, 3);
                __builtin_prefetch((const char *)(v + ahead) + byte, 1, 3);
            }
        }
        int64_t at = rows[slot] * d;
#if defined(__x86_64__) || defined(__i386__)
        if (isa >= CKERNELS_ISA_AVX512) {
            sparse_adam_avx512(theta + at, g + slot * d, m + at, v + at, d, beta1, beta2, step_size, epsilon);
            continue;
        }
        if (isa >= CKERNELS_ISA_AVX2) {
            sparse_adam_avx2(theta + at, g + slot * d, m + at, v + at, d, beta1, beta2, step_size, epsilon);
            continue;
        }
#endif
        (void)isa;
        sparse_adam_body(theta + at, g + slot * d, m + at, v + at, d, beta1, beta2, step_size, epsilon);
    }
}
