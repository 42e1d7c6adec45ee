import CKernels
import Foundation

/// A weight matrix W [R, C] in int8 with one float scale per row: W[r, c] ≈ q[r, c]·scale[r].
///
/// Quantization is symmetric per row: scale[r] = maxabs(W[r, :]) / 127 (1 for a row of
/// zeros, or when that quotient underflows to 0), q = round-half-even(W / scale) clamped to [−127, 127]; −128 never occurs, which keeps
/// the kernels' sign tricks exact. So |W − q·scale| ≤ scale/2 for every element.
///
/// ``multiply(_:bias:kernel:)`` computes y = x·Wᵀ (+ b) for x [B, C] by quantizing each row of
/// x the same way on the fly (sx[b] = maxabs(x[b, :]) / 127, xq = round-half-even(x·127/maxabs)),
/// summing the int8 products exactly in int32, then scaling back: y[b, r] = float(Σ_c xq[b, c]·q[r, c])·(scale[r]·sx[b]) + b[r].
/// The result is the same on every kernel (``Int8Kernel``) and for any thread count.
///
///     let weights = Int8Matrix(quantizing: linear.weight)   // [Out, In]
///     let y = weights.multiply(x, bias: linear.bias)        // x [B, In] → y [B, Out]
@_spi(Internals) public struct Int8Matrix: Equatable, Sendable {
    /// R, the number of rows (outputs of a product).
    public let rows: Int
    /// C, the number of columns (inputs of a product).
    public let cols: Int
    /// q [R, C], row-major, each in [−127, 127]: what a model file stores as the I8 tensor.
    public let values: [Int8]
    /// scale [R]: what a model file stores as the F32 tensor `NAME.scale`.
    public let scales: [Float]

    /// q in the kernels' layout: panels of 16 rows, 4 columns per 32-bit lane (CKernels).
    private let packed: [Int8]
    /// Σ_c q[r, c] per padded row, for the VNNI kernels' +128 input offset.
    private let rowSums: [Int32]
    /// `scales` padded with zeros to the kernels' row count.
    private let paddedScales: [Float]

    /// Quantizes `weights` [R, C] per row as the type's documentation says.
    /// - Precondition: every weight is finite.
    public init(quantizing weights: Matrix) {
        var values = [Int8](repeating: 0, count: weights.count)
        var scales = [Float](repeating: 1, count: weights.rows)
        for r in 0..<weights.rows {
            let row = weights.storage[r * weights.cols ..< (r + 1) * weights.cols]
            precondition(row.allSatisfy(\.isFinite), "Int8Matrix: row \(r) holds a NaN or infinite weight")
            let maxabs = row.reduce(Float(0)) { max($0, abs($1)) }
            // 1 for a row of zeros, or of values so small that maxabs / 127 underflows to 0.
            let scale = maxabs / 127 > 0 ? maxabs / 127 : 1
            scales[r] = scale
            for (c, w) in row.enumerated() {
                values[r * weights.cols + c] = Int8(min(max((w / scale).rounded(.toNearestOrEven), -127), 127))
            }
        }
        try! self.init(rows: weights.rows, cols: weights.cols, values: values, scales: scales)
    }

    /// A matrix from stored q [R, C] (row-major) and scales [R], as read from a model file.
    /// - Throws: ``Int8MatrixError`` when a value is −128 or a scale is not finite.
    /// - Precondition: `values` holds R·C values, `scales` R, and C ≤ 131072 (so that every sum
    ///   fits in int32).
    public init(rows: Int, cols: Int, values: [Int8], scales: [Float]) throws {
        precondition(rows >= 0 && cols >= 0 && cols <= 131_072, "Int8Matrix: shape [\(rows), \(cols)] out of range")
        precondition(values.count == rows * cols, "Int8Matrix: \(values.count) values for shape [\(rows), \(cols)]")
        precondition(scales.count == rows, "Int8Matrix: \(scales.count) scales for \(rows) rows")
        if let index = values.firstIndex(of: -128) {
            throw Int8MatrixError.valueOutOfRange(row: index / cols, column: index % cols)
        }
        if let row = scales.firstIndex(where: { !$0.isFinite }) {
            throw Int8MatrixError.nonFiniteScale(row: row)
        }
        self.rows = rows
        self.cols = cols
        self.values = values
        self.scales = scales
        let paddedRows = Int(ckernels_int8_padded_rows(Int64(rows)))
        let paddedCols = Int(ckernels_int8_padded_cols(Int64(cols)))
        var packed = [Int8](repeating: 0, count: paddedRows * paddedCols)
        var rowSums = [Int32](repeating: 0, count: paddedRows)
        ckernels_int8_pack_weights(Int64(rows), Int64(cols), values, &packed, &rowSums)
        self.packed = packed
        self.rowSums = rowSums
        self.paddedScales = scales + [Float](repeating: 0, count: paddedRows - rows)
    }

