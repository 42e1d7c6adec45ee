import Foundation

/// Everything that defines a classifier network and how its input is prepared: the `config`
/// of the model file (SPEC §3), stored as JSON with sorted snake_case keys.
public struct ClassifierConfiguration: Codable, Equatable, Sendable {
    /// What sits between the embedding and the pooling.
    public enum Architecture: String, Codable, CaseIterable, Sendable {
        /// Nothing: the embeddings are pooled directly (fastText's model).
        case pool
        /// Elman RNN with tanh, as `nn.RNN`.
        case rnn
        /// Long short-term memory, as `nn.LSTM`.
        case lstm
        /// Gated recurrent unit, as `nn.GRU`.
        case gru
        /// A bank of 1-D convolutions, one per kernel size.
        case cnn

        /// Whether the encoder is a recurrent stack (rnn, lstm or gru).
        public var isRecurrent: Bool { self == .rnn || self == .lstm || self == .gru }

        /// The pooling used when none is asked for: mean for pool, last for recurrent, max for cnn.
        public var defaultPooling: Pooling {
            switch self {
            case .pool: return .mean
            case .rnn, .lstm, .gru: return .last
            case .cnn: return .max
            }
        }
    }

    /// How a sequence of vectors becomes one vector.
    public enum Pooling: String, Codable, CaseIterable, Sendable {
        /// The mean over the real positions.
        case mean
        /// The elementwise maximum over the real positions.
        case max
        /// The recurrent output at the last real step (and, bidirectional, the reverse
        /// direction's output at the first step).
        case last
    }

    /// The training objective, which also fixes how outputs become probabilities.
    public enum Loss: String, Codable, CaseIterable, Sendable {
        /// Softmax cross entropy: one label per example, probabilities sum to 1.
        case ce
        /// Sigmoid binary cross entropy: independent probabilities per label, or one output
        /// for two labels when single-label.
        case bce
        /// Mean squared error of σ(z) against one-hot targets.
        case mse
    }

    /// What sits between the embedding and the pooling.
    public var arch: Architecture
    /// How the sequence of vectors becomes one vector.
    public var pooling: Pooling
    /// The embedding width D.
    public var dim: Int
    /// The recurrent hidden size H (recurrent architectures).
    public var hidden: Int
    /// Stacked recurrent layers (recurrent architectures).
    public var layers: Int
    /// Whether each recurrent layer also runs right to left.
    public var bidirectional: Bool
    /// The convolution widths of the cnn bank, in order (`conv.0`, `conv.1`, …).
    public var kernelSizes: [Int]
    /// Output channels per kernel size (cnn).
    public var filters: Int
    /// The dropout probability on the embeddings, between recurrent layers and on the pooled vector.
    public var dropout: Float
    /// The training objective, which also fixes how outputs become probabilities.
    public var loss: Loss
    /// Whether an example may carry several labels.
    public var multilabel: Bool
    /// Tokens beyond this many are dropped, in training and prediction alike.
    public var maxLength: Int
    /// The longest token n-gram whose hashed row joins the tokens' rows (1: none; pool only).
    public var wordNgrams: Int
    /// The shortest character n-gram with a hashed row (0: no subwords).
    public var minn: Int
    /// The longest character n-gram with a hashed row (0: no subwords).
    public var maxn: Int
    /// The hashed rows that n-grams and subwords share, after the vocabulary's rows; they exist
    /// only when ``usesHashedRows``.
    public var buckets: Int
    /// How texts become tokens; recorded so that prediction tokenizes as training did.
    public var tokenizer: Tokenizer
    /// The ICU version the model was trained with: segmentation may differ under another.
    public var icuVersion: String
    /// How the model was trained and what each epoch measured; absent for untrained networks.
    public var training: TrainingRecord?

