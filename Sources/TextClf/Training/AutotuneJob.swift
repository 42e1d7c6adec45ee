import Foundation

/// Everything `textclf autotune` does, as one library call: search the `train` options on the
/// validation data, then train the best candidate again with `TrainingJob` (the code
/// `textclf train` runs) and write that model.
///
/// The search follows fastText's autotune (see `AutotuneSearch`). With a budget of trials it is
/// deterministic: the same data, options and seed give the same trials and the same model file,
/// byte for byte, for any thread count. With a duration, trials stop being started once it has
/// passed, and a trial still running then is stopped at its next batch and discarded.
///
///     var job = AutotuneJob(train: .corpus(URL(fileURLWithPath: "train.tsv")), budget: .trials(20))
///     job.validSplit = 0.1
///     let result = try job.run()
///     print(result.best.candidate.trainArguments, result.best.score!)
public struct AutotuneJob: Sendable {
    /// How long the search runs.
    public enum Budget: Equatable, Sendable {
        /// Start no trial after this many seconds (counted from the start of the run).
        case duration(seconds: Double)
        /// Run this many trials.
        case trials(Int)
    }

    /// The training examples.
    public var train: ExampleSource
    /// Validation examples that trials are scored on (or give ``validSplit``).
    public var valid: ExampleSource?
    /// The share of the training examples held out for validation when there is no ``valid``.
    public var validSplit: Double?
    /// The tokenizer, fixed by the caller (not searched).
    public var tokenizer = Tokenizer()
    /// How long the search runs.
    public var budget: Budget
    /// What is maximised.
    public var metric: AutotuneMetric = .accuracy
    /// The architectures searched, whose starting points are tried first in this order.
    public var architectures: [ClassifierConfiguration.Architecture] = ClassifierConfiguration.Architecture.allCases
    /// The largest int8-quantized file size, in bytes, that a candidate may have; nil for no limit.
    public var modelSize: Int?
    /// The seed of the search and of every trial's training.
    public var seed: UInt64 = 1
    /// How many threads training may use; results do not depend on it.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Where to write the best model, or nil to keep it in ``Result/model`` only.
    public var output: URL?
    /// Ends the search early (a running trial at its next batch); the best trial so far is
    /// then trained and written.
    public var stopRequest: StopRequest?

    /// A search over `train` within `budget`.
    public init(train: ExampleSource, budget: Budget = .duration(seconds: 300)) {
        self.train = train
        self.budget = budget
    }

    /// What a finished search produced.
    public struct Result: Sendable {
        /// Every trial, in order.
        public var trials: [AutotuneTrial]
        /// The trial of highest score (the earliest among equals).
        public var best: AutotuneTrial
        /// The best candidate trained again: the model written to ``AutotuneJob/output``.
        public var model: TrainingJob.Result
        /// The file written: ``model``'s, quantized to fit `--model-size` when one was given.
        public var written: ModelFile
        /// The size of ``written`` in bytes.
        public var writtenSize: Int
        /// The best model's estimated int8 file size.
        public var estimatedSize: Int
        /// The arguments of `textclf train` that train ``model`` byte for byte (`--train FILE
        /// ... -o OUTPUT`), or nil when the examples came from memory.
        public var trainArguments: [String]?
        /// With `--model-size`, the options of `textclf quantize` (beyond `-m` and `-o`) that
        /// turn the trained model into ``written``: empty, or `--cutoff N`; nil otherwise.
        public var quantizeArguments: [String]?
    }

    /// What the search reports while it works.
    public enum Event: Sendable {
        /// A trial begins.
        case trialStarted(number: Int, candidate: AutotuneCandidate)
        /// The share of the budget used, in [0, 1], during a trial.
        case progress(Double)
        /// A trial ended; `best` is the best trial so far.
        case trialFinished(AutotuneTrial, best: AutotuneTrial?)
        /// The search is over and the best candidate is trained again.
        case finalTraining(AutotuneTrial)
        /// The share of the final training done, in [0, 1].
        case finalProgress(Double)
    }

    /// The longest sequence a trial reads (`train`'s default).
    static let maxLength = ClassifierConfiguration(arch: .pool).maxLength

