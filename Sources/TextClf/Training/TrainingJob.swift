import CKernels
import Foundation

/// Everything `textclf train` does, as one library call: read and encode the examples, build
/// or take the vocabulary, hold out validation data, initialise the network (optionally from
/// pretrained vectors), train, and write the model file, metrics log and plot atomically.
///
/// The examples may come from a corpus file or from memory, and the model need not be
/// written anywhere: ``Result/model`` holds it.
///
///     var job = TrainingJob(train: .examples(examples), network: ClassifierConfiguration(arch: .pool),
///                           options: try TrainingOptions(epochs: 5))
///     let result = try job.run()
///     let classifier = try Classifier(file: result.model, name: "trained")
public struct TrainingJob: Sendable {
    /// How the loss is chosen; `auto` is softmax cross entropy, or BCE with `multilabel`.
    public enum LossChoice: String, CaseIterable, Sendable {
        /// Cross entropy, or binary cross entropy for a multi-label network.
        case auto
        /// Softmax cross entropy.
        case ce
        /// Sigmoid binary cross entropy.
        case bce
        /// Mean squared error of σ(z) against one-hot targets.
        case mse
    }

    /// How labels are weighted in the loss.
    public enum ClassWeighting: String, CaseIterable, Sendable {
        /// Every label weighs 1.
        case none
        /// n / (labels · count) per label.
        case balanced
    }

    /// The training examples.
    public var train: ExampleSource
    /// Validation examples; then the epoch of lowest validation loss is kept.
    public var valid: ExampleSource?
    /// The share of the training examples held out for validation when there is no ``valid``,
    /// in (0, 1).
    public var validSplit: Double?
    /// A fixed vocabulary, whose tokenizer is used; otherwise one is built from the training
    /// examples with ``tokenizer``, ``minCount`` and ``maxSize``.
    public var vocabulary: Vocabulary?
    /// The tokenizer of a vocabulary built from the training examples.
    public var tokenizer = Tokenizer()
    /// The fewest occurrences a token needs to enter a built vocabulary (at least 1).
    public var minCount = 1
    /// The most ordinary tokens a built vocabulary keeps, or nil for all.
    public var maxSize: Int?
    /// The network's shape; its `loss`, `multilabel` and `tokenizer` are set by the job.
    public var network: ClassifierConfiguration
    /// The loss to train with.
    public var loss: LossChoice = .auto
    /// How labels are weighted in the loss.
    public var classWeighting: ClassWeighting = .none
    /// The optimizer, schedule, batching, stopping rule and thread budget.
    public var options: TrainingOptions
    /// A word2vec/fastText `.vec` file whose vectors initialise the embedding rows it covers.
    public var pretrainedVectors: URL?
    /// Where to write one JSON object per epoch, or nil.
    public var metricsLog: URL?
    /// Where to write an SVG plot of the loss and accuracy curves, or nil.
    public var plot: URL?
    /// Where to write the model file, or nil to keep it in ``Result/model`` only.
    public var output: URL?
    /// Save the training state here at every epoch end and when stopped (only the latest is kept).
    public var checkpointDirectory: URL?
    /// Continue from the checkpoint in `checkpointDirectory`; the other settings and the data
    /// must be those it was made with.
    public var resume = false
    /// Stops training at the next batch boundary when requested (as a cancelled task does).
    public var stopRequest: StopRequest?
    /// Stops as if requested after this many batches: a deterministic interruption for tests.
    public var stopAfterBatches: Int?

    /// A job that trains `network` on `train` with `options` and writes the model to `output`.
    public init(train: ExampleSource, network: ClassifierConfiguration, options: TrainingOptions, output: URL? = nil) {
        self.train = train
        self.network = network
        self.options = options
        self.output = output
    }

    /// What a finished job produced.
    public struct Result: Sendable {
        /// The trained network's configuration, training record included.
        public var configuration: ClassifierConfiguration
        /// The labels in output order.
        public var labels: [String]
        /// The number of vocabulary ids, `<pad>` and `<unk>` included.
        public var vocabularySize: Int
        /// The number of trained weights.
        public var parameterCount: Int
        /// The options and per-epoch results, as the model file stores them.
        public var record: TrainingRecord
        /// The model, as written to ``TrainingJob/output``; `Classifier(file:name:)` loads it.
        public var model: ModelFile
    }

