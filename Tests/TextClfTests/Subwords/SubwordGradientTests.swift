import Testing
@testable import TextClf

/// Finite-difference checks of positions that are bags of rows, alone and through a whole
/// network with subwords.
@Suite("gradient checks: subwords")
struct SubwordGradientTests {
    static let lengths = [3, 1, 2]
    static let T = 3
    /// Bags per position (empty at padding): a known token with subwords and a repeat, an
    /// unknown token's subwords, <unk> alone, a lone hashed row.
    static let bags = PositionBags(
        offsets: [0, 4, 6, 7, 9, 9, 9, 10, 11, 11],
        rows: [2, 7, 8, 7, /**/ 9, 10, /**/ 1, /**/ 3, 9, /**/ 11, /**/ 4])

    private func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextUniform(-1, 1) }
    }

    @Test func bagEmbeddingGradientMatchesFiniteDifferencesAndTouchesOnlyItsRows() {
        var rng = SeededGenerator(seed: 21)
        var layer = Embedding(vocabularySize: 13, dimension: 3, generator: &rng)
        let r = random(Self.bags.count * 3, &rng)
        let (y, cache) = layer.forward(bags: Self.bags, lengths: Self.lengths, maxLength: Self.T)
        // Padding positions embed to zero.
        #expect(y.values.storage[(1 * Self.T + 1) * 3 ..< (1 * Self.T + 3) * 3].allSatisfy { $0 == 0 })
        layer.backward(bagsGradient: Matrix(rows: Self.bags.count, cols: 3, storage: r), cache)
        var w = layer.weight.storage
        let numeric = GradientCheck.numerical(&w) {
            let y = Embedding(weight: Matrix(rows: 13, cols: 3, storage: $0))
                .forward(bags: Self.bags, lengths: Self.lengths, maxLength: Self.T).0
            return zip(y.values.storage, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        GradientCheck.expectClose(layer.gradient.dense(), numeric, "bag Embedding dW")
        #expect(Set(layer.gradient.rows) == [2, 7, 8, 9, 10, 1, 3, 11, 4])
    }

    @Test(arguments: [ClassifierConfiguration.Architecture.pool, .lstm, .cnn])
    func networkEmbeddingGradientMatchesFiniteDifferences(_ arch: ClassifierConfiguration.Architecture) throws {
        var rng = SeededGenerator(seed: 22)
        let configuration = ClassifierConfiguration(arch: arch, dim: 3, hidden: 4, kernelSizes: [2], filters: 3,
                                                    dropout: 0, minn: 2, maxn: 3, buckets: 8,
                                                    tokenizer: Tokenizer(level: .space))
        var network = Network(configuration: configuration, vocabularySize: 5, labelCount: 2, generator: &rng)
        let r = random(3 * 2, &rng)
        let ids = (0 ..< Self.bags.count).map { Self.bags.bag($0).first ?? 0 }
        func logits(_ net: Network) -> [Float] {
            var unused = SeededGenerator(seed: 0)
            return net.forward(ids: ids, bags: Self.bags, lengths: Self.lengths, maxLength: Self.T, training: false,
                               generator: &unused).logits.storage
        }
        var unused = SeededGenerator(seed: 0)
        let (_, cache) = network.forward(ids: ids, bags: Self.bags, lengths: Self.lengths, maxLength: Self.T,
                                         training: false, generator: &unused)
        network.backward(Matrix(rows: 3, cols: 2, storage: r), cache)
        var w = network.embedding.weight.storage
        let probe = network
        let numeric = GradientCheck.numerical(&w) { values in
            var copy = probe
            copy.embedding.weight.storage = values
            return zip(logits(copy), r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        GradientCheck.expectClose(network.embedding.gradient.dense(), numeric, "\(arch) embedding dW")
    }
}
