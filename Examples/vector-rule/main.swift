// Learns a rule on 5-dimensional random vectors, label 1 when x₀ > x₄, with one Linear layer and
// a sigmoid under mean squared error (Adam 1e-3). Then it saves the weights as plain
// safetensors, loads them into a fresh model and classifies new vectors with it.
//
//     swift run -c release --package-path Examples vector-rule [--plot curves.svg]
//         [--weights rule.safetensors] [--epochs 20] [--seed 1]
import Foundation
import ExampleSupport
import TextClf

let epochs = option("--epochs", 20), plot = option("--plot", "")
var generator = SeededGenerator(seed: option("--seed", 1))

/// `count` vectors uniform in [−1, 1)⁵ and their labels (1 when x₀ > x₄) as a column.
func vectors(_ count: Int, _ generator: inout SeededGenerator) -> (x: Matrix, y: Matrix) {
    let x = Matrix(rows: count, cols: 5, storage: (0..<count * 5).map { _ in generator.nextUniform(-1, 1) })
    let y = Matrix(rows: count, cols: 1, storage: (0..<count).map { x[$0, 0] > x[$0, 4] ? 1 : 0 })
    return (x, y)
}

/// The share of rows whose sigmoid output falls on the side of 0.5 that their label is on.
func accuracy(logits: Matrix, labels: Matrix) -> Double {
    let right = (0..<logits.rows).filter { (logits[$0, 0] > 0) == (labels[$0, 0] > 0.5) }.count
    return Double(right) / Double(logits.rows)
}

let train = vectors(5000, &generator), test = vectors(1000, &generator)
var model = Sequential([.linear(Linear(inputSize: 5, outputSize: 1, generator: &generator))])
var adam = ParameterOptimizer(Adam())
var order = Array(0..<train.x.rows)
var losses: [Double] = [], trainAccuracies: [Double] = [], testAccuracies: [Double] = []

for epoch in 1...epochs {
    generator.shuffle(&order)
    var lossSum = 0.0, right = 0.0
    for start in stride(from: 0, to: order.count, by: 20) {
        let batch = order[start ..< min(start + 20, order.count)]
        let labels = train.y.gatheringRows(batch)
        let pass = model.forward(train.x.gatheringRows(batch))
        let loss = Losses.sigmoidMeanSquaredError(logits: pass.output, targets: labels)
        model.backward(loss.logitsGradient, pass.cache)
        adam.step(&model, module: "", learningRate: 1e-3)
        model.zeroGradients()
        lossSum += loss.loss * Double(batch.count)
        right += accuracy(logits: pass.output, labels: labels) * Double(batch.count)
    }
    losses.append(lossSum / Double(order.count))
    trainAccuracies.append(right / Double(order.count))
    testAccuracies.append(accuracy(logits: model(test.x), labels: test.y))
    print(String(format: "epoch %2d  loss %.4f  train accuracy %.2f%%  test accuracy %.2f%%",
                 epoch, losses.last!, trainAccuracies.last! * 100, testAccuracies.last! * 100))
}

if !plot.isEmpty {
    let svg = MetricPlot.svg(title: "vector rule: x₀ > x₄", panels: [
        MetricPanel(title: "MSE after sigmoid", curves: [MetricCurve(name: "train", values: losses)]),
        MetricPanel(title: "accuracy (%)", curves: [
            MetricCurve(name: "train", values: trainAccuracies.map { $0 * 100 }),
            MetricCurve(name: "test", values: testAccuracies.map { $0 * 100 }, dashed: true),
        ], yRange: 0...100),
    ])
    orExit("writing \(plot)") { try svg.write(to: URL(fileURLWithPath: plot), atomically: true, encoding: .utf8) }
    print("wrote \(plot)")
}

// Plain safetensors holding `0.weight` [1, 5] and `0.bias` [1], as nn.Sequential names them.
let weightsURL = URL(fileURLWithPath: option("--weights",
    FileManager.default.temporaryDirectory.appendingPathComponent("vector-rule.safetensors").path))
orExit("writing \(weightsURL.path)") { try Safetensors(tensors: model.parameterTensors).write(to: weightsURL) }
var loaded = Sequential([.linear(Linear(inputSize: 5, outputSize: 1, generator: &generator))])
orExit("reading \(weightsURL.path)") { try loaded.loadParameters(from: Safetensors(contentsOf: weightsURL).tensors) }
print("wrote and read back \(weightsURL.path): \(loaded.parameterTensors.keys.sorted().joined(separator: ", "))")
print("weights " + loaded.parameterTensors["0.weight"]!.values.map { String(format: "%+.3f", $0) }.joined(separator: " "))

let fresh = vectors(4, &generator)
let probabilities = loaded(fresh.x).storage.map { 1 / (1 + exp(-$0)) }
for row in 0..<fresh.x.rows {
    let x = (0..<5).map { String(format: "%+.2f", fresh.x[row, $0]) }.joined(separator: " ")
    print("[\(x)]  P(x₀ > x₄) = \(String(format: "%.3f", probabilities[row]))  truth \(Int(fresh.y[row, 0]))")
}
print(String(format: "test accuracy %.2f%%", testAccuracies.last! * 100))
