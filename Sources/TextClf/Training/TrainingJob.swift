import Foundation

/// Everything `textclf train` does, as one library call: read and encode the corpora, build or
/// load the vocabulary, hold out validation data, initialise the network (optionally from
/// pretrained vectors), train, and write the model file, metrics log and plot atomically.
public struct TrainingJob: Sendable {
    /// How the loss is chosen; `auto` is softmax cross entropy, or BCE with `multilabel`.
    public enum LossChoice: String, CaseIterable, Sendable {
        case auto, ce, bce, mse
    }

    public enum ClassWeighting: String, CaseIterable, Sendable {
        case none
        /// n / (labels · count) per label.
        case balanced
    }

    public var trainPath: String
    public var validPath: String?
    /// The share of the training corpus held out for validation when there is no `validPath`.
    public var validSplit: Double?
    public var inputFormat: CorpusFormat?
    /// A vocabulary file, which also fixes the tokenizer; otherwise one is built from the
    /// training corpus with `tokenizer`, `minCount` and `maxSize`.
    public var vocabularyPath: String?
    public var tokenizer = Tokenizer()
    public var minCount = 1
    public var maxSize: Int?
    /// The network's shape; its `loss`, `multilabel` and `tokenizer` are set by the job.
    public var network: ClassifierConfiguration
    public var loss: LossChoice = .auto
    public var classWeighting: ClassWeighting = .none
    public var options: TrainingOptions
    public var pretrainedVectors: String?
    public var metricsLog: String?
    public var plot: String?
    public var outputPath: String
    /// Save the training state here at every epoch end and when stopped (only the latest is kept).
    public var checkpointDirectory: String?
    /// Continue from the checkpoint in `checkpointDirectory`; the other settings and the data
    /// must be those it was made with.
    public var resume = false
    /// Stops training at the next batch boundary when requested (as a cancelled task does).
    public var stopRequest: StopRequest?
    /// Stops as if requested after this many batches: a deterministic interruption for tests.
    public var stopAfterBatches: Int?

    public init(trainPath: String, network: ClassifierConfiguration, options: TrainingOptions, outputPath: String) {
        self.trainPath = trainPath
        self.network = network
        self.options = options
        self.outputPath = outputPath
    }

    /// What a finished job produced.
    public struct Result: Sendable {
        public var configuration: ClassifierConfiguration
        public var labels: [String]
        public var vocabularySize: Int
        public var parameterCount: Int
        public var record: TrainingRecord
    }

