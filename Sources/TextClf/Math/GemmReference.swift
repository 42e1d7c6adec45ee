/// How an operand of a matrix product is read.
@_spi(Internals) public enum Transpose: Sendable {
    /// The operand is used as stored.
    case none
    /// The operand's transpose is used: a stored [K, M] matrix acts as [M, K].
    case transposed
}

/// The plain triple loop that defines every matrix product in textclf.
///
/// Computes C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`) for row-major operands,
/// with op(A): [M, K], op(B): [K, N], C: [M, N]. `lda`, `ldb` and `ldc` are the row strides
/// of the stored A, B and C. It sums over k in increasing order in Double, so it is the
/// specification that the fast kernels are tested against, not a fast path.
func gemmReference(
    _ transposeA: Transpose, _ transposeB: Transpose,
    m M: Int, n N: Int, k K: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool
) {
    for i in 0..<M {
        for j in 0..<N {
            var sum: Double = accumulate ? Double(c[i * ldc + j]) : 0
            for p in 0..<K {
                let aValue = transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                let bValue = transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += Double(aValue) * Double(bValue)
            }
            c[i * ldc + j] = Float(sum)
        }
    }
}
