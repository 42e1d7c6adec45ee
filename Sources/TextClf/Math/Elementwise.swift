import CKernels

/// Elementwise activations over raw buffers, the form the recurrent gates and the losses use.
/// These entry points are what layers call; the kernels behind them are vectorized (CKernels,
/// AVX-512 or AVX2+FMA, whichever `ckernels_isa()` picks, with a libm fallback), with relative
/// error ≤ 4e-7 against exact values — far inside the 1e-5 parity rule (ActivationKernelTests
/// measure it).

/// x ← 1 / (1 + e^(−x)), for `count` values.
func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    ckernels_sigmoid(x, Int64(count))
}

/// x ← tanh(x), for `count` values.
func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    ckernels_tanh(x, Int64(count))
}

/// x ← e^x, for `count` values (inputs below −87.3 give ≈ 1.2e−38 instead of underflowing).
func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    ckernels_exp(x, Int64(count))
}