    /// Runs the job. Warnings (skipped lines, truncation, replaced bytes, ICU) go to `warning`;
    /// progress to `progress`.
    /// - Throws: `FileError`, `CorpusError`, `VocabularyError`, `PretrainedVectorsError`,
    ///   `TrainingError`, `CheckpointError`; nothing is written then. `CancellationError` when
    ///   stopped (a `StopRequest` or task cancellation) at a batch boundary, after saving a
    ///   checkpoint when `checkpointDirectory` is set.
    public func run(warning: (String) -> Void = { _ in },
                    progress: (TrainingEvent) -> Void = { _ in }) throws -> Result {
        try checkWritable(outputPath)
        for path in [metricsLog, plot].compactMap({ $0 }) { try checkWritable(path) }
        let given = try vocabularyPath.map { try Vocabulary(contentsOfFile: $0) }
        var configuration = network
        configuration.loss = resolvedLoss
        configuration.tokenizer = given?.tokenizer ?? tokenizer

        let training = try CorpusEncoder.training(
            path: trainPath, format: inputFormat, tokenizer: configuration.tokenizer, vocabulary: given,
            minCount: minCount, maxSize: maxSize, maxLength: configuration.maxLength, multilabel: configuration.multilabel)
        report(training.report, file: trainPath, warning: warning)
        var trainSet = training.dataset, validSet: EncodedDataset?
        if let validPath {
            let (dataset, validReport) = try CorpusEncoder.evaluation(
                path: validPath, format: inputFormat, vocabulary: training.vocabulary, labels: training.labels,
                maxLength: configuration.maxLength, multilabel: configuration.multilabel)
            report(validReport, file: validPath, warning: warning)
            validSet = dataset
        } else if let validSplit {
            (trainSet, validSet) = trainSet.split(holdingOut: validSplit, seed: options.seed)
        }

        var options = self.options
        if classWeighting == .balanced {
            options.classWeights = balancedClassWeights(counts: trainSet.labelCounts(labelCount: training.labels.count))
        }
        var generator = SeededGenerator(seed: options.seed)
        var model = Network(configuration: configuration, vocabularySize: training.vocabulary.count,
                            labelCount: training.labels.count, generator: &generator)
        var covered: Int?
        if let pretrainedVectors {
            covered = try PretrainedVectors.load(path: pretrainedVectors, into: &model.embedding.weight.storage,
                                                  vocabulary: training.vocabulary, dimension: configuration.dim)
        }
        let objective = Objective(configuration: configuration, labelCount: training.labels.count,
                                  classWeights: options.classWeights)
        var trainer = Trainer(network: model, objective: objective, options: options)
        let control = try trainingControl(configuration: configuration, options: options, vocabulary: training.vocabulary,
                                          labels: training.labels, train: trainSet, valid: validSet)
        let outcome = try trainer.train(on: trainSet, valid: validSet, control: control, progress: progress)

        configuration.training = TrainingRecord(
            optimizer: options.optimizer.rawValue, learningRate: options.learningRate,
            learningRateSchedule: options.schedule.rawValue, momentum: options.momentum, nesterov: options.nesterov,
            weightDecay: options.weightDecay, clip: options.clip, epochs: options.epochs, batchSize: options.batchSize,
            seed: options.seed, classWeights: options.classWeights, earlyStopping: options.earlyStopping,
            validation: validPath.map { _ in "file" } ?? validSplit.map { "split \($0)" } ?? "none",
            pretrainedVectors: pretrainedVectors.map { URL(fileURLWithPath: $0).lastPathComponent },
            pretrainedCovered: covered, freezeEmbeddings: options.freezeEmbeddings,
            trainExamples: trainSet.count, validExamples: validSet?.count ?? 0,
            keptEpoch: outcome.keptEpoch, history: outcome.history)
        let vocabularyTokens = (0..<training.vocabulary.count).map { training.vocabulary.token(for: Int32($0)) }
        let file = ModelFile(tensors: trainer.network.tensors, config: configuration.json(),
                             vocabulary: vocabularyTokens, labels: training.labels)
        // Every output is written before any is committed, and the model is committed last:
        // a log or plot that fails (a full device, a FIFO without reader) leaves no model behind.
        let modelWriter = try AtomicFileWriter(destination: outputPath)
        try file.serialized().withUnsafeBufferPointer { try modelWriter.output.write(bytes: $0) }
        if let metricsLog {
            try AtomicFileWriter.write(to: metricsLog) { output in
                for epoch in outcome.history { try output.write(canonicalJSON(epoch) + "\n") }
            }
        }
        if let plot {
            let title = "\(configuration.arch.rawValue) on \(URL(fileURLWithPath: trainPath).lastPathComponent)"
            try AtomicFileWriter.write(to: plot) { try $0.write(TrainingPlot.svg(outcome.history, title: title)) }
        }
        try modelWriter.commit()
        return Result(configuration: configuration, labels: training.labels, vocabularySize: training.vocabulary.count,
                      parameterCount: trainer.network.parameterCount, record: configuration.training!)
    }

    private var resolvedLoss: ClassifierConfiguration.Loss {
        switch loss {
        case .auto: return network.multilabel ? .bce : .ce
        case .ce: return .ce
        case .bce: return .bce
        case .mse: return .mse
        }
    }

    private func report(_ report: CorpusEncoder.Report, file: String, warning: (String) -> Void) {
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

    /// Fails early, before any training, when `path` cannot be created.
    private func checkWritable(_ path: String) throws {
        try AtomicFileWriter.checkWritable(path)
    }
}
