import Foundation
import Testing
@testable import TextClf

/// The autotune search from the library: its metrics against `textclf test`'s, the shape of its
/// perturbations, the size estimate, and a whole search.
@Suite("autotune")
struct AutotuneTests {
    /// A three-label task with 15% of the labels flipped, so that no model is perfect: `x` when
    /// a string of five letters holds `a`, else `y` when it holds `b`, else `z`.
    static func noisyCorpus(count: Int, seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        let letters = Array("abcdefg")
        var lines = ""
        for _ in 0..<count {
            let text = String((0..<5).map { _ in letters[generator.nextInt(below: letters.count)] })
            var label = text.contains("a") ? "x" : text.contains("b") ? "y" : "z"
            if generator.nextUniform() < 0.15 { label = ["x", "y", "z"][generator.nextInt(below: 3)] }
            lines += "\(label)\t\(text)\n"
        }
        return lines
    }

    static func files() -> ScratchDirectory {
        let files = ScratchDirectory()
        files.write("train.tsv", noisyCorpus(count: 400, seed: 1))
        files.write("valid.tsv", noisyCorpus(count: 200, seed: 2))
        return files
    }

    static let characters = Tokenizer(level: .char)

    @Test func metricsParseTheirFourFormsAndNothingElse() throws {
        #expect(try AutotuneMetric(parsing: "accuracy") == .accuracy)
        #expect(try AutotuneMetric(parsing: "macro-f1") == .macroF1)
        #expect(try AutotuneMetric(parsing: "f1:__label__spam") == .f1(label: "__label__spam"))
        #expect(try AutotuneMetric(parsing: "p@k:3") == .precisionAtK(3))
        for bad in ["", "f1", "f1:", "p@k:0", "p@k:x", "Accuracy", "macro-F1"] {
            #expect(throws: TrainingError.self, "\(bad)") { try AutotuneMetric(parsing: bad) }
        }
        #expect([AutotuneMetric.accuracy, .macroF1, .f1(label: "a:b"), .precisionAtK(2)].map(\.name)
                == ["accuracy", "macro-f1", "f1:a:b", "p@k:2"])
    }

    @Test func metricsScoreAsTextclfTestReports() throws {
        let files = Self.files()
        var job = TrainingJob(train: .corpus(files.url.appendingPathComponent("train.tsv")),
                              network: ClassifierConfiguration(arch: .pool, dim: 16),
                              options: try TrainingOptions(learningRate: 0.01, epochs: 4, threads: 2))
        job.tokenizer = Self.characters
        let classifier = try Classifier(file: try job.run().model, name: "model")
        let valid = files.url.appendingPathComponent("valid.tsv")
        let corpus = AutotuneCorpus(train: job.train, valid: .corpus(valid), validSplit: nil, tokenizer: Self.characters,
                                    maxLength: 256, seed: 1)
        let data = try corpus.data(minCount: 1, hashing: nil, warning: { Issue.record("warning: \($0)") })
        func score(_ metric: AutotuneMetric) throws -> Double {
            try metric.evaluate(classifier.network, on: data.valid, labels: data.labels, threads: 2)
        }
        let report = try EvaluationReport.evaluate(classifier, corpus: valid, k: 2)
        #expect(report.accuracy > 0.5 && report.accuracy < 0.95, "the task should be learnt, not perfectly: \(report.accuracy)")
        #expect(try score(.accuracy) == report.accuracy)
        #expect(try score(.macroF1) == report.macro.f1)
        #expect(try score(.f1(label: "y")) == report.perLabel[1].f1)
        #expect(try score(.precisionAtK(2)) == report.precisionAtK)
    }

    static func sequence(seed: UInt64, trials: Int, subwords: Bool = true) -> [AutotuneCandidate] {
        var search = AutotuneSearch(starts: [.start(arch: .pool, buckets: 100_000), .start(arch: .cnn, buckets: 100_000),
                                             .start(arch: .lstm, buckets: 100_000)],
                                    seed: seed, subwords: subwords, bucketRange: 10_000...200_000)
        var candidates: [AutotuneCandidate] = []
        for trial in 0..<trials {
            guard let candidate = search.next(progress: Double(trial) / Double(trials), accept: { _ in true }) else { break }
            // A made-up score that favours dim 100 and dropout 0.3.
            search.record(candidate, score: -abs(log2(Double(candidate.dim) / 100)) - abs(Double(candidate.dropout) - 0.3))
            candidates.append(candidate)
        }
        return candidates
    }

    @Test func theSearchStartsFromTheDefaultsAndRepeatsForASeed() {
        let first = Self.sequence(seed: 4, trials: 60)
        #expect(first.count == 60)
        #expect(Array(first.prefix(3)) == [.start(arch: .pool, buckets: 100_000), .start(arch: .cnn, buckets: 100_000),
                                            .start(arch: .lstm, buckets: 100_000)])
        #expect(first == Self.sequence(seed: 4, trials: 60))
        #expect(first != Self.sequence(seed: 5, trials: 60))
        #expect(Set(first).count == first.count, "a candidate was tried twice")
        #expect(Set(first.map(\.arch)) == [.pool, .cnn, .lstm])
    }

    @Test func perturbationsStayInTheirRangesAndApplyToTheirArchitectures() {
        let candidates = Self.sequence(seed: 9, trials: 200)
        for c in candidates {
            let base = AutotuneCandidate.baseLearningRate(arch: c.arch, optimizer: c.optimizer)
            #expect(c.learningRate >= base / 32 && c.learningRate <= base * 32)
            #expect(Double(String(format: "%.3g", c.learningRate)) == c.learningRate, "the rate prints as it is")
            #expect((8...300).contains(c.dim) && (1...50).contains(c.epochs))
            #expect(c.dropout >= 0 && c.dropout <= 0.7 && Float("\(c.dropout)") == c.dropout)
            #expect((Int(c.dropout * 100) % 5 == 0) || (Int((c.dropout * 100).rounded()) % 5 == 0))
            #expect(c.arch == .pool || (c.wordNgrams == 1 && c.optimizer == .adam))
            #expect(c.arch == .cnn || c.kernelSizes == [3, 4, 5])
            #expect(AutotuneSearch.kernelSizeChoices.contains(c.kernelSizes))
            #expect(c.arch.isRecurrent || (c.hidden == 128 && c.pooling == c.arch.defaultPooling))
            #expect((16...256).contains(c.hidden) && (1...4).contains(c.wordNgrams))
            #expect([0, 2, 3].contains(c.minn) && c.maxn == (c.minn == 0 ? 0 : c.minn + 3))
            #expect((10_000...200_000).contains(c.buckets) && c.buckets % 1000 == 0)
            #expect(AutotuneSearch.minCountChoices.contains(c.minCount))
        }
        #expect(candidates.contains { $0.wordNgrams > 1 } && candidates.contains { $0.minn > 0 })
        #expect(candidates.contains { $0.optimizer == .sgd } && candidates.contains { $0.schedule == .linear })
        #expect(Self.sequence(seed: 9, trials: 200, subwords: false).allSatisfy { $0.minn == 0 })
    }

    @Test func perturbationsShrinkAsTheBudgetIsUsed() {
        /// The mean |log2| of the dim's factor from the start over many draws around a start
        /// that stays the best, at budget share `t`.
        func spread(at t: Double) -> Double {
            var search = AutotuneSearch(starts: [.start(arch: .cnn, buckets: 100_000)], seed: 3, subwords: false,
                                        bucketRange: 10_000...200_000)
            let start = search.next(progress: 0, accept: { _ in true })!
            search.record(start, score: 1)
            var total = 0.0
            for _ in 0..<300 {
                let candidate = search.next(progress: t, accept: { _ in true })!
                search.record(candidate, score: 0)
                total += abs(log2(Double(candidate.dim) / Double(start.dim)))
            }
            return total / 300
        }
        let early = spread(at: 0), late = spread(at: 1)
        #expect(early > 0.5 && late < 0.35 && late < early / 2, "early \(early), late \(late)")
        #expect(AutotuneSearch.spread(1.5, 0.5, 0.1) == 1.5 && AutotuneSearch.spread(1.5, 0.5, 0.5) == 1.0
                && AutotuneSearch.spread(1.5, 0.5, 0.9) == 0.5)
    }

    @Test func candidatesPrintAsTheTrainOptionsThatParseBackToThem() throws {
        var c = AutotuneCandidate.start(arch: .pool, buckets: 100_000)
        // train's pool defaults (sgd, linear, no dropout) are not the library's: all four are named.
        #expect(c.trainArguments == ["--arch", "pool", "--optimizer", "adam", "--lr", "0.01", "--lr-schedule", "constant",
                                     "--epochs", "20", "--dropout", "0.1"])
        #expect(AutotuneCandidate.start(arch: .cnn, buckets: 100_000).trainArguments == ["--arch", "cnn"])
        (c.optimizer, c.learningRate, c.schedule, c.dropout, c.wordNgrams, c.minn, c.maxn, c.minCount)
            = (.sgd, 0.000123, .linear, 0.35, 2, 3, 6, 2)
        #expect(c.trainArguments == ["--arch", "pool", "--optimizer", "sgd", "--lr", "0.000123", "--lr-schedule", "linear",
                                     "--epochs", "20", "--dropout", "0.35", "--word-ngrams", "2", "--minn", "3", "--maxn", "6",
                                     "--buckets", "100000", "--min-count", "2"])
    }

    @Test func theSizeEstimateCountsInt8RowsAndTheHeader() throws {
        let vocabulary = try Vocabulary(tokens: (0..<8).map { ("t\($0)", 1) }, tokenizer: Tokenizer())  // 10 ids
        let pool = ClassifierConfiguration(arch: .pool, dim: 4)
        let metadata = AutotuneSizeEstimate.int8Bytes(configuration: pool, vocabulary: vocabulary, labels: ["a", "b"], epochs: 0)!
            - (10 * 4 + 4 * 10) - (2 * 4 + 4 * 2) - 4 * 2
        let strings = AutotuneSizeEstimate.perStringBytes
        #expect(metadata == 2 + 2 * (5 + strings) + 8 * (2 + strings) + 2 + 2 * (1 + strings) + AutotuneSizeEstimate.fixedMetadataBytes
                + 5 * AutotuneSizeEstimate.tensorEntryBytes)

        // The header of a real float32 model: the estimate's metadata should be close to it.
        let files = Self.files()
        var job = TrainingJob(train: .corpus(files.url.appendingPathComponent("train.tsv")),
                              network: ClassifierConfiguration(arch: .cnn, dim: 8, filters: 4),
                              options: try TrainingOptions(epochs: 3, threads: 2))
        job.validSplit = 0.2
        job.tokenizer = Self.characters
        let result = try job.run()
        let file = result.model
        let weights = file.tensors.values.reduce(0) { $0 + $1.values.count }
        let header = file.serialized().count - 8 - 4 * weights
        let vocabularyFile = try Vocabulary(tokens: file.vocabulary.dropFirst(2).map { ($0, 1) }, tokenizer: Self.characters)
        let estimate = AutotuneSizeEstimate.int8Bytes(configuration: result.configuration, vocabulary: vocabularyFile,
                                                      labels: file.labels, epochs: 3)!
        let shapes = result.configuration.tensorShapes(vocabularySize: file.vocabulary.count, labelCount: 3)!
        let int8 = shapes.values.reduce(0) { $0 + ($1.count >= 2 ? $1.reduce(1, *) + 4 * $1[0] : 4 * $1[0]) }
        let estimatedHeader = estimate - int8 - AutotuneSizeEstimate.tensorEntryBytes * shapes.values.filter { $0.count >= 2 }.count
        #expect(abs(Double(estimatedHeader) / Double(header) - 1) < 0.15, "estimated \(estimatedHeader), header \(header)")
    }

    @Test func aSearchScoresItsBestTrialAsTheWrittenModelScores() throws {
        let files = Self.files()
        var job = AutotuneJob(train: .corpus(files.url.appendingPathComponent("train.tsv")), budget: .trials(4))
        job.valid = .corpus(files.url.appendingPathComponent("valid.tsv"))
        job.tokenizer = Self.characters
        job.architectures = [.cnn, .pool]
        job.metric = .macroF1
        job.threads = 2
        job.output = files.url.appendingPathComponent("best.safetensors")
        var events: [String] = []
        let result = try job.run(progress: { event in
            switch event {
            case .trialStarted(let number, _): events.append("start \(number)")
            case .trialFinished(let trial, _): events.append("end \(trial.number)")
            case .finalTraining: events.append("final")
            case .progress, .finalProgress: break
            }
        })
        #expect(events == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4", "final"])
        #expect(result.trials.count == 4 && result.trials.allSatisfy { $0.score != nil })
        #expect(result.best.score == result.trials.compactMap(\.score).max())
        let written = try Classifier(contentsOf: job.output!)
        let report = try EvaluationReport.evaluate(written, corpus: job.output!.deletingLastPathComponent()
            .appendingPathComponent("valid.tsv"))
        #expect(report.macro.f1 == result.best.score, "retraining the best candidate gives the trial's model")
        #expect(try Data(contentsOf: job.output!) == Data(result.model.model.serialized()))
        let arguments = result.trainArguments ?? []
        #expect(arguments.starts(with: ["--train", files.path("train.tsv"), "--valid", files.path("valid.tsv"), "--level", "char"]))
        #expect(arguments.suffix(2) == ["-o", files.path("best.safetensors")])
    }

    @Test func aSizeLimitKeepsEveryTrialUnderIt() throws {
        let files = Self.files()
        var job = AutotuneJob(train: .corpus(files.url.appendingPathComponent("train.tsv")), budget: .trials(5))
        job.validSplit = 0.2
        job.tokenizer = Self.characters
        job.architectures = [.cnn, .gru]
        job.modelSize = 12_000
        job.threads = 2
        let result = try job.run()
        #expect(result.trials.allSatisfy { ($0.estimatedSize ?? .max) <= 12_000 })
        #expect(result.estimatedSize <= 12_000)
        #expect(result.trials[0].candidate.dim < 64, "the cnn's defaults do not fit, so its start is shrunk")

        job.modelSize = 100
        #expect(throws: AutotuneError.self) { try job.run() }
        job.modelSize = nil
        job.metric = .f1(label: "w")
        #expect(throws: AutotuneError.unknownMetricLabel("w", labels: ["x", "y", "z"])) { try job.run() }
    }
}