    /// A configuration with textclf's defaults for everything not given; `pooling` nil takes
    /// the architecture's default.
    public init(arch: Architecture, pooling: Pooling? = nil, dim: Int = 64, hidden: Int = 128, layers: Int = 1,
                bidirectional: Bool = false, kernelSizes: [Int] = [3, 4, 5], filters: Int = 100,
                dropout: Float = 0.1, loss: Loss = .ce, multilabel: Bool = false, maxLength: Int = 256,
                wordNgrams: Int = 1, minn: Int = 0, maxn: Int = 0, buckets: Int = Self.defaultBuckets,
                tokenizer: Tokenizer = Tokenizer(), icuVersion: String = Versions.icu,
                training: TrainingRecord? = nil) {
        self.arch = arch
        self.pooling = pooling ?? arch.defaultPooling
        self.dim = dim
        self.hidden = hidden
        self.layers = layers
        self.bidirectional = bidirectional
        self.kernelSizes = kernelSizes
        self.filters = filters
        self.dropout = dropout
        self.loss = loss
        self.multilabel = multilabel
        self.maxLength = maxLength
        self.wordNgrams = wordNgrams
        self.minn = minn
        self.maxn = maxn
        self.buckets = buckets
        self.tokenizer = tokenizer
        self.icuVersion = icuVersion
        self.training = training
    }

    /// The number of network outputs for `labelCount` labels: one for two labels under
    /// single-label BCE (the positive label is `labels[1]`), one per label otherwise.
    public func outputCount(labelCount: Int) -> Int {
        loss == .bce && !multilabel && labelCount == 2 ? 1 : labelCount
    }

    /// The width of the pooled vector that `fc` reads.
    public var featureCount: Int {
        switch arch {
        case .pool: return dim
        case .rnn, .lstm, .gru: return hidden * (bidirectional ? 2 : 1)
        case .cnn: return filters * kernelSizes.count
        }
    }

    /// fastText's bucket count.
    public static let defaultBuckets = 2_000_000

    /// Whether word n-grams or subwords are on, so that the embedding has `buckets` hashed rows
    /// after the vocabulary's.
    public var usesHashedRows: Bool { wordNgrams > 1 || minn > 0 }

    /// The hashed rows the embedding holds after the vocabulary's: `buckets`, or 0 when unused.
    public var hashedRowCount: Int { usesHashedRows ? buckets : 0 }

    /// The oldest model-file version that can hold this configuration: 2 with hashed rows.
    public var minimumFormatVersion: Int { usesHashedRows ? 2 : 1 }

    enum CodingKeys: String, CodingKey {
        case arch, pooling, dim, hidden, layers, bidirectional
        case kernelSizes = "kernel_sizes"
        case filters, dropout, loss, multilabel
        case maxLength = "max_length"
        case wordNgrams = "word_ngrams"
        case minn, maxn, buckets
        case tokenizer
        case icuVersion = "icu_version"
        case training
    }

