import CKernels
import Testing
@testable import TextClf

@Suite("fused LSTM step kernel")
struct LSTMKernelTests {
    /// The step as separate passes: the activation kernels of `isa` over the gate rows, then
    /// c = f·c' + i·g, tanh c and h = o·tanh c.
    private func unfused(isa: Int32, rows: Int, H: Int, gates: [Float], cPrevious: [Float]?)
        -> (gates: [Float], c: [Float], tanhC: [Float], h: [Float]) {
        var gates = gates
        var c = [Float](repeating: 0, count: rows * H), h = c
        gates.withUnsafeMutableBufferPointer { g in
            for r in 0..<rows {
                let row = g.baseAddress! + r * 4 * H
                ckernels_sigmoid_isa(isa, row, Int64(2 * H))
                ckernels_tanh_isa(isa, row + 2 * H, Int64(H))
                ckernels_sigmoid_isa(isa, row + 3 * H, Int64(H))
            }
        }
        for r in 0..<rows {
            for j in 0..<H {
                let i = gates[r * 4 * H + j], f = gates[r * 4 * H + H + j], g = gates[r * 4 * H + 2 * H + j]
                let product = i * g
                c[r * H + j] = cPrevious.map { f * $0[r * H + j] + product } ?? product
            }
        }
        var tanhC = c
        tanhC.withUnsafeMutableBufferPointer { ckernels_tanh_isa(isa, $0.baseAddress!, Int64($0.count)) }
        for r in 0..<rows {
            for j in 0..<H { h[r * H + j] = gates[r * 4 * H + 3 * H + j] * tanhC[r * H + j] }
        }
        return (gates, c, tanhC, h)
    }

    @Test(arguments: [(1, 1), (3, 7), (2, 16), (5, 19), (4, 128)])
    func fusedStepEqualsSeparatePassesAtEveryLevel(shape: (Int, Int)) {
        let (rows, H) = shape
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + H))
        let gates = (0..<rows * 4 * H).map { _ in rng.nextUniform(-6, 6) }
        let cPrevious = (0..<rows * H).map { _ in rng.nextUniform(-3, 3) }
        for isa in instructionSetsOfThisCPU {
            for previous in [nil, cPrevious] {
                let expected = unfused(isa: isa, rows: rows, H: H, gates: gates, cPrevious: previous)
                var g = gates
                var c = [Float](repeating: 0, count: rows * H), tanhC = c, h = c
                g.withUnsafeMutableBufferPointer { gp in
                    c.withUnsafeMutableBufferPointer { cp in
                        tanhC.withUnsafeMutableBufferPointer { tp in
                            h.withUnsafeMutableBufferPointer { hp in
                                if let previous {
                                    previous.withUnsafeBufferPointer {
                                        ckernels_lstm_forward_isa(isa, Int64(rows), Int64(H), gp.baseAddress!, $0.baseAddress!,
                                                                  cp.baseAddress!, tp.baseAddress!, hp.baseAddress!)
                                    }
                                } else {
                                    ckernels_lstm_forward_isa(isa, Int64(rows), Int64(H), gp.baseAddress!, nil,
                                                              cp.baseAddress!, tp.baseAddress!, hp.baseAddress!)
                                }
                            }
                        }
                    }
                }
                let what = "level \(isa), \(rows)×\(H), previous state \(previous != nil)"
                #expect(g == expected.gates, "\(what): gates")
                #expect(c == expected.c, "\(what): c")
                #expect(tanhC == expected.tanhC, "\(what): tanh c")
                #expect(h == expected.h, "\(what): h")
            }
        }
    }
}
