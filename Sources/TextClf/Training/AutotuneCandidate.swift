import Foundation

/// One point of the autotune search: the `textclf train` options it varies. Everything else
/// (batch size, clipping, maximum length, layers, filters, the tokenizer) keeps its `train`
/// default or the value the user gave.
///
/// Values are kept in the form the command line prints (three significant digits for the
/// learning rate, steps of 0.05 for dropout), so the printed options parse back to exactly the
/// values that were trained with.
public struct AutotuneCandidate: Hashable, Sendable {
    /// The architecture.
    public var arch: ClassifierConfiguration.Architecture
    /// The optimizer (sgd is searched for pool only).
    public var optimizer: TrainingOptions.OptimizerKind
    /// The learning rate at the first step.
    public var learningRate: Double
    /// How the rate changes over training.
    public var schedule: TrainingOptions.Schedule
    /// Passes over the training data.
    public var epochs: Int
    /// The embedding width.
    public var dim: Int
    /// Hidden units of each recurrent direction (rnn, lstm, gru).
    public var hidden: Int
    /// Pooling (searched for rnn, lstm, gru).
    public var pooling: ClassifierConfiguration.Pooling
    /// Dropout on the embeddings and the pooled vector.
    public var dropout: Float
    /// The cnn's kernel widths.
    public var kernelSizes: [Int]
    /// The longest word n-gram (pool only; 1 is off).
    public var wordNgrams: Int
    /// The shortest subword (0: off).
    public var minn: Int
    /// The longest subword (0: off).
    public var maxn: Int
    /// Hashed rows for n-grams and subwords (used only when either is on).
    public var buckets: Int
    /// The fewest occurrences a token needs to enter the vocabulary.
    public var minCount: Int

    /// The learning rate each architecture and optimizer starts from: Adam's 1e-3, but 0.01
    /// for the pool model (fastText's), which wants a larger step, and 2 for pool with SGD (its
    /// loss is a batch mean, so it needs a far larger rate than fastText's per-example 0.1; on
    /// trec, rates of 2 to 5 with a linear decay match Adam at 0.01).
    static func baseLearningRate(arch: ClassifierConfiguration.Architecture, optimizer: TrainingOptions.OptimizerKind) -> Double {
        switch (arch, optimizer) {
        case (.pool, .sgd): return 2
        case (.pool, _): return 0.01
        default: return 1e-3
        }
    }

    /// The search's first trial for `arch`: `textclf train`'s defaults, with the pool model's
    /// larger rate and 20 epochs (the options `Scripts/accuracy_table.sh` trains it with).
    public static func start(arch: ClassifierConfiguration.Architecture, buckets: Int) -> AutotuneCandidate {
        let defaults = ClassifierConfiguration(arch: arch)
        return AutotuneCandidate(
            arch: arch, optimizer: .adam, learningRate: baseLearningRate(arch: arch, optimizer: .adam), schedule: .constant,
            epochs: arch == .pool ? 20 : 10, dim: defaults.dim, hidden: defaults.hidden, pooling: defaults.pooling,
            dropout: defaults.dropout, kernelSizes: defaults.kernelSizes, wordNgrams: 1, minn: 0, maxn: 0,
            buckets: buckets, minCount: 1)
    }

    /// The network this candidate trains, with `tokenizer`.
    public func configuration(tokenizer: Tokenizer) -> ClassifierConfiguration {
        ClassifierConfiguration(arch: arch, pooling: pooling, dim: dim, hidden: hidden, kernelSizes: kernelSizes,
                                dropout: dropout, wordNgrams: wordNgrams, minn: minn, maxn: maxn,
                                buckets: buckets, tokenizer: tokenizer)
    }

    /// The training options of this candidate.
    /// - Throws: ``TrainingError/invalidOption(_:)`` when `threads` is below 1.
    public func trainingOptions(seed: UInt64, threads: Int) throws -> TrainingOptions {
        try TrainingOptions(optimizer: optimizer, learningRate: learningRate, schedule: schedule, epochs: epochs,
                            seed: seed, threads: threads)
    }

    /// The `textclf train` options that set this candidate, those equal to `train`'s defaults
    /// left out, in a fixed order: `--arch cnn --lr 0.002 --epochs 14`.
    public var trainArguments: [String] {
        let defaults = ClassifierConfiguration(arch: arch)
        var arguments = ["--arch", arch.rawValue]
        func add(_ flag: String, _ value: String, unless isDefault: Bool) {
            if !isDefault { arguments += [flag, value] }
        }
        // `train` gives pool fastText's defaults (sgd, a linear schedule, no dropout), which are
        // not the library's: pool's command names all four.
        let explicit = arch == .pool
        add("--optimizer", optimizer.rawValue, unless: !explicit && optimizer == .adam)
        add("--lr", "\(learningRate)", unless: !explicit && learningRate == optimizer.defaultLearningRate)
        add("--lr-schedule", schedule.rawValue, unless: !explicit && schedule == .constant)
        add("--epochs", "\(epochs)", unless: epochs == 10)
        add("--dim", "\(dim)", unless: dim == defaults.dim)
        add("--hidden", "\(hidden)", unless: hidden == defaults.hidden)
        add("--pooling", pooling.rawValue, unless: pooling == defaults.pooling)
        add("--dropout", "\(dropout)", unless: !explicit && dropout == defaults.dropout)
        add("--kernel-sizes", kernelSizes.map(String.init).joined(separator: ","), unless: kernelSizes == defaults.kernelSizes)
        add("--word-ngrams", "\(wordNgrams)", unless: wordNgrams == 1)
        add("--minn", "\(minn)", unless: minn == 0)
        add("--maxn", "\(maxn)", unless: maxn == 0)
        let hashed = wordNgrams > 1 || minn > 0
        add("--buckets", "\(buckets)", unless: !hashed || buckets == ClassifierConfiguration.defaultBuckets)
        add("--min-count", "\(minCount)", unless: minCount == 1)
        return arguments
    }
}
