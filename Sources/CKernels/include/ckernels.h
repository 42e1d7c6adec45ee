// Innermost numeric kernels in C. Each fast kernel is compiled for AVX-512 or AVX2+FMA by a
// per-function target attribute and chosen at run time by a CPU check, with a portable
// fallback, so the package needs no global compiler flags and still runs on baseline x86-64
// and on ARM.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels of the kernels, each including the ones below it.
enum {
    /// Plain C, for any CPU.
    CKERNELS_ISA_PORTABLE = 0,
    /// AVX2 and FMA (256-bit vectors).
    CKERNELS_ISA_AVX2 = 1,
    /// AVX-512 F, BW, VL and DQ (512-bit vectors), on top of AVX2 and FMA.
    CKERNELS_ISA_AVX512 = 2,
};

/// The widest level this CPU and its OS support.
int32_t ckernels_isa_supported(void);

/// The level the kernels use: `ckernels_isa_supported()`, lowered to the environment variable
/// TEXTCLF_ISA (`portable`, `avx2` or `avx512`) when that names a lower one. Read once per
/// process; every result on one machine depends on it.
int32_t ckernels_isa(void);

/// Whether the calling thread runs a shard of a parallel loop (a thread-local flag), so
/// that nested loops run serially instead of oversubscribing the cores.
int32_t ckernels_in_parallel_region(void);
void ckernels_set_in_parallel_region(int32_t inside);

/// Tells glibc's allocator to keep freed memory for reuse instead of returning large blocks
/// to the kernel after every use (training frees and reallocates the same big buffers every
/// batch). Process-wide, so only programs call it, never the library on its own. No effect
/// outside glibc.
void ckernels_keep_freed_memory(void);
/// Returns the allocator's free memory to the system (glibc's malloc_trim); elsewhere nothing.
void ckernels_return_freed_memory(void);

/// C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is nonzero, single-threaded, on the
/// kernels of level `isa` (lowered to `ckernels_isa_supported()`; callers pass `ckernels_isa()`,
/// tests and benchmarks every level the CPU has).
/// Row-major: op(A) is M×K, op(B) is K×N, C is M×N; lda, ldb, ldc are the row strides of the
/// stored matrices; a nonzero trans_a / trans_b reads the stored matrix transposed. Each
/// element's arithmetic is independent of M, N and of where C starts, so callers may split
/// C into blocks (threads) and get bit-identical results.
void ckernels_sgemm_isa(int32_t isa, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                        const float *a, int64_t lda, const float *b, int64_t ldb,
                        float *c, int64_t ldc, int32_t accumulate);

/// Pre-packed B, for a B that many products share (a recurrent layer's W_hh, used at every
/// step): `ckernels_sgemm_pack_b` packs op(B) (K×N, row stride ldb, read transposed when trans_b
/// is nonzero) once into `packed`, which holds `ckernels_sgemm_packed_size` floats, and
/// `ckernels_sgemm_packed_isa` then computes C = op(A)·op(B) (or C += …) from it. The three take
/// the same isa and trans_a (the layout depends on them), and the product is bit-identical to
/// `ckernels_sgemm_isa` with op(B) stored untransposed.
int64_t ckernels_sgemm_packed_size(int32_t isa, int32_t trans_a, int64_t n, int64_t k);
void ckernels_sgemm_pack_b(int32_t isa, int32_t trans_a, int32_t trans_b, int64_t n, int64_t k,
                           const float *b, int64_t ldb, float *packed);
void ckernels_sgemm_packed_isa(int32_t isa, int32_t trans_a, int64_t m, int64_t n, int64_t k,
                               const float *a, int64_t lda, const float *packed,
                               float *c, int64_t ldc, int32_t accumulate);

/// x ← e^x for `count` values (relative error ≤ 3e-7 on [−87, 88]; clamped outside).
void ckernels_exp(float *x, int64_t count);

/// x ← 1/(1 + e^(−x)) for `count` values (relative error ≤ 4e-7 on [−80, 80]).
void ckernels_sigmoid(float *x, int64_t count);

/// x ← tanh(x) for `count` values (relative error ≤ 4e-7, absolute ≤ 1e-7).
void ckernels_tanh(float *x, int64_t count);

/// x ← tanh(x) for `count` values, within about half an ulp of the exact value (nearly always
/// the correctly rounded one): for the Elman RNN, where the few-ulp errors of `ckernels_tanh`
/// pass through 1 − h² and later layers up to the parity limit. The AVX-512 and AVX2 kernels
/// compute in float with FMA (bit-identical to each other), the portable one rounds libm's
/// double tanh; about 3× the cost of `ckernels_tanh`.
void ckernels_tanh_precise(float *x, int64_t count);
void ckernels_tanh_precise_isa(int32_t isa, float *x, int64_t count);