    /// W ≈ q·scale as a float matrix [R, C].
    public func dequantized() -> Matrix {
        var storage = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols { storage[r * cols + c] = Float(values[r * cols + c]) * scales[r] }
        }
        return Matrix(rows: rows, cols: cols, storage: storage)
    }

    /// y = x·Wᵀ (+ bias) for x [B, C]: y [B, R], on `kernel` (by default the process's).
    /// - Parameters:
    ///   - x: the inputs, one per row; they must be finite.
    ///   - bias: R values added to every row of y, or nil.
    ///   - kernel: the int8 kernel; one the CPU lacks falls back to the next one down.
    public func multiply(_ x: Matrix, bias: [Float]? = nil, kernel: Int8Kernel = .current) -> Matrix {
        precondition(x.cols == cols, "Int8Matrix: input has \(x.cols) columns, weights \(cols)")
        precondition(bias == nil || bias!.count == rows, "Int8Matrix: bias has \(bias!.count) values for \(rows) rows")
        var y = Matrix(rows: x.rows, cols: rows)
        y.storage.withUnsafeMutableBufferPointer { out in
            x.storage.withUnsafeBufferPointer { input in
                guard let inputBase = input.baseAddress, let outBase = out.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { b in
                        multiply(input: inputBase, inputStride: cols, batch: x.rows, into: outBase, outputStride: rows,
                                 bias: b.baseAddress, kernel: kernel)
                    }
                } else {
                    multiply(input: inputBase, inputStride: cols, batch: x.rows, into: outBase, outputStride: rows,
                             bias: nil, kernel: kernel)
                }
            }
        }
        return y
    }

    /// y = x·Wᵀ (+ bias) on raw rows: x [B, C] with row stride `inputStride` (rows may overlap,
    /// as a convolution's windows do), y [B, R] with row stride `outputStride`, bias R values or
    /// nil; with `accumulate`, each result is added to what y holds. Products of at least
    /// `int8ParallelThreshold` multiply-adds are split over the thread budget
    /// (`Parallel.currentBudget`) by blocks of batch rows, or of weight rows when the batch is
    /// small; every element is computed the same way whatever the split.
    public func multiply(input x: UnsafePointer<Float>, inputStride: Int, batch: Int,
                         into y: UnsafeMutablePointer<Float>, outputStride: Int,
                         bias: UnsafePointer<Float>?, accumulate: Bool = false, kernel: Int8Kernel = .current) {
        guard batch > 0, rows > 0 else { return }
        let ldq = Int(ckernels_int8_padded_cols(Int64(cols)))
        // Scratch the kernel fills completely (every byte of every padded row, every scale).
        let quantized = UnsafeMutablePointer<UInt8>.allocate(capacity: batch * ldq)
        let inputScales = UnsafeMutablePointer<Float>.allocate(capacity: batch)
        defer {
            quantized.deallocate()
            inputScales.deallocate()
        }
        ckernels_int8_quantize_input(kernel.rawValue, Int64(batch), Int64(cols), x, Int64(inputStride),
                                     quantized, Int64(ldq), inputScales)
        product(kernel, batch: batch, xq: quantized, ldq: ldq, sx: inputScales, bias: bias, y: y,
                ldy: outputStride, accumulate: accumulate, sums: nil)
    }

    /// The int32 sums Σ_c x[b, c]·q[r, c] [B, R] of already quantized inputs x [B, C]
    /// (row-major, values in [−127, 127]) on `kernel`: what tests compare exactly across kernels.
    public func int32Products(of x: [Int8], batch: Int, kernel: Int8Kernel) -> [Int32] {
        precondition(x.count == batch * cols && !x.contains(-128), "Int8Matrix: \(x.count) inputs for [\(batch), \(cols)], or a −128")
        let ldq = Int(ckernels_int8_padded_cols(Int64(cols)))
        var formatted = [UInt8](repeating: 0, count: batch * ldq)
        ckernels_int8_format_input(kernel.rawValue, Int64(batch), Int64(cols), x, Int64(cols), &formatted, Int64(ldq))
        var sums = [Int32](repeating: 0, count: batch * rows)
        guard batch > 0, rows > 0 else { return sums }
        formatted.withUnsafeBufferPointer { xq in
            sums.withUnsafeMutableBufferPointer { out in
                product(kernel, batch: batch, xq: xq.baseAddress!, ldq: ldq, sx: nil, bias: nil, y: nil, ldy: 0,
                        accumulate: false, sums: out.baseAddress!)
            }
        }
        return sums
    }

    /// Runs the kernel on quantized inputs, over the thread budget when the product is large:
    /// float results into y (added to it with `accumulate`), or int32 sums into `sums` (row
    /// stride R) when it is not nil.
    private func product(_ kernel: Int8Kernel, batch: Int, xq: UnsafePointer<UInt8>, ldq: Int,
                         sx: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                         y: UnsafeMutablePointer<Float>?, ldy: Int, accumulate: Bool,
                         sums: UnsafeMutablePointer<Int32>?) {
        let lds = rows
        packed.withUnsafeBufferPointer { w in
            rowSums.withUnsafeBufferPointer { rowSums in
                paddedScales.withUnsafeBufferPointer { scales in
                    // Batch rows [b0, b1) × weight rows [r0, r1), r0 a multiple of the 32-row tile.
                    func run(_ b0: Int, _ b1: Int, _ r0: Int, _ r1: Int) {
                        ckernels_int8_gemm(kernel.rawValue, Int64(b1 - b0), Int64(cols), xq + b0 * ldq, Int64(ldq),
                                           w.baseAddress!, rowSums.baseAddress!, Int64(r0), Int64(r1),
                                           sx.map { $0 + b0 }, scales.baseAddress!, bias,
                                           y.map { $0 + b0 * ldy }, Int64(ldy), accumulate ? 1 : 0,
                                           sums.map { $0 + b0 * lds }, Int64(lds))
                    }
                    let threads = batch * rows * cols >= int8ParallelThreshold ? Parallel.currentBudget : 1
                    let batchTiles = (batch + 5) / 6, rowTiles = (rows + 31) / 32
                    if threads <= 1 || max(batchTiles, rowTiles) < 2 {
                        run(0, batch, 0, rows)
                    } else if batchTiles >= rowTiles {
                        let shards = min(threads, batchTiles)
                        Parallel.forEachShard(shards) { shard in
                            run(min(batch, batchTiles * shard / shards * 6), min(batch, batchTiles * (shard + 1) / shards * 6), 0, rows)
                        }
                    } else {
                        let shards = min(threads, rowTiles)
                        Parallel.forEachShard(shards) { shard in
                            run(0, batch, rowTiles * shard / shards * 32, min(rows, rowTiles * (shard + 1) / shards * 32))
                        }
                    }
                }
            }
        }
    }
}

/// Products smaller than this many int8 multiply-adds (16.8 M) run on one thread: the int8
/// kernels are several times faster than `gemm`, so the point where a second thread pays is
/// higher than `gemmParallelThreshold`.
let int8ParallelThreshold = 1 << 24

/// Why stored int8 weights cannot be used.
@_spi(Internals) public enum Int8MatrixError: Error, Equatable, LocalizedError {
    /// A quantized value is −128, outside the symmetric range [−127, 127].
    case valueOutOfRange(row: Int, column: Int)
    /// A row's scale is NaN or infinite.
    case nonFiniteScale(row: Int)

    /// The message for the user.
    public var errorDescription: String? {
        switch self {
        case .valueOutOfRange(let row, let column):
            return "int8 weight at row \(row), column \(column) is −128, outside [−127, 127]"
        case .nonFiniteScale(let row):
            return "the scale of int8 weight row \(row) is not finite"
        }
    }
}
