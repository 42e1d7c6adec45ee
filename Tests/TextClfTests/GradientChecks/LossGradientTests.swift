import Testing
@testable import TextClf

@Suite("gradient checks: losses")
struct LossGradientTests {
    private func logits(_ rows: Int, _ cols: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<rows * cols).map { _ in rng.nextUniform(-3, 3) }
    }

    private func check(_ rows: Int, _ cols: Int, seed: UInt64, _ what: String, loss: (Matrix) -> LossResult) {
        var z = logits(rows, cols, seed: seed)
        let analytic = loss(Matrix(rows: rows, cols: cols, storage: z)).logitsGradient.storage
        let numeric = GradientCheck.numerical(&z) { loss(Matrix(rows: rows, cols: cols, storage: $0)).loss }
        GradientCheck.expectClose(analytic, numeric, what, absolute: 1e-4)
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() {
        let targets = [0, 3, 1, 1, 2]
        check(5, 4, seed: 21, "CE") { softmaxCrossEntropy(logits: $0, targets: targets) }
        check(5, 4, seed: 22, "weighted CE") { softmaxCrossEntropy(logits: $0, targets: targets, classWeights: [0.5, 2, 1, 3]) }
    }

    @Test func binaryCrossEntropyGradientMatchesFiniteDifferences() {
        let targets = Matrix(rows: 4, cols: 3, storage: [1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0])
        let weights = elementWeights(classWeights: [1.5, 0.5, 2], targets: targets)
        check(4, 3, seed: 23, "multi-label BCE") { sigmoidBinaryCrossEntropy(logits: $0, targets: targets) }
        check(4, 3, seed: 24, "weighted multi-label BCE") { sigmoidBinaryCrossEntropy(logits: $0, targets: targets, weights: weights) }
        let binary = Matrix(rows: 5, cols: 1, storage: [1, 0, 0, 1, 1])
        let binaryWeights = elementWeights(classWeights: [0.7, 1.6], targets: binary)
        check(5, 1, seed: 25, "one-output BCE") { sigmoidBinaryCrossEntropy(logits: $0, targets: binary, weights: binaryWeights) }
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        let labels = [2, 0, 1, 2]
        let targets = oneHot(labels, classes: 3)
        let weights = elementWeights(classWeights: [1, 2, 0.5], targets: targets, rowLabels: labels)
        check(4, 3, seed: 26, "MSE") { sigmoidMeanSquaredError(logits: $0, targets: targets) }
        check(4, 3, seed: 27, "weighted MSE") { sigmoidMeanSquaredError(logits: $0, targets: targets, weights: weights) }
    }

    @Test func poolModelGradientMatchesFiniteDifferencesOnPaddedBatch() {
        var rng = SeededGenerator(seed: 28)
        var embedding = Embedding(vocabularySize: 6, dimension: 3, generator: &rng)
        var fc = Linear(inputSize: 3, outputSize: 2, generator: &rng)
        let ids = [1, 4, 4, 0, 5, 0, 0, 0, 2, 3, 0, 0], lengths = [3, 1, 2], targets = [1, 0, 1]
        func loss(_ embedding: Embedding, _ fc: Linear) -> LossResult {
            let pooled = MeanPooling().forward(embedding.forward(ids: ids, lengths: lengths, maxLength: 4).0).0
            return softmaxCrossEntropy(logits: fc.forward(pooled).0, targets: targets)
        }
        let (embedded, embeddingCache) = embedding.forward(ids: ids, lengths: lengths, maxLength: 4)
        let (pooled, poolCache) = MeanPooling().forward(embedded)
        let (logits, fcCache) = fc.forward(pooled)
        let result = softmaxCrossEntropy(logits: logits, targets: targets)
        embedding.backward(MeanPooling().backward(fc.backward(result.logitsGradient, fcCache), poolCache), embeddingCache)
        var table = embedding.weight.storage
        let frozenFC = fc
        let numeric = GradientCheck.numerical(&table) { loss(Embedding(weight: Matrix(rows: 6, cols: 3, storage: $0)), frozenFC).loss }
        GradientCheck.expectClose(embedding.gradient.dense(), numeric.enumerated().map { $0.offset < 3 ? 0 : $0.element }, "pool model dEmbedding", absolute: 1e-4)
        var w = fc.weight.storage
        let frozenEmbedding = Embedding(weight: embedding.weight)
        let numericW = GradientCheck.numerical(&w) { loss(frozenEmbedding, Linear(weight: Matrix(rows: 2, cols: 3, storage: $0), bias: frozenFC.bias)).loss }
        GradientCheck.expectClose(fc.weightGrad.storage, numericW, "pool model dW", absolute: 1e-4)
    }
}
