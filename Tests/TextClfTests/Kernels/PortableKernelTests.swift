import CKernels
import Foundation
import Testing
@_spi(Internals) @testable import TextClf

/// The portable fallbacks, which this machine never takes through the public entry points
/// unless TEXTCLF_ISA says so: each must agree with the reference or the fast path. (The
/// portable product is checked with the others in GemmTests.)
@Suite("portable kernels")
struct PortableKernelTests {
    @Test func portableActivationsMatchDouble() {
        let input = (0..<20_001).map { Float($0 - 10_000) / 500 }
        for (kernel, exact) in [(ckernels_portable_exp, { (x: Double) in Foundation.exp(x) }),
                                (ckernels_portable_sigmoid, { 1 / (1 + Foundation.exp(-$0)) }),
                                (ckernels_portable_tanh, { Foundation.tanh($0) })] {
            var values = input
            values.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, Int64($0.count)) }
            let worst = zip(input, values).map { abs(Double($1) - exact(Double($0))) / max(abs(exact(Double($0))), 1e-30) }.max()!
            #expect(worst <= 4e-7, "worst relative error \(worst)")
        }
    }

    @Test func portableRowKernelsEqualTheFastOnes() {
        var rng = SeededGenerator(seed: 42)
        let D = 45, V = 30
        let table = (0..<V * D).map { _ in rng.nextUniform(-1, 1) }
        let ids = (0..<50).map { _ in Int(rng.next() % UInt64(V)) }
        var fast = [Float](repeating: 0.5, count: D), portable = fast
        ckernels_gather_add(table, Int64(D), ids, Int64(ids.count), &fast)
        ckernels_portable_gather_add(table, Int64(D), ids, Int64(ids.count), &portable)
        #expect(fast == portable)

        let source = (0..<ids.count * D).map { _ in rng.nextUniform(-1, 1) }
        func accumulate(_ kernel: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int>, Int64, UnsafeMutablePointer<Float>, Int64,
                                   UnsafePointer<Int>, Int64, UnsafePointer<Float>, Int64) -> Int64) -> ([Int], [Float]) {
            var slots = [Int32](repeating: -1, count: V), rows = [Int](repeating: 0, count: ids.count)
            var values = [Float](repeating: 0, count: ids.count * D)
            let count = kernel(&slots, &rows, 0, &values, Int64(D), ids, Int64(ids.count), source, Int64(D))
            return (Array(rows[0..<Int(count)]), Array(values[0..<Int(count) * D]))
        }
        let a = accumulate(ckernels_sparse_accumulate), b = accumulate(ckernels_portable_sparse_accumulate)
        #expect(a.0 == b.0 && a.1 == b.1)
        #expect(!a.0.contains(0) && Set(a.0) == Set(ids.filter { $0 != 0 }))
    }
}
