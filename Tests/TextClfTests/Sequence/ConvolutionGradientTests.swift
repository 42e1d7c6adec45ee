import Testing
@testable import TextClf

@Suite("convolution bank")
struct ConvolutionGradientTests {
    /// Kernels 2, 4, 3 over lengths 5, 2 and 3: two sequences shorter than the largest kernel.
    @Test(arguments: Conv1dBank.Pooling.allCases)
    func gradientsMatchFiniteDifferences(_ pooling: Conv1dBank.Pooling) {
        let lengths = [5, 2, 3], T = 5, D = 3
        var generator = SeededGenerator(seed: 11)
        var bank = Conv1dBank(inputSize: D, filters: 2, kernelSizes: [2, 4, 3], pooling: pooling, generator: &generator)
        let input = SequenceTestData.batch(lengths: lengths, maxLength: T, features: D, seed: 12)
        let pooledWeights = SequenceTestData.random(rows: lengths.count, cols: bank.outputSize, seed: 13)
        func loss(_ layer: Conv1dBank, _ x: Matrix) -> Double {
            SequenceTestData.dot(layer.forward(SequenceBatch(values: x, lengths: lengths, maxLength: T)).0, pooledWeights)
        }
        // Steps of 1e-3, not the default 1e-2: a larger step carries some windows across ReLU's kink.
        let (_, cache) = bank.forward(input)
        let inputGrad = bank.backward(pooledWeights, cache)

        for (name, analytic) in SequenceTestData.gradients(of: &bank) {
            var values = SequenceTestData.parameter(name, of: &bank)
            let numerical = GradientCheck.numerical(&values, step: 1e-3) { loss(SequenceTestData.with(bank, name, $0), input.values) }
            GradientCheck.expectClose(analytic, numerical, "\(pooling) \(name)")
        }
        var x = input.values.storage
        let numerical = Matrix(rows: input.values.rows, cols: D,
                               storage: GradientCheck.numerical(&x, step: 1e-3) { loss(bank, Matrix(rows: input.values.rows, cols: D, storage: $0)) })
        GradientCheck.expectClose(SequenceTestData.realRows(inputGrad, lengths: lengths, maxLength: T),
                                  SequenceTestData.realRows(numerical, lengths: lengths, maxLength: T), "\(pooling) input")
        #expect(SequenceTestData.paddedRows(inputGrad, lengths: lengths, maxLength: T).allSatisfy { $0 == 0 })
    }

    @Test func parametersAreNamedPerKernelAndBoundedByFanIn() {
        var generator = SeededGenerator(seed: 1)
        var bank = Conv1dBank(inputSize: 4, filters: 5, kernelSizes: [3, 2], generator: &generator)
        var listed: [(String, [Int])] = []
        bank.forEachParameter { name, shape, value, _ in
            listed.append((name, shape))
            let k = shape.count == 3 ? shape[2] : (name.hasPrefix("conv.0") ? 3 : 2)
            #expect(value.allSatisfy { abs($0) <= 1 / Float(4 * k).squareRoot() })
        }
        #expect(listed.map(\.0) == ["conv.0.weight", "conv.0.bias", "conv.1.weight", "conv.1.bias"])
        #expect(listed.map(\.1) == [[5, 4, 3], [5], [5, 4, 2], [5]])
    }
}
