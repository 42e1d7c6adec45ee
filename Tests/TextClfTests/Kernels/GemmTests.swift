import CKernels
import Foundation
import Testing
@_spi(Internals) @testable import TextClf

/// Every kernel level this CPU has (portable, AVX2, AVX-512), whatever TEXTCLF_ISA says.
let instructionSetsOfThisCPU = Array(Int32(CKERNELS_ISA_PORTABLE)...ckernels_isa_supported())

@Suite("gemm")
struct GemmTests {
    /// The largest error a correct kernel may make on one element of C, in units of
    /// u·(√K + 2)·(Σₚ|aᵢₚ·bₚⱼ| + |c₀ᵢⱼ|), u = 2⁻²⁴ (c₀ counts only when accumulating).
    ///
    /// Rounding errors of a Float sum of K products grow like √K times the size of the terms
    /// (the worst case, K·u·Σ|a·b|, needs every rounding to go the same way), and the fast and
    /// the reference result are each rounded once more at the end (the 2). The worst error
    /// measured over every case below is 0.64 of that unit (7×17×9, A·Bᵀ, accumulating); 2 leaves
    /// three times as much. A kernel that loses precision fails: a product of inputs rounded to
    /// 11 significant bits, as half precision keeps, reaches 68 (see
    /// `boundRejectsAProductOfHalfPrecisionInputs`) and passed the former bound, (K + 2)·K·1.2e-7,
    /// at 0.57 of it; that bound was about 1000 times the worst error of a correct kernel at
    /// K = 257 and 36000 times at K = 600.
    static let allowedErrorRatio = 2.0

    /// Operands for an M×N×K product in the given forms, stored with `pad` extra columns
    /// (strides larger than the logical widths), values uniform in ±1.
    private struct Operands {
        let ta: Transpose, tb: Transpose, M: Int, N: Int, K: Int
        let lda: Int, ldb: Int, ldc: Int
        let a: [Float], b: [Float], c0: [Float]

        init(_ ta: Transpose, _ tb: Transpose, m M: Int, n N: Int, k K: Int, pad: Int, seed: UInt64) {
            var rng = SeededGenerator(seed: seed)
            let aRows = ta == .none ? M : K, aCols = ta == .none ? K : M
            let bRows = tb == .none ? K : N, bCols = tb == .none ? N : K
            (self.ta, self.tb, self.M, self.N, self.K) = (ta, tb, M, N, K)
            (lda, ldb, ldc) = (aCols + pad, bCols + pad, N + pad)
            a = (0..<aRows * lda).map { _ in rng.nextUniform(-1, 1) }
            b = (0..<bRows * ldb).map { _ in rng.nextUniform(-1, 1) }
            c0 = (0..<M * ldc).map { _ in rng.nextUniform(-1, 1) }
        }

        func a(_ i: Int, _ p: Int) -> Float { ta == .none ? a[i * lda + p] : a[p * lda + i] }
        func b(_ p: Int, _ j: Int) -> Float { tb == .none ? b[p * ldb + j] : b[j * ldb + p] }

        /// C after `product` ran on these operands (`a`, `b` as given, C starting as c₀).
        func run(accumulate: Bool, a: [Float]? = nil, b: [Float]? = nil,
                 _ product: (Transpose, Transpose, Int, Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
                             UnsafeMutablePointer<Float>, Int, Bool) -> Void) -> [Float] {
            var c = c0
            c.withUnsafeMutableBufferPointer { product(ta, tb, M, N, K, a ?? self.a, lda, b ?? self.b, ldb, $0.baseAddress!, ldc, accumulate) }
            return c
        }

        /// The worst error of `result` against `reference` over C's logical elements, as a
        /// multiple of u·(√K + 2)·(Σₚ|aᵢₚ·bₚⱼ| + |c₀ᵢⱼ|).
        func worstErrorRatio(_ result: [Float], _ reference: [Float], accumulate: Bool) -> Double {
            let u = Double(Float.ulpOfOne) / 2
            var worst = 0.0
            for i in 0..<M {
                for j in 0..<N {
                    var terms = 0.0
                    for p in 0..<K { terms += abs(Double(a(i, p)) * Double(b(p, j))) }
                    let scale = u * (Double(K).squareRoot() + 2) * (terms + (accumulate ? abs(Double(c0[i * ldc + j])) : 0))
                    let error = abs(Double(result[i * ldc + j]) - Double(reference[i * ldc + j]))
                    worst = max(worst, scale > 0 ? error / scale : (error > 0 ? .infinity : 0))
                }
            }
            return worst
        }
    }

    /// `gemm` on the kernels of level `isa`.
    private static func fast(_ isa: Int32) -> (Transpose, Transpose, Int, Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
                                              UnsafeMutablePointer<Float>, Int, Bool) -> Void {
        { ta, tb, M, N, K, a, lda, b, ldb, c, ldc, accumulate in
            gemm(ta, tb, m: M, n: N, k: K, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, instructionSet: isa)
        }
    }

