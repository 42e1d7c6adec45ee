import Testing
@_spi(Internals) @testable import TextClf

@Suite("int8 layers")
struct QuantizedLayerTests {
    /// Σ_c (sx/2)·|W[r, c]| at its largest over the rows: how far rounding an input of scale sx
    /// to its int8 step can move one output of W.
    static func inputRoundingBound(_ weight: Matrix, inputScale sx: Float) -> Double {
        (0..<weight.rows).map { r in
            (0..<weight.cols).reduce(0.0) { $0 + Double(sx) / 2 * abs(Double(weight[r, $1])) }
        }.max() ?? 0
    }

    @Test func quantizedLinearMatchesTheDequantizedFloatLayerWithinTheInputRounding() {
        var rng = SeededGenerator(seed: 21)
        let linear = Linear(inputSize: 100, outputSize: 7, generator: &rng)
        let quantized = QuantizedLinear(quantizing: linear)
        let float = Linear(weight: quantized.weight.dequantized(), bias: linear.bias)
        let x = Matrix(rows: 9, cols: 100, storage: (0..<900).map { _ in rng.nextUniform(-3, 3) })
        let y = quantized.forward(x), expected = float.forward(x).0
        for b in 0..<9 {
            let sx = (0..<100).map { abs(x[b, $0]) }.max()! / 127
            let bound = Self.inputRoundingBound(float.weight, inputScale: sx)
            for r in 0..<7 {
                // The float layer's own rounding (K = 100 products) adds well under 1e-5 here.
                #expect(abs(Double(y[b, r]) - Double(expected[b, r])) <= bound * 1.0001 + 1e-5, "b \(b) r \(r)")
            }
        }
    }

    /// RNN, LSTM and GRU (two bidirectional layers) with int8 W_ih and W_hh against the same
    /// stacks with both dequantized in float: the int8 path is taken (outputs differ), and the
    /// outputs stay within what rounding the inputs of one step moves every layer's projections
    /// (x for W_ih, h_{t−1} with |h| ≤ 1 for W_hh): the gates and tanh damp the errors of earlier
    /// steps, so they do not add up.
    @Test(arguments: ["rnn", "lstm", "gru"])
    func recurrentInt8ProductsStayWithinTheInputRounding(arch: String) {
        switch arch {
        case "rnn": check(RNN.self)
        case "lstm": check(LSTM.self)
        default: check(GRU.self)
        }
    }

    private func check<Cell: RecurrentCell>(_: RecurrentStack<Cell>.Type) {
        var rng = SeededGenerator(seed: 22)
        let (D, H, T, lengths) = (24, 16, 6, [6, 3, 5, 1])
        var stack = RecurrentStack<Cell>(inputSize: D, hiddenSize: H, layers: 2, bidirectional: true, generator: &rng)
        let values = Matrix(rows: lengths.count * T, cols: D, storage: (0..<lengths.count * T * D).map { _ in rng.nextUniform(-1, 1) })
        let input = SequenceBatch(values: values, lengths: lengths, maxLength: T)
        let int8 = stack.weights.map(RecurrentInt8Weights.init(quantizing:))
        var float = stack
        for i in float.weights.indices {
            float.weights[i].inputWeight = int8[i].input.dequantized()
            float.weights[i].hiddenWeight = int8[i].hidden.dequantized()
        }
        stack.useInt8Weights(int8)
        let quantized = stack.forward(input).0.values.storage, expected = float.forward(input).0.values.storage
        var bound = 0.0
        for (i, weights) in float.weights.enumerated() {
            let sx: Float = i < stack.directions ? values.storage.map(abs).max()! / 127 : 1 / 127
            bound += Self.inputRoundingBound(weights.inputWeight, inputScale: sx)
            bound += Self.inputRoundingBound(weights.hiddenWeight, inputScale: 1 / 127)
        }
        let worst = zip(quantized, expected).map { Double(abs($0 - $1)) }.max()!
        #expect(worst > 0, "the int8 products were not used")
        #expect(worst <= bound, "worst difference \(worst), bound \(bound)")
    }

    /// The convolution bank (kernels 2, 3, 5; max and mean pooling) with int8 weights against the
    /// same bank with the dequantized weights in float: each window is one int8 input row, so an
    /// output moves by at most Σ (sx/2)·|W| with sx ≤ maxabs(x) / 127, and ReLU and both poolings
    /// move nothing further.
    @Test(arguments: [Conv1dBank.Pooling.max, .mean])
    func convolutionInt8StaysWithinTheWindowRounding(pooling: Conv1dBank.Pooling) {
        var rng = SeededGenerator(seed: 23)
        let (D, F, T, lengths) = (12, 7, 9, [9, 2, 6])
        var bank = Conv1dBank(inputSize: D, filters: F, kernelSizes: [2, 3, 5], pooling: pooling, generator: &rng)
        var storage = (0..<lengths.count * T * D).map { _ in rng.nextUniform(-1, 1) }
        for (b, length) in lengths.enumerated() {
            for t in length..<T { for d in 0..<D { storage[(b * T + t) * D + d] = 0 } }
        }
        let input = SequenceBatch(values: Matrix(rows: lengths.count * T, cols: D, storage: storage), lengths: lengths, maxLength: T)
        var float = bank
        bank.quantizeWeights()
        var bound = 0.0
        for (q, k) in bank.kernelSizes.enumerated() {
            let dequantized = Int8Matrix(quantizing: Matrix(rows: F, cols: D * k, storage: float.weights[q])).dequantized()
            float.weights[q] = dequantized.storage
            bound = max(bound, Self.inputRoundingBound(dequantized, inputScale: storage.map(abs).max()! / 127))
        }
        let quantized = bank.forward(input).0.storage, expected = float.forward(input).0.storage
        let worst = zip(quantized, expected).map { Double(abs($0 - $1)) }.max()!
        #expect(worst > 0, "the int8 convolution was not used")
        #expect(worst <= bound * 1.0001 + 1e-5, "worst difference \(worst), bound \(bound)")
    }
}
