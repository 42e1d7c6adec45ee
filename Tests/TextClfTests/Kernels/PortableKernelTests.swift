import CKernels
import Foundation
import Testing
@_spi(Internals) @testable import TextClf

/// The portable fallbacks, which this machine never takes through the public entry points
/// unless TEXTCLF_ISA says so: each must agree with the reference or the fast path. (The
/// portable product and activations are checked with the other levels in GemmTests and
/// ActivationKernelTests.)
@Suite("portable kernels")
struct PortableKernelTests {
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
