import Testing
@testable import TextClf

/// Finite-difference checks of the pieces for dense feature vectors: the `Sequential` stack
/// (input and every parameter) and plain mean squared error.
@Suite("gradient checks: dense stack and MSE")
struct DenseGradientTests {
    private func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextUniform(-1, 1) }
    }

    /// Σ r ⊙ y in Double.
    private func weighted(_ y: [Float], _ r: [Float]) -> Double {
        zip(y, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    @Test(arguments: [Activation.sigmoid, .tanh])
    func sequentialGradientsMatchFiniteDifferences(activation: Activation) throws {
        var rng = SeededGenerator(seed: 31)
        var stack = Sequential(sizes: [4, 5, 3, 2], activation: activation, generator: &rng)
        var x = random(3 * 4, &rng)
        let r = random(3 * 2, &rng)
        let pass = stack.forward(Matrix(rows: 3, cols: 4, storage: x))
        let dx = stack.backward(Matrix(rows: 3, cols: 2, storage: r), pass.cache)
        let probe = stack
        let numericX = GradientCheck.numerical(&x) { weighted(probe(Matrix(rows: 3, cols: 4, storage: $0)).storage, r) }
        GradientCheck.expectClose(dx.storage, numericX, "Sequential dx")

        var analytic: [String: [Float]] = [:]
        stack.forEachParameter { name, _, _, gradient in analytic[name] = gradient }
        #expect(analytic.keys.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"])
        for (name, tensor) in probe.parameterTensors {
            var values = tensor.values
            let numeric = GradientCheck.numerical(&values) { candidate in
                var tensors = probe.parameterTensors
                tensors[name] = Tensor(shape: tensor.shape, values: candidate)
                var changed = probe
                try! changed.loadParameters(from: tensors)
                return weighted(changed(Matrix(rows: 3, cols: 4, storage: x)).storage, r)
            }
            GradientCheck.expectClose(try #require(analytic[name]), numeric, "Sequential d\(name)")
        }
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 32)
        var predictions = random(4 * 3, &rng)
        let targets = Matrix(rows: 4, cols: 3, storage: random(4 * 3, &rng))
        let result = Losses.meanSquaredError(predictions: Matrix(rows: 4, cols: 3, storage: predictions), targets: targets)
        let numeric = GradientCheck.numerical(&predictions, step: 1e-3) {
            Losses.meanSquaredError(predictions: Matrix(rows: 4, cols: 3, storage: $0), targets: targets).loss
        }
        GradientCheck.expectClose(result.logitsGradient.storage, numeric, "MSE dy")
    }
}
