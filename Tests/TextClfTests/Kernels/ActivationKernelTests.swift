import Foundation
import Testing
@testable import TextClf

/// The vectorized kernels' stated error bounds, measured on dense sweeps against Double.
@Suite("activation kernels")
struct ActivationKernelTests {
    private func sweep(_ low: Float, _ high: Float, count: Int) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    private func worstRelative(_ label: String, _ input: [Float], kernel: (UnsafeMutablePointer<Float>, Int) -> Void,
                               exact: (Double) -> Double, floor: Double) -> Double {
        var values = input
        values.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count) }
        var worst = 0.0
        for (x, y) in zip(input, values) {
            let e = exact(Double(x))
            worst = max(worst, abs(Double(y) - e) / max(abs(e), floor))
        }
        print("KERNEL \(label) worst relative error \(worst)")
        return worst
    }

    @Test func expIsWithinThreeTenMillionths() {
        let worst = worstRelative("exp on [-87, 88]", sweep(-87, 88, count: 200_003), kernel: { expInPlace($0, count: $1) }, exact: { Foundation.exp($0) }, floor: 0)
        #expect(worst <= 3e-7, "exp worst relative error \(worst)")
    }

    @Test func sigmoidIsWithinFourTenMillionths() {
        let worst = worstRelative("sigmoid on [-80, 80]", sweep(-80, 80, count: 200_003), kernel: { sigmoidInPlace($0, count: $1) },
                                  exact: { 1 / (1 + Foundation.exp(-$0)) }, floor: 0)
        #expect(worst <= 4e-7, "sigmoid worst relative error \(worst)")
    }

    @Test func tanhIsWithinFourTenMillionths() {
        let input = sweep(-12, 12, count: 200_003) + sweep(-0.4, 0.4, count: 50_001) + [0, -0, 1e-30, 100, -100]
        let worst = worstRelative("tanh on [-12, 12]", input, kernel: { tanhInPlace($0, count: $1) }, exact: { Foundation.tanh($0) }, floor: 0)
        #expect(worst <= 4e-7, "tanh worst relative error \(worst)")
    }

    @Test func extremeInputsSaturateWithoutNaN() {
        var values: [Float] = [-1000, -100, 0, 100, 1000, .infinity, -.infinity]
        var s = values, t = values
        s.withUnsafeMutableBufferPointer { sigmoidInPlace($0.baseAddress!, count: $0.count) }
        t.withUnsafeMutableBufferPointer { tanhInPlace($0.baseAddress!, count: $0.count) }
        values.withUnsafeMutableBufferPointer { expInPlace($0.baseAddress!, count: $0.count) }
        #expect(s.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(s[2] == 0.5 && s[4] == 1 && s[0] < 1e-37)
        #expect(t == [-1, -1, 0, 1, 1, 1, -1])
        #expect(values.allSatisfy { !$0.isNaN })
    }
}
