// What the int8 kernel files share: one tile job (a block of up to MR batch rows × 32 weight
// rows), the per-kernel tile and input functions, and the float epilogue's order of operations.
#ifndef CKERNELS_INT8_INTERNAL_H
#define CKERNELS_INT8_INTERNAL_H

#include "ckernels.h"

#include <string.h>

/// Batch rows per tile; weight rows per tile (two panels of 16).
enum { INT8_MR = 6, INT8_NR = 32, INT8_PANEL = 16 };

/// One tile: batch rows [b0, b0 + mr) × weight rows [r0, r0 + valid), every pointer already
/// moved to b0 and r0.
typedef struct {
    int64_t mr;              // batch rows, 1 … INT8_MR
    int64_t valid;           // weight rows to store, 1 … INT8_NR
    int64_t groups;          // padded_cols / 4
    const uint8_t *x;        // quantized input rows, stride ldq
    int64_t ldq;
    const int8_t *w;         // first of the two panels; the second starts panel_stride later
    int64_t panel_stride;
    const int32_t *row_sums; // INT8_NR values
    const float *sx;         // mr values
    const float *scales;     // INT8_NR values
    const float *bias;       // `valid` values, or NULL
    float *y;                // float output (stride ldo), or NULL when writing sums
    int accumulate;          // whether y's results are added to what y holds
    int32_t *sums;           // int32 output (stride ldo), or NULL
    int64_t ldo;
} int8_tile;

typedef void (*int8_tile_fn)(const int8_tile *tile);

/// Reads 4 bytes as one int32 (the 4 columns a VNNI lane sums), unaligned.
static inline int32_t int8_load4(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/// The float result of one sum: float(sum)·(scale·sx) (+ bias) (+ previous, when accumulating),
/// in separate statements so that no compiler fuses them into an FMA; the vector kernels do the
/// same roundings in the same order.
static inline float int8_output(int32_t sum, float scale, float sx, const float *bias, const float *previous) {
    float factor = scale * sx;
    float value = (float)sum * factor;
    if (bias) value = value + *bias;
    if (previous) value = *previous + value;
    return value;
}

/// The scale of one input row: maxabs / 127 (0 for a row of zeros).
static inline float int8_input_scale(float maxabs) {
    return maxabs / 127.0f;
}

/// What an input row is multiplied by before rounding: 127 / maxabs (a multiplication, as
/// dynamic quantization usually does, because a vector division costs several times more).
static inline float int8_input_inverse(float maxabs) {
    return 127.0f / maxabs;
}

/// One quantized value before the format's offset: round-half-even(v · inverse), clamped first
/// (max, then min, as the vector code does) so that a NaN becomes −127 everywhere.
static inline int32_t int8_quantize_value(float v, float inverse) {
    float t = v * inverse;
    t = t > -127.0f ? t : -127.0f;
    t = t < 127.0f ? t : 127.0f;
    return (int32_t)__builtin_roundevenf(t);
}

void ckernels_int8_tile_portable(const int8_tile *tile);
void ckernels_int8_quantize_portable(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                     int64_t ldq, float *sx, uint8_t offset);

#if defined(__x86_64__) || defined(__i386__)
void ckernels_int8_tile_avx2(const int8_tile *tile);
void ckernels_int8_tile_avxvnni(const int8_tile *tile);
void ckernels_int8_tile_vnni256_evex(const int8_tile *tile);
void ckernels_int8_tile_avx512vnni(const int8_tile *tile);
void ckernels_int8_quantize_avx2(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                 int64_t ldq, float *sx, uint8_t offset);
void ckernels_int8_quantize_avx512(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                   int64_t ldq, float *sx, uint8_t offset);
#endif

#endif
