import Foundation

/// How to train: the optimizer and its schedule, batching, regularisation and stopping.
/// The CLI's `train` options map one to one onto these fields.
public struct TrainingOptions: Sendable {
    public enum OptimizerKind: String, CaseIterable, Sendable {
        case adam, adamw, sgd

        /// PyTorch's usual rates: 1e-3 for the Adam family, 0.1 for SGD.
        public var defaultLearningRate: Double { self == .sgd ? 0.1 : 1e-3 }
        /// AdamW decays by 0.01 by default, the others not at all.
        public var defaultWeightDecay: Double { self == .adamw ? 0.01 : 0 }
    }

    public enum Schedule: String, CaseIterable, Sendable {
        case constant
        /// Decays the rate linearly to 0 over all steps, as fastText does.
        case linear
    }

    public var optimizer: OptimizerKind = .adam
    public var learningRate: Double
    public var schedule: Schedule = .constant
    public var momentum: Double = 0
    public var nesterov = false
    public var weightDecay: Double
    /// The maximum global gradient norm; 0 turns clipping off.
    public var clip: Double = 5
    public var epochs = 10
    public var batchSize = 64
    public var seed: UInt64 = 1
    /// Stop after this many epochs without a lower validation loss; nil never stops early.
    public var earlyStopping: Int?
    public var freezeEmbeddings = false
    /// Per-label loss weights, or nil.
    public var classWeights: [Float]?

    public init(optimizer: OptimizerKind = .adam, learningRate: Double? = nil, weightDecay: Double? = nil) {
        self.optimizer = optimizer
        self.learningRate = learningRate ?? optimizer.defaultLearningRate
        self.weightDecay = weightDecay ?? optimizer.defaultWeightDecay
    }
}

/// What the trainer reports while it works.
public enum TrainingEvent: Sendable {
    /// A batch finished: its place in the epoch, the epoch's running mean loss, and throughput.
    case batch(epoch: Int, batch: Int, batches: Int, runningLoss: Double, tokensPerSecond: Double)
    /// An epoch finished, with its wall-clock seconds and training throughput.
    case epoch(EpochSummary, seconds: Double, tokensPerSecond: Double)
}

/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, LocalizedError {
    case diverged(epoch: Int, batch: Int)

    public var errorDescription: String? {
        switch self {
        case .diverged(let epoch, let batch):
            return "the loss became NaN or infinite in epoch \(epoch), batch \(batch); try a lower --lr or a smaller --clip"
        }
    }
}