    /// Runs the job. Warnings (skipped lines, truncation, replaced bytes, ICU) go to `warning`;
    /// progress to `progress`.
    /// - Returns: the trained model with its summary.
    /// - Throws: ``TrainingError/invalidOption(_:)`` for a setting out of range, before any
    ///   work; ``FileError``, ``CorpusError``, ``VocabularyError``, `PretrainedVectorsError`,
    ///   ``TrainingError``, `CheckpointError`; nothing is written then. `CancellationError` when
    ///   stopped (a `StopRequest` or task cancellation) at a batch boundary, after saving a
    ///   checkpoint when `checkpointDirectory` is set.
    public func run(warning: (String) -> Void = { _ in },
                    progress: (TrainingEvent) -> Void = { _ in }) throws -> Result {
        try validate()
        for url in [output, metricsLog, plot].compactMap({ $0 }) { try checkWritable(url.relativePath) }
        var configuration = network
        configuration.loss = resolvedLoss
        configuration.tokenizer = vocabulary?.tokenizer ?? tokenizer

        // Texts are tokenized in chunks on the training's threads; the result does not depend on them.
        let threads = self.options.threads
        let runner: CorpusEncoder.ChunkRunner = { count, body in
            Parallel.withThreads(threads) { Parallel.forEachShard(count, body) }
        }
        var training = try CorpusEncoder.training(
            train, tokenizer: configuration.tokenizer, vocabulary: vocabulary, minCount: minCount, maxSize: maxSize,
            maxLength: configuration.maxLength, multilabel: configuration.multilabel,
            hashing: configuration.hashedRowOptions, runner: runner)
        report(training.report, source: train.name, warning: warning)
        var trainSet = training.dataset, validSet: EncodedDataset?
        training.dataset = EncodedDataset()  // trainSet holds the only reference, freed after training
        if let valid {
            let evaluation = try CorpusEncoder.evaluation(
                valid, vocabulary: training.vocabulary, labels: training.labels,
                maxLength: configuration.maxLength, multilabel: configuration.multilabel,
                hashedRows: trainSet.hashedRows, runner: runner)
            report(evaluation.report, source: valid.name, warning: warning)
            validSet = evaluation.dataset
        } else if let validSplit {
            let split = trainSet.split(holdingOut: validSplit, seed: options.seed)
            trainSet = split.train
            validSet = split.held
        }

        var options = self.options
        if classWeighting == .balanced {
            options.classWeights = balancedClassWeights(counts: trainSet.labelCounts(labelCount: training.labels.count))
        }
        returnFreedMemory()
        var generator = SeededGenerator(seed: options.seed)
        var model = Network(configuration: configuration, vocabularySize: training.vocabulary.count,
                            labelCount: training.labels.count, generator: &generator)
        var covered: Int?
        if let pretrainedVectors {
            covered = try PretrainedVectors.load(path: pretrainedVectors.relativePath, into: &model.embedding.weight.storage,
                                                  vocabulary: training.vocabulary, dimension: configuration.dim)
        }
        let objective = Objective(configuration: configuration, labelCount: training.labels.count,
                                  classWeights: options.classWeights)
        // Consumed, so that the trainer holds the only reference to the weights: the first
        // update would otherwise copy the embedding table (hundreds of MB with hashed rows).
        var trainer = Trainer(network: consume model, objective: objective, options: options)
        let control = try trainingControl(configuration: configuration, options: options, vocabulary: training.vocabulary,
                                          labels: training.labels, train: trainSet, valid: validSet)
        let outcome = try trainer.train(on: trainSet, valid: validSet, control: control, progress: progress)
        let (trainExamples, validExamples) = (trainSet.count, validSet?.count ?? 0)
        // The encoded examples are done with: the model file's header reuses their memory.
        (trainSet, validSet) = (EncodedDataset(), nil)

        configuration.training = TrainingRecord(
            optimizer: options.optimizer.rawValue, learningRate: options.learningRate,
            learningRateSchedule: options.schedule.rawValue, momentum: options.momentum, nesterov: options.nesterov,
            weightDecay: options.weightDecay, clip: options.clip, epochs: options.epochs, batchSize: options.batchSize,
            seed: options.seed, classWeights: options.classWeights, earlyStopping: options.earlyStopping,
            validation: validationSummary,
            pretrainedVectors: pretrainedVectors?.lastPathComponent,
            pretrainedCovered: covered, freezeEmbeddings: options.freezeEmbeddings,
            trainExamples: trainExamples, validExamples: validExamples,
            keptEpoch: outcome.keptEpoch, history: outcome.history)
        let vocabularyTokens = (0..<training.vocabulary.count).map { training.vocabulary.token(for: Int32($0)) }
        let file = ModelFile(tensors: trainer.network.tensors, config: configuration.json(),
                             vocabulary: vocabularyTokens, labels: training.labels,
                             formatVersion: configuration.minimumFormatVersion)
        // Every output is written before any is committed, and the model is committed last:
        // a log or plot that fails (a full device, a FIFO without reader) leaves no model behind.
        let modelWriter = try output.map { try AtomicFileWriter(destination: $0.relativePath) }
        if let modelWriter {
            try file.write(to: modelWriter.output)
        }
        if let metricsLog {
            try AtomicFileWriter.write(to: metricsLog.relativePath) { writer in
                for epoch in outcome.history { try writer.write(JSONText.document(epoch) + "\n") }
            }
        }
        if let plot {
            let title = "\(configuration.arch.rawValue) on \(URL(fileURLWithPath: train.name).lastPathComponent)"
            try AtomicFileWriter.write(to: plot.relativePath) { try $0.write(TrainingPlot.svg(outcome.history, title: title)) }
        }
        try modelWriter?.commit()
        return Result(configuration: configuration, labels: training.labels, vocabularySize: training.vocabulary.count,
                      parameterCount: trainer.network.parameterCount, record: configuration.training!, model: file)
    }

