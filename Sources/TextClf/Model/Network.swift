import Foundation

/// The classifier network of SPEC §4: Embedding → dropout → (RNN | LSTM | GRU | Conv1d bank |
/// nothing) → pooling → dropout → Linear, computing logits [B, outputs] for a padded batch of
/// token ids.
///
/// Its tensors carry PyTorch's names (`embedding.weight`, `rnn.weight_ih_l0`, `conv.0.weight`,
/// `fc.weight`, …), so the module `Scripts/textclf_torch.py` builds loads them unchanged.
/// Like every layer it is a value: `forward` returns a cache, `backward` adds into the
/// gradients, and a copy can run a shard of a batch on another thread.
public struct Network: ParameterContainer, Sendable {
    /// The shape the network was built from.
    public let configuration: ClassifierConfiguration
    /// The number of logits per example.
    public let outputCount: Int
    /// The token embedding, `embedding.weight`.
    public var embedding: Embedding
    /// The layers between the embedding and the pooling, by architecture.
    public var encoder: Encoder
    /// The output layer, `fc`.
    public var fc: Linear
    /// `fc` in int8, set by `useInt8Weights(from:)`: the evaluation forward pass then runs it.
    @_spi(Internals) public internal(set) var int8Output: QuantizedLinear?
    /// Where ids find their rows when the embedding was cut (`quantize --cutoff`); nil when
    /// every id is its own row.
    public private(set) var embeddingRows: EmbeddingRowIndex?
    private let dropout: Dropout

    /// What backward needs from one forward pass.
    public struct Cache: Sendable {
        let input: InputCache
        let encoder: EncoderCache
        let pooling: PoolingCache
        let pooledDropout: Dropout.Cache
        let fc: Linear.Cache
    }

    enum InputCache: Sendable {
        case sequence(Embedding.Cache, dropout: Dropout.Cache)
        /// Embedding and mean pooling fused (pool arch, no embedding dropout).
        case meanPooled(Embedding.MeanPooledCache)
        /// Positions that are bags of rows (subwords).
        case bags(Embedding.BagCache, dropout: Dropout.Cache)
    }

    enum EncoderCache: Sendable {
        case none
        case rnn(RNN.Cache), lstm(LSTM.Cache), gru(GRU.Cache)
        case cnn(Conv1dBank.Cache)
    }

    enum PoolingCache: Sendable {
        case mean(MeanPooling.Cache), max(MaxPooling.Cache), last(LastPooling.Cache)
        /// The conv bank, or the fused embedding, pools by itself.
        case done
    }

    /// A network with fresh parameters drawn as PyTorch's modules draw them, in module order.
    public init(configuration: ClassifierConfiguration, vocabularySize: Int, labelCount: Int,
                generator: inout SeededGenerator) {
        let embedding = Embedding(vocabularySize: vocabularySize + configuration.hashedRowCount,
                                  dimension: configuration.dim, generator: &generator)
        self.init(configuration: configuration, labelCount: labelCount, embedding: embedding, generator: &generator)
    }

    /// A network around `embedding` whose other layers are drawn from `generator`, in module order.
    private init(configuration: ClassifierConfiguration, labelCount: Int, embedding: Embedding,
                 generator: inout SeededGenerator) {
        let c = configuration
        self.embedding = embedding
        encoder = Encoder(configuration: c, generator: &generator)
        outputCount = c.outputCount(labelCount: labelCount)
        fc = Linear(inputSize: c.featureCount, outputSize: outputCount, generator: &generator)
        dropout = Dropout(probability: c.dropout)
        embeddingRows = nil
        self.configuration = c
    }

