// The vector int8 kernels: tiles of up to 6 batch rows × 32 weight rows (two panels of 16) and
// the input quantizers, each compiled for its instruction set by a target attribute.
//
// The VNNI tiles broadcast 4 bytes of an input row (offset to unsigned) and multiply-add them
// with a 16-row block of weights, 4 columns per lane (vpdpbusd); the +128 offset adds 128·Σq
// to every sum, taken off before storing. AVX2 has no such instruction: vpmaddubsw multiplies
// unsigned by signed bytes and adds pairs into int16 with saturation, so it gets |x| and the
// weights with x's sign (vpsignb), which keeps each pair within 2·127² = 32258, then vpmaddwd
// adds the pairs into int32. All of it is exact integer arithmetic, so every kernel's sums
// are the portable kernel's.
#include "ckernels_int8_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVXVNNI __attribute__((target("avx2,fma,avxvnni")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))
#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

// Calls ROWS(tile, n) with n = tile->mr as a constant, so that each copy keeps its
// accumulators in registers.
#define INT8_FOR_EACH_MR(ROWS, tile, most) \
    switch ((tile)->mr) { \
    case 1: ROWS(tile, 1); break; \
    case 2: if (most >= 2) ROWS(tile, 2); break; \
    case 3: if (most >= 3) ROWS(tile, 3); break; \
    case 4: if (most >= 4) ROWS(tile, 4); break; \
    case 5: if (most >= 5) ROWS(tile, 5); break; \
    default: if (most >= 6) ROWS(tile, 6); break; \
    }

// MARK: 256-bit tiles (AVX2, AVX-VNNI)

// Stores the sums of one panel (16 weight rows: acc[i][0] rows 0–7, acc[i][1] rows 8–15, of
// panel `half`) for mr batch rows, less 128·row sum when `offset`, as int32 or float results.
AVX2 INLINE void finish_panel_256(const int8_tile *t, __m256i (*acc)[2], int mr, int half, int offset) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int j = 0; j < 2; j++) {
        int64_t first = 16 * half + 8 * j, lanes = t->valid - first;
        if (lanes <= 0) return;
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)(lanes < 8 ? lanes : 8)), lane);
        __m256i correction = offset ? _mm256_slli_epi32(_mm256_loadu_si256((const __m256i *)(t->row_sums + first)), 7)
                                    : _mm256_setzero_si256();
        __m256 scale = t->sums ? _mm256_setzero_ps() : _mm256_loadu_ps(t->scales + first);
        __m256 bias = t->bias ? _mm256_maskload_ps(t->bias + first, mask) : _mm256_setzero_ps();
        for (int i = 0; i < mr; i++) {
            __m256i sum = _mm256_sub_epi32(acc[i][j], correction);
            if (t->sums) {
                _mm256_maskstore_epi32(t->sums + i * t->ldo + first, mask, sum);
                continue;
            }
            __m256 factor = _mm256_mul_ps(scale, _mm256_set1_ps(t->sx[i]));
            __m256 value = _mm256_mul_ps(_mm256_cvtepi32_ps(sum), factor);
            if (t->bias) value = _mm256_add_ps(value, bias);
            if (t->accumulate) value = _mm256_add_ps(_mm256_maskload_ps(t->y + i * t->ldo + first, mask), value);
            _mm256_maskstore_ps(t->y + i * t->ldo + first, mask, value);
        }
    }
}

// Up to 3 batch rows: 6 accumulators per panel, plus the operands, fit the 16 YMM registers.
AVX2 INLINE void avx2_rows(const int8_tile *t, int mr) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (int half = 0; half < 2 && t->valid > 16 * half; half++) {
        const int8_t *w = t->w + half * t->panel_stride;
        __m256i acc[3][2];
        for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
        for (int64_t g = 0; g < t->groups; g++) {
            __m256i lo = _mm256_loadu_si256((const __m256i *)(w + 64 * g));
            __m256i hi = _mm256_loadu_si256((const __m256i *)(w + 64 * g + 32));
            for (int i = 0; i < mr; i++) {
                __m256i x = _mm256_set1_epi32(int8_load4(t->x + i * t->ldq + 4 * g));
                __m256i magnitude = _mm256_abs_epi8(x);
                __m256i pairs_lo = _mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(lo, x));
                __m256i pairs_hi = _mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(hi, x));
                acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(pairs_lo, ones));
                acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(pairs_hi, ones));
            }
        }
        finish_panel_256(t, acc, mr, half, 0);
    }
}

