/// The convolution bank of the `cnn` architecture: one `nn.Conv1d(D, F, k)` per kernel size
/// (padding 0), ReLU, each pooled over its valid output positions, concatenated in kernel order.
///
/// Input [B·T, D] with lengths, output [B, F·K] for K kernel sizes. For kernel size k and a
/// sequence of length L, the valid output positions are 0 … max(L, kmax) − k: a sequence shorter
/// than the largest kernel kmax counts as padded with the padding id up to kmax, as SPEC §4 says.
/// What this asks of the batch: T ≥ kmax, and the padded rows zero (the padding id's embedding
/// is the zero vector, and dropout keeps it zero).
///
/// Conv `conv.q` holds `weight` [F, D, k] and `bias` [F] in PyTorch's layout, both initialised
/// uniform in ±1/√(D·k) (PyTorch's Kaiming-uniform default for Conv1d). The convolution is k
/// products of [B·T, D]·[D, F], one per kernel offset, accumulated into one output. Backward
/// with max pooling touches only the windows of the maxima; with mean pooling it is 2k products.
public struct Conv1dBank: ParameterContainer, Sendable {
    /// How each filter's outputs over the valid positions become one value.
    public enum Pooling: String, Sendable, CaseIterable {
        /// The maximum over the valid positions (Kim's CNN).
        case max
        /// The mean over the valid positions.
        case mean
    }

    /// D, the width of the input vectors.
    public let inputSize: Int
    /// F, the output channels per kernel size.
    public let filters: Int
    /// The kernel widths, one convolution each, in order.
    public let kernelSizes: [Int]
    /// How each filter's outputs become one value.
    public let pooling: Pooling
    /// Per kernel size, [F, D, k] row-major.
    public var weights: [[Float]]
    /// Per kernel size, [F].
    public var biases: [[Float]]
    /// The gradients of `weights`, same shapes; backward adds into them.
    public var weightGrads: [[Float]]
    /// The gradients of `biases`, same shapes; backward adds into them.
    public var biasGrads: [[Float]]
    /// Per kernel size, the weights in int8 as [F, k·D] (offset-major), set by
    /// `useInt8Weights(_:)`: forward then convolves in int8 (inference only).
    @_spi(Internals) public internal(set) var int8Windows: [Int8Matrix]?

    /// F·K, the width of the output.
    public var outputSize: Int { filters * kernelSizes.count }
    /// The shortest padded length T a batch may have.
    public var largestKernel: Int { kernelSizes.max() ?? 1 }

    /// What backward needs from one forward call.
    public struct Cache: Sendable {
        let input: Matrix
        let lengths: [Int]
        let maxLength: Int
        /// Per kernel: the ReLU outputs [B·T − k + 1, F] (rows past a sequence's valid positions unused).
        let activations: [[Float]]
        /// Per kernel, for max pooling: the row of the maximum for each (b, f), [B, F].
        let maxRows: [[Int]]
    }

    /// A bank with freshly drawn parameters.
    /// - Parameters:
    ///   - inputSize: D.
    ///   - filters: F, the output channels of each convolution.
    ///   - kernelSizes: the k of each convolution, in `conv.0`, `conv.1`, … order.
    ///   - pooling: `max` (the `cnn` default) or `mean`.
    ///   - generator: draws weight then bias of each convolution in order.
    public init(inputSize: Int, filters: Int, kernelSizes: [Int], pooling: Pooling = .max, generator: inout SeededGenerator) {
        precondition(inputSize >= 1 && filters >= 1 && !kernelSizes.isEmpty && kernelSizes.allSatisfy { $0 >= 1 },
                     "convolution sizes must be positive")
        self.inputSize = inputSize
        self.filters = filters
        self.kernelSizes = kernelSizes
        self.pooling = pooling
        var weights: [[Float]] = [], biases: [[Float]] = []
        for k in kernelSizes {
            let bound = 1 / Float(inputSize * k).squareRoot()
            weights.append((0..<filters * inputSize * k).map { _ in generator.nextUniform(-bound, bound) })
            biases.append((0..<filters).map { _ in generator.nextUniform(-bound, bound) })
        }
        self.weights = weights
        self.biases = biases
        weightGrads = weights.map { [Float](repeating: 0, count: $0.count) }
        biasGrads = biases.map { [Float](repeating: 0, count: $0.count) }
    }

