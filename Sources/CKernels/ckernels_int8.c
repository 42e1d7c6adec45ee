// The int8 products: kernel choice, weight packing, and the driver that cuts a product into
// tiles of 6 batch rows × 32 weight rows for the chosen kernel; the portable kernel. The
// layouts and formats are described in ckernels.h; the vector kernels are in
// ckernels_int8_x86.c.
#include "ckernels_int8_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define CKERNELS_INT8_X86 1
#endif

#ifdef CKERNELS_INT8_X86
// The VNNI bits of CPUID, read once: CPUID is slow (a trap to the hypervisor in a virtual
// machine, microseconds), and the kernels ask on every call. Bit 0: AVX-512 VNNI (leaf 7,
// subleaf 0, ECX bit 11); bit 1: AVX-VNNI (leaf 7, subleaf 1, EAX bit 4).
static int32_t vnni_bits(void) {
    static int32_t known = -1;
    int32_t value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        unsigned a, b, c, d;
        value = 0;
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && ((c >> 11) & 1)) value |= 1;
        if (__get_cpuid_count(7, 1, &a, &b, &c, &d) && ((a >> 4) & 1)) value |= 2;
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}
#endif

int32_t ckernels_int8_kernel_supported(int32_t kernel) {
#ifdef CKERNELS_INT8_X86
    // Whether the OS saves the vector registers is what ckernels_isa_supported() checked.
    switch (kernel) {
    case CKERNELS_INT8_PORTABLE:
        return 1;
    case CKERNELS_INT8_AVX2:
        return ckernels_isa_supported() >= CKERNELS_ISA_AVX2;
    case CKERNELS_INT8_AVXVNNI:
        return ckernels_isa_supported() >= CKERNELS_ISA_AVX2 && (vnni_bits() & 2);
    case CKERNELS_INT8_AVX512VNNI:
    case CKERNELS_INT8_VNNI256_EVEX:
        return ckernels_isa_supported() >= CKERNELS_ISA_AVX512 && (vnni_bits() & 1);
    default:
        return 0;
    }
#else
    return kernel == CKERNELS_INT8_PORTABLE;
#endif
}

// The kernel that runs for a requested one: itself when the CPU has it, else the next one down.
static int32_t runnable(int32_t kernel) {
    while (kernel > CKERNELS_INT8_PORTABLE && !ckernels_int8_kernel_supported(kernel)) {
        kernel = kernel == CKERNELS_INT8_VNNI256_EVEX ? CKERNELS_INT8_AVX2 : kernel - 1;
    }
    return kernel < CKERNELS_INT8_PORTABLE ? CKERNELS_INT8_PORTABLE : kernel;
}

int32_t ckernels_int8_kernel(void) {
    static int32_t known = -1;
    int32_t value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        int32_t isa = ckernels_isa();
        // AVX-VNNI is a 256-bit (AVX2-level) extension, so TEXTCLF_ISA=avx2 still allows it.
        value = isa >= CKERNELS_ISA_AVX512 ? runnable(CKERNELS_INT8_AVX512VNNI)
              : isa >= CKERNELS_ISA_AVX2   ? runnable(CKERNELS_INT8_AVXVNNI)
                                           : CKERNELS_INT8_PORTABLE;
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

int64_t ckernels_int8_padded_rows(int64_t rows) { return (rows + INT8_NR - 1) / INT8_NR * INT8_NR; }

int64_t ckernels_int8_padded_cols(int64_t cols) { return (cols + 3) / 4 * 4; }

void ckernels_int8_pack_weights(int64_t rows, int64_t cols, const int8_t *q, int8_t *packed, int32_t *row_sums) {
    int64_t padded_rows = ckernels_int8_padded_rows(rows), groups = ckernels_int8_padded_cols(cols) / 4;
    memset(packed, 0, (size_t)(padded_rows * groups * 4));
    for (int64_t r = 0; r < padded_rows; r++) {
        int32_t sum = 0;
        if (r < rows) {
            int8_t *panel = packed + (r / INT8_PANEL) * groups * 64 + (r % INT8_PANEL) * 4;
            for (int64_t c = 0; c < cols; c++) {
                panel[(c / 4) * 64 + c % 4] = q[r * cols + c];
                sum += q[r * cols + c];
            }
        }
        row_sums[r] = sum;
    }
}

// Whether a kernel reads activations offset by +128 (unsigned bytes, for vpdpbusd).
static int uses_offset(int32_t kernel) {
    return kernel == CKERNELS_INT8_AVXVNNI || kernel == CKERNELS_INT8_AVX512VNNI || kernel == CKERNELS_INT8_VNNI256_EVEX;
}

void ckernels_int8_format_input(int32_t kernel, int64_t batch, int64_t cols, const int8_t *x, int64_t ldx,
                                uint8_t *xq, int64_t ldq) {
    uint8_t offset = uses_offset(runnable(kernel)) ? 0x80 : 0;
    int64_t padded = ckernels_int8_padded_cols(cols);
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t c = 0; c < padded; c++) {
            xq[b * ldq + c] = (uint8_t)((c < cols ? (uint8_t)x[b * ldx + c] : 0) ^ offset);
        }
    }
}

