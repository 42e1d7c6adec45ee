// Innermost numeric kernels in C. Each fast kernel is compiled for AVX2+FMA by a per-function
// target attribute and chosen at run time by a CPU check, with a portable fallback, so the
// package needs no global compiler flags and still runs on baseline x86-64 and on ARM.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the AVX2+FMA kernels, 0 when the portable ones are used.
int32_t ckernels_has_avx2_fma(void);

#ifdef __cplusplus
}
#endif

#endif
