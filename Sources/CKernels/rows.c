// Row gathers and adds for the embedding: memory-bound loops, written in C so that `restrict`
// lets the compiler vectorize them, and so the next rows can be prefetched (a random row of a
// large table is an L3 or DRAM miss; prefetching a few ids ahead overlaps those misses).
#include "ckernels.h"

enum { PREFETCH_AHEAD = 8 };

void ckernels_gather_add(const float *restrict table, int64_t d, const intptr_t *restrict ids,
                         int64_t count, float *restrict out) {
    for (int64_t t = 0; t < count; t++) {
        if (t + PREFETCH_AHEAD < count) {
            const char *next = (const char *)(table + ids[t + PREFETCH_AHEAD] * d);
            for (int64_t byte = 0; byte < d * (int64_t)sizeof(float); byte += 64) {
                __builtin_prefetch(next + byte, 0, 3);
            }
        }
        intptr_t id = ids[t];
        if (id == 0) continue;
        const float *restrict row = table + id * d;
        for (int64_t j = 0; j < d; j++) out[j] += row[j];
    }
}

int64_t ckernels_sparse_accumulate(int32_t *restrict slot_of_row, intptr_t *restrict rows,
                                   int64_t row_count, float *restrict values, int64_t d,
                                   const intptr_t *restrict ids, int64_t count,
                                   const float *restrict src, int64_t src_stride) {
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
