import Foundation
import Testing
@testable import TextClf

@Suite("recurrent layers match PyTorch")
struct RecurrentParityTests {
    static let cases = ["rnn", "lstm", "gru"].flatMap { arch in
        ["l1_uni", "l1_bi", "l2_uni", "l2_bi"].map { "\(arch)_\($0)" }
    }

    @Test(arguments: cases)
    func outputsAndGradientsMatchPackedPyTorch(_ name: String) throws {
        let fixture = try SequenceFixture(name)
        let worst: Float
        switch try #require(fixture.config["arch"] as? String) {
        case "rnn": worst = try check(RNN.self, fixture, name)
        case "lstm": worst = try check(LSTM.self, fixture, name)
        default: worst = try check(GRU.self, fixture, name)
        }
        // The worst error of the case as a fraction of SPEC §4's tolerance, in the form the
        // core fixtures print: `swift test --filter Parity | grep PARITY`.
        print("PARITY sequence_\(name) worst-ratio \(String(format: "%.4f", worst))")
    }

    /// Forward, `last` pooling and backward of one fixture; returns the worst parity ratio.
    private func check<Cell>(_ type: RecurrentStack<Cell>.Type, _ fixture: SequenceFixture, _ name: String) throws -> Float {
        let input = try fixture.input()
        var generator = SeededGenerator(seed: 1)
        var stack = RecurrentStack<Cell>(
            inputSize: input.features, hiddenSize: try fixture.int("hidden"), layers: try fixture.int("layers"),
            bidirectional: try #require(fixture.config["bidirectional"] as? Bool), generator: &generator)
        try fixture.load(into: &stack)
        let (output, cache) = stack.forward(input)
        let pooling = LastPooling(directions: stack.directions)
        let (last, poolingCache) = pooling.forward(output)

        let lastGrad = try fixture.tensor("last_grad")
        var outputGrad = Matrix(rows: output.values.rows, cols: output.features, storage: try fixture.tensor("output_grad").values)
        let routed = pooling.backward(Matrix(rows: last.rows, cols: last.cols, storage: lastGrad.values), poolingCache)
        for k in outputGrad.storage.indices { outputGrad.storage[k] += routed.storage[k] }
        let inputGrad = stack.backward(outputGrad, cache)

        let pairs: [(String, [Float], [Float])] = [
            ("output", output.values.storage, try fixture.tensor("output").values),
            ("last", last.storage, try fixture.tensor("last").values),
            ("grad.input", inputGrad.storage, try fixture.tensor("grad.input").values),
        ]
        var worst: Float = 0
        for (what, actual, expected) in pairs {
            Parity.expect(actual, expected, "\(name) \(what)")
            worst = max(worst, Parity.worstRatio(actual, expected))
        }
        return max(worst, try fixture.expectGradients(of: &stack, name))
    }
}