    /// Calls `body` with `conv.q.weight` and `conv.q.bias` for every kernel q, with shapes, values
    /// and gradients.
    public mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        for (q, k) in kernelSizes.enumerated() {
            body("conv.\(q).weight", [filters, inputSize, k], &weights[q], &weightGrads[q])
            body("conv.\(q).bias", [filters], &biases[q], &biasGrads[q])
        }
    }

    /// Convolves, rectifies and pools.
    /// - Returns: [B, F·K] and the cache for `backward`.
    public func forward(_ input: SequenceBatch) -> (Matrix, Cache) {
        forward(input, keepsMaxRows: true)
    }

    /// ``forward(_:)``, whose max pooling records where each maximum came from only when
    /// `keepsMaxRows`: `backward` needs it, inference does not (and recording it costs a
    /// quarter of the bank's own work besides its products). The pooled values are the same.
    func forward(_ input: SequenceBatch, keepsMaxRows: Bool) -> (Matrix, Cache) {
        let D = inputSize, F = filters, T = input.maxLength, B = input.batchSize
        precondition(input.features == D, "convolution input has \(input.features) features, expected \(D)")
        precondition(B > 0, "convolution input has no sequences")
        precondition(T >= largestKernel, "batch padded to \(T) steps, the largest kernel needs \(largestKernel)")
        var pooled = Matrix(rows: B, cols: outputSize)
        var activations: [[Float]] = [], maxRows: [[Int]] = []
        for (q, k) in kernelSizes.enumerated() {
            let M = B * T - k + 1
            var y = [Float](repeating: 0, count: M * F)
            if let int8 = int8Windows?[q] {
                input.values.storage.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { out in
                    // Output row r is the window x[r … r + k − 1], k·D consecutive floats.
                    int8.multiply(input: x.baseAddress!, inputStride: D, batch: M, into: out.baseAddress!,
                                  outputStride: F, bias: biases[q])
                    let o = out.baseAddress!
                    for i in 0..<M * F { o[i] = max(o[i], 0) }
                }}
            } else {
                let shifted = Self.offsetMajor(weights[q], filters: F, inputSize: D, kernel: k)
                input.values.storage.withUnsafeBufferPointer { x in
                shifted.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { out in
                    let o = out.baseAddress!
                    for r in 0..<M { (o + r * F).update(from: biases[q], count: F) }
                    // Row r of the output is the window of rows r … r + k − 1: offset j reads X shifted by j rows.
                    for j in 0..<k {
                        gemm(.none, .transposed, m: M, n: F, k: D, a: x.baseAddress! + j * D, lda: D,
                             b: w.baseAddress! + j * F * D, ldb: D, c: o, ldc: F, accumulate: true)
                    }
                    // A select, not a branch, so that the loop vectorizes (−0 and NaN stay as they are).
                    for i in 0..<M * F { o[i] = o[i] < 0 ? 0 : o[i] }
                }}}
            }
            // The rows of the maxima serve backward only, which an int8 bank never runs.
            let tracksMaxRows = keepsMaxRows && pooling == .max && int8Windows == nil
            var rows = [Int](repeating: 0, count: tracksMaxRows ? B * F : 0)
            // Row by row, every filter at once: the rows stream through the cache once, and each
            // filter still sees its rows in order (the same maxima and sums as one filter at a time).
            y.withUnsafeBufferPointer { out in
            rows.withUnsafeMutableBufferPointer { rows in
            pooled.storage.withUnsafeMutableBufferPointer { pooled in
                for b in 0..<B {
                    let positions = validPositions(length: input.lengths[b], kernel: k)
                    let first = b * T
                    let target = pooled.baseAddress! + b * outputSize + q * F
                    target.update(from: out.baseAddress! + first * F, count: F)
                    switch pooling {
                    case .max where !tracksMaxRows:
                        for r in first + 1 ..< first + positions {
                            let row = out.baseAddress! + r * F
                            // The comparison of the tracking loop below, so both keep the same
                            // value on ties (+0 against −0).
                            for f in 0..<F { target[f] = row[f] > target[f] ? row[f] : target[f] }
                        }
                    case .max:
                        let best = rows.baseAddress! + b * F
                        best.update(repeating: first, count: F)
                        for r in first + 1 ..< first + positions {
                            let row = out.baseAddress! + r * F
                            for f in 0..<F {
                                let greater = row[f] > target[f]
                                target[f] = greater ? row[f] : target[f]
                                best[f] = greater ? r : best[f]
                            }
                        }
                    case .mean:
                        for r in first + 1 ..< first + positions {
                            let row = out.baseAddress! + r * F
                            for f in 0..<F { target[f] += row[f] }
                        }
                        for f in 0..<F { target[f] /= Float(positions) }
                    }
                }
            }}}
            activations.append(y)
            maxRows.append(rows)
        }
        return (pooled, Cache(input: input.values, lengths: input.lengths, maxLength: T,
                              activations: activations, maxRows: maxRows))
    }

    /// Back-propagates dL/dpooled ([B, F·K]), adding into the weight and bias gradients.
    /// - Returns: dL/dinput, [B·T, D], zero at padded steps.
    public mutating func backward(_ pooledGradient: Matrix, _ cache: Cache) -> Matrix {
        let D = inputSize, F = filters, T = cache.maxLength, B = cache.lengths.count
        precondition(pooledGradient.rows == B && pooledGradient.cols == outputSize,
                     "pooled gradient is [\(pooledGradient.rows), \(pooledGradient.cols)], expected [\(B), \(outputSize)]")
        var inputGradient = Matrix(rows: B * T, cols: D)
        let width = outputSize
        for (q, k) in kernelSizes.enumerated() {
            let M = B * T - k + 1, y = cache.activations[q]
            let shifted = Self.offsetMajor(weights[q], filters: F, inputSize: D, kernel: k)
            var shiftedGrad = [Float](repeating: 0, count: shifted.count)
            switch pooling {
            case .max:
                // Only each maximum's window receives a gradient: k·D multiply-adds per (sequence,
                // filter) in place of products over every row.
                cache.input.storage.withUnsafeBufferPointer { x in
                shifted.withUnsafeBufferPointer { w in
                shiftedGrad.withUnsafeMutableBufferPointer { dw in
                inputGradient.storage.withUnsafeMutableBufferPointer { dx in
                pooledGradient.storage.withUnsafeBufferPointer { pooledBuffer in
                y.withUnsafeBufferPointer { activation in
                cache.maxRows[q].withUnsafeBufferPointer { maxRows in
                biasGrads[q].withUnsafeMutableBufferPointer { biasGrad in
                    for b in 0..<B {
                        let gradients = pooledBuffer.baseAddress! + b * width + q * F
                        for f in 0..<F {
                            let g = gradients[f], r = maxRows[b * F + f]
                            guard activation[r * F + f] > 0 else { continue }  // ReLU was off: no gradient
                            biasGrad[f] += g
                            for j in 0..<k {
                                let xRow = x.baseAddress! + (r + j) * D, dxRow = dx.baseAddress! + (r + j) * D
                                let wRow = w.baseAddress! + (j * F + f) * D, dwRow = dw.baseAddress! + (j * F + f) * D
                                for d in 0..<D {
                                    dwRow[d] += g * xRow[d]
                                    dxRow[d] += g * wRow[d]
                                }
                            }
                        }
                    }
                }}}}}}}}
            case .mean:
                // dL/d(pre-activation) at each output row, ReLU's derivative included.
                var dy = [Float](repeating: 0, count: M * F)
                for b in 0..<B {
                    let positions = validPositions(length: cache.lengths[b], kernel: k)
                    for f in 0..<F {
                        let share = pooledGradient[b, q * F + f] / Float(positions)
                        for r in b * T..<b * T + positions where y[r * F + f] > 0 { dy[r * F + f] = share }
                    }
                }
                cache.input.storage.withUnsafeBufferPointer { x in
                shifted.withUnsafeBufferPointer { w in
                shiftedGrad.withUnsafeMutableBufferPointer { dw in
                inputGradient.storage.withUnsafeMutableBufferPointer { dx in
                dy.withUnsafeBufferPointer { dyBuffer in
                    for j in 0..<k {
                        gemm(.transposed, .none, m: F, n: D, k: M, a: dyBuffer.baseAddress!, lda: F,
                             b: x.baseAddress! + j * D, ldb: D, c: dw.baseAddress! + j * F * D, ldc: D, accumulate: false)
                        gemm(.none, .none, m: M, n: D, k: F, a: dyBuffer.baseAddress!, lda: F,
                             b: w.baseAddress! + j * F * D, ldb: D, c: dx.baseAddress! + j * D, ldc: D, accumulate: true)
                    }
                }}}}}
                dy.withUnsafeBufferPointer { addColumnSums($0.baseAddress!, rows: M, columns: F, into: &biasGrads[q]) }
            }
            weightGrads[q].withUnsafeMutableBufferPointer { weightGrad in
            shiftedGrad.withUnsafeBufferPointer { shiftedBuffer in
                let dw = weightGrad.baseAddress!, ds = shiftedBuffer.baseAddress!
                for f in 0..<F {
                    for d in 0..<D {
                        for j in 0..<k { dw[(f * D + d) * k + j] += ds[(j * F + f) * D + d] }
                    }
                }
            }}
        }
        // Padded steps stand for the padding id's constant embedding: they get no gradient.
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
            for (b, length) in cache.lengths.enumerated() where length < T {
                (dx.baseAddress! + (b * T + length) * D).update(repeating: 0, count: (T - length) * D)
            }
        }
        return inputGradient
    }

    /// Output positions of a sequence of `length` for kernel k: max(length, kmax) − k + 1.
    func validPositions(length: Int, kernel k: Int) -> Int {
        max(length, largestKernel) - k + 1
    }

    /// The weight [F, D, k] rearranged as k slices [F, D], one per kernel offset, so each offset's
    /// product reads a contiguous matrix.
    static func offsetMajor(_ weight: [Float], filters F: Int, inputSize D: Int, kernel k: Int) -> [Float] {
        var shifted = [Float](repeating: 0, count: weight.count)
        for f in 0..<F {
            for d in 0..<D {
                for j in 0..<k { shifted[(j * F + f) * D + d] = weight[(f * D + d) * k + j] }
            }
        }
        return shifted
    }
}
