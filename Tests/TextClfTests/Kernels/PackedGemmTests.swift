import CKernels
import Testing
@_spi(Internals) @testable import TextClf

@Suite("gemm with pre-packed B")
struct PackedGemmTests {
    /// C from the packed product: B packed from the form `tb` (the same values either way), A
    /// read in the form `ta`, on level `isa`; C starts as `c0`.
    private func packedProduct(_ ta: Transpose, _ tb: Transpose, m M: Int, n N: Int, k K: Int,
                               a: [Float], b: [Float], c0: [Float], accumulate: Bool, isa: Int32) -> [Float] {
        let lda = ta == .none ? K : M, ldb = tb == .none ? N : K
        let packed = b.withUnsafeBufferPointer {
            PackedGemmOperand(tb, n: N, k: K, b: $0.baseAddress!, ldb: ldb, transposeA: ta, instructionSet: isa)
        }
        var c = c0
        c.withUnsafeMutableBufferPointer {
            gemm(m: M, a: a, lda: lda, packed: packed, c: $0.baseAddress!, ldc: N, accumulate: accumulate)
        }
        return c
    }

    /// Bᵀ of a row-major [K, N] matrix, row-major [N, K].
    private func transpose(_ b: [Float], k K: Int, n N: Int) -> [Float] {
        (0..<N * K).map { index in b[(index % K) * N + index / K] }
    }

    @Test(arguments: [(1, 1, 1), (5, 3, 7), (1, 4, 300), (7, 16, 9), (1, 17, 64), (13, 33, 257),
                      (1, 512, 128), (64, 512, 128), (7, 530, 300), (10, 128, 512), (6, 1100, 20), (9, 100, 70)])
    func packedProductIsBitIdenticalToTheUnpackedOne(shape: (Int, Int, Int)) {
        let (M, N, K) = shape
        var rng = SeededGenerator(seed: UInt64(M * 1_000_003 + N * 1009 + K))
        let a = (0..<M * K).map { _ in rng.nextUniform(-1, 1) }
        let b = (0..<K * N).map { _ in rng.nextUniform(-1, 1) }
        let bT = transpose(b, k: K, n: N)
        let c0 = (0..<M * N).map { _ in rng.nextUniform(-1, 1) }
        for isa in instructionSetsOfThisCPU {
            for ta in [Transpose.none, .transposed] {
                // The same logical op(A) either way: A or its stored transpose.
                let storedA = ta == .none ? a : transpose(a, k: M, n: K)
                for accumulate in [false, true] {
                    var expected = c0
                    expected.withUnsafeMutableBufferPointer {
                        gemm(ta, .none, m: M, n: N, k: K, a: storedA, lda: ta == .none ? K : M, b: b, ldb: N,
                             c: $0.baseAddress!, ldc: N, accumulate: accumulate, instructionSet: isa)
                    }
                    for (tb, storedB) in [(Transpose.none, b), (.transposed, bT)] {
                        let packed = packedProduct(ta, tb, m: M, n: N, k: K, a: storedA, b: storedB, c0: c0,
                                                   accumulate: accumulate, isa: isa)
                        #expect(packed == expected, "level \(isa), A \(ta), B packed from \(tb), \(M)×\(N)×\(K), accumulate \(accumulate)")
                    }
                }
            }
        }
    }

    @Test func packedProductIsBitIdenticalForAnyThreadCount() {
        let (M, N, K) = (700, 512, 128)
        var rng = SeededGenerator(seed: 5)
        let a = (0..<M * K).map { _ in rng.nextUniform(-1, 1) }
        let b = (0..<K * N).map { _ in rng.nextUniform(-1, 1) }
        #expect(M * N * K >= gemmParallelThreshold)
        for isa in instructionSetsOfThisCPU {
            let results = [1, 2, 3].map { threads in
                Parallel.withThreads(threads) {
                    packedProduct(.none, .none, m: M, n: N, k: K, a: a, b: b, c0: [Float](repeating: 0, count: M * N),
                                  accumulate: false, isa: isa)
                }
            }
            #expect(results[0] == results[1] && results[1] == results[2], "level \(isa)")
        }
    }
}
