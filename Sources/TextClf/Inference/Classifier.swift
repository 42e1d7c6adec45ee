import Foundation

/// One label of a prediction with its probability.
public struct Prediction: Equatable, Sendable {
    /// The label, as the training corpus spelled it.
    public var label: String
    /// The model's probability for the label, in [0, 1].
    public var probability: Float

    /// A prediction of `label` with `probability`.
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
/// one classifier can be shared by many threads. A batch runs on up to ``threads`` threads
/// (or the count a call passes); the results are the same for any thread count.
///
/// A recurrent model (rnn, lstm, gru) with float weights keeps, once it has classified as many
/// tokens as its vocabulary holds, a table of its first layer's input projection for every token
/// (vocabulary × gates × hidden floats per direction, kept only when at most 64 MiB): classifying
/// then copies a token's row instead of multiplying its embedding, with the same results.
public final class Classifier: Sendable {
    /// The network's shape, tokenizer and training record, as the model file stores them.
    public let configuration: ClassifierConfiguration
    /// The labels in output order (sorted by their UTF-8 bytes).
    public let labels: [String]
    /// The token ids the network was trained with; its tokenizer is the configuration's.
    public let vocabulary: Vocabulary
    /// How many threads a batch may use unless a call says otherwise (at least 1).
    public let threads: Int
    /// What errors and warnings call the model: its path, or "model data".
    public let name: String
    let network: Network
    /// The word n-gram and subword rows, when the model uses them.
    let hashedRows: HashedRows?
    /// Tokenizer sessions kept between calls: opening one costs more than a short text.
    let sessions: TokenizerSessionPool
    /// Chunk buffers kept between calls, so that classifying allocates nothing per text.
    let workspaces = InferenceWorkspacePool()
    /// A recurrent model's first-layer input projections, built once they pay off.
    let inputProjections: InputProjectionCache

    /// Loads and verifies a model file.
    /// - Parameters:
    ///   - url: the model file (SPEC §3).
    ///   - threads: how many threads a batch may use (values below 1 count as 1).
    /// - Throws: ``ModelFileError`` when the file is unreadable (with the system's reason),
    ///   truncated, corrupted, of an unknown version or not a textclf model.
    public convenience init(contentsOf url: URL, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        try self.init(file: ModelFile(contentsOf: url), name: url.relativePath, threads: threads)
    }

    /// Loads and verifies a model from the bytes of a model file (a bundle resource, a
    /// download, a database blob).
    /// - Parameters:
    ///   - data: the bytes of a model file (SPEC §3).
    ///   - threads: how many threads a batch may use (values below 1 count as 1).
    /// - Throws: ``ModelFileError`` when the bytes are not an intact model of a known version.
    public convenience init(data: Data, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let name = "model data"
        try self.init(file: ModelFile(bytes: [UInt8](data), name: name), name: name, threads: threads)
    }

    /// A classifier from a parsed model file.
    /// - Parameters:
    ///   - file: the parsed, verified model file.
    ///   - name: what errors and warnings call the model (usually its path).
    ///   - threads: how many threads a batch may use (values below 1 count as 1).
    /// - Throws: ``ModelFileError/malformed(_:reason:)`` when the configuration, vocabulary,
    ///   labels or tensors do not fit together.
    public init(file: ModelFile, name: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let configuration = try file.validatedConfiguration(name: name)
        try Tokenizer.checkICUData()
        do {
            vocabulary = try Vocabulary(tokens: file.vocabulary.dropFirst(Vocabulary.specialCount).map { ($0, 0) },
                                        tokenizer: configuration.tokenizer)
            var loaded = try Network(configuration: configuration, vocabularySize: file.vocabulary.count,
                                     labelCount: file.labels.count, tensors: file.dequantizedTensors,
                                     embeddingRows: file.embeddingRowIndex(configuration: configuration))
            if file.isQuantized { try loaded.useInt8Weights(file.int8Matrices()) }
            network = loaded
        } catch {
            throw ModelFileError.malformed(name, reason: error.localizedDescription)
        }
        hashedRows = configuration.hashedRows(vocabulary: vocabulary)
        self.configuration = configuration
        self.name = name
        self.threads = max(1, threads)
        labels = file.labels
        sessions = TokenizerSessionPool(tokenizer: configuration.tokenizer)
        inputProjections = InputProjectionCache(network: network)
    }

    /// The most probable labels of `text`, best first: for a single-label model the `k` best,
    /// for a multi-label model those with probability ≥ 0.5, at most `k`.
    /// - Returns: the predictions, empty when the text holds no token.
    public func predict(_ text: String, k: Int = 1) -> [Prediction] {
        predict(batch: [text], k: k)[0]
    }

    /// ``predict(_:k:)`` for many texts, in order. The texts run in fixed chunks, in parallel,
    /// with identical results for any thread count.
    /// - Parameters:
    ///   - texts: the texts to classify.
    ///   - k: at most this many labels per text.
    ///   - threads: the threads this call may use; nil uses the classifier's ``threads``.
    /// - Returns: one list of predictions per text, best first.
    public func predict(batch texts: [String], k: Int = 1, threads: Int? = nil) -> [[Prediction]] {
        probabilities(texts, threads: threads).rows.map { row in row.map { select($0, k: k) } ?? [] }
    }

    /// A warning when the model was trained under another ICU version than the one running
    /// now, whose segmentation may differ; nil when they agree.
    public var icuWarning: String? {
        icuMismatchWarning(path: name, trainedWith: configuration.icuVersion)
    }

    /// The labels SPEC §2 prints for one row of probabilities, best first (ties in label order).
    /// Single-label: the `k` best (default 1) with probability ≥ `threshold` (default 0).
    /// Multi-label: every label with probability ≥ `threshold` (default 0.5), at most `k`
    /// (default all).
    /// - Parameters:
    ///   - probabilities: one probability per label, in ``labels`` order.
    ///   - k: at most this many labels.
    ///   - threshold: the lowest probability a label needs.
    /// - Returns: the chosen labels with their probabilities.
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

    /// What ``probabilities(_:threads:)`` computed.
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
    /// - Parameters:
    ///   - texts: the texts to classify.
    ///   - threads: the threads this call may use; nil uses the classifier's ``threads``.
    /// - Returns: one row of probabilities per text, and how many texts were cut.
    public func probabilities(_ texts: [String], threads: Int? = nil) -> Probabilities {
        let table = ProbabilityTable()
        probabilities(of: TextBatch(texts), into: table, threads: threads)
        return Probabilities(rows: texts.indices.map { table.row($0).map(Array.init) }, truncated: table.truncated)
    }

    /// Splits the probabilities of `logits` into the rows of the texts (nil: no token).
    func probabilities(logits: Matrix, rowOfText: [Int?], truncated: Int) -> Probabilities {
        let probabilities = configuration.loss.probabilities(logits: logits)
        let width = probabilities.cols
        let rows = rowOfText.map { row in row.map { Array(probabilities.storage[$0 * width ..< ($0 + 1) * width]) } }
        return Probabilities(rows: rows, truncated: truncated)
    }
}
