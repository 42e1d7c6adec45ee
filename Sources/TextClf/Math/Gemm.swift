/// The matrix product every layer uses: C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`.
///
/// Row-major operands with op(A): [M, K], op(B): [K, N], C: [M, N]; `lda`, `ldb`, `ldc` are the
/// row strides of the stored A, B and C (so a slice of a larger matrix can be used in place).
/// The three forms training needs are A·B (forward), A·Bᵀ (input gradient through a weight
/// stored [Out, In]) and Aᵀ·B (weight gradient).
public func gemm(
    _ transposeA: Transpose, _ transposeB: Transpose,
    m M: Int, n N: Int, k K: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool
) {
    gemmReference(transposeA, transposeB, m: M, n: N, k: K,
                  a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
}