    /// Runs the search, trains the best candidate again and writes it to ``output``.
    /// - Returns: the trials, the best one and its model.
    /// - Throws: ``TrainingError/invalidOption(_:)`` for settings out of range, before any work;
    ///   ``AutotuneError`` when the metric's label is unknown, no candidate fits ``modelSize``
    ///   or no trial finished; what `TrainingJob` throws for the data; `CancellationError` when
    ///   stopped before any trial finished. Nothing is written then.
    public func run(warning: (String) -> Void = { _ in }, progress: (Event) -> Void = { _ in }) throws -> Result {
        try validate()
        if let output { try AtomicFileWriter.checkWritable(output.relativePath) }
        let started = Date()
        let searchStop = StopRequest()
        let corpus = AutotuneCorpus(train: train, valid: valid, validSplit: validSplit, tokenizer: tokenizer,
                                    maxLength: Self.maxLength, seed: seed)
        let first = try corpus.data(minCount: 1, hashing: nil, warning: warning)
        if case .f1(let label) = metric, !first.labels.contains(label) {
            throw AutotuneError.unknownMetricLabel(label, labels: first.labels)
        }
        // Hashed rows beyond the corpus's token count mostly stay unused: 200,000 keeps small
        // corpora's trials fast, larger ones may reach fastText's 2,000,000.
        let trainTokens = (0..<first.train.count).reduce(0) { $0 + first.train.length(of: $1) }
        let bucketCap = min(ClassifierConfiguration.defaultBuckets, max(200_000, trainTokens))
        func estimate(_ candidate: AutotuneCandidate) throws -> Int {
            // The vocabulary depends on the minimum count alone.
            let data = try corpus.data(minCount: candidate.minCount, hashing: nil, warning: warning)
            return AutotuneSizeEstimate.int8Bytes(configuration: candidate.configuration(tokenizer: tokenizer),
                                                  vocabulary: data.vocabulary, labels: data.labels,
                                                  epochs: candidate.epochs) ?? .max
        }
        func fits(_ candidate: AutotuneCandidate) throws -> Bool {
            try modelSize.map { try estimate(candidate) <= $0 } ?? true
        }
        var starts: [AutotuneCandidate] = []
        for arch in architectures {
            let start = try Self.shrunk(AutotuneCandidate.start(arch: arch, buckets: min(100_000, bucketCap)), until: fits)
            if let start { starts.append(start) } else { warning("no \(arch.rawValue) model fits --model-size; \(arch.rawValue) is left out") }
        }
        guard !starts.isEmpty else {
            let smallest = try architectures.map { try estimate(Self.smallest(.start(arch: $0, buckets: bucketCap))) }.min() ?? 0
            throw AutotuneError.modelSizeTooSmall(limit: modelSize ?? 0, smallest: smallest)
        }
        var search = AutotuneSearch(starts: starts, seed: seed, subwords: tokenizer.level != .char,
                                    bucketRange: 10_000...bucketCap)

        var trials: [AutotuneTrial] = []
        var best: AutotuneTrial?
        func used(withinTrial fraction: Double) -> Double {
            switch budget {
            case .duration(let seconds): return min(1, Date().timeIntervalSince(started) / seconds)
            case .trials(let count): return min(1, (Double(trials.count) + fraction) / Double(count))
            }
        }
        func budgetLeft() -> Bool {
            switch budget {
            case .duration(let seconds): return Date().timeIntervalSince(started) < seconds
            case .trials(let count): return trials.count < count
            }
        }
        while budgetLeft() && !searchStop.isRequested && stopRequest?.isRequested != true {
            guard let candidate = try search.next(progress: used(withinTrial: 0), accept: fits) else {
                warning("the search found no new candidate within --model-size; it ends after \(trials.count) trial(s)")
                break
            }
            let number = trials.count + 1
            progress(.trialStarted(number: number, candidate: candidate))
            let data = try corpus.data(minCount: candidate.minCount,
                                       hashing: candidate.configuration(tokenizer: tokenizer).hashedRowOptions, warning: warning)
            var trial = try AutotuneTrial.run(
                number: number, candidate: candidate, data: data, tokenizer: tokenizer, metric: metric, seed: seed,
                threads: threads, stop: searchStop
            ) { event in
                if case .duration(let seconds) = budget, Date().timeIntervalSince(started) >= seconds { searchStop.request() }
                if stopRequest?.isRequested == true { searchStop.request() }
                if case let .batch(epoch, batch, batches, _, _) = event {
                    progress(.progress(used(withinTrial: (Double(epoch - 1) + Double(batch) / Double(batches)) / Double(candidate.epochs))))
                }
            }
            if modelSize != nil { trial.estimatedSize = try estimate(candidate) }
            if let score = trial.score {
                search.record(candidate, score: score)
                if best.map({ score > $0.score! }) ?? true { best = trial }
            }
            trials.append(trial)
            progress(.trialFinished(trial, best: best))
        }
        guard let best else {
            if stopRequest?.isRequested == true { throw CancellationError() }
            throw AutotuneError.noTrialFinished
        }

        progress(.finalTraining(best))
        let trained = try finalJob(best.candidate).run(warning: { _ in }) { event in
            if case let .batch(epoch, batch, batches, _, _) = event {
                progress(.finalProgress((Double(epoch - 1) + Double(batch) / Double(batches)) / Double(best.candidate.epochs)))
            }
        }
        var written = trained.model, cutoff: Int?
        if let modelSize {
            (written, cutoff) = try Self.quantized(trained.model, toFit: modelSize, name: output?.relativePath ?? "model")
        }
        let bytes = written.serialized()
        if let output {
            try AtomicFileWriter.write(to: output.relativePath) { writer in
                try bytes.withUnsafeBufferPointer { try writer.write(bytes: $0) }
            }
        }
        return Result(trials: trials, best: best, model: trained, written: written, writtenSize: bytes.count,
                      estimatedSize: try estimate(best.candidate), trainArguments: trainArguments(best.candidate),
                      quantizeArguments: modelSize == nil ? nil : cutoff.map { ["--cutoff", String($0)] } ?? [])
    }

