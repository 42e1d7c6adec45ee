import Foundation

/// One label of a prediction with its probability.
public struct Prediction: Equatable, Sendable {
    public var label: String
    public var probability: Float

    public init(label: String, probability: Float) {
        self.label = label
        self.probability = probability
    }
}

/// A trained classifier loaded from a model file: text in, labels with probabilities out.
///
///     let classifier = try Classifier(contentsOf: URL(fileURLWithPath: "model.safetensors"))
///     classifier.predict("free entry to win a prize", k: 1)   // [Prediction(label: "spam", …)]
///
/// The weights are read-only after loading and every call tokenizes with its own session, so
/// one classifier can be shared by many threads.
public final class Classifier: Sendable {
    public let configuration: ClassifierConfiguration
    /// The labels in output order (sorted by their UTF-8 bytes).
    public let labels: [String]
    public let vocabulary: Vocabulary
    let network: Network
    let objective: Objective

    /// Loads and verifies a model file.
    /// - Throws: `ModelFileError` when the file is missing, truncated, corrupted, of an unknown
    ///   version or not a textclf model.
    public convenience init(contentsOf url: URL) throws {
        try self.init(file: ModelFile(contentsOf: url), name: url.path)
    }

    /// A classifier from a parsed model file; `name` labels errors.
    public init(file: ModelFile, name: String) throws {
        let configuration = try file.validatedConfiguration(name: name)
        try Tokenizer.checkICUData()
        do {
            vocabulary = try Vocabulary(tokens: file.vocabulary.dropFirst(Vocabulary.specialCount).map { ($0, 0) },
                                        tokenizer: configuration.tokenizer)
            network = try Network(configuration: configuration, vocabularySize: file.vocabulary.count,
                                  labelCount: file.labels.count, tensors: file.tensors)
        } catch {
            throw ModelFileError.malformed(name, reason: error.localizedDescription)
        }
        self.configuration = configuration
        labels = file.labels
        objective = Objective(configuration: configuration, labelCount: file.labels.count)
    }

    /// The most probable labels of `text`, best first: for a single-label model the `k` best,
    /// for a multi-label model those with probability ≥ 0.5, at most `k`. Empty when the text
    /// holds no token.
    public func predict(_ text: String, k: Int = 1) -> [Prediction] {
        predict(batch: [text], k: k)[0]
    }

    /// `predict(_:k:)` for many texts, in order. The texts run in fixed chunks, in parallel
    /// over `Parallel.threads`, with identical results for any thread count.
    public func predict(batch texts: [String], k: Int = 1) -> [[Prediction]] {
        probabilities(texts).rows.map { row in row.map { select($0, k: k) } ?? [] }
    }

    /// A warning when the model was trained under another ICU version than the one running now.
    public func icuWarning(modelPath: String) -> String? {
        icuMismatchWarning(path: modelPath, trainedWith: configuration.icuVersion)
    }

    /// The labels SPEC §2 prints for one row of probabilities, best first (ties in label order).
    /// Single-label: the `k` best (default 1) with probability ≥ `threshold` (default 0).
    /// Multi-label: every label with probability ≥ `threshold` (default 0.5), at most `k`
    /// (default all).
    public func select(_ probabilities: [Float], k: Int? = nil, threshold: Float? = nil) -> [Prediction] {
        let multilabel = configuration.multilabel
        let limit = k ?? (multilabel ? probabilities.count : 1)
        let minimum = threshold ?? (multilabel ? 0.5 : 0)
        let order = probabilities.indices.sorted {
            probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
        return order.prefix(max(0, limit)).filter { probabilities[$0] >= minimum }
            .map { Prediction(label: labels[$0], probability: probabilities[$0]) }
    }

    /// What `probabilities(_:)` computed.
    public struct Probabilities: Sendable {
        /// Per text, every label's probability in `labels` order; nil for a text without any token.
        /// Cross entropy gives a softmax; BCE and MSE give independent sigmoids (for one BCE
        /// output, 1 − σ and σ).
        public var rows: [[Float]?]
        /// How many texts had tokens beyond the model's maximum length, which were dropped.
        public var truncated: Int
    }

    /// Texts per chunk: fixed, so that the products, and so the results, never depend on how
    /// many threads share the work.
    static let chunkSize = 64

    /// The probability of every label for each text.
    public func probabilities(_ texts: [String]) -> Probabilities {
        let chunks = stride(from: 0, to: texts.count, by: Self.chunkSize).map { $0..<min($0 + Self.chunkSize, texts.count) }
        let results = Parallel.mapShards(chunks.count) { chunk in probabilities(texts[chunks[chunk]]) }
        return Probabilities(rows: results.flatMap(\.rows), truncated: results.reduce(0) { $0 + $1.truncated })
    }

    private func probabilities(_ texts: ArraySlice<String>) -> Probabilities {
        let session = configuration.tokenizer.makeSession()
        var dataset = EncodedDataset()
        var rowOfText: [Int?] = []
        var ids: [Int32] = []
        var truncated = 0
        for text in texts {
            if session.encode(text, with: vocabulary, maxLength: configuration.maxLength, into: &ids) { truncated += 1 }
            rowOfText.append(ids.isEmpty ? nil : dataset.count)
            if !ids.isEmpty { dataset.append(tokens: ids, labels: []) }
        }
        guard dataset.count > 0 else { return Probabilities(rows: rowOfText.map { _ in nil }, truncated: truncated) }
        let batch = PaddedBatch(dataset, indices: 0..<dataset.count, minimumLength: network.conv?.largestKernel ?? 1)
        var unused = SeededGenerator(seed: 0)
        let logits = network.forward(ids: batch.ids, lengths: batch.lengths, maxLength: batch.maxLength,
                                     training: false, generator: &unused).logits
        let probabilities = objective.probabilities(logits: logits)
        let width = probabilities.cols
        let rows = rowOfText.map { row in row.map { Array(probabilities.storage[$0 * width ..< ($0 + 1) * width]) } }
        return Probabilities(rows: rows, truncated: truncated)
    }
}
