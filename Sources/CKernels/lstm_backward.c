// The LSTM cell's backward step in one pass per row, from the gates, tanh(c) and c_{t−1} that
// forward cached. Only products, sums and differences, each rounded on its own in the order the
// header gives (no FMA), so every level gives the same bits as the portable loop.
#include "ckernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(__i386__)
#define CKERNELS_X86 1
#include "vector_activations.h"
#endif

#ifdef CKERNELS_X86
AVX512_TARGET static void lstm_backward_avx512(int64_t rows, int64_t h, const float *gates, const float *tanh_c,
                                               const float *c_prev, const float *dh, float *dgates, float *dc) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *i_row = gates + r * 4 * h, *f_row = i_row + h, *g_row = i_row + 2 * h, *o_row = i_row + 3 * h;
        float *di_row = dgates + r * 4 * h, *df_row = di_row + h, *dg_row = di_row + 2 * h, *do_row = di_row + 3 * h;
        const float *t_row = tanh_c + r * h, *dh_row = dh + r * h, *cp_row = c_prev ? c_prev + r * h : NULL;
        float *dc_row = dc + r * h;
        for (int64_t j = 0; j < h; j += 16) {
            __mmask16 m = h - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (h - j)) - 1);
            __m512 i = _mm512_maskz_loadu_ps(m, i_row + j), f = _mm512_maskz_loadu_ps(m, f_row + j);
            __m512 g = _mm512_maskz_loadu_ps(m, g_row + j), o = _mm512_maskz_loadu_ps(m, o_row + j);
            __m512 t = _mm512_maskz_loadu_ps(m, t_row + j), d = _mm512_maskz_loadu_ps(m, dh_row + j);
            __m512 cp = cp_row ? _mm512_maskz_loadu_ps(m, cp_row + j) : _mm512_setzero_ps();
            __m512 d_o = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(d, t), o), _mm512_sub_ps(one, o));
            __m512 dcell = _mm512_add_ps(_mm512_maskz_loadu_ps(m, dc_row + j),
                                         _mm512_mul_ps(_mm512_mul_ps(d, o), _mm512_sub_ps(one, _mm512_mul_ps(t, t))));
            __m512 d_i = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(dcell, g), i), _mm512_sub_ps(one, i));
            __m512 d_g = _mm512_mul_ps(_mm512_mul_ps(dcell, i), _mm512_sub_ps(one, _mm512_mul_ps(g, g)));
            __m512 d_f = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(dcell, f), _mm512_sub_ps(one, f)), cp);
            _mm512_mask_storeu_ps(do_row + j, m, d_o);
            _mm512_mask_storeu_ps(di_row + j, m, d_i);
            _mm512_mask_storeu_ps(dg_row + j, m, d_g);
            _mm512_mask_storeu_ps(df_row + j, m, d_f);
            _mm512_mask_storeu_ps(dc_row + j, m, _mm512_mul_ps(dcell, f));
        }
    }
}

__attribute__((target("avx2,fma")))
static void lstm_backward_avx2(int64_t rows, int64_t h, const float *gates, const float *tanh_c,
                               const float *c_prev, const float *dh, float *dgates, float *dc) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *i_row = gates + r * 4 * h, *f_row = i_row + h, *g_row = i_row + 2 * h, *o_row = i_row + 3 * h;
        float *di_row = dgates + r * 4 * h, *df_row = di_row + h, *dg_row = di_row + 2 * h, *do_row = di_row + 3 * h;
        const float *t_row = tanh_c + r * h, *dh_row = dh + r * h, *cp_row = c_prev ? c_prev + r * h : NULL;
        float *dc_row = dc + r * h;
        for (int64_t j = 0; j < h; j += 8) {
            const int full = h - j >= 8;
            __m256i m = tail_mask(full ? 8 : h - j);
            __m256 i = LOAD8(i_row + j), f = LOAD8(f_row + j);
            __m256 g = LOAD8(g_row + j), o = LOAD8(o_row + j);
            __m256 t = LOAD8(t_row + j), d = LOAD8(dh_row + j);
            __m256 cp = cp_row ? LOAD8(cp_row + j) : _mm256_setzero_ps();
            __m256 d_o = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(d, t), o), _mm256_sub_ps(one, o));
            __m256 dcell = _mm256_add_ps(LOAD8(dc_row + j),
                                         _mm256_mul_ps(_mm256_mul_ps(d, o), _mm256_sub_ps(one, _mm256_mul_ps(t, t))));
            __m256 d_i = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dcell, g), i), _mm256_sub_ps(one, i));
            __m256 d_g = _mm256_mul_ps(_mm256_mul_ps(dcell, i), _mm256_sub_ps(one, _mm256_mul_ps(g, g)));
            __m256 d_f = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dcell, f), _mm256_sub_ps(one, f)), cp);
            STORE8(do_row + j, d_o);
            STORE8(di_row + j, d_i);
            STORE8(dg_row + j, d_g);
            STORE8(df_row + j, d_f);
            STORE8(dc_row + j, _mm256_mul_ps(dcell, f));
        }
    }
}
#endif

static void lstm_backward_portable(int64_t rows, int64_t h, const float *restrict gates,
                                   const float *restrict tanh_c, const float *restrict c_prev,
                                   const float *restrict dh, float *restrict dgates, float *restrict dc) {
    for (int64_t r = 0; r < rows; r++) {
        const float *i = gates + r * 4 * h, *f = i + h, *g = i + 2 * h, *o = i + 3 * h;
        float *di = dgates + r * 4 * h, *df = di + h, *dg = di + 2 * h, *d_o = di + 3 * h;
        const float *t = tanh_c + r * h, *d = dh + r * h;
        float *dc_row = dc + r * h;
        for (int64_t j = 0; j < h; j++) {
            // c_{t−1} = 0 still multiplies, so the sign of a zero gradient matches the vector paths.
            float cp = c_prev ? c_prev[r * h + j] : 0.0f;
            d_o[j] = d[j] * t[j] * o[j] * (1.0f - o[j]);
            float dcell = dc_row[j] + d[j] * o[j] * (1.0f - t[j] * t[j]);
            di[j] = dcell * g[j] * i[j] * (1.0f - i[j]);
            dg[j] = dcell * i[j] * (1.0f - g[j] * g[j]);
            df[j] = dcell * f[j] * (1.0f - f[j]) * cp;
            dc_row[j] = dcell * f[j];
        }
    }
}

void ckernels_lstm_backward_isa(int32_t isa, int64_t rows, int64_t h, const float *gates, const float *tanh_c,
                                const float *c_prev, const float *dh, float *dgates, float *dc) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512) {
        lstm_backward_avx512(rows, h, gates, tanh_c, c_prev, dh, dgates, dc);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        lstm_backward_avx2(rows, h, gates, tanh_c, c_prev, dh, dgates, dc);
        return;
    }
#endif
    lstm_backward_portable(rows, h, gates, tanh_c, c_prev, dh, dgates, dc);
}

void ckernels_lstm_backward(int64_t rows, int64_t h, const float *gates, const float *tanh_c, const float *c_prev,
                            const float *dh, float *dgates, float *dc) {
    ckernels_lstm_backward_isa(ckernels_isa(), rows, h, gates, tanh_c, c_prev, dh, dgates, dc);
}

