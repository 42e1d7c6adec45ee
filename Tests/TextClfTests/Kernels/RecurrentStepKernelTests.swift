import CKernels
import Testing
@testable import TextClf

/// The fused GRU steps and the LSTM and Elman backward steps, at every level this CPU has,
/// against plain Swift loops of the same operations in the same order (Swift never fuses a
/// product and a sum, so these are the bits the kernels promise).
@Suite("recurrent step kernels")
struct RecurrentStepKernelTests {
    /// Row counts × hidden sizes: one lane, tails of the 8- and 16-lane blocks, whole blocks.
    static let shapes = [(1, 1), (3, 7), (2, 16), (5, 19), (4, 128)]

    private func values(_ count: Int, _ rng: inout SeededGenerator, _ low: Float, _ high: Float) -> [Float] {
        (0..<count).map { _ in rng.nextUniform(low, high) }
    }

    @Test(arguments: shapes)
    func lstmBackwardMatchesTheScalarLoopAtEveryLevel(shape: (Int, Int)) {
        let (rows, H) = shape
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + H))
        let gates = values(rows * 4 * H, &rng, 0, 1), tanhC = values(rows * H, &rng, -1, 1)
        let cPrevious = values(rows * H, &rng, -3, 3), dh = values(rows * H, &rng, -2, 2)
        let dcIn = values(rows * H, &rng, -2, 2)
        for previous in [nil, cPrevious] {
            var expectedGates = [Float](repeating: 0, count: rows * 4 * H), expectedC = dcIn
            for r in 0..<rows {
                for j in 0..<H {
                    let i = gates[r * 4 * H + j], f = gates[r * 4 * H + H + j]
                    let g = gates[r * 4 * H + 2 * H + j], o = gates[r * 4 * H + 3 * H + j]
                    let t = tanhC[r * H + j], d = dh[r * H + j], cp = previous?[r * H + j] ?? 0
                    let dc = expectedC[r * H + j] + d * o * (1 - t * t)
                    expectedGates[r * 4 * H + j] = dc * g * i * (1 - i)
                    expectedGates[r * 4 * H + H + j] = dc * f * (1 - f) * cp
                    expectedGates[r * 4 * H + 2 * H + j] = dc * i * (1 - g * g)
                    expectedGates[r * 4 * H + 3 * H + j] = d * t * o * (1 - o)
                    expectedC[r * H + j] = dc * f
                }
            }
            for isa in instructionSetsOfThisCPU {
                var dGates = [Float](repeating: .nan, count: rows * 4 * H), dc = dcIn
                dGates.withUnsafeMutableBufferPointer { dg in
                    dc.withUnsafeMutableBufferPointer { dcp in
                        withOptionalPointer(previous) { cp in
                            ckernels_lstm_backward_isa(isa, Int64(rows), Int64(H), gates, tanhC, cp, dh,
                                                       dg.baseAddress!, dcp.baseAddress!)
                        }
                    }
                }
                let what = "level \(isa), \(rows)×\(H), previous state \(previous != nil)"
                #expect(bits(dGates) == bits(expectedGates), "\(what): gate gradients")
                #expect(bits(dc) == bits(expectedC), "\(what): cell gradient")
            }
        }
    }

    /// The GRU forward step as the unfused passes: sums, the activation kernels of `isa`, then
    /// plain products and sums.
    private func unfusedGRUForward(isa: Int32, rows: Int, H: Int, gates: [Float], projection: [Float],
                                   hPrevious: [Float]?) -> (gates: [Float], hn: [Float], h: [Float]) {
        var gates = gates
        var hn = [Float](repeating: 0, count: rows * H), h = hn
        gates.withUnsafeMutableBufferPointer { g in
            for r in 0..<rows {
                let row = g.baseAddress! + r * 3 * H
                for j in 0..<2 * H { row[j] += projection[r * 3 * H + j] }
                ckernels_sigmoid_isa(isa, row, Int64(2 * H))
                for j in 0..<H {
                    hn[r * H + j] = projection[r * 3 * H + 2 * H + j]
                    row[2 * H + j] += row[j] * hn[r * H + j]
                }
                ckernels_tanh_isa(isa, row + 2 * H, Int64(H))
                for j in 0..<H {
                    let z = row[H + j], n = row[2 * H + j]
                    h[r * H + j] = hPrevious.map { (1 - z) * n + z * $0[r * H + j] } ?? (1 - z) * n
                }
            }
        }
        return (gates, hn, h)
    }

    @Test(arguments: shapes)
    func gruForwardEqualsSeparatePassesAtEveryLevel(shape: (Int, Int)) {
        let (rows, H) = shape
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + H + 7))
        let gates = values(rows * 3 * H, &rng, -6, 6), projection = values(rows * 3 * H, &rng, -3, 3)
        let hPrevious = values(rows * H, &rng, -1, 1)
        for isa in instructionSetsOfThisCPU {
            for previous in [nil, hPrevious] {
                let expected = unfusedGRUForward(isa: isa, rows: rows, H: H, gates: gates, projection: projection,
                                                 hPrevious: previous)
                var g = gates
                var hn = [Float](repeating: .nan, count: rows * H), h = hn
                g.withUnsafeMutableBufferPointer { gp in
                    hn.withUnsafeMutableBufferPointer { hnp in
                        h.withUnsafeMutableBufferPointer { hp in
                            withOptionalPointer(previous) { prev in
                                ckernels_gru_forward_isa(isa, Int64(rows), Int64(H), gp.baseAddress!, projection, prev,
                                                         hnp.baseAddress!, hp.baseAddress!)
                            }
                        }
                    }
                }
                let what = "level \(isa), \(rows)×\(H), previous output \(previous != nil)"
                #expect(bits(g) == bits(expected.gates), "\(what): gates")
                #expect(bits(hn) == bits(expected.hn), "\(what): W_hn h + b_hn")
                #expect(bits(h) == bits(expected.h), "\(what): h")
            }
        }
    }

    @Test(arguments: shapes)
    func gruBackwardMatchesTheScalarLoopAtEveryLevel(shape: (Int, Int)) {
        let (rows, H) = shape
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + H + 13))
        let gates = values(rows * 3 * H, &rng, -1, 1), hn = values(rows * H, &rng, -3, 3)
        let hPrevious = values(rows * H, &rng, -1, 1), dh = values(rows * H, &rng, -2, 2)
        let dhPreviousIn = values(rows * H, &rng, -2, 2)
        for previous in [nil, hPrevious] {
            var expectedGates = [Float](repeating: 0, count: rows * 3 * H), expectedProjection = expectedGates
            var expectedPrevious = dhPreviousIn
            for row in 0..<rows {
                for j in 0..<H {
                    let r = gates[row * 3 * H + j], z = gates[row * 3 * H + H + j], n = gates[row * 3 * H + 2 * H + j]
                    let d = dh[row * H + j], hp = previous?[row * H + j] ?? 0
                    let dz = d * (hp - n) * z * (1 - z)
                    expectedPrevious[row * H + j] += d * z
                    let dn = d * (1 - z) * (1 - n * n)
                    let dr = dn * hn[row * H + j] * r * (1 - r)
                    for (k, v) in [dr, dz, dn].enumerated() { expectedGates[row * 3 * H + k * H + j] = v }
                    for (k, v) in [dr, dz, dn * r].enumerated() { expectedProjection[row * 3 * H + k * H + j] = v }
                }
            }
            for isa in instructionSetsOfThisCPU {
                var dGates = [Float](repeating: .nan, count: rows * 3 * H), dProjection = dGates
                var dhPrevious = dhPreviousIn
                dGates.withUnsafeMutableBufferPointer { dg in
                    dProjection.withUnsafeMutableBufferPointer { dp in
                        dhPrevious.withUnsafeMutableBufferPointer { dhp in
                            withOptionalPointer(previous) { prev in
                                // At t = 0 there is no h_{t−1} and no gradient to send it.
                                ckernels_gru_backward_isa(isa, Int64(rows), Int64(H), gates, hn, prev, dh,
                                                          prev == nil ? nil : dhp.baseAddress!,
                                                          dg.baseAddress!, dp.baseAddress!)
                            }
                        }
                    }
                }
                let what = "level \(isa), \(rows)×\(H), previous output \(previous != nil)"
                #expect(bits(dGates) == bits(expectedGates), "\(what): gate gradients")
                #expect(bits(dProjection) == bits(expectedProjection), "\(what): projection gradients")
                #expect(bits(dhPrevious) == bits(previous == nil ? dhPreviousIn : expectedPrevious), "\(what): dh_{t−1}")
            }
        }
    }

    @Test(arguments: [1, 7, 16, 19, 300])
    func tanhBackwardMatchesTheScalarLoopAtEveryLevel(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        // Outputs near ±1 included, where the factored 1 − h² matters.
        let h = values(count, &rng, -1, 1).enumerated().map { $0.offset % 5 == 0 ? ($0.element < 0 ? -0.9999999 : 0.9999999) : $0.element }
        let dh = values(count, &rng, -2, 2)
        let expected = (0..<count).map { dh[$0] * ((1 - h[$0]) * (1 + h[$0])) }
        for isa in instructionSetsOfThisCPU {
            var da = [Float](repeating: .nan, count: count)
            da.withUnsafeMutableBufferPointer { ckernels_tanh_backward_isa(isa, Int64(count), h, dh, $0.baseAddress!) }
            #expect(bits(da) == bits(expected), "level \(isa), \(count) values")
        }
    }

    private func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    private func withOptionalPointer<R>(_ x: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let x else { return body(nil) }
        return x.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