    /// Refuses settings that training cannot honour, before anything is read or written.
    private func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw TrainingError.invalidOption(message) }
        }
        let n = network
        if let validSplit { try require(validSplit > 0 && validSplit < 1, "the validation split must be between 0 and 1, not \(validSplit)") }
        try require(minCount >= 1, "the minimum count must be at least 1, not \(minCount)")
        if let maxSize { try require(maxSize >= 0, "the maximum vocabulary size must not be negative, not \(maxSize)") }
        try require(n.dim >= 1 && n.hidden >= 1 && n.layers >= 1 && n.filters >= 1,
                    "the network's dim, hidden, layers and filters must be at least 1")
        try require(!n.kernelSizes.isEmpty && n.kernelSizes.allSatisfy { $0 >= 1 }, "kernel sizes must be at least 1")
        try require(n.dropout >= 0 && n.dropout < 1, "dropout must be in [0, 1), not \(n.dropout)")
        try require(n.maxLength >= 1, "the maximum length must be at least 1, not \(n.maxLength)")
        try require(n.pooling != .last || n.arch.isRecurrent, "last pooling needs a recurrent architecture (rnn, lstm or gru)")
        try require(!(n.multilabel && loss == .ce), "ce gives one label per example; use bce or mse for a multi-label network")
        try require(options.earlyStopping == nil || valid != nil || validSplit != nil,
                    "early stopping needs validation examples or a validation split")
    }

    /// How the training record names the validation data: `file`, `examples`, `split P` or `none`.
    private var validationSummary: String {
        switch valid {
        case .corpus?: return "file"
        case .examples?: return "examples"
        case nil: return validSplit.map { "split \($0)" } ?? "none"
        }
    }

    private var resolvedLoss: ClassifierConfiguration.Loss {
        switch loss {
        case .auto: return network.multilabel ? .bce : .ce
        case .ce: return .ce
        case .bce: return .bce
        case .mse: return .mse
        }
    }

    private func report(_ report: CorpusEncoder.Report, source file: String, warning: (String) -> Void) {
        if report.skippedEmpty > 0 {
            warning("\(file): skipped \(report.skippedEmpty) example(s) without any token")
        }
        if report.truncated > 0 {
            warning("\(file): \(report.truncated) example(s) longer than --max-length \(network.maxLength) tokens were cut")
        }
        if report.replacements > 0 {
            warning("\(file): \(report.replacements) invalid UTF-8 sequence(s) replaced by U+FFFD")
        }
    }

    /// Gives the allocator's free memory back to the system. Encoding frees the texts, token
    /// counts and chunks it built, but glibc keeps freed heap memory (and the CLI asks it to keep
    /// up to 1 GiB for the training batches), which would count in the peak beside the weights.
    private func returnFreedMemory() {
        ckernels_return_freed_memory()
    }

    /// Fails early, before any training, when `path` cannot be created.
    private func checkWritable(_ path: String) throws {
        try AtomicFileWriter.checkWritable(path)
    }
}
