import CKernels
import Foundation
import Testing
@testable import TextClf

/// The kernels' stated error bounds, measured on dense sweeps against Double, on every level
/// this CPU has (portable, AVX2, AVX-512), and through the entry points layers call.
@Suite("activation kernels")
struct ActivationKernelTests {
    private func sweep(_ low: Float, _ high: Float, count: Int) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    /// The worst relative error of `kernel` on `input`, through the entry point layers call and
    /// on each level of this CPU (which must give the same values as each other where stated).
    private func worstRelative(_ label: String, _ input: [Float], kernel: (Int32, UnsafeMutablePointer<Float>, Int64) -> Void,
                               entryPoint: (UnsafeMutablePointer<Float>, Int) -> Void,
                               exact: (Double) -> Double, floor: Double) -> Double {
        var worst = 0.0
        var outputs: [Int32: [Float]] = [:]
        for isa in [nil] + instructionSetsOfThisCPU.map(Optional.some) {
            var values = input
            values.withUnsafeMutableBufferPointer { buffer in
                if let isa { kernel(isa, buffer.baseAddress!, Int64(buffer.count)) } else { entryPoint(buffer.baseAddress!, buffer.count) }
            }
            if let isa { outputs[isa] = values }
            var worstHere = 0.0
            for (x, y) in zip(input, values) {
                let e = exact(Double(x))
                worstHere = max(worstHere, abs(Double(y) - e) / max(abs(e), floor))
            }
            print("KERNEL \(label) level \(isa.map(String.init) ?? "in use") worst relative error \(worstHere)")
            worst = max(worst, worstHere)
        }
        if let avx512 = outputs[Int32(CKERNELS_ISA_AVX512)] {
            #expect(avx512 == outputs[Int32(CKERNELS_ISA_AVX2)], "\(label): AVX-512 and AVX2 values differ")
        }
        return worst
    }

    @Test func expIsWithinThreeTenMillionths() {
        let input = sweep(-87, 88, count: 200_003) + [0.5, -3]  // an odd length: the masked tail
        let worst = worstRelative("exp on [-87, 88]", input, kernel: ckernels_exp_isa,
                                  entryPoint: { expInPlace($0, count: $1) }, exact: { Foundation.exp($0) }, floor: 0)
        #expect(worst <= 3e-7, "exp worst relative error \(worst)")
    }

    @Test func sigmoidIsWithinFourTenMillionths() {
        let worst = worstRelative("sigmoid on [-80, 80]", sweep(-80, 80, count: 200_003), kernel: ckernels_sigmoid_isa,
                                  entryPoint: { sigmoidInPlace($0, count: $1) }, exact: { 1 / (1 + Foundation.exp(-$0)) }, floor: 0)
        #expect(worst <= 4e-7, "sigmoid worst relative error \(worst)")
    }

    @Test func tanhIsWithinFourTenMillionths() {
        let input = sweep(-12, 12, count: 200_003) + sweep(-0.4, 0.4, count: 50_001) + [0, -0, 1e-30, 100, -100]
        let worst = worstRelative("tanh on [-12, 12]", input, kernel: ckernels_tanh_isa,
                                  entryPoint: { tanhInPlace($0, count: $1) }, exact: { Foundation.tanh($0) }, floor: 0)
        #expect(worst <= 4e-7, "tanh worst relative error \(worst)")
    }

    @Test(arguments: instructionSetsOfThisCPU)
    func extremeInputsSaturateWithoutNaN(isa: Int32) {
        var values: [Float] = [-1000, -100, 0, 100, 1000, .infinity, -.infinity]
        var s = values, t = values
        s.withUnsafeMutableBufferPointer { ckernels_sigmoid_isa(isa, $0.baseAddress!, Int64($0.count)) }
        t.withUnsafeMutableBufferPointer { ckernels_tanh_isa(isa, $0.baseAddress!, Int64($0.count)) }
        values.withUnsafeMutableBufferPointer { ckernels_exp_isa(isa, $0.baseAddress!, Int64($0.count)) }
        #expect(s.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(s[2] == 0.5 && s[4] == 1 && s[0] < 1e-37)
        #expect(t == [-1, -1, 0, 1, 1, 1, -1])
        #expect(values.allSatisfy { !$0.isNaN })
    }
}
