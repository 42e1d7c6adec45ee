// Single-threaded SGEMM: packed panels and a register tile of 6 rows × NR columns, NR = 32 on
// AVX-512 (12 ZMM sums; 16-wide AVX2 tiles for N ≤ 16 and for a last panel of at most 16
// columns), 16 on AVX2 (12 YMM sums) and in the
// portable kernel. The vector tiles sum every element by FMAs in k order, one KC block at a
// time, so AVX-512 and AVX2 give bit-identical products; the portable tile, built for baseline
// x86-64 (no FMA), sums in double and rounds once per block.
//
// Layout: C[M×N] (row stride ldc) = op(A)[M×K] · op(B)[K×N], row-major, as in Gemm.swift.
// K is cut into blocks of KC; for each block B is packed into column panels of NR values per k
// (zero-padded at the right edge). A is read in place, 6 rows at a time, through a row
// stride and a k stride (so both A and Aᵀ need no copy); only a last panel of fewer than
// MR = 6 rows is copied into a zero-padded buffer, so the kernel never reads past A. The
// micro-kernel sums one KC block of one tile in registers, always with the same sequence
// of operations per element, so an element's value does not depend on where its tile starts:
// a caller may cut C into row ranges, or column ranges (of more than 4 columns, see below),
// on several threads and get bit-identical results.
//
// Products with N ≤ 4 and A not transposed (a classifier's logits) take a dot-product kernel
// instead (narrow_avx2, on AVX-512 too), whose sums run in a different order: the choice
// depends on N only. The portable kernel differs from the vector ones in the last bits; no
// kernel's result depends on the thread count.
#include "ckernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CKERNELS_X86 1
#endif

enum { MR = 6, KC = 256, MC = 96, NC = 512 };

// Copies the rows [i0, i0+rows) (rows < MR) × k [p0, p0+kc) of op(A) into a zero-padded panel
// read with row stride 1 and k stride MR.
static void pack_a_edge(int32_t trans_a, const float *a, int64_t lda, int64_t i0, int64_t rows,
                        int64_t p0, int64_t kc, float *packed) {
    for (int64_t p = 0; p < kc; p++) {
        for (int64_t r = 0; r < MR; r++) {
            float v = 0;
            if (r < rows) {
                int64_t i = i0 + r, k = p0 + p;
                v = trans_a ? a[k * lda + i] : a[i * lda + k];
            }
            packed[p * MR + r] = v;
        }
    }
}

enum { NR_PORTABLE = 16, NR_AVX2 = 16, NR_AVX512 = 32 };

// The width of the panel at column jr of a block of nc columns cut into panels of nr: nr, but
// a last panel of at most 16 columns of 32-wide tiles is 16 wide and takes the AVX2 tile
// (the same sums), which halves the columns it computes for nothing (100 filters: 112
// columns instead of 128).
static int64_t panel_width(int64_t nc, int64_t jr, int64_t nr) {
    return nr == NR_AVX512 && nc - jr <= NR_AVX2 ? NR_AVX2 : nr;
}

// The columns a block of nc takes once packed: the widths of its panels, zero padding included.
static int64_t packed_width(int64_t nc, int64_t nr) {
    int64_t full = nc / nr * nr;
    return full + (full < nc ? panel_width(nc, full, nr) : 0);
}

// Packs k [p0, p0+kc) × columns [j0, j0+nc) of op(B) into panels of nr columns (see panel_width).
static void pack_b(int32_t trans_b, const float *b, int64_t ldb, int64_t p0, int64_t kc,
                   int64_t j0, int64_t nc, int64_t nr, float *packed) {
    for (int64_t jr = 0; jr < nc; jr += nr) {
        int64_t width = panel_width(nc, jr, nr);
        int64_t cols = nc - jr < width ? nc - jr : width;
        float *dst = packed + jr * kc;
        if (!trans_b && cols == width) {
            for (int64_t p = 0; p < kc; p++) {
                memcpy(dst + p * width, b + (p0 + p) * ldb + j0 + jr, (size_t)width * sizeof(float));
            }
            continue;
        }
        for (int64_t p = 0; p < kc; p++) {
            for (int64_t c = 0; c < width; c++) {
                float v = 0;
                if (c < cols) {
                    int64_t j = j0 + jr + c, k = p0 + p;
                    v = trans_b ? b[j * ldb + k] : b[k * ldb + j];
                }
                dst[p * width + c] = v;
            }
        }
    }
}

