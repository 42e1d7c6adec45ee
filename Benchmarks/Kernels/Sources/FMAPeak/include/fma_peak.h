#ifndef FMA_PEAK_H
#define FMA_PEAK_H

#include <stdint.h>

/// One core's fp32 multiply-add peak in GFLOP/s (2 flops per lane and FMA) for the kernel level
/// `isa` (1 AVX2+FMA, 2 AVX-512), over `iterations` rounds of 12 independent FMA chains held in
/// registers, timed in this thread's CPU time. 0 when the CPU lacks the level.
double fma_peak_gflops(int32_t isa, int64_t iterations);

#endif