AVX2 void ckernels_int8_tile_avx2(const int8_tile *tile) {
    for (int64_t i0 = 0; i0 < tile->mr; i0 += 3) {
        int8_tile part = *tile;
        part.mr = tile->mr - i0 < 3 ? tile->mr - i0 : 3;
        part.x = tile->x + i0 * tile->ldq;
        part.sx = tile->sx ? tile->sx + i0 : NULL;
        part.y = tile->y ? tile->y + i0 * tile->ldo : NULL;
        part.sums = tile->sums ? tile->sums + i0 * tile->ldo : NULL;
        INT8_FOR_EACH_MR(avx2_rows, &part, 3)
    }
}

// The 256-bit VNNI tile, once per encoding of vpdpbusd: 6 batch rows × one panel at a time, 12
// accumulators.
#define DEFINE_VNNI256_ROWS(NAME, TARGET, DPBUSD) \
    TARGET INLINE void NAME(const int8_tile *t, int mr) { \
        for (int half = 0; half < 2 && t->valid > 16 * half; half++) { \
            const int8_t *w = t->w + half * t->panel_stride; \
            __m256i acc[INT8_MR][2]; \
            for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256(); \
            for (int64_t g = 0; g < t->groups; g++) { \
                __m256i lo = _mm256_loadu_si256((const __m256i *)(w + 64 * g)); \
                __m256i hi = _mm256_loadu_si256((const __m256i *)(w + 64 * g + 32)); \
                for (int i = 0; i < mr; i++) { \
                    __m256i x = _mm256_set1_epi32(int8_load4(t->x + i * t->ldq + 4 * g)); \
                    acc[i][0] = DPBUSD(acc[i][0], x, lo); \
                    acc[i][1] = DPBUSD(acc[i][1], x, hi); \
                } \
            } \
            finish_panel_256(t, acc, mr, half, 1); \
        } \
    }

DEFINE_VNNI256_ROWS(avxvnni_rows, AVXVNNI, _mm256_dpbusd_avx_epi32)
DEFINE_VNNI256_ROWS(vnni256_evex_rows, AVX512VNNI, _mm256_dpbusd_epi32)

AVXVNNI void ckernels_int8_tile_avxvnni(const int8_tile *tile) { INT8_FOR_EACH_MR(avxvnni_rows, tile, 6) }

AVX512VNNI void ckernels_int8_tile_vnni256_evex(const int8_tile *tile) { INT8_FOR_EACH_MR(vnni256_evex_rows, tile, 6) }

// MARK: 512-bit tile (AVX-512 VNNI)

// 6 batch rows × 2 panels: 12 ZMM accumulators; each weight block is loaded once per tile.
AVX512VNNI INLINE void avx512vnni_rows(const int8_tile *t, int mr) {
    __m512i acc[INT8_MR][2];
    for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
    const int8_t *w0 = t->w, *w1 = t->w + t->panel_stride;
    for (int64_t g = 0; g < t->groups; g++) {
        __m512i a = _mm512_loadu_si512(w0 + 64 * g), b = _mm512_loadu_si512(w1 + 64 * g);
        for (int i = 0; i < mr; i++) {
            __m512i x = _mm512_set1_epi32(int8_load4(t->x + i * t->ldq + 4 * g));
            acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], x, a);
            acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], x, b);
        }
    }
    for (int half = 0; half < 2; half++) {
        int64_t first = 16 * half, lanes = t->valid - first;
        if (lanes <= 0) return;
        __mmask16 mask = lanes >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << lanes) - 1);
        __m512i correction = _mm512_slli_epi32(_mm512_loadu_si512(t->row_sums + first), 7);
        __m512 scale = t->sums ? _mm512_setzero_ps() : _mm512_loadu_ps(t->scales + first);
        __m512 bias = t->bias ? _mm512_maskz_loadu_ps(mask, t->bias + first) : _mm512_setzero_ps();
        for (int i = 0; i < mr; i++) {
            __m512i sum = _mm512_sub_epi32(acc[i][half], correction);
            if (t->sums) {
                _mm512_mask_storeu_epi32(t->sums + i * t->ldo + first, mask, sum);
                continue;
            }
            __m512 factor = _mm512_mul_ps(scale, _mm512_set1_ps(t->sx[i]));
            __m512 value = _mm512_mul_ps(_mm512_cvtepi32_ps(sum), factor);
            if (t->bias) value = _mm512_add_ps(value, bias);
            if (t->accumulate) value = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, t->y + i * t->ldo + first), value);
            _mm512_mask_storeu_ps(t->y + i * t->ldo + first, mask, value);
        }
    }
}

