import Testing
@testable import TextClf

@Suite("initialisation and dropout")
struct InitialisationAndDropoutTests {
    @Test func linearStartsUniformWithinInverseSquareRootOfInputs() {
        var rng = SeededGenerator(seed: 1)
        let layer = Linear(inputSize: 64, outputSize: 50, generator: &rng)
        let bound: Float = 1 / 8
        let all = layer.weight.storage + layer.bias
        #expect(all.allSatisfy { abs($0) <= bound })
        #expect(all.max()! > 0.9 * bound && all.min()! < -0.9 * bound, "values should fill ±1/√In")
        #expect(layer.weightGrad.storage.allSatisfy { $0 == 0 } && layer.biasGrad.allSatisfy { $0 == 0 })
    }

    @Test func embeddingStartsUniformWithVarianceOneOverDimensionAndZeroPaddingRow() {
        var rng = SeededGenerator(seed: 2)
        let layer = Embedding(vocabularySize: 1000, dimension: 20, generator: &rng)
        #expect(layer.weight.storage[0..<20].allSatisfy { $0 == 0 })
        let rest = layer.weight.storage[20...].map(Double.init)
        let bound = (3.0 / 20).squareRoot()
        #expect(rest.allSatisfy { abs($0) <= bound })
        let mean = rest.reduce(0, +) / Double(rest.count)
        let variance = rest.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rest.count)
        #expect(abs(mean) < 0.01 && abs(variance - 1.0 / 20) < 0.003, "mean \(mean), variance \(variance)")
    }

    @Test func initialisationIsReproducibleFromTheSeed() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let first = Linear(inputSize: 4, outputSize: 3, generator: &a)
        #expect(first.weight == Linear(inputSize: 4, outputSize: 3, generator: &b).weight)
        #expect(first.weight != Linear(inputSize: 4, outputSize: 3, generator: &c).weight)
    }

    @Test func dropoutKeepsAboutOneMinusPAndScalesSurvivors() {
        var rng = SeededGenerator(seed: 3)
        let x = Matrix(rows: 100, cols: 100, storage: [Float](repeating: 1, count: 10_000))
        let (y, _) = Dropout(probability: 0.25).forward(x, training: true, generator: &rng)
        let kept = y.storage.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02, "kept \(kept.count) of 10000")
    }

    @Test func dropoutIsOffInEvaluation() {
        var rng = SeededGenerator(seed: 4)
        let x = Matrix(rows: 2, cols: 3, storage: [1, -2, 3, 4, 5, -6])
        let (y, cache) = Dropout(probability: 0.5).forward(x, training: false, generator: &rng)
        #expect(y == x)
        #expect(Dropout(probability: 0.5).backward(x, cache) == x)
    }
}
