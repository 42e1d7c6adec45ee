import Foundation

/// How to train: the optimizer and its schedule, batching, regularisation, stopping and the
/// thread budget. The CLI's `train` options map one to one onto these fields.
///
/// Every value is checked when the options are made, so a trainer never meets an impossible
/// setting:
///
///     let options = try TrainingOptions(optimizer: .sgd, momentum: 0.9, epochs: 5, threads: 2)
///     _ = try TrainingOptions(epochs: 0)   // throws TrainingError.invalidOption
public struct TrainingOptions: Sendable {
    /// The rule that updates the dense parameters (the embedding gets its sparse variant).
    public enum OptimizerKind: String, CaseIterable, Sendable {
        /// Adam, with SparseAdam for the embedding.
        case adam
        /// Adam with decoupled weight decay, with SparseAdam for the embedding.
        case adamw
        /// Stochastic gradient descent (momentum, Nesterov, weight decay), sparse for the embedding.
        case sgd

        /// PyTorch's usual rates: 1e-3 for the Adam family, 0.1 for SGD.
        public var defaultLearningRate: Double { self == .sgd ? 0.1 : 1e-3 }
        /// AdamW decays by 0.01 by default, the others not at all.
        public var defaultWeightDecay: Double { self == .adamw ? 0.01 : 0 }
    }

    /// How the learning rate changes over training.
    public enum Schedule: String, CaseIterable, Sendable {
        /// The rate stays as given.
        case constant
        /// Decays the rate linearly to 0 over all steps, as fastText does.
        case linear
    }

    /// The optimizer of the dense parameters.
    public private(set) var optimizer: OptimizerKind
    /// The learning rate at the first step (positive).
    public private(set) var learningRate: Double
    /// How the learning rate changes over the steps.
    public private(set) var schedule: Schedule
    /// SGD's momentum, in [0, 1); 0 for the Adam family.
    public private(set) var momentum: Double
    /// Whether SGD uses Nesterov momentum (needs a momentum above 0).
    public private(set) var nesterov: Bool
    /// L2 weight decay (SGD, Adam) or decoupled decay (AdamW); not applied to the embedding.
    public private(set) var weightDecay: Double
    /// The maximum global gradient norm; 0 turns clipping off.
    public private(set) var clip: Double
    /// Passes over the training data (at least 1).
    public private(set) var epochs: Int
    /// Examples per optimizer step (at least 1).
    public private(set) var batchSize: Int
    /// The seed of every random draw: initialisation, batch order, dropout.
    public private(set) var seed: UInt64
    /// Stop after this many epochs without a lower validation loss; nil never stops early.
    public private(set) var earlyStopping: Int?
    /// Keeps the embedding table as initialised (e.g. from pretrained vectors).
    public private(set) var freezeEmbeddings: Bool
    /// Per-label loss weights in label order (finite, not negative), or nil for equal weights.
    public internal(set) var classWeights: [Float]?
    /// How many threads a training step may use (at least 1). The trained model does not
    /// depend on it.
    public private(set) var threads: Int

    /// Options with PyTorch's defaults where not given.
    /// - Parameters:
    ///   - optimizer: the optimizer of the dense parameters.
    ///   - learningRate: the rate at the first step; nil takes the optimizer's default.
    ///   - schedule: how the rate changes over the steps.
    ///   - momentum: SGD's momentum, in [0, 1).
    ///   - nesterov: Nesterov momentum for SGD.
    ///   - weightDecay: nil takes the optimizer's default.
    ///   - clip: the maximum global gradient norm, 0 for none.
    ///   - epochs: passes over the training data.
    ///   - batchSize: examples per step.
    ///   - seed: the seed of every random draw.
    ///   - earlyStopping: the patience in epochs, or nil.
    ///   - freezeEmbeddings: keep the embedding table fixed.
    ///   - classWeights: per-label loss weights, or nil.
    ///   - threads: how many threads a step may use; the number of cores by default.
    /// - Throws: ``TrainingError/invalidOption(_:)`` naming the first value out of its range.
    public init(optimizer: OptimizerKind = .adam, learningRate: Double? = nil, schedule: Schedule = .constant,
                momentum: Double = 0, nesterov: Bool = false, weightDecay: Double? = nil, clip: Double = 5,
                epochs: Int = 10, batchSize: Int = 64, seed: UInt64 = 1, earlyStopping: Int? = nil,
                freezeEmbeddings: Bool = false, classWeights: [Float]? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.optimizer = optimizer
        self.learningRate = learningRate ?? optimizer.defaultLearningRate
        self.schedule = schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay ?? optimizer.defaultWeightDecay
        self.clip = clip
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.earlyStopping = earlyStopping
        self.freezeEmbeddings = freezeEmbeddings
        self.classWeights = classWeights
        self.threads = threads
        try validate()
    }

    private func validate() throws {
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw TrainingError.invalidOption(message()) }
        }
        try require(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive and finite, not \(learningRate)")
        try require(momentum >= 0 && momentum < 1, "the momentum must be in [0, 1), not \(momentum)")
        try require(optimizer == .sgd || (momentum == 0 && !nesterov), "momentum and Nesterov apply to the sgd optimizer only")
        try require(!nesterov || momentum > 0, "Nesterov momentum needs a momentum above 0")
        try require(weightDecay >= 0 && weightDecay.isFinite, "the weight decay must be finite and not negative, not \(weightDecay)")
        try require(clip >= 0 && clip.isFinite, "the clipping norm must be finite and not negative (0 is off), not \(clip)")
        try require(epochs >= 1, "epochs must be at least 1, not \(epochs)")
        try require(batchSize >= 1, "the batch size must be at least 1, not \(batchSize)")
        if let earlyStopping { try require(earlyStopping >= 1, "the early-stopping patience must be at least 1, not \(earlyStopping)") }
        if let classWeights {
            try require(classWeights.allSatisfy { $0 >= 0 && $0.isFinite }, "class weights must be finite and not negative")
        }
        try require(threads >= 1, "threads must be at least 1, not \(threads)")
    }
}

/// What the trainer reports while it works.
public enum TrainingEvent: Sendable {
    /// A batch finished: its place in the epoch (1-based), the epoch's running mean loss, and
    /// throughput in tokens per second.
    case batch(epoch: Int, batch: Int, batches: Int, runningLoss: Double, tokensPerSecond: Double)
    /// An epoch finished, with its wall-clock seconds and training throughput.
    case epoch(EpochSummary, seconds: Double, tokensPerSecond: Double)
}

/// Why training could not start or stopped with an error.
public enum TrainingError: Error, Equatable, LocalizedError {
    /// The loss of batch `batch` (1-based) in epoch `epoch` was NaN or infinite.
    case diverged(epoch: Int, batch: Int)
    /// A training option or job setting is out of its range; the message says which and why.
    case invalidOption(String)

    /// The message for the user, with a hint where one helps.
    public var errorDescription: String? {
        switch self {
        case .invalidOption(let message):
            return "invalid training options: \(message)"
        case .diverged(let epoch, let batch):
            return "the loss became NaN or infinite in epoch \(epoch), batch \(batch); try a lower --lr or a smaller --clip"
        }
    }
}
