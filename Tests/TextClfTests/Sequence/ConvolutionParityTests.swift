import Foundation
import Testing
@testable import TextClf

@Suite("convolution bank matches PyTorch")
struct ConvolutionParityTests {
    @Test(arguments: ["max", "mean"])
    func outputsAndGradientsMatchPyTorch(_ pooling: String) throws {
        let name = "conv_\(pooling)"
        let fixture = try SequenceFixture(name)
        let input = try fixture.input()
        let kernelSizes = try #require((fixture.config["kernel_sizes"] as? [NSNumber])?.map(\.intValue))
        var generator = SeededGenerator(seed: 1)
        var bank = Conv1dBank(inputSize: input.features, filters: try fixture.int("filters"), kernelSizes: kernelSizes,
                              pooling: try #require(Conv1dBank.Pooling(rawValue: pooling)), generator: &generator)
        try fixture.load(into: &bank)
        let (output, cache) = bank.forward(input)
        let outputGrad = try fixture.tensor("output_grad")
        let inputGrad = bank.backward(Matrix(rows: output.rows, cols: output.cols, storage: outputGrad.values), cache)

        let expectedOutput = try fixture.tensor("output").values, expectedInputGrad = try fixture.tensor("grad.input").values
        Parity.expect(output.storage, expectedOutput, "\(name) output")
        Parity.expect(inputGrad.storage, expectedInputGrad, "\(name) grad.input")
        let worst = max(Parity.worstRatio(output.storage, expectedOutput),
                        Parity.worstRatio(inputGrad.storage, expectedInputGrad),
                        try fixture.expectGradients(of: &bank, name))
        print("PARITY sequence_\(name) worst-ratio \(String(format: "%.4f", worst))")
    }
}
