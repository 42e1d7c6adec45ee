import Testing
@testable import TextClf

/// Finite-difference checks: every layer's backward against central differences of
/// L = Σ r ⊙ forward(·) for a fixed random r, on padded batches of unequal lengths.
@Suite("gradient checks: layers")
struct LayerGradientTests {
    static let lengths = [4, 1, 3]
    static let T = 4

    private func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextUniform(-1, 1) }
    }

    /// Σ r ⊙ y in Double.
    private func weighted(_ y: [Float], _ r: [Float]) -> Double {
        zip(y, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    @Test func linearGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        var layer = Linear(inputSize: 5, outputSize: 3, generator: &rng)
        var x = random(4 * 5, &rng)
        let r = random(4 * 3, &rng)
        let (_, cache) = layer.forward(Matrix(rows: 4, cols: 5, storage: x))
        let dx = layer.backward(Matrix(rows: 4, cols: 3, storage: r), cache)
        let probe = layer
        let numericX = GradientCheck.numerical(&x) { weighted(probe.forward(Matrix(rows: 4, cols: 5, storage: $0)).0.storage, r) }
        GradientCheck.expectClose(dx.storage, numericX, "Linear dx")
        var w = layer.weight.storage
        let numericW = GradientCheck.numerical(&w) {
            weighted(Linear(weight: Matrix(rows: 3, cols: 5, storage: $0), bias: probe.bias).forward(Matrix(rows: 4, cols: 5, storage: x)).0.storage, r)
        }
        GradientCheck.expectClose(layer.weightGrad.storage, numericW, "Linear dW")
        var b = layer.bias
        let numericB = GradientCheck.numerical(&b) {
            weighted(Linear(weight: probe.weight, bias: $0).forward(Matrix(rows: 4, cols: 5, storage: x)).0.storage, r)
        }
        GradientCheck.expectClose(layer.biasGrad, numericB, "Linear db")
    }

    @Test func embeddingGradientMatchesFiniteDifferencesAndSparesPadding() {
        var rng = SeededGenerator(seed: 12)
        var layer = Embedding(vocabularySize: 7, dimension: 3, generator: &rng)
        #expect(layer.weight.storage[0..<3].allSatisfy { $0 == 0 })
        // Padded batch: ids beyond each length are 0, one real position is the padding id.
        let ids = [2, 5, 2, 0, 3, 0, 0, 0, 6, 0, 1, 0]
        let r = random(ids.count * 3, &rng)
        let (_, cache) = layer.forward(ids: ids, lengths: Self.lengths, maxLength: Self.T)
        layer.backward(Matrix(rows: ids.count, cols: 3, storage: r), cache)
        var w = layer.weight.storage
        let numeric = GradientCheck.numerical(&w) {
            // Padded positions' outputs are ignored downstream, so the loss reads real ones only.
            let y = Embedding(weight: Matrix(rows: 7, cols: 3, storage: $0)).forward(ids: ids, lengths: Self.lengths, maxLength: Self.T).0
            return realPositions(y.values.storage, r, features: 3)
        }
        let analytic = layer.gradient.dense()
        GradientCheck.expectClose(analytic, numeric.enumerated().map { $0.offset < 3 ? 0 : $0.element }, "Embedding dW")
        #expect(analytic[0..<3].allSatisfy { $0 == 0 }, "the padding row received a gradient")
        #expect(Set(layer.gradient.rows) == [2, 5, 3, 6, 1])
    }

    /// Σ r ⊙ y over real (unpadded) rows of a [B·T, D] layout.
    private func realPositions(_ y: [Float], _ r: [Float], features D: Int) -> Double {
        var total = 0.0
        for (b, length) in Self.lengths.enumerated() {
            for t in 0..<length {
                for j in 0..<D {
                    let i = (b * Self.T + t) * D + j
                    total += Double(y[i]) * Double(r[i])
                }
            }
        }
        return total
    }

    private func paddedBatch(_ values: [Float], features D: Int) -> SequenceBatch {
        SequenceBatch(values: Matrix(rows: values.count / D, cols: D, storage: values), lengths: Self.lengths, maxLength: Self.T)
    }

    @Test func meanPoolingGradientMatchesFiniteDifferencesOnPaddedBatch() {
        var rng = SeededGenerator(seed: 13)
        let D = 3
        var x = random(Self.lengths.count * Self.T * D, &rng)
        let r = random(Self.lengths.count * D, &rng)
        let (_, cache) = MeanPooling().forward(paddedBatch(x, features: D))
        let dx = MeanPooling().backward(Matrix(rows: Self.lengths.count, cols: D, storage: r), cache)
        let numeric = GradientCheck.numerical(&x) { weighted(MeanPooling().forward(paddedBatch($0, features: D)).0.storage, r) }
        GradientCheck.expectClose(dx.storage, numeric, "mean pooling dx")
    }

    @Test func maxPoolingGradientMatchesFiniteDifferencesOnPaddedBatch() {
        var rng = SeededGenerator(seed: 14)
        let D = 3
        // Distinct values at least 0.1 apart, so a ±0.01 step never changes the winner.
        var x = (0..<Self.lengths.count * Self.T * D).map { Float($0) * 0.1 - 1 }.shuffled(using: &rng)
        let r = random(Self.lengths.count * D, &rng)
        let (_, cache) = MaxPooling().forward(paddedBatch(x, features: D))
        let dx = MaxPooling().backward(Matrix(rows: Self.lengths.count, cols: D, storage: r), cache)
        let numeric = GradientCheck.numerical(&x) { weighted(MaxPooling().forward(paddedBatch($0, features: D)).0.storage, r) }
        GradientCheck.expectClose(dx.storage, numeric, "max pooling dx")
    }

    @Test func dropoutGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 15)
        let dropout = Dropout(probability: 0.4)
        var x = random(30, &rng)
        let r = random(30, &rng)
        var maskGenerator = SeededGenerator(seed: 99)
        let (_, cache) = dropout.forward(Matrix(rows: 5, cols: 6, storage: x), training: true, generator: &maskGenerator)
        let dx = dropout.backward(Matrix(rows: 5, cols: 6, storage: r), cache)
        let numeric = GradientCheck.numerical(&x) {
            var generator = SeededGenerator(seed: 99)
            return weighted(dropout.forward(Matrix(rows: 5, cols: 6, storage: $0), training: true, generator: &generator).0.storage, r)
        }
        GradientCheck.expectClose(dx.storage, numeric, "dropout dx")
    }

    @Test(arguments: Activation.allCases)
    func activationGradientMatchesFiniteDifferences(activation: Activation) {
        var rng = SeededGenerator(seed: 16)
        // Away from ReLU's kink at 0, where the difference quotient is not a derivative.
        var x = random(24, &rng).map { $0 * 3 }.map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        let r = random(24, &rng)
        let (_, cache) = activation.forward(Matrix(rows: 4, cols: 6, storage: x))
        let dx = activation.backward(Matrix(rows: 4, cols: 6, storage: r), cache)
        let numeric = GradientCheck.numerical(&x) { weighted(activation.forward(Matrix(rows: 4, cols: 6, storage: $0)).0.storage, r) }
        GradientCheck.expectClose(dx.storage, numeric, "\(activation) dx")
    }

    @Test func softmaxGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 17)
        var x = random(15, &rng).map { $0 * 3 }
        let r = random(15, &rng)
        let (_, cache) = Softmax.forward(Matrix(rows: 3, cols: 5, storage: x))
        let dx = Softmax.backward(Matrix(rows: 3, cols: 5, storage: r), cache)
        let numeric = GradientCheck.numerical(&x) { weighted(Softmax.forward(Matrix(rows: 3, cols: 5, storage: $0)).0.storage, r) }
        GradientCheck.expectClose(dx.storage, numeric, "softmax dx")
    }
}