// Writes the first rows × cols of a finished tile (row stride nr) into C: overwrite on the
// first K block unless accumulating.
static inline void store_tile(const float *tile, int64_t nr, float *c, int64_t ldc, int64_t rows,
                              int64_t cols, int add) {
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t j = 0; j < cols; j++) {
            c[r * ldc + j] = add ? c[r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
        }
    }
}

// The micro-kernels: a 6×NR tile of C from kc steps; A element (r, p) is at ap[r·rs + p·ks].
static void micro_portable(int64_t kc, const float *ap, int64_t rs, int64_t ks, const float *bp,
                           float *c, int64_t ldc, int64_t rows, int64_t cols, int add) {
    enum { NR = NR_PORTABLE };
    // Sums in double: a product of two floats is exact there, so without FMA each element is
    // rounded to float once per KC block instead of twice per step (the rounding of every
    // product put the RNN's weight gradients at the parity limit).
    double tile[MR * NR] = {0};
    for (int64_t p = 0; p < kc; p++) {
        for (int r = 0; r < MR; r++) {
            double av = ap[r * rs + p * ks];
            for (int j = 0; j < NR; j++) {
                tile[r * NR + j] += av * (double)bp[p * NR + j];
            }
        }
    }
    // C joins the double sum before the one rounding: accumulated products (a recurrent
    // layer's dL/dh over the steps) otherwise take a second rounding at every call.
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t j = 0; j < cols; j++) {
            double sum = tile[r * NR + j];
            c[r * ldc + j] = (float)(add ? (double)c[r * ldc + j] + sum : sum);
        }
    }
}

