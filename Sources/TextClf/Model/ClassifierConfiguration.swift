import Foundation

/// Everything that defines a classifier network and how its input is prepared: the `config`
/// of the model file (SPEC §3), stored as JSON with sorted snake_case keys.
public struct ClassifierConfiguration: Codable, Equatable, Sendable {
    /// What sits between the embedding and the pooling.
    public enum Architecture: String, Codable, CaseIterable, Sendable {
        /// Nothing: the embeddings are pooled directly (fastText's model).
        case pool
        case rnn, lstm, gru
        /// A bank of 1-D convolutions, one per kernel size.
        case cnn

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
        case mean, max
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

    public var arch: Architecture
    public var pooling: Pooling
    public var dim: Int
    public var hidden: Int
    public var layers: Int
    public var bidirectional: Bool
    public var kernelSizes: [Int]
    public var filters: Int
    public var dropout: Float
    public var loss: Loss
    public var multilabel: Bool
    /// Tokens beyond this many are dropped, in training and prediction alike.
    public var maxLength: Int
    public var tokenizer: Tokenizer
    /// The ICU version the model was trained with: segmentation may differ under another.
    public var icuVersion: String
    /// How the model was trained and what each epoch measured; absent for untrained networks.
    public var training: TrainingRecord?

    public init(arch: Architecture, pooling: Pooling? = nil, dim: Int = 64, hidden: Int = 128, layers: Int = 1,
                bidirectional: Bool = false, kernelSizes: [Int] = [3, 4, 5], filters: Int = 100,
                dropout: Float = 0.1, loss: Loss = .ce, multilabel: Bool = false, maxLength: Int = 256,
                tokenizer: Tokenizer = Tokenizer(), icuVersion: String = TextClf.icuVersion,
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

    enum CodingKeys: String, CodingKey {
        case arch, pooling, dim, hidden, layers, bidirectional
        case kernelSizes = "kernel_sizes"
        case filters, dropout, loss, multilabel
        case maxLength = "max_length"
        case tokenizer
        case icuVersion = "icu_version"
        case training
    }

    /// The configuration as canonical JSON: sorted keys, no spaces.
    public func json() -> String {
        canonicalJSON(self)
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
    public var optimizer: String
    public var learningRate: Double
    public var learningRateSchedule: String
    public var momentum: Double
    public var nesterov: Bool
    public var weightDecay: Double
    public var clip: Double
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    public var classWeights: [Float]?
    public var earlyStopping: Int?
    public var validation: String
    public var pretrainedVectors: String?
    /// How many ordinary vocabulary tokens the pretrained vectors covered.
    public var pretrainedCovered: Int?
    public var freezeEmbeddings: Bool
    public var trainExamples: Int
    public var validExamples: Int
    /// The epoch whose weights were kept (lowest validation loss, or the last one).
    public var keptEpoch: Int
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

/// JSON with sorted keys and no spaces, so equal values always give equal bytes.
func canonicalJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding plain values cannot fail.
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}
