// The GRU cell's forward and backward steps in one pass per row, where the unfused form streams
// each gate row through memory several times. Lane for lane the operations of the unfused passes
// (the activations of vector_activations.h; products, sums and differences each rounded on their
// own, no FMA), so forward gives those passes' bits at every level and backward gives the same
// bits at every level.
#include "ckernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(__i386__)
#define CKERNELS_X86 1
#include "vector_activations.h"
#endif

#ifdef CKERNELS_X86
AVX512_TARGET static void gru_forward_avx512(int64_t rows, int64_t h, float *gates, const float *projection,
                                             const float *h_prev, float *hn, float *out) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t row = 0; row < rows; row++) {
        float *r_row = gates + row * 3 * h, *z_row = r_row + h, *n_row = r_row + 2 * h;
        const float *pr = projection + row * 3 * h, *pz = pr + h, *pn = pr + 2 * h;
        const float *hp_row = h_prev ? h_prev + row * h : NULL;
        float *hn_row = hn + row * h, *out_row = out + row * h;
        for (int64_t j = 0; j < h; j += 16) {
            __mmask16 m = h - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (h - j)) - 1);
            __m512 r = sigmoid16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, r_row + j), _mm512_maskz_loadu_ps(m, pr + j)));
            __m512 z = sigmoid16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, z_row + j), _mm512_maskz_loadu_ps(m, pz + j)));
            __m512 hidden = _mm512_maskz_loadu_ps(m, pn + j);
            __m512 n = tanh16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, n_row + j), _mm512_mul_ps(r, hidden)));
            __m512 y = _mm512_mul_ps(_mm512_sub_ps(one, z), n);
            if (hp_row) y = _mm512_add_ps(y, _mm512_mul_ps(z, _mm512_maskz_loadu_ps(m, hp_row + j)));
            _mm512_mask_storeu_ps(r_row + j, m, r);
            _mm512_mask_storeu_ps(z_row + j, m, z);
            _mm512_mask_storeu_ps(n_row + j, m, n);
            _mm512_mask_storeu_ps(hn_row + j, m, hidden);
            _mm512_mask_storeu_ps(out_row + j, m, y);
        }
    }
}

__attribute__((target("avx2,fma")))
static void gru_forward_avx2(int64_t rows, int64_t h, float *gates, const float *projection,
                             const float *h_prev, float *hn, float *out) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int64_t row = 0; row < rows; row++) {
        float *r_row = gates + row * 3 * h, *z_row = r_row + h, *n_row = r_row + 2 * h;
        const float *pr = projection + row * 3 * h, *pz = pr + h, *pn = pr + 2 * h;
        const float *hp_row = h_prev ? h_prev + row * h : NULL;
        float *hn_row = hn + row * h, *out_row = out + row * h;
        for (int64_t j = 0; j < h; j += 8) {
            const int full = h - j >= 8;
            __m256i m = tail_mask(full ? 8 : h - j);
            __m256 r = sigmoid8(_mm256_add_ps(LOAD8(r_row + j), LOAD8(pr + j)));
            __m256 z = sigmoid8(_mm256_add_ps(LOAD8(z_row + j), LOAD8(pz + j)));
            __m256 hidden = LOAD8(pn + j);
            __m256 n = tanh8(_mm256_add_ps(LOAD8(n_row + j), _mm256_mul_ps(r, hidden)));
            __m256 y = _mm256_mul_ps(_mm256_sub_ps(one, z), n);
            if (hp_row) y = _mm256_add_ps(y, _mm256_mul_ps(z, LOAD8(hp_row + j)));
            STORE8(r_row + j, r);
            STORE8(z_row + j, z);
            STORE8(n_row + j, n);
            STORE8(hn_row + j, hidden);
            STORE8(out_row + j, y);
        }
    }
}

