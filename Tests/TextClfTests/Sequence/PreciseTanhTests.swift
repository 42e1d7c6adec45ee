import CKernels
import Foundation
import Testing
@testable import TextClf

@Suite("precise tanh")
struct PreciseTanhTests {
    /// A dense sweep of [−20, 20] (finer where the kernel switches method, around 0.3) and
    /// special values.
    static let inputs: [Float] = {
        var values = (-50_000...50_000).map { Float($0) * 4e-4 }
        values += (0...100_000).map { Float($0) * 6e-6 }
        values += [0, -0, 1e-30, -1e-8, 5e-5, 1e-4, 0.3, 0.29999998, 9, 9.05, 9.1, 30, -100, .greatestFiniteMagnitude]
        return values
    }()

    @Test(arguments: instructionSetsOfThisCPU)
    func staysWithinSixTenthsOfAnUlp(isa: Int32) {
        var computed = Self.inputs
        computed.withUnsafeMutableBufferPointer { ckernels_tanh_precise_isa(isa, $0.baseAddress!, Int64($0.count)) }
        var worst = 0.0, mismatches = 0
        for (x, y) in zip(Self.inputs, computed) {
            let exact = Foundation.tanh(Double(x))
            let rounded = Float(exact)
            let ulp = Double(rounded == 0 ? Float.leastNonzeroMagnitude : rounded.magnitude.ulp)
            worst = max(worst, abs(Double(y) - exact) / ulp)
            if y != rounded { mismatches += 1 }
        }
        print("KERNEL precise tanh level \(isa) worst \(worst) ulp, \(mismatches) of \(Self.inputs.count) not correctly rounded")
        #expect(worst <= 0.6, "level \(isa): worst error \(worst) ulp")
        #expect(mismatches <= Self.inputs.count / 100, "level \(isa): \(mismatches) values not correctly rounded")
    }

    @Test(.enabled(if: instructionSetsOfThisCPU.contains(Int32(CKERNELS_ISA_AVX512)), "needs AVX-512"))
    func avx512AndAVX2AgreeBitForBit() {
        var wide = Self.inputs, narrow = Self.inputs
        wide.withUnsafeMutableBufferPointer { ckernels_tanh_precise_isa(Int32(CKERNELS_ISA_AVX512), $0.baseAddress!, Int64($0.count)) }
        narrow.withUnsafeMutableBufferPointer { ckernels_tanh_precise_isa(Int32(CKERNELS_ISA_AVX2), $0.baseAddress!, Int64($0.count)) }
        #expect(wide.map(\.bitPattern) == narrow.map(\.bitPattern))
    }

    @Test func entryPointUsesTheLevelInUse() {
        var viaSwift = Self.inputs, viaKernel = Self.inputs
        viaSwift.withUnsafeMutableBufferPointer { preciseTanhInPlace($0.baseAddress!, count: $0.count) }
        viaKernel.withUnsafeMutableBufferPointer { ckernels_tanh_precise_isa(ckernels_isa(), $0.baseAddress!, Int64($0.count)) }
        #expect(viaSwift.map(\.bitPattern) == viaKernel.map(\.bitPattern))
    }
}
