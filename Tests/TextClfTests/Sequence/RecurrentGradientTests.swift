import Testing
@testable import TextClf

@Suite("recurrent layers' gradients")
struct RecurrentGradientTests {
    enum Arch: String, CaseIterable { case rnn, lstm, gru }

    /// Two layers, unequal lengths (one of 1), padded past the longest; dropout between the
    /// layers with a mask fixed by reseeding its generator for every evaluation.
    @Test(arguments: Arch.allCases, [false, true])
    func gradientsMatchFiniteDifferences(_ arch: Arch, bidirectional: Bool) {
        switch arch {
        case .rnn: check(RNN.self, bidirectional: bidirectional)
        case .lstm: check(LSTM.self, bidirectional: bidirectional)
        case .gru: check(GRU.self, bidirectional: bidirectional)
        }
    }

    private func check<Cell>(_ type: RecurrentStack<Cell>.Type, bidirectional: Bool) {
        let lengths = [4, 1, 3], T = 5, D = 3
        var generator = SeededGenerator(seed: 3)
        var stack = RecurrentStack<Cell>(inputSize: D, hiddenSize: 2, layers: 2, bidirectional: bidirectional,
                                         dropout: 0.3, generator: &generator)
        let input = SequenceTestData.batch(lengths: lengths, maxLength: T, features: D, seed: 4)
        let pooling = LastPooling(directions: stack.directions)
        let outputWeights = SequenceTestData.random(rows: lengths.count * T, cols: stack.outputSize, seed: 5)
        let lastWeights = SequenceTestData.random(rows: lengths.count, cols: stack.outputSize, seed: 6)

        func loss(_ layer: RecurrentStack<Cell>, _ x: Matrix) -> Double {
            var masks = SeededGenerator(seed: 9)
            let (output, _) = layer.forward(SequenceBatch(values: x, lengths: lengths, maxLength: T), training: true, generator: &masks)
            return SequenceTestData.dot(output.values, outputWeights) + SequenceTestData.dot(pooling.forward(output).0, lastWeights)
        }

        var masks = SeededGenerator(seed: 9)
        let (output, cache) = stack.forward(input, training: true, generator: &masks)
        let (_, poolingCache) = pooling.forward(output)
        var outputGrad = pooling.backward(lastWeights, poolingCache)
        for k in outputGrad.storage.indices { outputGrad.storage[k] += outputWeights.storage[k] }
        let inputGrad = stack.backward(outputGrad, cache)

        for (name, analytic) in SequenceTestData.gradients(of: &stack) {
            var values = SequenceTestData.parameter(name, of: &stack)
            let numerical = GradientCheck.numerical(&values) { loss(SequenceTestData.with(stack, name, $0), input.values) }
            GradientCheck.expectClose(analytic, numerical, "\(Cell.self) \(name)")
        }
        var x = input.values.storage
        let numerical = GradientCheck.numerical(&x) { loss(stack, Matrix(rows: input.values.rows, cols: D, storage: $0)) }
        let numericalMatrix = Matrix(rows: input.values.rows, cols: D, storage: numerical)
        GradientCheck.expectClose(SequenceTestData.realRows(inputGrad, lengths: lengths, maxLength: T),
                                  SequenceTestData.realRows(numericalMatrix, lengths: lengths, maxLength: T), "\(Cell.self) input")
        #expect(SequenceTestData.paddedRows(inputGrad, lengths: lengths, maxLength: T).allSatisfy { $0 == 0 })
    }
}
