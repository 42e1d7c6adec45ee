@_spi(Internals) import TextClf

/// The four encoders the benchmark compares with PyTorch.
enum Arch: String, CaseIterable {
    case rnn, lstm, gru, cnn
}

/// The benchmark's shapes: batch 64, length 64, dim 64, hidden 128, Conv1d(3, 4, 5 × 100).
struct Shapes {
    let batch = 64, length = 64, dim = 64, hidden = 128, vocabulary = 10_000, classes = 6
    let kernelSizes = [3, 4, 5], filters = 100

    /// Multiply-adds per token of one forward + backward: every product runs three times
    /// (forward, input gradient, weight gradient); the classifier's share is spread over the length.
    func multiplyAddsPerToken(_ arch: Arch) -> Int {
        let encoder: Int
        let pooledWidth: Int
        switch arch {
        case .rnn: encoder = hidden * (dim + hidden); pooledWidth = hidden
        case .lstm: encoder = 4 * hidden * (dim + hidden); pooledWidth = hidden
        case .gru: encoder = 3 * hidden * (dim + hidden); pooledWidth = hidden
        case .cnn: encoder = filters * dim * kernelSizes.reduce(0, +); pooledWidth = filters * kernelSizes.count
        }
        return 3 * encoder + 3 * pooledWidth * classes / length
    }
}

/// Embedding → encoder → pooling (`last`, or `max` for cnn) → Linear → softmax cross entropy.
struct Model {
    var embedding: Embedding
    var rnn: RNN?
    var lstm: LSTM?
    var gru: GRU?
    var conv: Conv1dBank?
    var fc: Linear
    let arch: Arch
    let objective: Objective

    init(_ arch: Arch, _ shapes: Shapes, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.arch = arch
        embedding = Embedding(vocabularySize: shapes.vocabulary, dimension: shapes.dim, generator: &generator)
        let width: Int
        switch arch {
        case .rnn: rnn = RNN(inputSize: shapes.dim, hiddenSize: shapes.hidden, generator: &generator); width = shapes.hidden
        case .lstm: lstm = LSTM(inputSize: shapes.dim, hiddenSize: shapes.hidden, generator: &generator); width = shapes.hidden
        case .gru: gru = GRU(inputSize: shapes.dim, hiddenSize: shapes.hidden, generator: &generator); width = shapes.hidden
        case .cnn:
            conv = Conv1dBank(inputSize: shapes.dim, filters: shapes.filters, kernelSizes: shapes.kernelSizes, generator: &generator)
            width = shapes.filters * shapes.kernelSizes.count
        }
        fc = Linear(inputSize: width, outputSize: shapes.classes, generator: &generator)
        objective = Objective(configuration: ClassifierConfiguration(arch: .pool), labelCount: shapes.classes)
    }

    /// The backward of the encoder and its pooling: dL/dpooled in, dL/dembedded out.
    typealias EncoderBackward = (inout Model, Matrix) -> Matrix

    /// One forward and backward pass, gradients accumulated; returns the loss.
    mutating func step(ids: [Int], lengths: [Int], maxLength: Int, targets: [Int]) -> Double {
        let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: maxLength)
        let (pooled, encoderBackward) = encode(embedded)
        let (logits, fcCache) = fc.forward(pooled)
        let loss = objective.lossAndGradient(logits: logits, labels: targets.map { [Int32($0)][...] })
        let pooledGradient = fc.backward(loss.logitsGradient, fcCache)
        embedding.backward(encoderBackward(&self, pooledGradient), embeddingCache)
        return loss.loss
    }

    /// The encoder and pooling forward, and the closure that runs their backward.
    func encode(_ x: SequenceBatch) -> (Matrix, EncoderBackward) {
        switch arch {
        case .cnn:
            let (pooled, cache) = conv!.forward(x)
            return (pooled, { model, gradient in model.conv!.backward(gradient, cache) })
        case .rnn:
            let (encoded, cache) = rnn!.forward(x)
            return Self.last(encoded) { model, gradient in model.rnn!.backward(gradient, cache) }
        case .lstm:
            let (encoded, cache) = lstm!.forward(x)
            return Self.last(encoded) { model, gradient in model.lstm!.backward(gradient, cache) }
        case .gru:
            let (encoded, cache) = gru!.forward(x)
            return Self.last(encoded) { model, gradient in model.gru!.backward(gradient, cache) }
        }
    }

    static func last(_ encoded: SequenceBatch, _ encoderBackward: @escaping EncoderBackward) -> (Matrix, EncoderBackward) {
        let pooling = LastPooling(directions: 1)
        let (pooled, cache) = pooling.forward(encoded)
        return (pooled, { model, gradient in encoderBackward(&model, pooling.backward(gradient, cache)) })
    }

    /// Adds another copy's dense gradients into this one's, in a fixed order.
    mutating func addGradients(of other: inout Model) {
        var others: [[Float]] = []
        other.forEachDenseParameter { _, _, _, gradient in others.append(gradient) }
        var index = 0
        forEachDenseParameter { _, _, _, gradient in
            let source = others[index]
            for k in gradient.indices { gradient[k] += source[k] }
            index += 1
        }
    }

    mutating func forEachDenseParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        rnn?.forEachParameter(body)
        lstm?.forEachParameter(body)
        gru?.forEachParameter(body)
        conv?.forEachParameter(body)
        fc.forEachParameter(body)
    }
}
