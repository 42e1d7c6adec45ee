extension Conv1dBank {
    /// Runs the convolutions of ``forward(_:)`` as int8 products from now on (inference only):
    /// `int8[q]` is `conv.q.weight` [F, D·k] in PyTorch's [F, D, k] order with its per-filter
    /// scales, for instance a quantized model file's I8 tensor.
    ///
    /// A window of k input rows is k·D consecutive floats of the [B·T, D] input, so the int8
    /// product reads the windows in place (rows overlapping, stride D) against the weights
    /// reordered offset-major; each window is quantized as one input row.
    @_spi(Internals) public mutating func useInt8Weights(_ int8: [Int8Matrix]) {
        precondition(int8.count == kernelSizes.count && zip(int8, kernelSizes).allSatisfy {
            $0.rows == filters && $0.cols == inputSize * $1
        }, "int8 convolution weights do not match the bank's shapes")
        int8Windows = zip(int8, kernelSizes).map { matrix, k in
            // Within a row (one filter) only the columns move, so the scales stay as they are.
            let values = Self.offsetMajorRows(matrix.values, filters: filters, inputSize: inputSize, kernel: k)
            return try! Int8Matrix(rows: filters, cols: inputSize * k, values: values, scales: matrix.scales)
        }
    }

    /// Quantizes every convolution's weights per filter and runs on them (see
    /// ``useInt8Weights(_:)``).
    @_spi(Internals) public mutating func quantizeWeights() {
        useInt8Weights(zip(weights, kernelSizes).map { w, k in
            Int8Matrix(quantizing: Matrix(rows: filters, cols: inputSize * k, storage: w))
        })
    }

    /// [F, D, k] → [F, k, D]: each filter's row with column d·k + j moved to j·D + d.
    static func offsetMajorRows<Value>(_ values: [Value], filters: Int, inputSize: Int, kernel k: Int) -> [Value] {
        let D = inputSize
        var result = values
        for f in 0..<filters {
            for d in 0..<D {
                for j in 0..<k { result[f * D * k + j * D + d] = values[f * D * k + d * k + j] }
            }
        }
        return result
    }
}
