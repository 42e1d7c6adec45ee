// The Elman cell's backward step: the gradient through h = tanh(a). A stream over three
// buffers, so its speed is the vector width and the memory; one product and two exact-order
// differences per value, no FMA, so every level gives the portable loop's bits.
#include "ckernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(__i386__)
#define CKERNELS_X86 1
#include "vector_activations.h"
#endif

#ifdef CKERNELS_X86
AVX512_TARGET static void tanh_backward_avx512(int64_t count, const float *h, const float *dh, float *da) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t j = 0; j < count; j += 16) {
        __mmask16 m = count - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - j)) - 1);
        __m512 y = _mm512_maskz_loadu_ps(m, h + j);
        __m512 slope = _mm512_mul_ps(_mm512_sub_ps(one, y), _mm512_add_ps(one, y));
        _mm512_mask_storeu_ps(da + j, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, dh + j), slope));
    }
}

__attribute__((target("avx2,fma")))
static void tanh_backward_avx2(int64_t count, const float *h, const float *dh, float *da) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int64_t j = 0; j < count; j += 8) {
        const int full = count - j >= 8;
        __m256i m = tail_mask(full ? 8 : count - j);
        __m256 y = LOAD8(h + j);
        __m256 slope = _mm256_mul_ps(_mm256_sub_ps(one, y), _mm256_add_ps(one, y));
        STORE8(da + j, _mm256_mul_ps(LOAD8(dh + j), slope));
    }
}
#endif

static void tanh_backward_portable(int64_t count, const float *h, const float *dh, float *da) {
    for (int64_t j = 0; j < count; j++) da[j] = dh[j] * ((1.0f - h[j]) * (1.0f + h[j]));
}

void ckernels_tanh_backward_isa(int32_t isa, int64_t count, const float *h, const float *dh, float *da) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512) {
        tanh_backward_avx512(count, h, dh, da);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        tanh_backward_avx2(count, h, dh, da);
        return;
    }
#endif
    tanh_backward_portable(count, h, dh, da);
}

void ckernels_tanh_backward(int64_t count, const float *h, const float *dh, float *da) {
    ckernels_tanh_backward_isa(ckernels_isa(), count, h, dh, da);
}
