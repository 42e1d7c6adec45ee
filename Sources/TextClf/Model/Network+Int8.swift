extension Network {
    /// Runs the network's products in int8 from now on (inference only), for a model stored
    /// quantized: `matrices` holds its int8 weight matrices by name (`rnn.weight_ih_l0`,
    /// `conv.0.weight` as [F, D·k], `fc.weight`, …; see ``ModelFile/int8Matrices()``).
    ///
    /// rnn, lstm and gru then run W_ih·x, W_hh·h_{t−1} and fc as int8 products, cnn its
    /// convolutions and fc, each input row quantized on the fly (``Int8Matrix``). A pool model
    /// keeps its dequantized weights in float: its one product, fc, is too small for int8 to pay.
    /// - Throws: ``NetworkError/tensorMismatch(_:expected:found:)`` when a matrix is missing or
    ///   of another shape than the float network's.
    @_spi(Internals) public mutating func useInt8Weights(_ matrices: [String: Int8Matrix]) throws {
        func matrix(_ name: String, shape: (rows: Int, cols: Int)) throws -> Int8Matrix {
            guard let found = matrices[name], found.rows == shape.rows, found.cols == shape.cols else {
                throw NetworkError.tensorMismatch(name, expected: [shape.rows, shape.cols],
                                                  found: matrices[name].map { [$0.rows, $0.cols] })
            }
            return found
        }
        func recurrent<Cell>(_ stack: RecurrentStack<Cell>) throws -> [RecurrentInt8Weights] {
            try stack.weights.indices.map { index in
                let suffix = "_l\(index / stack.directions)" + (index % stack.directions == 1 ? "_reverse" : "")
                let weights = stack.weights[index]
                return RecurrentInt8Weights(
                    input: try matrix("rnn.weight_ih" + suffix, shape: (weights.inputWeight.rows, weights.inputWeight.cols)),
                    hidden: try matrix("rnn.weight_hh" + suffix, shape: (weights.hiddenWeight.rows, weights.hiddenWeight.cols)))
            }
        }
        switch encoder {
        case .pool:
            return
        case .rnn(var layer):
            layer.useInt8Weights(try recurrent(layer))
            encoder = .rnn(layer)
        case .lstm(var layer):
            layer.useInt8Weights(try recurrent(layer))
            encoder = .lstm(layer)
        case .gru(var layer):
            layer.useInt8Weights(try recurrent(layer))
            encoder = .gru(layer)
        case .cnn(var layer):
            layer.useInt8Weights(try layer.kernelSizes.indices.map {
                try matrix("conv.\($0).weight", shape: (layer.filters, layer.inputSize * layer.kernelSizes[$0]))
            })
            encoder = .cnn(layer)
        }
        int8Output = QuantizedLinear(weight: try matrix("fc.weight", shape: (fc.weight.rows, fc.weight.cols)), bias: fc.bias)
    }
}