void ckernels_int8_quantize_portable(int64_t batch, int64_t cols, const float *x, int64_t ldx, uint8_t *xq,
                                     int64_t ldq, float *sx, uint8_t offset) {
    int64_t padded = ckernels_int8_padded_cols(cols);
    for (int64_t b = 0; b < batch; b++) {
        const float *row = x + b * ldx;
        uint8_t *out = xq + b * ldq;
        float maxabs = 0;
        for (int64_t c = 0; c < cols; c++) {
            float a = row[c] < 0 ? -row[c] : row[c];
            maxabs = a > maxabs ? a : maxabs;
        }
        float scale = int8_input_scale(maxabs), inverse = int8_input_inverse(maxabs);
        sx[b] = scale;
        for (int64_t c = 0; c < padded; c++) {
            int32_t v = c < cols && maxabs > 0 ? int8_quantize_value(row[c], inverse) : 0;
            out[c] = (uint8_t)((uint8_t)(int8_t)v ^ offset);
        }
    }
}

void ckernels_int8_quantize_input(int32_t kernel, int64_t batch, int64_t cols, const float *x, int64_t ldx,
                                  uint8_t *xq, int64_t ldq, float *sx) {
    kernel = runnable(kernel);
    uint8_t offset = uses_offset(kernel) ? 0x80 : 0;
#ifdef CKERNELS_INT8_X86
    if (kernel == CKERNELS_INT8_AVX512VNNI || kernel == CKERNELS_INT8_VNNI256_EVEX) {
        ckernels_int8_quantize_avx512(batch, cols, x, ldx, xq, ldq, sx, offset);
        return;
    }
    if (kernel != CKERNELS_INT8_PORTABLE) {
        ckernels_int8_quantize_avx2(batch, cols, x, ldx, xq, ldq, sx, offset);
        return;
    }
#endif
    ckernels_int8_quantize_portable(batch, cols, x, ldx, xq, ldq, sx, offset);
}

void ckernels_int8_tile_portable(const int8_tile *t) {
    int32_t sums[INT8_MR][INT8_NR] = {{0}};
    for (int64_t g = 0; g < t->groups; g++) {
        for (int64_t half = 0; half < 2; half++) {
            const int8_t *block = t->w + half * t->panel_stride + g * 64;
            for (int64_t i = 0; i < t->mr; i++) {
                const int8_t *xv = (const int8_t *)(t->x + i * t->ldq + 4 * g);
                int32_t *row = sums[i] + half * INT8_PANEL;
                for (int64_t r = 0; r < INT8_PANEL; r++) {
                    const int8_t *w = block + 4 * r;
                    row[r] += xv[0] * w[0] + xv[1] * w[1] + xv[2] * w[2] + xv[3] * w[3];
                }
            }
        }
    }
    for (int64_t i = 0; i < t->mr; i++) {
        for (int64_t r = 0; r < t->valid; r++) {
            if (t->sums) {
                t->sums[i * t->ldo + r] = sums[i][r];
            } else {
                float *out = t->y + i * t->ldo + r;
                *out = int8_output(sums[i][r], t->scales[r], t->sx[i], t->bias ? t->bias + r : NULL,
                                   t->accumulate ? out : NULL);
            }
        }
    }
}

void ckernels_int8_gemm(int32_t kernel, int64_t batch, int64_t cols, const uint8_t *xq, int64_t ldq,
                        const int8_t *packed, const int32_t *row_sums, int64_t row_begin, int64_t row_end,
                        const float *sx, const float *scales, const float *bias, float *y, int64_t ldy,
                        int32_t accumulate, int32_t *sums, int64_t lds) {
    int8_tile_fn tile_fn = ckernels_int8_tile_portable;
#ifdef CKERNELS_INT8_X86
    switch (runnable(kernel)) {
    case CKERNELS_INT8_AVX2: tile_fn = ckernels_int8_tile_avx2; break;
    case CKERNELS_INT8_AVXVNNI: tile_fn = ckernels_int8_tile_avxvnni; break;
    case CKERNELS_INT8_AVX512VNNI: tile_fn = ckernels_int8_tile_avx512vnni; break;
    case CKERNELS_INT8_VNNI256_EVEX: tile_fn = ckernels_int8_tile_vnni256_evex; break;
    default: break;
    }
#else
    (void)kernel;
#endif
    int64_t groups = ckernels_int8_padded_cols(cols) / 4;
    int64_t ldo = sums ? lds : ldy;
    // A pair of panels (32 rows × C bytes) stays in L1 while every batch row streams past it.
    for (int64_t r0 = row_begin; r0 < row_end; r0 += INT8_NR) {
        int64_t valid = row_end - r0 < INT8_NR ? row_end - r0 : INT8_NR;
        for (int64_t b0 = 0; b0 < batch; b0 += INT8_MR) {
            int8_tile tile = {
                .mr = batch - b0 < INT8_MR ? batch - b0 : INT8_MR,
                .valid = valid,
                .groups = groups,
                .x = xq + b0 * ldq,
                .ldq = ldq,
                .w = packed + (r0 / INT8_PANEL) * groups * 64,
                .panel_stride = groups * 64,
                .row_sums = row_sums + r0,
                .sx = sx ? sx + b0 : NULL,
                .scales = scales ? scales + r0 : NULL,
                .bias = bias ? bias + r0 : NULL,
                .y = sums ? NULL : y + b0 * ldo + r0,
                .accumulate = !sums && accumulate,
                .sums = sums ? sums + b0 * ldo + r0 : NULL,
                .ldo = ldo,
            };
            tile_fn(&tile);
        }
    }
}