#ifdef CKERNELS_X86
__attribute__((target("avx2,fma")))
static void micro_avx2(int64_t kc, const float *ap, int64_t rs, int64_t ks, const float *bp,
                       float *c, int64_t ldc, int64_t rows, int64_t cols, int add) {
    enum { NR = NR_AVX2 };
    const float *a0 = ap, *a1 = ap + rs, *a2 = ap + 2 * rs, *a3 = ap + 3 * rs, *a4 = ap + 4 * rs,
                *a5 = ap + 5 * rs;
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (int64_t p = 0, o = 0; p < kc; p++, o += ks) {
        __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
        __m256 a;
        a = _mm256_broadcast_ss(a0 + o); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(a1 + o); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(a2 + o); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(a3 + o); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(a4 + o); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(a5 + o); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
        bp += NR;
    }
    if (rows == MR && cols == NR) {
        __m256 acc[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
        for (int r = 0; r < MR; r++) {
            float *row = c + r * ldc;
            __m256 lo = acc[2 * r], hi = acc[2 * r + 1];
            if (add) {
                lo = _mm256_add_ps(_mm256_loadu_ps(row), lo);
                hi = _mm256_add_ps(_mm256_loadu_ps(row + 8), hi);
            }
            _mm256_storeu_ps(row, lo);
            _mm256_storeu_ps(row + 8, hi);
        }
        return;
    }
    float tile[MR * NR];
    _mm256_storeu_ps(tile + 0, c00); _mm256_storeu_ps(tile + 8, c01);
    _mm256_storeu_ps(tile + 16, c10); _mm256_storeu_ps(tile + 24, c11);
    _mm256_storeu_ps(tile + 32, c20); _mm256_storeu_ps(tile + 40, c21);
    _mm256_storeu_ps(tile + 48, c30); _mm256_storeu_ps(tile + 56, c31);
    _mm256_storeu_ps(tile + 64, c40); _mm256_storeu_ps(tile + 72, c41);
    _mm256_storeu_ps(tile + 80, c50); _mm256_storeu_ps(tile + 88, c51);
    store_tile(tile, NR, c, ldc, rows, cols, add);
}

// The same tile twice as wide: 12 ZMM sums, enough independent FMAs to cover the latency of
// two 512-bit FMA pipes (4 cycles × 2), with 2 loads of B and 6 broadcasts of A per 12 FMAs.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))
static void micro_avx512(int64_t kc, const float *ap, int64_t rs, int64_t ks, const float *bp,
                         float *c, int64_t ldc, int64_t rows, int64_t cols, int add) {
    enum { NR = NR_AVX512 };
    const float *a0 = ap, *a1 = ap + rs, *a2 = ap + 2 * rs, *a3 = ap + 3 * rs, *a4 = ap + 4 * rs,
                *a5 = ap + 5 * rs;
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
    __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
    __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
    __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    for (int64_t p = 0, o = 0; p < kc; p++, o += ks) {
        __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
        __m512 a;
        a = _mm512_set1_ps(a0[o]); c00 = _mm512_fmadd_ps(a, b0, c00); c01 = _mm512_fmadd_ps(a, b1, c01);
        a = _mm512_set1_ps(a1[o]); c10 = _mm512_fmadd_ps(a, b0, c10); c11 = _mm512_fmadd_ps(a, b1, c11);
        a = _mm512_set1_ps(a2[o]); c20 = _mm512_fmadd_ps(a, b0, c20); c21 = _mm512_fmadd_ps(a, b1, c21);
        a = _mm512_set1_ps(a3[o]); c30 = _mm512_fmadd_ps(a, b0, c30); c31 = _mm512_fmadd_ps(a, b1, c31);
        a = _mm512_set1_ps(a4[o]); c40 = _mm512_fmadd_ps(a, b0, c40); c41 = _mm512_fmadd_ps(a, b1, c41);
        a = _mm512_set1_ps(a5[o]); c50 = _mm512_fmadd_ps(a, b0, c50); c51 = _mm512_fmadd_ps(a, b1, c51);
        bp += NR;
    }
    __m512 acc[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
    // Edge tiles store through masks: the missing columns of a row are neither read nor written.
    int64_t lo_cols = cols < 16 ? cols : 16, hi_cols = cols - lo_cols;
    __mmask16 lo_mask = (__mmask16)((1u << lo_cols) - 1), hi_mask = (__mmask16)((1u << hi_cols) - 1);
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        __m512 lo = acc[2 * r], hi = acc[2 * r + 1];
        if (add) {
            lo = _mm512_add_ps(_mm512_maskz_loadu_ps(lo_mask, row), lo);
            hi = _mm512_add_ps(_mm512_maskz_loadu_ps(hi_mask, row + 16), hi);
        }
        _mm512_mask_storeu_ps(row, lo_mask, lo);
        _mm512_mask_storeu_ps(row + 16, hi_mask, hi);
    }
}
#endif

#ifdef CKERNELS_X86
// Bᵀ packing for 16 columns of a full panel: B is stored [N, K], a panel wants its columns j
// side by side per k, nr apart. Transposes 8×8 blocks in registers; k beyond the last
// multiple of 8 is copied one value at a time.
__attribute__((target("avx2,fma")))
static void pack_b_transposed_16_avx2(const float *b, int64_t ldb, int64_t kc, int64_t nr, float *dst) {
    int64_t p = 0;
    for (; p + 8 <= kc; p += 8) {
        for (int half = 0; half < 2; half++) {
            const float *src = b + (int64_t)half * 8 * ldb + p;
            __m256 r0 = _mm256_loadu_ps(src + 0 * ldb), r1 = _mm256_loadu_ps(src + 1 * ldb);
            __m256 r2 = _mm256_loadu_ps(src + 2 * ldb), r3 = _mm256_loadu_ps(src + 3 * ldb);
            __m256 r4 = _mm256_loadu_ps(src + 4 * ldb), r5 = _mm256_loadu_ps(src + 5 * ldb);
            __m256 r6 = _mm256_loadu_ps(src + 6 * ldb), r7 = _mm256_loadu_ps(src + 7 * ldb);
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *out = dst + p * nr + half * 8;
            _mm256_storeu_ps(out + 0 * nr, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(out + 1 * nr, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(out + 2 * nr, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(out + 3 * nr, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(out + 4 * nr, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(out + 5 * nr, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(out + 6 * nr, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(out + 7 * nr, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
    }
    for (; p < kc; p++) {
        for (int64_t c = 0; c < 16; c++) dst[p * nr + c] = b[c * ldb + p];
    }
}
#endif

#ifdef CKERNELS_X86
// Narrow products (N ≤ 4, e.g. the classifier's logits): a 16-wide column tile would waste
// three quarters of every FMA, so each element is instead a dot product along k, 8 lanes at a
// time, 3 rows × 4 columns per pass (12 accumulators), lanes summed at the end. A's rows and
// Bᵀ's rows (bt, [N, K] with row stride ldbt) must be contiguous along k. Missing rows or
// columns of an edge tile re-read the last valid one and are not stored.
__attribute__((target("avx2,fma")))
static void narrow_avx2(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                        const float *bt, int64_t ldbt, float *c, int64_t ldc, int add) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(k % 8)), lanes);
    const int64_t k8 = k / 8 * 8;
    const float *b0 = bt, *b1 = bt + (n > 1 ? 1 : 0) * ldbt, *b2 = bt + (n > 2 ? 2 : n - 1) * ldbt,
                *b3 = bt + (n > 3 ? 3 : n - 1) * ldbt;
    for (int64_t i = 0; i < m; i += 3) {
        int64_t rows = m - i < 3 ? m - i : 3;
        const float *a0 = a + i * lda, *a1 = a + (i + (rows > 1 ? 1 : 0)) * lda,
                    *a2 = a + (i + (rows > 2 ? 2 : rows - 1)) * lda;
        __m256 s[3][4];
        for (int r = 0; r < 3; r++) for (int j = 0; j < 4; j++) s[r][j] = _mm256_setzero_ps();
        for (int64_t p = 0; p <= k8; p += 8) {
            __m256 x0, x1, x2, y;
            if (p < k8) {
                x0 = _mm256_loadu_ps(a0 + p); x1 = _mm256_loadu_ps(a1 + p); x2 = _mm256_loadu_ps(a2 + p);
            } else if (k8 < k) {
                x0 = _mm256_maskload_ps(a0 + p, tail); x1 = _mm256_maskload_ps(a1 + p, tail);
                x2 = _mm256_maskload_ps(a2 + p, tail);
            } else {
                break;
            }
#define NARROW_COLUMN(j, bj)                                                              \
            y = p < k8 ? _mm256_loadu_ps(bj + p) : _mm256_maskload_ps(bj + p, tail);       \
            s[0][j] = _mm256_fmadd_ps(x0, y, s[0][j]);                                      \
            s[1][j] = _mm256_fmadd_ps(x1, y, s[1][j]);                                      \
            s[2][j] = _mm256_fmadd_ps(x2, y, s[2][j]);
            NARROW_COLUMN(0, b0)
            NARROW_COLUMN(1, b1)
            NARROW_COLUMN(2, b2)
            NARROW_COLUMN(3, b3)
#undef NARROW_COLUMN
        }
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t j = 0; j < n; j++) {
                // Lanes summed pairwise: (0+4, 1+5, 2+6, 3+7), then (0+2, 1+3), then 0+1.
                __m128 q = _mm_add_ps(_mm256_castps256_ps128(s[r][j]), _mm256_extractf128_ps(s[r][j], 1));
                q = _mm_add_ps(q, _mm_movehl_ps(q, q));
                q = _mm_add_ss(q, _mm_movehdup_ps(q));
                float v = _mm_cvtss_f32(q);
                float *out = c + (i + r) * ldc + j;
                *out = add ? *out + v : v;
            }
        }
    }
}
#endif

typedef void (*micro_fn)(int64_t, const float *, int64_t, int64_t, const float *, float *, int64_t,
                         int64_t, int64_t, int);

// The register tile a product of width n takes at level isa (already lowered to what the CPU
// has). Both vector tiles sum each element in the same order, so they give the same values; a
// product at most 16 wide would waste half or more of every 32-wide tile.
static micro_fn choose_micro(int32_t isa, int64_t n, int64_t *nr) {
#ifdef CKERNELS_X86
    if (isa >= CKERNELS_ISA_AVX512 && n > 16) {
        *nr = NR_AVX512;
        return micro_avx512;
    }
    if (isa >= CKERNELS_ISA_AVX2) {
        *nr = NR_AVX2;
        return micro_avx2;
    }
#else
    (void)isa; (void)n;
#endif
    *nr = NR_PORTABLE;
    return micro_portable;
}

// Whether the product takes the dot-product kernel for narrow B (see the file comment).
static int takes_narrow(int32_t isa, int32_t trans_a, int64_t n) {
#ifdef CKERNELS_X86
    return isa >= CKERNELS_ISA_AVX2 && n <= 4 && !trans_a;
#else
    (void)isa; (void)trans_a; (void)n;
    return 0;
#endif
}

// The packed B panels and the A edge panel: one fixed-size buffer per thread, allocated on first
// use and kept, so repeated small products (the training loop) never allocate.
static float *thread_panels(void) {
    static _Thread_local float *panels = NULL;
    if (!panels) {
        panels = aligned_alloc(64, (size_t)(MR * KC + KC * NC) * sizeof(float));
        if (!panels) abort();
    }
    return panels;
}

// C[:, block] (op)= op(A)[:, p0 ..< p0+kc] · B block, for one packed B block of kc × nc (panels
// of nr columns). Every tile's sum runs the same way whoever packed the block.
static void multiply_block(micro_fn micro, int64_t nr, int32_t trans_a, const float *a, int64_t lda,
                           int64_t m, int64_t p0, int64_t kc, int64_t nc, const float *b_packed,
                           float *c, int64_t ldc, int add, float *a_edge) {
    // A element (i, k) of op(A) is at a[i·a_rs + k·a_ks].
    int64_t a_rs = trans_a ? 1 : lda, a_ks = trans_a ? lda : 1;
    for (int64_t i0 = 0; i0 < m; i0 += MC) {
        int64_t mc = m - i0 < MC ? m - i0 : MC;
        int64_t full = mc / MR * MR;
        if (full < mc) pack_a_edge(trans_a, a, lda, i0 + full, mc - full, p0, kc, a_edge);
        for (int64_t jr = 0; jr < nc; jr += nr) {
            int64_t width = panel_width(nc, jr, nr);
            int64_t cols = nc - jr < width ? nc - jr : width;
            micro_fn tile = micro;
#ifdef CKERNELS_X86
            if (width != nr) tile = micro_avx2;
#endif
            for (int64_t ir = 0; ir < mc; ir += MR) {
                int64_t rows = mc - ir < MR ? mc - ir : MR;
                float *c_tile = c + (i0 + ir) * ldc + jr;
                if (rows == MR) {
                    tile(kc, a + (i0 + ir) * a_rs + p0 * a_ks, a_rs, a_ks, b_packed + jr * kc,
                         c_tile, ldc, rows, cols, add);
                } else {
                    tile(kc, a_edge, 1, MR, b_packed + jr * kc, c_tile, ldc, rows, cols, add);
                }
            }
        }
    }
}

// Zeroes C, or leaves it, for a product with K = 0.
static void empty_product(int64_t m, int64_t n, float *c, int64_t ldc, int32_t accumulate) {
    if (accumulate) return;
    for (int64_t i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
}

void ckernels_sgemm_isa(int32_t isa, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                        const float *a, int64_t lda, const float *b, int64_t ldb,
                        float *c, int64_t ldc, int32_t accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        empty_product(m, n, c, ldc, accumulate);
        return;
    }
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    int use_avx2 = isa >= CKERNELS_ISA_AVX2;
    if (takes_narrow(isa, trans_a, n)) {
        if (trans_b) {
            narrow_avx2(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        // Bᵀ is tiny here (at most 4 rows), so copy it; long k is done in slices of KC.
        static _Thread_local float bt[4 * KC];
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            for (int64_t j = 0; j < n; j++) {
                for (int64_t p = 0; p < kc; p++) bt[j * kc + p] = b[(p0 + p) * ldb + j];
            }
            narrow_avx2(m, n, kc, a + p0, lda, bt, kc, c, ldc, accumulate || p0 > 0);
        }
        return;
    }
#else
    int use_avx2 = 0;
#endif
    int64_t nr;
    micro_fn micro = choose_micro(isa, n, &nr);
    float *panels = thread_panels();
    float *a_edge = panels, *b_packed = panels + MR * KC;

    for (int64_t j0 = 0; j0 < n; j0 += NC) {
        int64_t nc = n - j0 < NC ? n - j0 : NC;
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            if (trans_b && use_avx2) {
                // Full panels by register transposes, a ragged last panel by the generic packer.
                int64_t full = nc / nr * nr;
#ifdef CKERNELS_X86
                for (int64_t jr = 0; jr < full; jr += 16) {
                    int64_t panel = jr / nr * nr, offset = jr - panel;
                    pack_b_transposed_16_avx2(b + (j0 + jr) * ldb + p0, ldb, kc, nr, b_packed + panel * kc + offset);
                }
#endif
                if (full < nc) pack_b(trans_b, b, ldb, p0, kc, j0 + full, nc - full, nr, b_packed + full * kc);
            } else {
                pack_b(trans_b, b, ldb, p0, kc, j0, nc, nr, b_packed);
            }
            multiply_block(micro, nr, trans_a, a, lda, m, p0, kc, nc, b_packed, c + j0, ldc,
                           accumulate || p0 > 0, a_edge);
        }
    }
}

// Pre-packed B. The buffer holds, for each block of NC columns and then each block of KC values
// of k, that block's panels exactly as ckernels_sgemm_isa packs them (nr columns per k, the last
// panel zero-padded), blocks one after another. For a narrow product (see takes_narrow) it holds
// instead, per KC block, the kc × n block of Bᵀ, k contiguous: what the untransposed narrow path
// copies.
static int64_t padded_width(int64_t n, int64_t nr) {
    int64_t width = 0;
    for (int64_t j0 = 0; j0 < n; j0 += NC) {
        int64_t nc = n - j0 < NC ? n - j0 : NC;
        width += packed_width(nc, nr);
    }
    return width;
}

int64_t ckernels_sgemm_packed_size(int32_t isa, int32_t trans_a, int64_t n, int64_t k) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
    if (n <= 0 || k <= 0) return 0;
    if (takes_narrow(isa, trans_a, n)) return n * k;
    int64_t nr;
    choose_micro(isa, n, &nr);
    return padded_width(n, nr) * k;
}

void ckernels_sgemm_pack_b(int32_t isa, int32_t trans_a, int32_t trans_b, int64_t n, int64_t k,
                           const float *b, int64_t ldb, float *packed) {
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
    if (n <= 0 || k <= 0) return;
    if (takes_narrow(isa, trans_a, n)) {
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            float *block = packed + p0 * n;
            for (int64_t j = 0; j < n; j++) {
                for (int64_t p = 0; p < kc; p++) {
                    block[j * kc + p] = trans_b ? b[j * ldb + p0 + p] : b[(p0 + p) * ldb + j];
                }
            }
        }
        return;
    }
    int64_t nr;
    choose_micro(isa, n, &nr);
    for (int64_t j0 = 0; j0 < n; j0 += NC) {
        int64_t nc = n - j0 < NC ? n - j0 : NC, width = packed_width(nc, nr);
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            pack_b(trans_b, b, ldb, p0, kc, j0, nc, nr, packed);
            packed += width * kc;
        }
    }
}

void ckernels_sgemm_packed_isa(int32_t isa, int32_t trans_a, int64_t m, int64_t n, int64_t k,
                               const float *a, int64_t lda, const float *packed,
                               float *c, int64_t ldc, int32_t accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        empty_product(m, n, c, ldc, accumulate);
        return;
    }
    if (isa > ckernels_isa_supported()) isa = ckernels_isa_supported();
#ifdef CKERNELS_X86
    if (takes_narrow(isa, trans_a, n)) {
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            narrow_avx2(m, n, kc, a + p0, lda, packed + p0 * n, kc, c, ldc, accumulate || p0 > 0);
        }
        return;
    }
#endif
    int64_t nr;
    micro_fn micro = choose_micro(isa, n, &nr);
    float *a_edge = thread_panels();
    for (int64_t j0 = 0; j0 < n; j0 += NC) {
        int64_t nc = n - j0 < NC ? n - j0 : NC, width = packed_width(nc, nr);
        for (int64_t p0 = 0; p0 < k; p0 += KC) {
            int64_t kc = k - p0 < KC ? k - p0 : KC;
            multiply_block(micro, nr, trans_a, a, lda, m, p0, kc, nc, packed, c + j0, ldc,
                           accumulate || p0 > 0, a_edge);
            packed += width * kc;
        }
    }
}