/// The three maps above on the kernels of level `isa` (lowered to what the CPU has); the
/// AVX-512 and AVX2 kernels give bit-identical values, the portable ones use libm.
void ckernels_exp_isa(int32_t isa, float *x, int64_t count);
void ckernels_sigmoid_isa(int32_t isa, float *x, int64_t count);
void ckernels_tanh_isa(int32_t isa, float *x, int64_t count);

/// One forward step of the LSTM cell on `rows` rows of H = h units, gates fused in PyTorch's
/// order i, f, g, o: gates [rows, 4h] holds the pre-activations and receives σ(i), σ(f),
/// tanh(g), σ(o); c = f·c_prev + i·g (c_prev [rows, h], NULL for zeros), tanh_c = tanh(c) and
/// out = o·tanh_c, each [rows, h]. The activations are those of ckernels_sigmoid and
/// ckernels_tanh; the `_isa` form runs level `isa` (lowered to what the CPU has).
void ckernels_lstm_forward(int64_t rows, int64_t h, float *gates, const float *c_prev, float *c, float *tanh_c,
                           float *out);
void ckernels_lstm_forward_isa(int32_t isa, int64_t rows, int64_t h, float *gates, const float *c_prev,
                               float *c, float *tanh_c, float *out);

/// One backward step of the LSTM cell on `rows` rows of H = h units, from what forward cached:
/// gates [rows, 4h] (σ(i), σ(f), tanh(g), σ(o)), tanh_c [rows, h] and c_prev [rows, h] (NULL for
/// zeros). With dh [rows, h] = dL/dh_t and dc [rows, h] = dL/dc_t carried from step t + 1:
/// dc' = dc + dh·o·(1 − tanh_c²); writes dgates [rows, 4h] = dL/d(pre-activations), in the
/// gates' order: dc'·g·i·(1 − i), dc'·f·(1 − f)·c_prev, dc'·i·(1 − g²), dh·tanh_c·o·(1 − o);
/// and replaces dc by dc'·f, the gradient for step t − 1. Each product rounded left to right,
/// no FMA: every level gives the same bits.
void ckernels_lstm_backward(int64_t rows, int64_t h, const float *gates, const float *tanh_c, const float *c_prev,
                            const float *dh, float *dgates, float *dc);
void ckernels_lstm_backward_isa(int32_t isa, int64_t rows, int64_t h, const float *gates, const float *tanh_c,
                                const float *c_prev, const float *dh, float *dgates, float *dc);

/// One forward step of the GRU cell on `rows` rows of H = h units, gates in PyTorch's order
/// r, z, n: gates [rows, 3h] holds x·W_ihᵀ + b_ih and projection [rows, 3h] holds
/// h_prev·W_hhᵀ + b_hh. Writes r = σ(gate_r + proj_r), z = σ(gate_z + proj_z) and
/// n = tanh(gate_n + r·proj_n) over the gates, hn [rows, h] = proj_n (kept for backward) and
/// out [rows, h] = (1 − z)·n + z·h_prev (h_prev [rows, h], NULL for zeros: then (1 − z)·n).
/// The activations are those of ckernels_sigmoid and ckernels_tanh at the same level, the rest
/// separately rounded products and sums, so the result is the unfused passes' bit for bit.
void ckernels_gru_forward(int64_t rows, int64_t h, float *gates, const float *projection, const float *h_prev,
                          float *hn, float *out);
void ckernels_gru_forward_isa(int32_t isa, int64_t rows, int64_t h, float *gates, const float *projection,
                              const float *h_prev, float *hn, float *out);

/// One backward step of the GRU cell on `rows` rows of H = h units, from the activated gates
/// [rows, 3h], hn [rows, h] and h_prev [rows, h] (NULL for zeros) that forward kept, and
/// dh [rows, h] = dL/dh_t: dz = dh·(h_prev − n)·z·(1 − z), dn = dh·(1 − z)·(1 − n²),
/// dr = dn·hn·r·(1 − r), written to dgates [rows, 3h] as (dr, dz, dn) and to dprojection
/// [rows, 3h] as (dr, dz, dn·r); dh_prev [rows, h] (NULL to skip) gets += dh·z. Each product
/// rounded left to right, no FMA: every level gives the same bits.
void ckernels_gru_backward(int64_t rows, int64_t h, const float *gates, const float *hn, const float *h_prev,
                           const float *dh, float *dh_prev, float *dgates, float *dprojection);
