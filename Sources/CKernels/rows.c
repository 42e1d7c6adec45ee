// Row gathers and adds for the embedding: memory-bound loops in C, so that `restrict` lets the
// compiler vectorize them, the next rows can be prefetched (a random row of a large table is
// an L3 or DRAM miss; prefetching a few ids ahead overlaps those misses), and, on AVX2, a
// gather keeps its running sums in registers. Every variant adds in the same order (ids in
// order, one rounding per add), so results do not depend on the CPU path taken.
#include "ckernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CKERNELS_X86 1
#endif

enum { PREFETCH_AHEAD = 8 };

static inline __attribute__((always_inline)) void prefetch_row(const float *table, int64_t d,
                                                               const intptr_t *ids, int64_t t,
                                                               int64_t count) {
    if (t + PREFETCH_AHEAD < count) {
        const char *next = (const char *)(table + ids[t + PREFETCH_AHEAD] * d);
        for (int64_t byte = 0; byte < d * (int64_t)sizeof(float); byte += 64) {
            __builtin_prefetch(next + byte, 0, 3);
        }
    }
}

void ckernels_portable_gather_add(const float *restrict table, int64_t d, const intptr_t *restrict ids,
                                int64_t count, float *restrict out) {
    for (int64_t t = 0; t < count; t++) {
        prefetch_row(table, d, ids, t, count);
        intptr_t id = ids[t];
        if (id == 0) continue;
        const float *restrict row = table + id * d;
        for (int64_t j = 0; j < d; j++) out[j] += row[j];
    }
}