AVX512VNNI void ckernels_int8_tile_avx512vnni(const int8_tile *tile) { INT8_FOR_EACH_MR(avx512vnni_rows, tile, 6) }

// MARK: input quantizers

// Both compute maxabs exactly (max is exact in any order), then per value the same
// multiplication, clamp (max, then min) and round-half-even as int8_quantize_value, so they give
// its bytes.

AVX2 void ckernels_int8_quantize_avx2(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                      int64_t ldq, float *sx, uint8_t offset) {
    const __m256 magnitude_bits = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 low = _mm256_set1_ps(-127.0f), high = _mm256_set1_ps(127.0f);
    const int32_t offsets = (int32_t)(0x01010101u * offset);
    int64_t padded = ckernels_int8_padded_cols(cols);
    for (int64_t b = 0; b < batch; b++) {
        const float *row = x + b * ldx;
        uint8_t *out = xq + b * ldq;
        __m256 most = _mm256_setzero_ps();
        int64_t c = 0;
        for (; c + 8 <= cols; c += 8) most = _mm256_max_ps(_mm256_and_ps(_mm256_loadu_ps(row + c), magnitude_bits), most);
        float lanes[8];
        _mm256_storeu_ps(lanes, most);
        float maxabs = 0;
        for (int j = 0; j < 8; j++) maxabs = lanes[j] > maxabs ? lanes[j] : maxabs;
        for (; c < cols; c++) {
            float a = row[c] < 0 ? -row[c] : row[c];
            maxabs = a > maxabs ? a : maxabs;
        }
        float inverse = int8_input_inverse(maxabs);
        sx[b] = int8_input_scale(maxabs);
        if (maxabs > 0) {
            __m256 multiplier = _mm256_set1_ps(inverse);
            for (c = 0; c + 8 <= cols; c += 8) {
                __m256 t = _mm256_mul_ps(_mm256_loadu_ps(row + c), multiplier);
                t = _mm256_min_ps(_mm256_max_ps(t, low), high);
                __m256i v = _mm256_cvttps_epi32(_mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
                __m256i words = _mm256_packs_epi32(v, v);
                __m256i bytes = _mm256_packs_epi16(words, words);
                int32_t first = _mm_cvtsi128_si32(_mm256_castsi256_si128(bytes)) ^ offsets;
                int32_t second = _mm_cvtsi128_si32(_mm256_extracti128_si256(bytes, 1)) ^ offsets;
                memcpy(out + c, &first, 4);
                memcpy(out + c + 4, &second, 4);
            }
            for (; c < cols; c++) out[c] = (uint8_t)((uint8_t)(int8_t)int8_quantize_value(row[c], inverse) ^ offset);
        } else {
            memset(out, offset, (size_t)cols);
        }
        for (c = cols; c < padded; c++) out[c] = offset;
    }
}

AVX512 void ckernels_int8_quantize_avx512(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                          int64_t ldq, float *sx, uint8_t offset) {
    const __m512 low = _mm512_set1_ps(-127.0f), high = _mm512_set1_ps(127.0f);
    const __m128i offsets = _mm_set1_epi8((char)offset);
    int64_t padded = ckernels_int8_padded_cols(cols);
    for (int64_t b = 0; b < batch; b++) {
        const float *row = x + b * ldx;
        uint8_t *out = xq + b * ldq;
        __m512 most = _mm512_setzero_ps();
        for (int64_t c = 0; c < cols; c += 16) {
            __mmask16 mask = cols - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (cols - c)) - 1);
            most = _mm512_max_ps(_mm512_abs_ps(_mm512_maskz_loadu_ps(mask, row + c)), most);
        }
        float maxabs = _mm512_reduce_max_ps(most), inverse = int8_input_inverse(maxabs);
        sx[b] = int8_input_scale(maxabs);
        if (maxabs > 0) {
            __m512 multiplier = _mm512_set1_ps(inverse);
            for (int64_t c = 0; c < cols; c += 16) {
                __mmask16 mask = cols - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (cols - c)) - 1);
                __m512 t = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + c), multiplier);
                t = _mm512_min_ps(_mm512_max_ps(t, low), high);
                __m512i v = _mm512_cvt_roundps_epi32(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                _mm_mask_storeu_epi8(out + c, mask, _mm_xor_si128(_mm512_cvtepi32_epi8(v), offsets));
            }
        } else {
            memset(out, offset, (size_t)cols);
        }
        for (int64_t c = cols; c < padded; c++) out[c] = offset;
    }
}

#endif