void ckernels_gru_backward_isa(int32_t isa, int64_t rows, int64_t h, const float *gates, const float *hn,
                               const float *h_prev, const float *dh, float *dh_prev, float *dgates,
                               float *dprojection);

/// da = dh·((1 − h)(1 + h)) for `count` values: the gradient through h = tanh(a), with 1 − h²
/// factored so that it stays exact where |h| nears 1. Every level gives the same bits.
void ckernels_tanh_backward(int64_t count, const float *h, const float *dh, float *da);
void ckernels_tanh_backward_isa(int32_t isa, int64_t count, const float *h, const float *dh, float *da);

/// out[j] += Σ_t table[ids[t]·d + j] over the `count` ids in order, skipping id 0 (padding).
/// table is row-major [V, d]; out has d values and must not overlap table.
void ckernels_gather_add(const float *table, int64_t d, const intptr_t *ids, int64_t count, float *out);

/// Accumulates rows into a sparse row gradient. For each of the `count` ids except 0 (padding):
/// with r = src + t·src_stride (src_stride 0 uses the same row for every id), a row seen before
/// (slot_of_row[id] ≥ 0) gets values[slot·d + j] += r[j]; a new row takes the next free slot
/// (row_count, then incremented; slot_of_row[id] and rows[slot] record it) and values = r.
/// rows and values must have room for row_count + count slots. Returns the new row_count.
int64_t ckernels_sparse_accumulate(int32_t *slot_of_row, intptr_t *rows, int64_t row_count,
                                   float *values, int64_t d, const intptr_t *ids, int64_t count,
                                   const float *src, int64_t src_stride);

/// Σ x² in double over `count` floats, summed in eight lanes in a fixed order (so the result
/// is the same on every CPU path).
double ckernels_sum_of_squares(const float *x, int64_t count);

/// Adam (and AdamW after its decay) on `count` values, PyTorch's order of operations:
/// g' = g + gradient_decay·θ; m ← m + (1−β₁)(g' − m); v ← β₂v + (1−β₂)g'²;
/// θ ← θ − step_size·m/(√v/correction2_root + ε).
void ckernels_adam(float *theta, const float *g, float *m, float *v, int64_t count, float beta1,
                   float beta2, float step_size, float correction2_root, float epsilon,
                   float gradient_decay);

/// SparseAdam on the rows `rows[0 ..< row_count]` of [V, d] tables θ, m, v, whose gradient
/// rows are g ([row_count, d]), PyTorch's order of operations:
/// m ← (g − m)(1−β₁) + m; v ← (g² − v)(1−β₂) + v; θ ← θ + (−step_size)·m/(√v + ε).
void ckernels_sparse_adam(float *theta, float *m, float *v, int64_t d, const intptr_t *rows,
                          int64_t row_count, const float *g, float beta1, float beta2,
                          float step_size, float epsilon);

// The portable fallbacks of the row kernels, exported so that tests check them on any CPU (the
// public entry points take the AVX2+FMA path whenever `ckernels_isa()` allows it).
void ckernels_portable_gather_add(const float *table, int64_t d, const intptr_t *ids, int64_t count, float *out);
int64_t ckernels_portable_sparse_accumulate(int32_t *slot_of_row, intptr_t *rows, int64_t row_count,
                                            float *values, int64_t d, const intptr_t *ids, int64_t count,
                                            const float *src, int64_t src_stride);

// MARK: int8 products (ckernels_int8*.c)
//
// y[b, r] = Σ_c xq[b, c]·q[r, c] in int32, for int8 weights q [R, C] quantized per row with a
// float scale (q in [−127, 127], never −128) and int8 activations quantized per batch row on the
// fly: sx[b] = maxabs(x[b, :]) / 127, xq = round-half-even(x · (127 / maxabs)) clamped to
// [−127, 127] (all zero, sx = 0, for a row of zeros). The float result is y_f = float(y)·(scale[r]·sx[b])
// (+ bias[r]) (+ the y already there, when accumulating), as separately rounded operations in
// that order. Every kernel computes the same int32
// sums exactly and the same float operations, so all kernels give bit-identical outputs.
// Activations must be finite (otherwise the outputs are unspecified and may differ between
// kernels), and C at most 131072, so that every sum fits in int32.
//
// Packed weights: rows padded with zeros to a multiple of 32 (`ckernels_int8_padded_rows`),
// columns to a multiple of 4 (`ckernels_int8_padded_cols`), in panels of 16 rows; panel p holds
// C/4 blocks of 64 bytes, block g holding rows 16p … 16p+15, 4 bytes each: columns 4g … 4g+3.
// Row sums (Σ_c q[r, c], used by the VNNI kernels) and scales have one value per padded row.

