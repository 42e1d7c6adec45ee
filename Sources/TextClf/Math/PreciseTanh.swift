import CKernels

/// x ← tanh(x) within 0.58 ulp of the exact value (99.9% correctly rounded), for `count` values.
///
/// The RNN cell needs this accuracy: every state passes through tanh, and the few-ulp errors of
/// the fast `tanhInPlace` are amplified through 1 − h² and a second layer up to SPEC §4's parity
/// limit (worst ratio 1.0 on the two-layer bidirectional fixture). The kernel (CKernels,
/// `ckernels_tanh_precise`) computes in float with FMA-based error-free arithmetic on AVX-512 or
/// AVX2, under 1 ns per value (about twice `tanhInPlace`), and rounds libm's double tanh on the
/// portable path.
func preciseTanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    ckernels_tanh_precise(x, Int64(count))
}
