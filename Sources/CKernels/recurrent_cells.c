// The LSTM cell's forward step in one pass per row: the four gate activations, the new cell
// state, its tanh and the output, where separate passes would stream the gate rows through
// memory four times. Lane for lane the operations of the unfused passes (the activations of
// vector_activations.h, then c = f·c' + i·g and h = o·tanh c as plain products and a sum), so
// the results are those passes' bit for bit, at every level.
#include "ckernels.h"

// The portable loop must not fuse f·c' + i·g into an FMA where the target has one.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(__i386__)
#define CKERNELS_X86 1
#include "vector_activations.h"
#endif

#ifdef CKERNELS_X86
AVX512_TARGET static void lstm_forward_avx512(int64_t rows, int64_t h, float *gates, const float *c_prev,
                                              float *c, float *tanh_c, float *out) {
    for (int64_t r = 0; r < rows; r++) {
        float *i_row = gates + r * 4 * h, *f_row = i_row + h, *g_row = i_row + 2 * h, *o_row = i_row + 3 * h;
        const float *cp_row = c_prev ? c_prev + r * h : NULL;
        float *c_row = c + r * h, *t_row = tanh_c + r * h, *h_row = out + r * h;
        for (int64_t j = 0; j < h; j += 16) {
            __mmask16 m = h - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (h - j)) - 1);
            __m512 i = sigmoid16(_mm512_maskz_loadu_ps(m, i_row + j));
            __m512 f = sigmoid16(_mm512_maskz_loadu_ps(m, f_row + j));
            __m512 g = tanh16(_mm512_maskz_loadu_ps(m, g_row + j));
            __m512 o = sigmoid16(_mm512_maskz_loadu_ps(m, o_row + j));
            __m512 cell = _mm512_mul_ps(i, g);
            if (cp_row) cell = _mm512_add_ps(_mm512_mul_ps(f, _mm512_maskz_loadu_ps(m, cp_row + j)), cell);
            __m512 t = tanh16(cell);
            _mm512_mask_storeu_ps(i_row + j, m, i);
            _mm512_mask_storeu_ps(f_row + j, m, f);
            _mm512_mask_storeu_ps(g_row + j, m, g);
            _mm512_mask_storeu_ps(o_row + j, m, o);
            _mm512_mask_storeu_ps(c_row + j, m, cell);
            _mm512_mask_storeu_ps(t_row + j, m, t);
            _mm512_mask_storeu_ps(h_row + j, m, _mm512_mul_ps(o, t));
        }
    }
}

__attribute__((target("avx2,fma")))
static void lstm_forward_avx2(int64_t rows, int64_t h, float *gates, const float *c_prev,
                              float *c, float *tanh_c, float *out) {
    for (int64_t r = 0; r < rows; r++) {
        float *i_row = gates + r * 4 * h, *f_row = i_row + h, *g_row = i_row + 2 * h, *o_row = i_row + 3 * h;
        const float *cp_row = c_prev ? c_prev + r * h : NULL;
        float *c_row = c + r * h, *t_row = tanh_c + r * h, *h_row = out + r * h;
        for (int64_t j = 0; j < h; j += 8) {
            __m256i m = tail_mask(h - j >= 8 ? 8 : h - j);
            __m256 i = sigmoid8(_mm256_maskload_ps(i_row + j, m));
            __m256 f = sigmoid8(_mm256_maskload_ps(f_row + j, m));
            __m256 g = tanh8(_mm256_maskload_ps(g_row + j, m));
            __m256 o = sigmoid8(_mm256_maskload_ps(o_row + j, m));
            __m256 cell = _mm256_mul_ps(i, g);
            if (cp_row) cell = _mm256_add_ps(_mm256_mul_ps(f, _mm256_maskload_ps(cp_row + j, m)), cell);
            __m256 t = tanh8(cell);
            _mm256_maskstore_ps(i_row + j, m, i);
            _mm256_maskstore_ps(f_row + j, m, f);
            _mm256_maskstore_ps(g_row + j, m, g);
            _mm256_maskstore_ps(o_row + j, m, o);
            _mm256_maskstore_ps(c_row + j, m, cell);
            _mm256_maskstore_ps(t_row + j, m, t);
            _mm256_maskstore_ps(h_row + j, m, _mm256_mul_ps(o, t));
        }
    }
}
#endif

static void lstm_forward_portable(int64_t rows, int64_t h, float *gates, const float *c_prev,
                                  float *c, float *tanh_c, float *out) {
    for (int64_t r = 0; r < rows; r++) {
        float *i = gates + r * 4 * h, *f = i + h, *g = i + 2 * h, *o = i + 3 * h;
        ckernels_sigmoid_isa(CKERNELS_ISA_PORTABLE, i, 2 * h);
        ckernels_tanh_isa(CKERNELS_ISA_PORTABLE, g, h);
        ckernels_sigmoid_isa(CKERNELS_ISA_PORTABLE, o, h);
        float *c_row = c + r * h, *t_row = tanh_c + r * h;
        for (int64_t j = 0; j < h; j++) {
            float cell = i[j] * g[j];
            if (c_prev) cell = f[j] * c_prev[r * h + j] + cell;
            c_row[j] = cell;
            t_row[j] = cell;
        }
        ckernels_tanh_isa(CKERNELS_ISA_PORTABLE, t_row, h);
        for (int64_t j = 0; j < h; j++) out[r * h + j] = o[j] * t_row[j];
    }
}

void ckernels_lstm_forward_isa(int32_t isa, int64_t rows, int64_t h, float *gates, const float *c_prev,
                               float *c, float *tanh_c, float *out) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512) {
        lstm_forward_avx512(rows, h, gates, c_prev, c, tanh_c, out);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        lstm_forward_avx2(rows, h, gates, c_prev, c, tanh_c, out);
        return;
    }
#endif
    lstm_forward_portable(rows, h, gates, c_prev, c, tanh_c, out);
}

void ckernels_lstm_forward(int64_t rows, int64_t h, float *gates, const float *c_prev, float *c, float *tanh_c,
                           float *out) {
    ckernels_lstm_forward_isa(ckernels_isa(), rows, h, gates, c_prev, c, tanh_c, out);
}