AVX512_TARGET static void gru_backward_avx512(int64_t rows, int64_t h, const float *gates, const float *hn,
                                              const float *h_prev, const float *dh, float *dh_prev,
                                              float *dgates, float *dprojection) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t row = 0; row < rows; row++) {
        const float *r_row = gates + row * 3 * h, *z_row = r_row + h, *n_row = r_row + 2 * h;
        const float *hn_row = hn + row * h, *dh_row = dh + row * h, *hp_row = h_prev ? h_prev + row * h : NULL;
        float *dhp_row = dh_prev ? dh_prev + row * h : NULL;
        float *dr_row = dgates + row * 3 * h, *dz_row = dr_row + h, *dn_row = dr_row + 2 * h;
        float *dpr = dprojection + row * 3 * h, *dpz = dpr + h, *dpn = dpr + 2 * h;
        for (int64_t j = 0; j < h; j += 16) {
            __mmask16 m = h - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (h - j)) - 1);
            __m512 r = _mm512_maskz_loadu_ps(m, r_row + j), z = _mm512_maskz_loadu_ps(m, z_row + j);
            __m512 n = _mm512_maskz_loadu_ps(m, n_row + j), d = _mm512_maskz_loadu_ps(m, dh_row + j);
            __m512 hp = hp_row ? _mm512_maskz_loadu_ps(m, hp_row + j) : _mm512_setzero_ps();
            __m512 one_z = _mm512_sub_ps(one, z);
            __m512 dz = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(d, _mm512_sub_ps(hp, n)), z), one_z);
            if (dhp_row) {
                __m512 sum = _mm512_add_ps(_mm512_maskz_loadu_ps(m, dhp_row + j), _mm512_mul_ps(d, z));
                _mm512_mask_storeu_ps(dhp_row + j, m, sum);
            }
            __m512 dn = _mm512_mul_ps(_mm512_mul_ps(d, one_z), _mm512_sub_ps(one, _mm512_mul_ps(n, n)));
            __m512 dr = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(dn, _mm512_maskz_loadu_ps(m, hn_row + j)), r),
                                      _mm512_sub_ps(one, r));
            _mm512_mask_storeu_ps(dr_row + j, m, dr);
            _mm512_mask_storeu_ps(dz_row + j, m, dz);
            _mm512_mask_storeu_ps(dn_row + j, m, dn);
            _mm512_mask_storeu_ps(dpr + j, m, dr);
            _mm512_mask_storeu_ps(dpz + j, m, dz);
            _mm512_mask_storeu_ps(dpn + j, m, _mm512_mul_ps(dn, r));
        }
    }
}

__attribute__((target("avx2,fma")))
static void gru_backward_avx2(int64_t rows, int64_t h, const float *gates, const float *hn,
                              const float *h_prev, const float *dh, float *dh_prev,
                              float *dgates, float *dprojection) {
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int64_t row = 0; row < rows; row++) {
        const float *r_row = gates + row * 3 * h, *z_row = r_row + h, *n_row = r_row + 2 * h;
        const float *hn_row = hn + row * h, *dh_row = dh + row * h, *hp_row = h_prev ? h_prev + row * h : NULL;
        float *dhp_row = dh_prev ? dh_prev + row * h : NULL;
        float *dr_row = dgates + row * 3 * h, *dz_row = dr_row + h, *dn_row = dr_row + 2 * h;
        float *dpr = dprojection + row * 3 * h, *dpz = dpr + h, *dpn = dpr + 2 * h;
        for (int64_t j = 0; j < h; j += 8) {
            const int full = h - j >= 8;
            __m256i m = tail_mask(full ? 8 : h - j);
            __m256 r = LOAD8(r_row + j), z = LOAD8(z_row + j);
            __m256 n = LOAD8(n_row + j), d = LOAD8(dh_row + j);
            __m256 hp = hp_row ? LOAD8(hp_row + j) : _mm256_setzero_ps();
            __m256 one_z = _mm256_sub_ps(one, z);
            __m256 dz = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(d, _mm256_sub_ps(hp, n)), z), one_z);
            if (dhp_row) {
                __m256 sum = _mm256_add_ps(LOAD8(dhp_row + j), _mm256_mul_ps(d, z));
                STORE8(dhp_row + j, sum);
            }
            __m256 dn = _mm256_mul_ps(_mm256_mul_ps(d, one_z), _mm256_sub_ps(one, _mm256_mul_ps(n, n)));
            __m256 dr = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dn, LOAD8(hn_row + j)), r),
                                      _mm256_sub_ps(one, r));
            STORE8(dr_row + j, dr);
            STORE8(dz_row + j, dz);
            STORE8(dn_row + j, dn);
            STORE8(dpr + j, dr);
            STORE8(dpz + j, dz);
            STORE8(dpn + j, _mm256_mul_ps(dn, r));
        }
    }
}
#endif