/// The int8 kernels.
enum {
    /// Plain C, for any CPU.
    CKERNELS_INT8_PORTABLE = 0,
    /// AVX2: `vpmaddubsw` on |xq| and the weights carrying xq's sign (each pair of products is at
    /// most 2·127² = 32258, so it never saturates), then `vpmaddwd` into int32.
    CKERNELS_INT8_AVX2 = 1,
    /// AVX-VNNI: `vpdpbusd` on 256-bit vectors (VEX encoding), activations offset by +128 to
    /// unsigned bytes and the offset's share (128·row sum) subtracted at the end.
    CKERNELS_INT8_AVXVNNI = 2,
    /// AVX-512 VNNI: `vpdpbusd` on 512-bit vectors, activations offset as for AVX-VNNI.
    CKERNELS_INT8_AVX512VNNI = 3,
    /// The AVX-VNNI kernel's code compiled with the EVEX encoding of the same instruction
    /// (AVX-512 VNNI + VL). Never chosen by `ckernels_int8_kernel()`: tests run it to check the
    /// 256-bit VNNI code on CPUs that have AVX-512 VNNI but not AVX-VNNI.
    CKERNELS_INT8_VNNI256_EVEX = 4,
};

/// Whether this CPU (and its OS) can run the int8 kernel `kernel`.
int32_t ckernels_int8_kernel_supported(int32_t kernel);

/// The int8 kernel the library uses, read once: AVX-512 VNNI when `ckernels_isa()` is AVX-512
/// and the CPU has AVX-512 VNNI; else AVX-VNNI when `ckernels_isa()` is at least AVX2 and the CPU
/// has it; else AVX2 when `ckernels_isa()` allows; else portable.
int32_t ckernels_int8_kernel(void);

/// R rounded up to a multiple of 32, the rows of the packed weights.
int64_t ckernels_int8_padded_rows(int64_t rows);
/// C rounded up to a multiple of 4, the bytes of a packed weight row and of a quantized input row.
int64_t ckernels_int8_padded_cols(int64_t cols);

/// Packs q [rows, cols] (row-major, values in [−127, 127]) into `packed` (padded_rows ×
/// padded_cols bytes, layout above) and writes `row_sums` (padded_rows values).
void ckernels_int8_pack_weights(int64_t rows, int64_t cols, const int8_t *q, int8_t *packed, int32_t *row_sums);

/// Quantizes `batch` rows of x (row stride ldx, `cols` values each) for the kernel `kernel`: the
/// bytes of xq (row stride ldq ≥ padded_cols) in that kernel's format (signed bytes, or offset
/// by +128 for the VNNI kernels; columns past `cols` up to padded_cols hold the format's zero)
/// and sx [batch].
void ckernels_int8_quantize_input(int32_t kernel, int64_t batch, int64_t cols, const float *x, int64_t ldx,
                                  uint8_t *xq, int64_t ldq, float *sx);

/// Writes already quantized rows x [batch, cols] (values in [−127, 127], row stride ldx) into xq
/// in the format of `kernel`, as `ckernels_int8_quantize_input` would.
void ckernels_int8_format_input(int32_t kernel, int64_t batch, int64_t cols, const int8_t *x, int64_t ldx,
                                uint8_t *xq, int64_t ldq);

/// The product of quantized inputs xq [batch, padded_cols] (row stride ldq, in the format of
/// `kernel`) and the packed weights, for the weight rows [row_begin, row_end)
/// (row_begin a multiple of 32). With `sums` nonnull it writes the int32 sums to
/// sums[b·lds + r]; otherwise the float results to y[b·ldy + r], from sx [batch], scales
/// (padded_rows values) and bias (`rows` values, or null for none), added to what y holds when
/// `accumulate` is nonzero (after the bias). Single-threaded; a kernel
/// the CPU lacks falls back to the one `ckernels_int8_kernel_supported` allows below it.
void ckernels_int8_gemm(int32_t kernel, int64_t batch, int64_t cols, const uint8_t *xq, int64_t ldq,
                        const int8_t *packed, const int32_t *row_sums, int64_t row_begin, int64_t row_end,
                        const float *sx, const float *scales, const float *bias, float *y, int64_t ldy,
                        int32_t accumulate, int32_t *sums, int64_t lds);

#ifdef __cplusplus
}
#endif

#endif
