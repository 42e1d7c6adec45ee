import CKernels
import FMAPeak
import Foundation
@_spi(Internals) import TextClf

// The int8 product (`Int8Matrix.multiply`: quantize the input rows, int8 GEMM, scale back to
// float) on the model's shapes, against the fp32 `gemm` on the same shapes and the core's VNNI
// peak, measured in the same run.

/// The VNNI peak in GOP/s that bounds `kernel` (median of 5), or nil for a kernel without VNNI.
func vnniPeak(for kernel: Int8Kernel) -> Double? {
    let bits: Int32
    switch kernel {
    case .avx512VNNI: bits = 512
    case .avxVNNI: bits = 256
    case .portable, .avx2, .vnni256EVEX: return nil
    }
    let runs = (0..<5).map { _ in vnni_peak_gops(bits, 20_000_000) }.sorted()
    return runs[2] > 0 ? runs[2] : nil
}

/// y = x·Wᵀ for x [B, In] and W [Out, In], int8 against fp32: 1 thread in thread CPU time (GOP/s,
/// 2 ops per multiply-add, for both), then 2 threads in wall time.
func benchmarkInt8(threadCounts: [Int]) {
    let current = Int8Kernel.current
    // The process's kernel, and the AVX2 kernel beside it to show what VNNI brings.
    let kernels = current.usesVNNI && Int8Kernel.avx2.isSupported ? [current, .avx2] : [current]
    let peak = vnniPeak(for: current)
    let fp32Level = vectorLevels.last?.isa ?? Int32(CKERNELS_ISA_PORTABLE)
    let fp32Name = vectorLevels.last?.name ?? "portable"
    print("\nint8 products (Int8Matrix.multiply: input quantization + int8 GEMM + float scaling) against fp32 gemm (\(fp32Name)), x [B, In]·Wᵀ [In, Out]")
    if let peak {
        print(String(format: "int8 kernel %@; one core's VNNI peak (median of 5, thread CPU time) %.1f GOP/s", current.name, peak))
    } else {
        print("int8 kernel \(current.name): no VNNI on this CPU (or TEXTCLF_ISA caps it), so no VNNI peak to compare with")
    }
    var header = "shape (B×In·In×Out)     fp32 GFLOP/s"
    for kernel in kernels { header += " " + "\(kernel.name) GOP/s".leftPadded(18) + "  ×fp32" }
    header += "  % VNNI peak" + threadCounts.filter { $0 > 1 }.map { "   \($0)T fp32   \($0)T int8" }.joined()
    print(header)
    var rng = SeededGenerator(seed: 4)
    for batch in [64, 512] {
        for inputs in [128, 512] {
            for outputs in [64, 128, 256, 512] {
                let x = (0..<batch * inputs).map { _ in rng.nextUniform(-1, 1) }
                let w = Matrix(rows: outputs, cols: inputs, storage: (0..<outputs * inputs).map { _ in rng.nextUniform(-1, 1) })
                let quantized = Int8Matrix(quantizing: w)
                var y = [Float](repeating: 0, count: batch * outputs)
                let ops = 2 * Double(batch * inputs * outputs)
                let fp32 = {
                    y.withUnsafeMutableBufferPointer { out in
                        gemm(.none, .transposed, m: batch, n: outputs, k: inputs, a: x, lda: inputs, b: w.storage, ldb: inputs,
                             c: out.baseAddress!, ldc: outputs, accumulate: false, instructionSet: fp32Level)
                    }
                }
                func int8(_ kernel: Int8Kernel) -> () -> Void {
                    {
                        y.withUnsafeMutableBufferPointer { out in
                            quantized.multiply(input: x, inputStride: inputs, batch: batch, into: out.baseAddress!,
                                               outputStride: outputs, bias: nil, kernel: kernel)
                        }
                    }
                }
                let fp32Rate = ops / Parallel.withThreads(1) { medianThreadCPUSeconds(fp32) } / 1e9
                var line = "\(batch)×\(inputs)·\(inputs)×\(outputs)".padding(toLength: 21, withPad: " ", startingAt: 0)
                line += String(format: "%15.1f", fp32Rate)
                var currentRate = 0.0
                for kernel in kernels {
                    let rate = ops / Parallel.withThreads(1) { medianThreadCPUSeconds(int8(kernel)) } / 1e9
                    if kernel == current { currentRate = rate }
                    line += String(format: " %18.1f %6.2f", rate, rate / fp32Rate)
                }
                line += peak.map { String(format: " %11.0f%%", 100 * currentRate / $0) } ?? "            -"
                for threads in threadCounts where threads > 1 {
                    let fp32Wall = ops / Parallel.withThreads(threads) { medianSeconds(fp32) } / 1e9
                    let int8Wall = ops / Parallel.withThreads(threads) { medianSeconds(int8(current)) } / 1e9
                    line += String(format: " %10.1f %10.1f", fp32Wall, int8Wall)
                }
                print(line)
            }
        }
    }
}

extension String {
    /// The string right-aligned in `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