#ifdef CKERNELS_X86
// Columns in blocks of 64, 32 and 8 held in registers across all ids, then the scalar
// remainder; the first block prefetches the rows ahead.
__attribute__((target("avx2,fma")))
static void gather_add_avx2(const float *restrict table, int64_t d, const intptr_t *restrict ids,
                            int64_t count, float *restrict out) {
    int64_t j0 = 0;
    // Eight running sums (64 columns) per pass: enough independent adds in flight to hide the
    // add latency; the whole row of a model with dim 64 in one pass over the ids.
    for (; j0 + 64 <= d; j0 += 64) {
        __m256 s[8];
        for (int q = 0; q < 8; q++) s[q] = _mm256_loadu_ps(out + j0 + 8 * q);
        for (int64_t t = 0; t < count; t++) {
            if (j0 == 0) prefetch_row(table, d, ids, t, count);
            intptr_t id = ids[t];
            if (id == 0) continue;
            const float *row = table + id * d + j0;
            for (int q = 0; q < 8; q++) s[q] = _mm256_add_ps(s[q], _mm256_loadu_ps(row + 8 * q));
        }
        for (int q = 0; q < 8; q++) _mm256_storeu_ps(out + j0 + 8 * q, s[q]);
    }
    for (; j0 + 32 <= d; j0 += 32) {
        __m256 s0 = _mm256_loadu_ps(out + j0), s1 = _mm256_loadu_ps(out + j0 + 8);
        __m256 s2 = _mm256_loadu_ps(out + j0 + 16), s3 = _mm256_loadu_ps(out + j0 + 24);
        for (int64_t t = 0; t < count; t++) {
            if (j0 == 0) prefetch_row(table, d, ids, t, count);
            intptr_t id = ids[t];
            if (id == 0) continue;
            const float *row = table + id * d + j0;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(row));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(row + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(row + 16));
            s3 = _mm256_add_ps(s3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(out + j0, s0);
        _mm256_storeu_ps(out + j0 + 8, s1);
        _mm256_storeu_ps(out + j0 + 16, s2);
        _mm256_storeu_ps(out + j0 + 24, s3);
    }
    for (; j0 + 8 <= d; j0 += 8) {
        __m256 s = _mm256_loadu_ps(out + j0);
        for (int64_t t = 0; t < count; t++) {
            if (ids[t] != 0) s = _mm256_add_ps(s, _mm256_loadu_ps(table + ids[t] * d + j0));
        }
        _mm256_storeu_ps(out + j0, s);
    }
    for (; j0 < d; j0++) {
        float s = out[j0];
        for (int64_t t = 0; t < count; t++) {
            if (ids[t] != 0) s += table[ids[t] * d + j0];
        }
        out[j0] = s;
    }
}
#endif

void ckernels_gather_add(const float *restrict table, int64_t d, const intptr_t *restrict ids,
                         int64_t count, float *restrict out) {
#ifdef CKERNELS_X86
    if (ckernels_isa() >= CKERNELS_ISA_AVX2) { gather_add_avx2(table, d, ids, count, out); return; }
#endif
    ckernels_portable_gather_add(table, d, ids, count, out);
}

static inline __attribute__((always_inline)) int64_t
sparse_accumulate_body(int32_t *restrict slot_of_row, intptr_t *restrict rows, int64_t row_count,
                       float *restrict values, int64_t d, const intptr_t *restrict ids,
                       int64_t count, const float *restrict src, int64_t src_stride) {
    for (int64_t t = 0; t < count; t++) {
        intptr_t id = ids[t];
        if (id == 0) continue;
        const float *restrict row = src + t * src_stride;
        int32_t slot = slot_of_row[id];
        if (slot < 0) {
            // A new row: its gradient starts as this row (0 + x = x), so copy instead of add.
            slot = (int32_t)row_count++;
            slot_of_row[id] = slot;
            rows[slot] = id;
            float *restrict dst = values + (int64_t)slot * d;
            for (int64_t j = 0; j < d; j++) dst[j] = row[j];
            continue;
        }
        float *restrict dst = values + (int64_t)slot * d;
        for (int64_t j = 0; j < d; j++) dst[j] += row[j];
    }
    return row_count;
}

#ifdef CKERNELS_X86
// Explicit vector copies and adds, and no memcpy: the compiler turns a copy loop into a
// memcpy call, whose per-row overhead was most of a backward pass with 4096 new rows of 64.
__attribute__((target("avx2,fma"), no_builtin("memcpy")))
static int64_t sparse_accumulate_avx2(int32_t *restrict slot_of_row, intptr_t *restrict rows,
                                      int64_t row_count, float *restrict values, int64_t d,
                                      const intptr_t *restrict ids, int64_t count,
                                      const float *restrict src, int64_t src_stride) {
    int64_t d8 = d / 8 * 8;
    for (int64_t t = 0; t < count; t++) {
        // The slot index is a random access into a V-entry table: fetch it well ahead.
        if (t + 16 < count) __builtin_prefetch(slot_of_row + ids[t + 16], 1, 3);
        intptr_t id = ids[t];
        if (id == 0) continue;
        const float *restrict row = src + t * src_stride;
        int32_t slot = slot_of_row[id];
        float *restrict dst;
        if (slot < 0) {
            slot = (int32_t)row_count++;
            slot_of_row[id] = slot;
            rows[slot] = id;
            dst = values + (int64_t)slot * d;
            int64_t j = 0;
            for (; j < d8; j += 8) _mm256_storeu_ps(dst + j, _mm256_loadu_ps(row + j));
            for (; j < d; j++) dst[j] = row[j];
            continue;
        }
        dst = values + (int64_t)slot * d;
        int64_t j = 0;
        for (; j < d8; j += 8) _mm256_storeu_ps(dst + j, _mm256_add_ps(_mm256_loadu_ps(dst + j), _mm256_loadu_ps(row + j)));
        for (; j < d; j++) dst[j] += row[j];
    }
    return row_count;
}
#endif

int64_t ckernels_sparse_accumulate(int32_t *restrict slot_of_row, intptr_t *restrict rows,
                                   int64_t row_count, float *restrict values, int64_t d,
                                   const intptr_t *restrict ids, int64_t count,
                                   const float *restrict src, int64_t src_stride) {
#ifdef CKERNELS_X86
    if (ckernels_isa() >= CKERNELS_ISA_AVX2) {
        return sparse_accumulate_avx2(slot_of_row, rows, row_count, values, d, ids, count, src, src_stride);
    }
#endif
    return ckernels_portable_sparse_accumulate(slot_of_row, rows, row_count, values, d, ids, count, src, src_stride);
}

int64_t ckernels_portable_sparse_accumulate(int32_t *restrict slot_of_row, intptr_t *restrict rows,
                                            int64_t row_count, float *restrict values, int64_t d,
                                            const intptr_t *restrict ids, int64_t count,
                                            const float *restrict src, int64_t src_stride) {
    return sparse_accumulate_body(slot_of_row, rows, row_count, values, d, ids, count, src, src_stride);
}

// Eight running sums in a fixed lane order: the adds overlap instead of waiting on one chain,
// and since a float's square is exact in double, every CPU path gives the same result.
static inline __attribute__((always_inline)) double sum_of_squares_body(const float *restrict x,
                                                                        int64_t count) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        for (int j = 0; j < 8; j++) s[j] += (double)x[i + j] * (double)x[i + j];
    }
    for (int j = 0; i + j < count; j++) s[j] += (double)x[i + j] * (double)x[i + j];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

#ifdef CKERNELS_X86
__attribute__((target("avx2,fma")))
static double sum_of_squares_avx2(const float *restrict x, int64_t count) {
    return sum_of_squares_body(x, count);
}
#endif

double ckernels_sum_of_squares(const float *x, int64_t count) {
#ifdef CKERNELS_X86
    if (ckernels_isa() >= CKERNELS_ISA_AVX2) return sum_of_squares_avx2(x, count);
#endif
    return sum_of_squares_body(x, count);
}
