// The vector exp, sigmoid and tanh of activations.c, 8 lanes (AVX2+FMA) and 16 lanes
// (AVX-512), for the kernels that apply them inside fused loops (recurrent_cells.c). Private to
// CKernels; include only on x86.
//
// The AVX-512 path runs the AVX2 path's operations 16 lanes at a time, lane for lane the same
// (so both give bit-identical values), with the tail through a mask register. The AVX2 path computes e^x as 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 split in two
// constants (Cody–Waite), and a degree-6 polynomial for e^r on |r| ≤ ln2/2 (Cephes' expf
// coefficients). Measured against double-precision references over dense sweeps
// (ActivationKernelTests, which assert the bounds in the header): worst relative error 8.1e-8
// for exp on [−87, 88], 1.7e-7 for sigmoid on [−80, 80] and 1.7e-7 for tanh on [−12, 12] —
// about 1–3 float ulps, far inside the parity rule's 1e-5 relative. Inputs beyond the float
// range are clamped: e^x saturates at e^88.7 and flushes to e^−87.3 (≈ 1.2e−38) rather than
// to denormals or zero.
#ifndef CKERNELS_VECTOR_ACTIVATIONS_H
#define CKERNELS_VECTOR_ACTIVATIONS_H

#include <immintrin.h>
#include <stdint.h>

// e^x for 8 lanes; x is clamped to [−87.3, 88.7].
__attribute__((target("avx2,fma")))
static inline __m256 exp8(__m256 x) {
    x = _mm256_min_ps(x, _mm256_set1_ps(88.7f));
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 r2 = _mm256_mul_ps(r, r);
    __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), _mm256_set1_ps(1.0f));
    // 2^n built in the exponent field; n ∈ [−126, 128] after the clamp, 2^128 split in two.
    __m256i ni = _mm256_cvtps_epi32(n);
    __m256i half = _mm256_srai_epi32(ni, 1);
    __m256i rest = _mm256_sub_epi32(ni, half);
    __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, _mm256_set1_epi32(127)), 23));
    __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(rest, _mm256_set1_epi32(127)), 23));
    return _mm256_mul_ps(_mm256_mul_ps(y, s1), s2);
}

// The mask of the first `count` lanes of a block of 8 (masked loads read zeros elsewhere).
__attribute__((target("avx2,fma")))
static inline __m256i tail_mask(int64_t count) {
    __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), lanes);
}

// Loads and stores of a block of 8 at `j` in a loop that defines `full` (a whole block) and `m`
// (the tail's mask): whole blocks take plain moves, for AMD CPUs run masked stores slowly.
#define LOAD8(p) (full ? _mm256_loadu_ps(p) : _mm256_maskload_ps((p), m))
#define STORE8(p, v)                                     \
    do {                                                 \
        if (full) _mm256_storeu_ps((p), (v));            \
        else _mm256_maskstore_ps((p), m, (v));           \
    } while (0)

// σ(x) = 1/(1+u) for x ≥ 0 and u/(1+u) for x < 0, with u = e^−|x| ≤ 1: no overflow.
__attribute__((target("avx2,fma")))
static inline __m256 sigmoid8(__m256 x) {
    __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 u = exp8(_mm256_or_ps(x, sign));  // e^(−|x|)
    __m256 d = _mm256_add_ps(_mm256_set1_ps(1.0f), u);
    __m256 numerator = _mm256_blendv_ps(_mm256_set1_ps(1.0f), u, x);  // sign bit of x picks u
    return _mm256_div_ps(numerator, d);
}

// tanh|x| = (1 − u)/(1 + u) with u = e^(−2|x|) for |x| ≥ 0.3125, where 1 − u is exact
// enough (u ≤ 0.54); below that the odd Taylor series to x¹³, whose remainder is < 4e-11
// relative there. The sign of x is restored at the end.
__attribute__((target("avx2,fma")))
static inline __m256 tanh8(__m256 x) {
    __m256 sign_bit = _mm256_set1_ps(-0.0f);
    __m256 sign = _mm256_and_ps(x, sign_bit);
    __m256 ax = _mm256_andnot_ps(sign_bit, x);
    __m256 u = exp8(_mm256_mul_ps(ax, _mm256_set1_ps(-2.0f)));
    __m256 large = _mm256_div_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), u),
                                 _mm256_add_ps(_mm256_set1_ps(1.0f), u));
    __m256 x2 = _mm256_mul_ps(ax, ax);
    __m256 p = _mm256_set1_ps(21844.0f / 6081075.0f);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1382.0f / 155925.0f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(62.0f / 2835.0f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-17.0f / 315.0f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.0f / 15.0f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1.0f / 3.0f));
    __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, x2), ax, ax);
    __m256 is_small = _mm256_cmp_ps(ax, _mm256_set1_ps(0.3125f), _CMP_LT_OQ);
    return _mm256_or_ps(_mm256_blendv_ps(large, small, is_small), sign);
}

// The AVX2 kernels on 16 lanes, operation for operation.
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))

AVX512_TARGET static inline __m512 exp16(__m512 x) {
    x = _mm512_min_ps(x, _mm512_set1_ps(88.7f));
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.3f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 r2 = _mm512_mul_ps(r, r);
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, r2, r), _mm512_set1_ps(1.0f));
    __m512i ni = _mm512_cvtps_epi32(n);
    __m512i half = _mm512_srai_epi32(ni, 1);
    __m512i rest = _mm512_sub_epi32(ni, half);
    __m512 s1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(half, _mm512_set1_epi32(127)), 23));
    __m512 s2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(rest, _mm512_set1_epi32(127)), 23));
    return _mm512_mul_ps(_mm512_mul_ps(y, s1), s2);
}

AVX512_TARGET static inline __m512 sigmoid16(__m512 x) {
    __m512 u = exp16(_mm512_or_ps(x, _mm512_set1_ps(-0.0f)));  // e^(−|x|)
    __m512 d = _mm512_add_ps(_mm512_set1_ps(1.0f), u);
    __mmask16 negative = _mm512_movepi32_mask(_mm512_castps_si512(x));  // sign bit of x
    __m512 numerator = _mm512_mask_blend_ps(negative, _mm512_set1_ps(1.0f), u);
    return _mm512_div_ps(numerator, d);
}

AVX512_TARGET static inline __m512 tanh16(__m512 x) {
    __m512 sign_bit = _mm512_set1_ps(-0.0f);
    __m512 sign = _mm512_and_ps(x, sign_bit);
    __m512 ax = _mm512_andnot_ps(sign_bit, x);
    __m512 u = exp16(_mm512_mul_ps(ax, _mm512_set1_ps(-2.0f)));
    __m512 large = _mm512_div_ps(_mm512_sub_ps(_mm512_set1_ps(1.0f), u),
                                 _mm512_add_ps(_mm512_set1_ps(1.0f), u));
    __m512 x2 = _mm512_mul_ps(ax, ax);
    __m512 p = _mm512_set1_ps(21844.0f / 6081075.0f);
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-1382.0f / 155925.0f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(62.0f / 2835.0f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-17.0f / 315.0f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(2.0f / 15.0f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-1.0f / 3.0f));
    __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(p, x2), ax, ax);
    __mmask16 is_small = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(0.3125f), _CMP_LT_OQ);
    return _mm512_or_ps(_mm512_mask_blend_ps(is_small, large, small), sign);
}


#endif