    /// `model` quantized to int8, with as many embedding rows kept as fit in `limit` bytes when
    /// all of them do not (the search's estimate keeps that rare); the cutoff is nil when every
    /// row is kept.
    static func quantized(_ model: ModelFile, toFit limit: Int, name: String) throws -> (ModelFile, cutoff: Int?) {
        let whole = try Quantization.quantize(model, name: name, cutoff: nil)
        guard whole.serialized().count > limit, let rows = model.tensors["embedding.weight"]?.shape.first else {
            return (whole, nil)
        }
        // The largest cutoff that fits: the file shrinks as rows go.
        var (low, high) = (EmbeddingRowIndex.minimumRows, rows - 1)
        var best = try Quantization.quantize(model, name: name, cutoff: low)
        while low < high {
            let middle = (low + high + 1) / 2
            let candidate = try Quantization.quantize(model, name: name, cutoff: middle)
            if candidate.serialized().count <= limit { (low, best) = (middle, candidate) } else { high = middle - 1 }
        }
        return (best, low)
    }

    /// The `TrainingJob` that trains `candidate` as `textclf train` with ``trainArguments`` does.
    func finalJob(_ candidate: AutotuneCandidate) throws -> TrainingJob {
        var job = TrainingJob(train: train, network: candidate.configuration(tokenizer: tokenizer),
                              options: try candidate.trainingOptions(seed: seed, threads: threads))
        job.valid = valid
        job.validSplit = validSplit
        job.tokenizer = tokenizer
        job.minCount = candidate.minCount
        return job
    }

    /// `textclf train` arguments that train `candidate` on the same files; nil for examples in memory.
    func trainArguments(_ candidate: AutotuneCandidate) -> [String]? {
        guard case .corpus(let trainURL, let format) = train else { return nil }
        var arguments = ["--train", trainURL.relativePath]
        switch valid {
        case .corpus(let url, _)?: arguments += ["--valid", url.relativePath]
        case .examples?: return nil
        case nil: arguments += ["--valid-split", "\(validSplit!)"]
        }
        if let format { arguments += ["--input-format", format.rawValue] }
        if tokenizer.level != .word { arguments += ["--level", tokenizer.level.rawValue] }
        if tokenizer.lowercase { arguments.append("--lowercase") }
        if tokenizer.normalization != .none { arguments += ["--normalize", tokenizer.normalization.rawValue] }
        if tokenizer.keepPunctuation { arguments.append("--keep-punctuation") }
        arguments += candidate.trainArguments
        if seed != 1 { arguments += ["--seed", "\(seed)"] }
        return arguments + ["-o", output?.relativePath ?? "MODEL"]
    }

    /// `candidate`, or a smaller one (halving dim, hidden and the hashed rows, then raising the
    /// minimum count) until `fits` takes it; nil when even the smallest does not fit.
    static func shrunk(_ candidate: AutotuneCandidate, until fits: (AutotuneCandidate) throws -> Bool) rethrows -> AutotuneCandidate? {
        var c = candidate
        while try !fits(c) {
            if c.dim > 8 || c.hidden > 16 {
                (c.dim, c.hidden) = (max(8, c.dim / 2), max(16, c.hidden / 2))
            } else if let next = AutotuneSearch.minCountChoices.first(where: { $0 > c.minCount }) {
                c.minCount = next
            } else {
                return nil
            }
        }
        return c
    }

    /// The smallest candidate ``shrunk(_:until:)`` tries from `candidate`.
    static func smallest(_ candidate: AutotuneCandidate) -> AutotuneCandidate {
        var c = candidate
        (c.dim, c.hidden, c.minCount) = (8, 16, AutotuneSearch.minCountChoices.last!)
        return c
    }

    private func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw TrainingError.invalidOption(message) }
        }
        try require((valid == nil) != (validSplit == nil), "autotune needs validation data: a validation corpus or a split, not both")
        if let validSplit { try require(validSplit > 0 && validSplit < 1, "the validation split must be between 0 and 1, not \(validSplit)") }
        switch budget {
        case .duration(let seconds): try require(seconds > 0 && seconds.isFinite, "the duration must be positive, not \(seconds)")
        case .trials(let count): try require(count >= 1, "the number of trials must be at least 1, not \(count)")
        }
        try require(!architectures.isEmpty, "give at least one architecture to search")
        try require(Set(architectures).count == architectures.count, "an architecture is listed twice")
        if let modelSize { try require(modelSize >= 1, "the model size must be positive, not \(modelSize)") }
        try require(threads >= 1, "threads must be at least 1, not \(threads)")
    }
}