    /// Reads a configuration; files without the n-gram keys (every version-1 file) have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        arch = try c.decode(Architecture.self, forKey: .arch)
        pooling = try c.decode(Pooling.self, forKey: .pooling)
        dim = try c.decode(Int.self, forKey: .dim)
        hidden = try c.decode(Int.self, forKey: .hidden)
        layers = try c.decode(Int.self, forKey: .layers)
        bidirectional = try c.decode(Bool.self, forKey: .bidirectional)
        kernelSizes = try c.decode([Int].self, forKey: .kernelSizes)
        filters = try c.decode(Int.self, forKey: .filters)
        dropout = try c.decode(Float.self, forKey: .dropout)
        loss = try c.decode(Loss.self, forKey: .loss)
        multilabel = try c.decode(Bool.self, forKey: .multilabel)
        maxLength = try c.decode(Int.self, forKey: .maxLength)
        wordNgrams = try c.decodeIfPresent(Int.self, forKey: .wordNgrams) ?? 1
        minn = try c.decodeIfPresent(Int.self, forKey: .minn) ?? 0
        maxn = try c.decodeIfPresent(Int.self, forKey: .maxn) ?? 0
        buckets = try c.decodeIfPresent(Int.self, forKey: .buckets) ?? Self.defaultBuckets
        tokenizer = try c.decode(Tokenizer.self, forKey: .tokenizer)
        icuVersion = try c.decode(String.self, forKey: .icuVersion)
        training = try c.decodeIfPresent(TrainingRecord.self, forKey: .training)
    }

    /// Writes the configuration; the n-gram keys only when hashed rows are used, so that a plain
    /// model's config (and file) keeps the bytes of version 1.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(arch, forKey: .arch)
        try c.encode(pooling, forKey: .pooling)
        try c.encode(dim, forKey: .dim)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(layers, forKey: .layers)
        try c.encode(bidirectional, forKey: .bidirectional)
        try c.encode(kernelSizes, forKey: .kernelSizes)
        try c.encode(filters, forKey: .filters)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(loss, forKey: .loss)
        try c.encode(multilabel, forKey: .multilabel)
        try c.encode(maxLength, forKey: .maxLength)
        if usesHashedRows {
            try c.encode(wordNgrams, forKey: .wordNgrams)
            try c.encode(minn, forKey: .minn)
            try c.encode(maxn, forKey: .maxn)
            try c.encode(buckets, forKey: .buckets)
        }
        try c.encode(tokenizer, forKey: .tokenizer)
        try c.encode(icuVersion, forKey: .icuVersion)
        try c.encodeIfPresent(training, forKey: .training)
    }

    /// The configuration as canonical JSON: sorted keys, no spaces.
    public func json() -> String {
        JSONText.document(self)
    }

    /// Parses the JSON that `json()` writes.
    public init(json: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
    }

    /// The configuration a model file stores; `name` (usually the path) labels the error.
    /// - Throws: `ModelFileError.malformed` when `config` is not a textclf configuration.
    public init(modelFile file: ModelFile, name: String) throws {
        do {
            try self.init(json: file.config)
        } catch {
            throw ModelFileError.malformed(name, reason: "config is not a textclf configuration")
        }
    }
}

/// The options a model was trained with and the per-epoch results, stored in the model file so
/// that `textclf info` can show how it came about.
public struct TrainingRecord: Codable, Equatable, Sendable {
    /// The optimizer's name (`adam`, `adamw`, `sgd`).
    public var optimizer: String
    /// The learning rate at the first step.
    public var learningRate: Double
    /// The schedule's name (`constant`, `linear`).
    public var learningRateSchedule: String
    /// SGD's momentum.
    public var momentum: Double
    /// Whether SGD used Nesterov momentum.
    public var nesterov: Bool
    /// The weight decay.
    public var weightDecay: Double
    /// The gradient-norm clipping threshold (0: none).
    public var clip: Double
    /// The epochs asked for.
    public var epochs: Int
    /// Examples per step.
    public var batchSize: Int
    /// The seed of every random draw.
    public var seed: UInt64
    /// The per-label loss weights, if any.
    public var classWeights: [Float]?
    /// The early-stopping patience, if any.
    public var earlyStopping: Int?
    /// Where validation data came from: `file`, `examples` (in memory), `split P` or `none`.
    public var validation: String
    /// The file name of the pretrained vectors, if any.
    public var pretrainedVectors: String?
    /// How many ordinary vocabulary tokens the pretrained vectors covered.
    public var pretrainedCovered: Int?
    /// Whether the embedding table was kept fixed.
    public var freezeEmbeddings: Bool
    /// Training examples used (after any validation split).
    public var trainExamples: Int
    /// Validation examples used.
    public var validExamples: Int
    /// The epoch whose weights were kept (lowest validation loss, or the last one).
    public var keptEpoch: Int
    /// What each epoch measured, in order.
    public var history: [EpochSummary]

    enum CodingKeys: String, CodingKey {
        case optimizer
        case learningRate = "learning_rate"
        case learningRateSchedule = "learning_rate_schedule"
        case momentum, nesterov
        case weightDecay = "weight_decay"
        case clip, epochs
        case batchSize = "batch_size"
        case seed
        case classWeights = "class_weights"
        case earlyStopping = "early_stopping"
        case validation
        case pretrainedVectors = "pretrained_vectors"
        case pretrainedCovered = "pretrained_covered"
        case freezeEmbeddings = "freeze_embeddings"
        case trainExamples = "train_examples"
        case validExamples = "valid_examples"
        case keptEpoch = "kept_epoch"
        case history
    }
}
