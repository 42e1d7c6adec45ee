// tanh accurate to about half an ulp, for the Elman RNN, whose every state passes through tanh
// (ckernels.h says why it needs more than ckernels_tanh). The vector kernels compute in float
// with FMA-based error-free arithmetic (tanh_precise_body.inc); the portable one rounds libm's
// double tanh.
#include "ckernels.h"

#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))

#define VF __m256
#define SET1 _mm256_set1_ps
#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define MUL _mm256_mul_ps
#define DIV _mm256_div_ps
#define FMA _mm256_fmadd_ps
#define FMS _mm256_fmsub_ps
#define FNMA _mm256_fnmadd_ps
#define MIN _mm256_min_ps
#define AND _mm256_and_ps
#define ANDNOT _mm256_andnot_ps
#define OR _mm256_or_ps
#define ROUND(v) _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define POW2(v) _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(v), _mm256_set1_epi32(127)), 23))
#define SELECT_BELOW(v, limit, below, otherwise) _mm256_blendv_ps(otherwise, below, _mm256_cmp_ps(v, limit, _CMP_LT_OQ))
#define TANH_PRECISE_NAME AVX2_TARGET tanh_precise8
#include "tanh_precise_body.inc"
#undef VF
#undef SET1
#undef ADD
#undef SUB
#undef MUL
#undef DIV
#undef FMA
#undef FMS
#undef FNMA
#undef MIN
#undef AND
#undef ANDNOT
#undef OR
#undef ROUND
#undef POW2
#undef SELECT_BELOW
#undef TANH_PRECISE_NAME

#define VF __m512
#define SET1 _mm512_set1_ps
#define ADD _mm512_add_ps
#define SUB _mm512_sub_ps
#define MUL _mm512_mul_ps
#define DIV _mm512_div_ps
#define FMA _mm512_fmadd_ps
#define FMS _mm512_fmsub_ps
#define FNMA _mm512_fnmadd_ps
#define MIN _mm512_min_ps
#define AND _mm512_and_ps
#define ANDNOT _mm512_andnot_ps
#define OR _mm512_or_ps
#define ROUND(v) _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define POW2(v) _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(v), _mm512_set1_epi32(127)), 23))
#define SELECT_BELOW(v, limit, below, otherwise) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, limit, _CMP_LT_OQ), otherwise, below)
#define TANH_PRECISE_NAME AVX512_TARGET tanh_precise16
#include "tanh_precise_body.inc"

AVX2_TARGET static void tanh_precise_avx2(float *x, int64_t count) {
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(x + i, tanh_precise8(_mm256_loadu_ps(x + i)));
    if (i < count) {
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count - i)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        _mm256_maskstore_ps(x + i, mask, tanh_precise8(_mm256_maskload_ps(x + i, mask)));
    }
}

AVX512_TARGET static void tanh_precise_avx512(float *x, int64_t count) {
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(x + i, tanh_precise16(_mm512_loadu_ps(x + i)));
    if (i < count) {
        __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);
        _mm512_mask_storeu_ps(x + i, mask, tanh_precise16(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}
#endif

static void tanh_precise_portable(float *x, int64_t count) {
    for (int64_t i = 0; i < count; i++) x[i] = (float)tanh((double)x[i]);
}

void ckernels_tanh_precise_isa(int32_t isa, float *x, int64_t count) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#if defined(__x86_64__) || defined(__i386__)
    if (isa >= CKERNELS_ISA_AVX512) {
        tanh_precise_avx512(x, count);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        tanh_precise_avx2(x, count);
        return;
    }
#endif
    tanh_precise_portable(x, count);
}

void ckernels_tanh_precise(float *x, int64_t count) { ckernels_tanh_precise_isa(ckernels_isa(), x, count); }
