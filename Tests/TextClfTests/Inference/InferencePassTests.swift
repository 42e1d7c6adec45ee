import Testing
@_spi(Internals) @testable import TextClf

/// The inference pass of classifiers (`Network.inferenceLogits`: for recurrent encoders one
/// step's buffers, input projected step by step or read from the first layer's tables; for a
/// convolution bank max pooling without its record for backward) against the training code's
/// forward pass in evaluation mode: the same bits for every cell, depth, direction, pooling and
/// weight type.
@Suite("inference pass")
struct InferencePassTests {
    static let vocabularySize = 40

    /// A network of `arch` with fresh weights, in int8 when `int8`.
    static func network(_ arch: ClassifierConfiguration.Architecture, layers: Int, bidirectional: Bool,
                        pooling: ClassifierConfiguration.Pooling, int8: Bool) throws -> Network {
        let configuration = ClassifierConfiguration(arch: arch, pooling: pooling, dim: 12, hidden: 10, layers: layers,
                                                    bidirectional: bidirectional)
        var generator = SeededGenerator(seed: 5)
        var network = Network(configuration: configuration, vocabularySize: vocabularySize, labelCount: 3, generator: &generator)
        if int8 {
            var matrices: [String: Int8Matrix] = [:]
            // As a quantized file stores them: every weight but the embedding, [rows, the rest].
            for (name, tensor) in network.tensors where tensor.shape.count >= 2 && name.split(separator: ".").last!.hasPrefix("weight") && name != "embedding.weight" {
                let weights = Matrix(rows: tensor.shape[0], cols: tensor.values.count / tensor.shape[0], storage: tensor.values)
                matrices[name] = Int8Matrix(quantizing: weights)
            }
            try network.useInt8Weights(matrices)
        }
        return network
    }

    /// Padded ids (T = 9) of sequences of lengths 9, 1, 4, 9, 6, 2 and 7 over every id, 0 included.
    static func batch() -> (ids: [Int], lengths: [Int], maxLength: Int) {
        let lengths = [9, 1, 4, 9, 6, 2, 7], T = 9
        var ids = [Int](repeating: 0, count: lengths.count * T), next = 0
        for (b, length) in lengths.enumerated() {
            for t in 0..<length {
                ids[b * T + t] = next % vocabularySize
                next += 7
            }
        }
        return (ids, lengths, T)
    }

    @Test(arguments: [ClassifierConfiguration.Architecture.rnn, .lstm, .gru])
    func inferenceGivesTheEvaluationForwardBits(arch: ClassifierConfiguration.Architecture) throws {
        let (ids, lengths, T) = Self.batch()
        for layers in [1, 2] {
            for bidirectional in [false, true] {
                for pooling in [ClassifierConfiguration.Pooling.last, .mean, .max] {
                    for int8 in [false, true] {
                        let network = try Self.network(arch, layers: layers, bidirectional: bidirectional, pooling: pooling, int8: int8)
                        var unused = SeededGenerator(seed: 0)
                        let expected = network.forward(ids: ids, lengths: lengths, maxLength: T, training: false, generator: &unused).logits
                        let shape = "\(arch) layers \(layers) bidirectional \(bidirectional) \(pooling) int8 \(int8)"
                        let inferred = network.inferenceLogits(ids: ids, lengths: lengths, maxLength: T)
                        #expect(inferred.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern), "\(shape)")
                        let tables = network.inputProjectionTables()
                        #expect((tables == nil) == int8, "\(shape): tables exactly when the weights are float")
                        guard let tables else { continue }
                        let fromTables = network.inferenceLogits(ids: ids, lengths: lengths, maxLength: T, tables: tables)
                        #expect(fromTables.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern), "\(shape), tables")
                    }
                }
            }
        }
    }

    @Test(arguments: [ClassifierConfiguration.Pooling.max, .mean])
    func convolutionInferenceGivesTheEvaluationForwardBits(pooling: ClassifierConfiguration.Pooling) throws {
        let (ids, lengths, T) = Self.batch()
        for int8 in [false, true] {
            let network = try Self.network(.cnn, layers: 1, bidirectional: false, pooling: pooling, int8: int8)
            var unused = SeededGenerator(seed: 0)
            let expected = network.forward(ids: ids, lengths: lengths, maxLength: T, training: false, generator: &unused).logits
            let inferred = network.inferenceLogits(ids: ids, lengths: lengths, maxLength: T)
            #expect(inferred.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern), "\(pooling) int8 \(int8)")
        }
    }

    /// A classifier builds the tables once it has projected as many tokens as the embedding has
    /// rows, and its probabilities keep their bits.
    @Test func aClassifierBuildsTheTablesOnceTheyPayOffAndKeepsItsProbabilities() throws {
        let words = (0..<Self.vocabularySize - Vocabulary.specialCount).map { "w\($0)" }
        var generator = SeededGenerator(seed: 6)
        let configuration = ClassifierConfiguration(arch: .lstm, dim: 12, hidden: 10, bidirectional: true)
        let network = Network(configuration: configuration, vocabularySize: Self.vocabularySize, labelCount: 3, generator: &generator)
        let file = ModelFile(tensors: network.tensors, config: configuration.json(),
                             vocabulary: ["<pad>", "<unk>"] + words, labels: ["a", "b", "c"])
        let classifier = try Classifier(file: file, name: "m", threads: 1)
        let text = "w3 w17 unknown w5"
        let before = try #require(classifier.probabilities([text]).rows[0])
        #expect(classifier.inputProjections.tables(network: classifier.network, tokens: 0) == nil)
        _ = classifier.probabilities([words.joined(separator: " ")])
        #expect(classifier.inputProjections.tables(network: classifier.network, tokens: 0) != nil)
        let after = try #require(classifier.probabilities([text]).rows[0])
        #expect(after.map(\.bitPattern) == before.map(\.bitPattern))
    }
}
