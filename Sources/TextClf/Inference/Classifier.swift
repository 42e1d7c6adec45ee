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
        let configuration: ClassifierConfiguration
        do {
            configuration = try ClassifierConfiguration(json: file.config)
        } catch {
            throw ModelFileError.malformed(name, reason: "config is not a textclf configuration")
        }
        guard file.vocabulary.count >= Vocabulary.specialCount, file.labels.count >= 2 else {
            throw ModelFileError.malformed(name, reason: "the vocabulary or the label list is too short")
        }
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

    /// The `k` most probable labels of `text`, best first (fewer when there are fewer labels);
    /// empty when the text holds no token.
    public func predict(_ text: String, k: Int = 1) -> [Prediction] {
        predict(batch: [text], k: k)[0]
    }

    /// `predict(_:k:)` for many texts at once, in order; the batch runs as one forward pass.
    public func predict(batch texts: [String], k: Int = 1) -> [[Prediction]] {
        probabilities(texts).map { row in
            guard let row else { return [] }
            return topK(row, k: k)
        }
    }

    /// The probability of every label, in `labels` order, for each text (nil for a text that
    /// holds no token). Cross entropy gives a softmax; BCE and MSE give independent sigmoids
    /// (for one BCE output, 1 − σ and σ).
    public func probabilities(_ texts: [String]) -> [[Float]?] {
        let session = configuration.tokenizer.makeSession()
        var dataset = EncodedDataset()
        var rowOfText = [Int?](repeating: nil, count: texts.count)
        var ids: [Int32] = []
        for (index, text) in texts.enumerated() {
            session.encode(text, with: vocabulary, maxLength: configuration.maxLength, into: &ids)
            guard !ids.isEmpty else { continue }
            rowOfText[index] = dataset.count
            dataset.append(tokens: ids, labels: [])
        }
        guard dataset.count > 0 else { return rowOfText.map { _ in nil } }
        let batch = PaddedBatch(dataset, indices: 0..<dataset.count, minimumLength: network.conv?.largestKernel ?? 1)
        var unused = SeededGenerator(seed: 0)
        let logits = network.forward(ids: batch.ids, lengths: batch.lengths, maxLength: batch.maxLength,
                                     training: false, generator: &unused).logits
        let probabilities = objective.probabilities(logits: logits)
        return rowOfText.map { row in
            row.map { Array(probabilities.storage[$0 * probabilities.cols ..< ($0 + 1) * probabilities.cols]) }
        }
    }

    private func topK(_ probabilities: [Float], k: Int) -> [Prediction] {
        // Stable: equal probabilities keep label order.
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        return order.prefix(max(0, k)).map { Prediction(label: labels[$0], probability: probabilities[$0]) }
    }
}