static void gru_forward_portable(int64_t rows, int64_t h, float *gates, const float *projection,
                                 const float *h_prev, float *hn, float *out) {
    for (int64_t row = 0; row < rows; row++) {
        float *r = gates + row * 3 * h, *z = r + h, *n = r + 2 * h;
        const float *p = projection + row * 3 * h;
        float *hn_row = hn + row * h, *y = out + row * h;
        for (int64_t j = 0; j < 2 * h; j++) r[j] += p[j];
        ckernels_sigmoid_isa(CKERNELS_ISA_PORTABLE, r, 2 * h);
        for (int64_t j = 0; j < h; j++) {
            hn_row[j] = p[2 * h + j];
            n[j] += r[j] * hn_row[j];
        }
        ckernels_tanh_isa(CKERNELS_ISA_PORTABLE, n, h);
        for (int64_t j = 0; j < h; j++) {
            y[j] = (1.0f - z[j]) * n[j];
            if (h_prev) y[j] = y[j] + z[j] * h_prev[row * h + j];
        }
    }
}

static void gru_backward_portable(int64_t rows, int64_t h, const float *restrict gates,
                                  const float *restrict hn, const float *restrict h_prev,
                                  const float *restrict dh, float *restrict dh_prev,
                                  float *restrict dgates, float *restrict dprojection) {
    for (int64_t row = 0; row < rows; row++) {
        const float *r = gates + row * 3 * h, *z = r + h, *n = r + 2 * h;
        const float *hn_row = hn + row * h, *d = dh + row * h;
        float *dr = dgates + row * 3 * h, *dz = dr + h, *dn = dr + 2 * h;
        float *dp = dprojection + row * 3 * h;
        for (int64_t j = 0; j < h; j++) {
            float hp = h_prev ? h_prev[row * h + j] : 0.0f;
            dz[j] = d[j] * (hp - n[j]) * z[j] * (1.0f - z[j]);
            if (dh_prev) dh_prev[row * h + j] += d[j] * z[j];
            dn[j] = d[j] * (1.0f - z[j]) * (1.0f - n[j] * n[j]);
            dr[j] = dn[j] * hn_row[j] * r[j] * (1.0f - r[j]);
            dp[j] = dr[j];
            dp[h + j] = dz[j];
            dp[2 * h + j] = dn[j] * r[j];
        }
    }
}

void ckernels_gru_forward_isa(int32_t isa, int64_t rows, int64_t h, float *gates, const float *projection,
                              const float *h_prev, float *hn, float *out) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512) {
        gru_forward_avx512(rows, h, gates, projection, h_prev, hn, out);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        gru_forward_avx2(rows, h, gates, projection, h_prev, hn, out);
        return;
    }
#endif
    gru_forward_portable(rows, h, gates, projection, h_prev, hn, out);
}

void ckernels_gru_forward(int64_t rows, int64_t h, float *gates, const float *projection, const float *h_prev,
                          float *hn, float *out) {
    ckernels_gru_forward_isa(ckernels_isa(), rows, h, gates, projection, h_prev, hn, out);
}

void ckernels_gru_backward_isa(int32_t isa, int64_t rows, int64_t h, const float *gates, const float *hn,
                               const float *h_prev, const float *dh, float *dh_prev, float *dgates,
                               float *dprojection) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512) {
        gru_backward_avx512(rows, h, gates, hn, h_prev, dh, dh_prev, dgates, dprojection);
        return;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        gru_backward_avx2(rows, h, gates, hn, h_prev, dh, dh_prev, dgates, dprojection);
        return;
    }
#endif
    gru_backward_portable(rows, h, gates, hn, h_prev, dh, dh_prev, dgates, dprojection);
}

void ckernels_gru_backward(int64_t rows, int64_t h, const float *gates, const float *hn, const float *h_prev,
                           const float *dh, float *dh_prev, float *dgates, float *dprojection) {
    ckernels_gru_backward_isa(ckernels_isa(), rows, h, gates, hn, h_prev, dh, dh_prev, dgates, dprojection);
}