    /// Logits for a padded batch: `ids` holds B·T token ids, batch-major, 0 beyond each length.
    /// With subwords, `bags` holds each position's rows, which replace the ids (SPEC §2).
    /// In training, dropout draws its masks from `generator`.
    public func forward(ids: [Int], bags: PositionBags? = nil, lengths: [Int], maxLength: Int, training: Bool,
                        generator: inout SeededGenerator) -> (logits: Matrix, cache: Cache) {
        precondition(!training || int8Output == nil, "int8 weights are for inference; train the float weights")
        // Ids become rows here, where every id passes, and ids whose row was cut drop out.
        // Bags keep their positions (a cut bag reads as `<unk>`), so their ids stay as they are.
        let bags = bags.map { embeddingRows?.rows(bags: $0) ?? $0 }
        let (ids, lengths) = bags == nil ? embeddingRows?.rows(ids: ids, lengths: lengths, maxLength: maxLength) ?? (ids, lengths)
                                         : (ids, lengths)
        var pooled: Matrix
        let inputCache: InputCache, encoderCache: EncoderCache, poolingCache: PoolingCache
        if let bags {
            let (embedded, embeddingCache) = embedding.forward(bags: bags, lengths: lengths, maxLength: maxLength)
            let (droppedValues, embeddingDropout) = dropout.forward(embedded.values, training: training, generator: &generator)
            let input = SequenceBatch(values: droppedValues, lengths: lengths, maxLength: maxLength)
            inputCache = .bags(embeddingCache, dropout: embeddingDropout)
            (pooled, encoderCache, poolingCache) = encode(input, training: training, generator: &generator)
        } else if configuration.arch == .pool && configuration.pooling == .mean && !(training && dropout.probability > 0) {
            // EmbeddingBag's path: the same sums without materialising the [B·T, D] sequence.
            let (output, cache) = embedding.forwardMeanPooled(ids: ids, lengths: lengths, maxLength: maxLength)
            (pooled, inputCache, encoderCache, poolingCache) = (output, .meanPooled(cache), .none, .done)
        } else {
            let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: maxLength)
            let (droppedValues, embeddingDropout) = dropout.forward(embedded.values, training: training, generator: &generator)
            let input = SequenceBatch(values: droppedValues, lengths: lengths, maxLength: maxLength)
            inputCache = .sequence(embeddingCache, dropout: embeddingDropout)
            (pooled, encoderCache, poolingCache) = encode(input, training: training, generator: &generator)
        }
        let pooledDropout: Dropout.Cache
        (pooled, pooledDropout) = dropout.forward(pooled, training: training, generator: &generator)
        let (logits, fcCache) = int8Output.map { ($0.forward(pooled), Linear.Cache(input: pooled)) } ?? fc.forward(pooled)
        let cache = Cache(input: inputCache, encoder: encoderCache, pooling: poolingCache,
                          pooledDropout: pooledDropout, fc: fcCache)
        return (logits, cache)
    }

    /// The encoder and pooling over the embedded (and dropped-out) sequence.
    private func encode(_ input: SequenceBatch, training: Bool,
                        generator: inout SeededGenerator) -> (Matrix, EncoderCache, PoolingCache) {
        let sequence: SequenceBatch, encoderCache: EncoderCache
        switch encoder {
        case .pool:
            (sequence, encoderCache) = (input, .none)
        case .rnn(let layer):
            let (output, cache) = layer.forward(input, training: training, generator: &generator)
            (sequence, encoderCache) = (output, .rnn(cache))
        case .lstm(let layer):
            let (output, cache) = layer.forward(input, training: training, generator: &generator)
            (sequence, encoderCache) = (output, .lstm(cache))
        case .gru(let layer):
            let (output, cache) = layer.forward(input, training: training, generator: &generator)
            (sequence, encoderCache) = (output, .gru(cache))
        case .cnn(let layer):
            let (output, cache) = layer.forward(input)
            return (output, .cnn(cache), .done)
        }
        switch configuration.pooling {
        case .mean:
            let (output, cache) = MeanPooling().forward(sequence)
            return (output, encoderCache, .mean(cache))
        case .max:
            let (output, cache) = MaxPooling().forward(sequence)
            return (output, encoderCache, .max(cache))
        case .last:
            let (output, cache) = LastPooling(directions: configuration.bidirectional ? 2 : 1).forward(sequence)
            return (output, encoderCache, .last(cache))
        }
    }

    /// Adds the gradients of every parameter for dL/dlogits into the layers' gradients (the
    /// embedding's only when `updateEmbedding`).
    public mutating func backward(_ logitsGradient: Matrix, _ cache: Cache, updateEmbedding: Bool = true) {
        let pooledGradient = dropout.backward(fc.backward(logitsGradient, cache.fc), cache.pooledDropout)
        let sequenceGradient: Matrix
        switch cache.pooling {
        case .mean(let poolCache): sequenceGradient = MeanPooling().backward(pooledGradient, poolCache)
        case .max(let poolCache): sequenceGradient = MaxPooling().backward(pooledGradient, poolCache)
        case .last(let poolCache):
            sequenceGradient = LastPooling(directions: configuration.bidirectional ? 2 : 1).backward(pooledGradient, poolCache)
        case .done: sequenceGradient = pooledGradient
        }
        let inputGradient = encoder.backward(sequenceGradient, cache.encoder)
        guard updateEmbedding else { return }
        switch cache.input {
        case .sequence(let embeddingCache, let embeddingDropout):
            embedding.backward(dropout.backward(inputGradient, embeddingDropout), embeddingCache)
        case .meanPooled(let pooledCache):
            embedding.backwardMeanPooled(inputGradient, pooledCache)
        case .bags(let embeddingCache, let embeddingDropout):
            embedding.backward(bagsGradient: dropout.backward(inputGradient, embeddingDropout), embeddingCache)
        }
    }

    /// Every dense parameter (all but the embedding table, whose gradient is sparse) under its
    /// full PyTorch name, in the order of the modules: `rnn.…` or `conv.q.…`, then `fc.…`.
    public mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        encoder.forEachParameter(body)
        fc.forEachParameter { body("fc." + $0, $1, &$2, &$3) }
    }

    /// Clears every gradient, the embedding's sparse one included, keeping allocations.
    public mutating func zeroGradients() {
        embedding.gradient.zero()
        forEachParameter { _, _, _, gradient in
            gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    /// All parameters as named tensors, the model file's tensor section.
    public var tensors: [String: Tensor] {
        var copy = self
        var tensors = ["embedding.weight": Tensor(shape: [embedding.vocabularySize, embedding.dimension],
                                                  values: embedding.weight.storage)]
        copy.forEachParameter { name, shape, value, _ in tensors[name] = Tensor(shape: shape, values: value) }
        return tensors
    }

    /// A network of `configuration`'s shape holding `tensors` (as `tensors` returns them); a
    /// cut embedding (`quantize --cutoff`) passes `embeddingRows`, whose ids' count is then the
    /// table's rows (otherwise vocabulary plus hashed rows).
    /// - Throws: `NetworkError` when a tensor is missing, extra or of the wrong shape.
    public init(configuration: ClassifierConfiguration, vocabularySize: Int, labelCount: Int,
                tensors: [String: Tensor], embeddingRows: EmbeddingRowIndex? = nil) throws {
        var remaining = tensors
        let rows = embeddingRows?.ids.count ?? vocabularySize + configuration.hashedRowCount
        guard let table = remaining.removeValue(forKey: "embedding.weight"),
              table.shape == [rows, configuration.dim] else {
            throw NetworkError.tensorMismatch("embedding.weight", expected: [rows, configuration.dim],
                                              found: tensors["embedding.weight"]?.shape)
        }
        // The embedding comes straight from its tensor: drawing a random table of that size
        // first would cost more than the rest of loading. The small layers are drawn and then
        // overwritten, so their shapes come from the one place that defines them.
        var unused = SeededGenerator(seed: 0)
        self.init(configuration: configuration, labelCount: labelCount,
                  embedding: Embedding(weight: Matrix(rows: rows, cols: configuration.dim, storage: table.values)),
                  generator: &unused)
        self.embeddingRows = embeddingRows
        try loadParameters(from: remaining)
    }

    /// The number of trainable values.
    public var parameterCount: Int {
        var copy = self
        var count = embedding.weight.count
        copy.forEachParameter { _, _, value, _ in count += value.count }
        return count
    }
}

/// Why stored tensors do not fit a network.
public enum NetworkError: Error, Equatable, LocalizedError {
    /// A tensor whose shape is not the one the configuration needs (nil: missing).
    case tensorMismatch(String, expected: [Int], found: [Int]?)
    /// A tensor the configuration has no place for.
    case unexpectedTensor(String)

    /// The message for the user, naming the tensor.
    public var errorDescription: String? {
        switch self {
        case .tensorMismatch(let name, let expected, let found):
            let seen = found.map { "\($0)" } ?? "missing"
            return "tensor '\(name)' should have shape \(expected), found \(seen)"
        case .unexpectedTensor(let name):
            return "unexpected tensor '\(name)' for this architecture"
        }
    }
}
