#ifndef FMA_PEAK_H
#define FMA_PEAK_H

#include <stdint.h>

/// One core's fp32 multiply-add peak in GFLOP/s (2 flops per lane and FMA) for the kernel level
/// `isa` (1 AVX2+FMA, 2 AVX-512), over `iterations` rounds of 12 independent FMA chains held in
/// registers, timed in this thread's CPU time. 0 when the CPU lacks the level.
double fma_peak_gflops(int32_t isa, int64_t iterations);

/// One core's int8 multiply-add peak in GOP/s (2 ops per byte product) with `vpdpbusd` on
/// `bits`-wide vectors (512: AVX-512 VNNI, 256: AVX-VNNI), over `iterations` rounds of 12
/// independent chains, timed in this thread's CPU time. 0 when the CPU lacks that VNNI.
double vnni_peak_gops(int32_t bits, int64_t iterations);

#endif
