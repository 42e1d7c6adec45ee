extension Network {
    /// What sits between the embedding and the pooling, one case per architecture.
    public enum Encoder: Sendable {
        /// Nothing: the embeddings are pooled directly.
        case pool
        /// Elman RNN layers with tanh.
        case rnn(RNN)
        /// LSTM layers.
        case lstm(LSTM)
        /// GRU layers.
        case gru(GRU)
        /// A bank of 1-D convolutions, which also pools.
        case cnn(Conv1dBank)

        /// The encoder of `configuration`'s architecture with fresh parameters.
        init(configuration c: ClassifierConfiguration, generator: inout SeededGenerator) {
            switch c.arch {
            case .pool:
                self = .pool
            case .rnn:
                self = .rnn(RNN(inputSize: c.dim, hiddenSize: c.hidden, layers: c.layers,
                                bidirectional: c.bidirectional, dropout: c.dropout, generator: &generator))
            case .lstm:
                self = .lstm(LSTM(inputSize: c.dim, hiddenSize: c.hidden, layers: c.layers,
                                  bidirectional: c.bidirectional, dropout: c.dropout, generator: &generator))
            case .gru:
                self = .gru(GRU(inputSize: c.dim, hiddenSize: c.hidden, layers: c.layers,
                                bidirectional: c.bidirectional, dropout: c.dropout, generator: &generator))
            case .cnn:
                self = .cnn(Conv1dBank(inputSize: c.dim, filters: c.filters, kernelSizes: c.kernelSizes,
                                       pooling: c.pooling == .mean ? .mean : .max, generator: &generator))
            }
        }

        /// The fewest steps a padded batch needs: a convolution bank's widest kernel, else 1.
        public var minimumLength: Int {
            if case .cnn(let layer) = self { return layer.largestKernel }
            return 1
        }

        // The mutating members below take the layer out of the enum (leaving `.pool` in its
        // place) before changing it and put it back after: the layer's arrays then have one
        // owner and change in place, where mutating a copy bound from the payload would copy
        // every weight and gradient array of the layer.

        /// Back-propagates through the encoder (see each layer's `backward`).
        mutating func backward(_ gradient: Matrix, _ cache: EncoderCache) -> Matrix {
            switch (cache, consume self) {
            case (.none, .pool):
                self = .pool
                return gradient
            case (.rnn(let cache), .rnn(var layer)):
                defer { self = .rnn(layer) }
                return layer.backward(gradient, cache)
            case (.lstm(let cache), .lstm(var layer)):
                defer { self = .lstm(layer) }
                return layer.backward(gradient, cache)
            case (.gru(let cache), .gru(var layer)):
                defer { self = .gru(layer) }
                return layer.backward(gradient, cache)
            case (.cnn(let cache), .cnn(var layer)):
                defer { self = .cnn(layer) }
                return layer.backward(gradient, cache)
            default:
                preconditionFailure("the cache comes from a network of another architecture")
            }
        }

        /// Lists the encoder's parameters under the network's names: `rnn.weight_ih_l0`, …, or
        /// `conv.0.weight`, … (the bank names its convolutions itself).
        mutating func forEachParameter(
            _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
        ) {
            switch consume self {
            case .pool:
                self = .pool
            case .rnn(var layer):
                layer.forEachParameter { body("rnn." + $0, $1, &$2, &$3) }
                self = .rnn(layer)
            case .lstm(var layer):
                layer.forEachParameter { body("rnn." + $0, $1, &$2, &$3) }
                self = .lstm(layer)
            case .gru(var layer):
                layer.forEachParameter { body("rnn." + $0, $1, &$2, &$3) }
                self = .gru(layer)
            case .cnn(var layer):
                layer.forEachParameter(body)
                self = .cnn(layer)
            }
        }
    }
}
