import Foundation

/// The training and validation data of an autotune search, encoded once per minimum count (the
/// only searched option that changes the vocabulary) and hashed-row options (which change the
/// examples' rows), and shared by every trial that uses them.
///
/// Each encoding is exactly the one `TrainingJob` makes for the same options: the vocabulary
/// built from the training corpus, the validation corpus encoded with it or the split held out
/// with the seed. So a trial trains on what `textclf train` would train on.
final class AutotuneCorpus {
    /// What an encoding depends on.
    private struct Key: Hashable {
        let minCount: Int
        let wordNgrams: Int, minn: Int, maxn: Int, buckets: Int
    }

    /// The data of one minimum count and hashed-row options.
    struct Encoded {
        let vocabulary: Vocabulary
        let labels: [String]
        let train: EncodedDataset
        let valid: EncodedDataset
    }

    private let train: ExampleSource
    private let valid: ExampleSource?
    private let validSplit: Double?
    private let tokenizer: Tokenizer
    private let maxLength: Int
    private let seed: UInt64
    private var encoded: [Key: Encoded] = [:]
    private var warned = false

    init(train: ExampleSource, valid: ExampleSource?, validSplit: Double?, tokenizer: Tokenizer, maxLength: Int, seed: UInt64) {
        self.train = train
        self.valid = valid
        self.validSplit = validSplit
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.seed = seed
    }

    /// The data with the vocabulary of tokens seen at least `minCount` times and the rows of
    /// `hashing` (nil: none), encoded on first use. The first encoding's warnings (skipped, cut
    /// or repaired examples) go to `warning`; later ones would repeat them.
    /// - Throws: what `TrainingJob` throws for unreadable or malformed corpora.
    func data(minCount: Int, hashing: HashedRows.Options?, warning: (String) -> Void) throws -> Encoded {
        let key = Key(minCount: minCount, wordNgrams: hashing?.wordNgrams ?? 1, minn: hashing?.minn ?? 0,
                      maxn: hashing?.maxn ?? 0, buckets: hashing?.buckets ?? 0)
        if let known = encoded[key] { return known }
        let training = try CorpusEncoder.training(train, tokenizer: tokenizer, vocabulary: nil, minCount: minCount,
                                                  maxLength: maxLength, multilabel: false, hashing: hashing)
        var trainSet = training.dataset, validSet: EncodedDataset
        var reports = [(training.report, train.name)]
        if let valid {
            let evaluation = try CorpusEncoder.evaluation(valid, vocabulary: training.vocabulary, labels: training.labels,
                                                          maxLength: maxLength, multilabel: false,
                                                          hashedRows: training.dataset.hashedRows)
            validSet = evaluation.dataset
            reports.append((evaluation.report, valid.name))
        } else {
            (trainSet, validSet) = trainSet.split(holdingOut: validSplit!, seed: seed)
        }
        if !warned {
            warned = true
            for (report, name) in reports { warn(report, source: name, warning: warning) }
        }
        let result = Encoded(vocabulary: training.vocabulary, labels: training.labels, train: trainSet, valid: validSet)
        encoded[key] = result
        return result
    }

    private func warn(_ report: CorpusEncoder.Report, source: String, warning: (String) -> Void) {
        if report.skippedEmpty > 0 { warning("\(source): skipped \(report.skippedEmpty) example(s) without any token") }
        if report.truncated > 0 {
            warning("\(source): \(report.truncated) example(s) longer than --max-length \(maxLength) tokens were cut")
        }
        if report.replacements > 0 { warning("\(source): \(report.replacements) invalid UTF-8 sequence(s) replaced by U+FFFD") }
    }
}
