import Foundation
import Testing
@testable import TextClf

/// The general pieces the examples build on: named tensors of any layer through plain
/// safetensors, rows of a matrix, standardization, normal draws and plots of any metric.
@Suite("dense toolkit")
struct DenseToolkitTests {
    @Test func parametersRoundTripThroughPlainSafetensorsFile() throws {
        var rng = SeededGenerator(seed: 41)
        let stack = Sequential(sizes: [5, 3, 1], activation: .tanh, generator: &rng)
        let files = ScratchDirectory()
        let url = URL(fileURLWithPath: files.path("stack.safetensors"))
        try Safetensors(tensors: stack.parameterTensors).write(to: url)
        #expect(files.listing() == ["stack.safetensors"], "no temporary file is left behind")

        var restored = Sequential(sizes: [5, 3, 1], activation: .tanh, generator: &rng)
        #expect(restored.parameterTensors != stack.parameterTensors)
        try restored.loadParameters(from: Safetensors(contentsOf: url).tensors)
        #expect(restored.parameterTensors == stack.parameterTensors)
        let x = Matrix(rows: 2, cols: 5, storage: (0..<10).map { Float($0) / 10 })
        #expect(restored(x) == stack(x))
    }

    @Test func loadingRefusesMissingMisshapenAndExtraTensorsAndChangesNothing() throws {
        var rng = SeededGenerator(seed: 42)
        var layer = Linear(inputSize: 3, outputSize: 2, generator: &rng)
        let before = layer.parameterTensors
        var tensors = before
        tensors["bias"] = Tensor(shape: [3], values: [1, 2, 3])
        #expect(throws: NetworkError.tensorMismatch("bias", expected: [2], found: [3])) { try layer.loadParameters(from: tensors) }
        tensors["bias"] = nil
        #expect(throws: NetworkError.tensorMismatch("bias", expected: [2], found: nil)) { try layer.loadParameters(from: tensors) }
        tensors = before
        tensors["extra"] = Tensor(shape: [1], values: [0])
        #expect(throws: NetworkError.unexpectedTensor("extra")) { try layer.loadParameters(from: tensors) }
        #expect(layer.parameterTensors == before)
    }

    @Test func gatheringRowsAndArgmaxOfRows() {
        let m = Matrix(rows: 3, cols: 2, storage: [1, 5, 7, 2, 3, 3])
        #expect(m.gatheringRows([2, 0, 2]).storage == [3, 3, 1, 5, 3, 3])
        #expect(m.gatheringRows([Int]()).rows == 0)
        #expect(m.argmaxOfRows() == [1, 0, 0], "ties go to the first column")
    }

    @Test func standardizationCentresAndScalesEachColumnAndKeepsConstantColumnsFinite() {
        let train = Matrix(rows: 4, cols: 2, storage: [1, 7, 2, 7, 3, 7, 4, 7])
        let scaler = Standardization(fitting: train)
        #expect(scaler.mean == [2.5, 7])
        #expect(abs(scaler.scale[0] - Float(1.25).squareRoot()) < 1e-6 && scaler.scale[1] == 1)
        let scaled = scaler.apply(train)
        let column = (0..<4).map { scaled[$0, 0] }
        #expect(abs(column.reduce(0, +)) < 1e-6)
        #expect(abs(column.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-5)
        #expect((0..<4).allSatisfy { scaled[$0, 1] == 0 })
    }

    @Test func normalDrawsHaveTheAskedMeanAndSpreadAndRepeatPerSeed() {
        var rng = SeededGenerator(seed: 43)
        let draws = (0..<20_000).map { _ in Double(rng.nextNormal(mean: 3, standardDeviation: 2)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 3) < 0.05 && abs(variance.squareRoot() - 2) < 0.05)
        #expect(draws.allSatisfy { $0.isFinite })
        var again = SeededGenerator(seed: 43)
        #expect(Double(again.nextNormal(mean: 3, standardDeviation: 2)) == draws[0])
    }

    @Test func metricPlotDrawsEveryPanelCurveAndLegendName() {
        let svg = MetricPlot.svg(title: "a & b", panels: [
            MetricPanel(title: "loss", curves: [MetricCurve(name: "model <1>", values: [3, 2, 1]),
                                                MetricCurve(name: "model 2", values: [4, .nan, 2], dashed: true)]),
            MetricPanel(title: "accuracy (%)", curves: [MetricCurve(name: "model <1>", values: [50, 70, 90])], yRange: 0...100),
            MetricPanel(title: "gap", curves: [MetricCurve(name: "third", values: [1])]),
        ], xLabel: "step")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1350\""))
        #expect(svg.contains(">a &amp; b</text>") && svg.contains(">step</text>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.components(separatedBy: ">model &lt;1&gt;</text>").count - 1 == 1, "one legend entry per name")
        #expect(svg.contains(">model 2</text>") && svg.contains(">third</text>"))
        #expect(svg.contains("stroke-dasharray") && !svg.contains("nan"))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}