    private static func reference(_ ta: Transpose, _ tb: Transpose, _ M: Int, _ N: Int, _ K: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                                  _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        gemmReference(ta, tb, m: M, n: N, k: K, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
    }

    /// Runs the fast product on every kernel level of this CPU and the reference on the same
    /// operands and compares every element of C; the padding columns must stay untouched.
    private func compare(_ ta: Transpose, _ tb: Transpose, m M: Int, n N: Int, k K: Int,
                         accumulate: Bool, pad: Int = 0, seed: UInt64 = 1) {
        let operands = Operands(ta, tb, m: M, n: N, k: K, pad: pad, seed: seed)
        let reference = operands.run(accumulate: accumulate, Self.reference)
        for isa in instructionSetsOfThisCPU {
            compare(operands, isa: isa, accumulate: accumulate, reference: reference)
        }
        // The AVX-512 and AVX2 tiles sum each element by FMAs in the same order.
        if instructionSetsOfThisCPU.contains(Int32(CKERNELS_ISA_AVX512)) {
            #expect(operands.run(accumulate: accumulate, Self.fast(Int32(CKERNELS_ISA_AVX512)))
                    == operands.run(accumulate: accumulate, Self.fast(Int32(CKERNELS_ISA_AVX2))),
                    "\(ta)×\(tb) \(M)×\(N)×\(K) accumulate \(accumulate): AVX-512 and AVX2 products differ")
        }
    }

    private func compare(_ operands: Operands, isa: Int32, accumulate: Bool, reference: [Float]) {
        let (ta, tb, M, N, K) = (operands.ta, operands.tb, operands.M, operands.N, operands.K)
        let fast = operands.run(accumulate: accumulate, Self.fast(isa))
        for i in 0..<M {
            for j in N..<operands.ldc {
                #expect(fast[i * operands.ldc + j] == operands.c0[i * operands.ldc + j], "level \(isa): padding column \(j) of row \(i) was written")
            }
        }
        let worst = operands.worstErrorRatio(fast, reference, accumulate: accumulate)
        #expect(worst <= Self.allowedErrorRatio,
                "level \(isa), \(ta)×\(tb) \(M)×\(N)×\(K) accumulate \(accumulate): error \(worst) × u·(√K + 2)·(Σ|ab| + |c₀|)")
    }

    @Test func boundRejectsAProductOfHalfPrecisionInputs() {
        let operands = Operands(.none, .none, m: 13, n: 33, k: 257, pad: 0, seed: 1)
        // Keeps 11 significant bits, as half precision does.
        func rounded(_ values: [Float]) -> [Float] {
            values.map { Float(bitPattern: ($0.bitPattern &+ 0x0000_1000) & 0xFFFF_E000) }
        }
        let exact = operands.run(accumulate: false, Self.reference)
        let coarse = operands.run(accumulate: false, a: rounded(operands.a), b: rounded(operands.b), Self.reference)
        #expect(operands.worstErrorRatio(coarse, exact, accumulate: false) > 10 * Self.allowedErrorRatio)
    }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (6, 16, 8), (7, 17, 9), (6, 32, 8), (7, 33, 9), (12, 48, 17), (13, 33, 257),
                      (64, 64, 64), (7, 530, 300), (97, 20, 300), (2, 3, 600), (10, 4, 37), (8, 1, 9), (64, 4, 513), (5, 2, 7), (20, 100, 70)])
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
            compare(ta, tb, m: 9, n: 45, k: 300, accumulate: true, pad: 1, seed: 9)
        }
    }

    @Test func levelInUseIsTheWidestUnlessCapped() {
        #expect(instructionSetsOfThisCPU.contains(ckernels_isa()))
        if ProcessInfo.processInfo.environment["TEXTCLF_ISA"] == nil {
            #expect(ckernels_isa() == ckernels_isa_supported())
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
        for (m, n, k) in [(600, 100, 141), (40, 1500, 141), (18, 36, 13_000), (3000, 4, 700), (20, 3000, 141)] {
            let a = (0..<m * k).map { _ in rng.nextUniform(-1, 1) }
            let b = (0..<k * n).map { _ in rng.nextUniform(-1, 1) }
            #expect(m * n * k >= gemmParallelThreshold)
            for isa in instructionSetsOfThisCPU {
                var results: [[Float]] = []
                for threads in [1, 2, 3] {
                    var c = [Float](repeating: 0, count: m * n)
                    c.withUnsafeMutableBufferPointer { output in
                        Parallel.withThreads(threads) {
                            gemm(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: output.baseAddress!, ldc: n,
                                 accumulate: false, instructionSet: isa)
                        }
                    }
                    results.append(c)
                }
                #expect(results[0] == results[1] && results[1] == results[2], "level \(isa), \(m)×\(n)×\(k)")
            }
        }
    }
}
