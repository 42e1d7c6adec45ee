import Testing
@_spi(Internals) @testable import TextClf

@Suite("gemm")
struct GemmTests {
    /// Runs the fast and the reference product on the same operands stored with extra columns
    /// (strides larger than the logical widths) and compares every element of C.
    private func compare(_ ta: Transpose, _ tb: Transpose, m M: Int, n N: Int, k K: Int,
                         accumulate: Bool, pad: Int = 0, seed: UInt64 = 1) {
        var rng = SeededGenerator(seed: seed)
        let aRows = ta == .none ? M : K, aCols = ta == .none ? K : M
        let bRows = tb == .none ? K : N, bCols = tb == .none ? N : K
        let lda = aCols + pad, ldb = bCols + pad, ldc = N + pad
        let a = (0..<aRows * lda).map { _ in rng.nextUniform(-1, 1) }
        let b = (0..<bRows * ldb).map { _ in rng.nextUniform(-1, 1) }
        let c0 = (0..<M * ldc).map { _ in rng.nextUniform(-1, 1) }
        var fast = c0, reference = c0
        fast.withUnsafeMutableBufferPointer { c in
            gemm(ta, tb, m: M, n: N, k: K, a: a, lda: lda, b: b, ldb: ldb, c: c.baseAddress!, ldc: ldc, accumulate: accumulate)
        }
        reference.withUnsafeMutableBufferPointer { c in
            gemmReference(ta, tb, m: M, n: N, k: K, a: a, lda: lda, b: b, ldb: ldb, c: c.baseAddress!, ldc: ldc, accumulate: accumulate)
        }
        // Float32 sums of K products of values in ±1 differ from the Double reference by
        // rounding only: a bound of K·2⁻²³ relative to the sum of |products| (≤ K).
        let bound = Float(K + 2) * Float(K) * 1.2e-7 + 1e-6
        var worst: Float = 0
        for i in 0..<M {
            for j in 0..<N { worst = max(worst, abs(fast[i * ldc + j] - reference[i * ldc + j])) }
            for j in N..<ldc { #expect(fast[i * ldc + j] == c0[i * ldc + j], "padding column \(j) of row \(i) was written") }
        }
        #expect(worst <= bound, "\(ta)×\(tb) \(M)×\(N)×\(K) accumulate \(accumulate): worst \(worst) > \(bound)")
    }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (6, 16, 8), (7, 17, 9), (13, 33, 257), (64, 64, 64), (7, 530, 300), (97, 20, 300), (2, 3, 600), (10, 4, 37), (8, 1, 9), (64, 4, 513), (5, 2, 7)])
    func fastProductMatchesReferenceInAllForms(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (ta, tb) in [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed)] {
            compare(ta, tb, m: m, n: n, k: k, accumulate: false)
            compare(ta, tb, m: m, n: n, k: k, accumulate: true)
        }
    }

    @Test func stridedViewsLeaveTheRestUntouched() {
        for (ta, tb) in [(Transpose.none, Transpose.none), (.none, .transposed), (.transposed, .none)] {
            compare(ta, tb, m: 11, n: 19, k: 23, accumulate: true, pad: 5, seed: 7)
            compare(ta, tb, m: 20, n: 40, k: 10, accumulate: false, pad: 3, seed: 8)
        }
    }

    @Test func emptyInnerDimensionGivesZeroOrKeepsC() {
        let a: [Float] = [], b: [Float] = []
        var c: [Float] = [1, 2, 3, 4]
        c.withUnsafeMutableBufferPointer { gemm(.none, .none, m: 2, n: 2, k: 0, a: a, lda: 0, b: b, ldb: 2, c: $0.baseAddress!, ldc: 2, accumulate: true) }
        #expect(c == [1, 2, 3, 4])
        c.withUnsafeMutableBufferPointer { gemm(.none, .none, m: 2, n: 2, k: 0, a: a, lda: 0, b: b, ldb: 2, c: $0.baseAddress!, ldc: 2, accumulate: false) }
        #expect(c == [0, 0, 0, 0])
    }

    @Test func resultIsBitIdenticalForAnyThreadCount() {
        var rng = SeededGenerator(seed: 3)
        for (m, n, k) in [(600, 100, 141), (40, 1500, 141), (18, 36, 13_000), (3000, 4, 700)] {
            let a = (0..<m * k).map { _ in rng.nextUniform(-1, 1) }
            let b = (0..<k * n).map { _ in rng.nextUniform(-1, 1) }
            #expect(m * n * k >= gemmParallelThreshold)
            var results: [[Float]] = []
            for threads in [1, 2, 3] {
                var c = [Float](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer { output in
                    Parallel.withThreads(threads) {
                        gemm(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: output.baseAddress!, ldc: n,
                             accumulate: false)
                    }
                }
                results.append(c)
            }
            #expect(results[0] == results[1] && results[1] == results[2])
        }
    }
}
