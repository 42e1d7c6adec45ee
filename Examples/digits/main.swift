// Classifies the 8×8 handwritten digits (scikit-learn's copy of the UCI set, corpora/digits/):
// softmax regression first, then one hidden layer of 10 sigmoid units, both under softmax and
// cross entropy with per-example SGD (lr 0.01). The pixels are standardized on the training
// split. It prints each epoch, the confusion matrix and the worst-classified test images.
//
//     swift run -c release --package-path Examples digits [--plot curves.svg]
//         [--data corpora/digits/digits.csv] [--epochs 15] [--seed 1]
import Foundation
import ExampleSupport
import TextClf

let epochs = option("--epochs", 15), plot = option("--plot", "")
var generator = SeededGenerator(seed: option("--seed", 1))
let dataURL = URL(fileURLWithPath: option("--data", URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../corpora/digits/digits.csv").standardized.path))

// Header `p0,…,p63,label`, then 64 pixels (0–16) and the digit per row.
var pixels: [Float] = [], labels: [Int] = []
let rows = orExit("reading \(dataURL.path)") { try String(contentsOf: dataURL, encoding: .utf8) }.split(separator: "\n").dropFirst()
for (number, row) in zip(2..., rows) {
    let fields = row.split(separator: ",").map { Float($0) }
    guard fields.count == 65, fields.allSatisfy({ $0 != nil }) else {
        FileHandle.standardError.write(Data("error: \(dataURL.path):\(number): expected 64 pixels and a label\n".utf8))
        exit(1)
    }
    pixels += fields.dropLast().map { $0! }
    labels.append(Int(fields[64]!))
}
let images = Matrix(rows: labels.count, cols: 64, storage: pixels)

// 85/15 split after a seeded shuffle; the scaler sees the training rows only.
var shuffled = Array(0..<labels.count)
generator.shuffle(&shuffled)
let testRows = Array(shuffled.prefix(Int((Double(labels.count) * 0.15).rounded())))
let trainRows = Array(shuffled.dropFirst(testRows.count))
let scaler = Standardization(fitting: images.gatheringRows(trainRows))
let trainX = scaler.apply(images.gatheringRows(trainRows)), testX = scaler.apply(images.gatheringRows(testRows))
let trainY = trainRows.map { labels[$0] }, testY = testRows.map { labels[$0] }
print("\(trainRows.count) training and \(testRows.count) test images of 8×8 pixels")

func accuracy(_ model: Sequential) -> Double {
    Double(zip(model(testX).argmaxOfRows(), testY).filter { $0 == $1 }.count) / Double(testY.count)
}

/// Trains `sizes` (In, hidden…, Out) one example at a time; returns the model and its curves.
func train(_ name: String, sizes: [Int], _ generator: inout SeededGenerator)
    -> (model: Sequential, losses: [Double], accuracies: [Double]) {
    var model = Sequential(sizes: sizes, activation: .sigmoid, generator: &generator)
    var sgd = ParameterOptimizer(SGD())
    var order = Array(0..<trainX.rows), losses: [Double] = [], accuracies: [Double] = []
    for epoch in 1...epochs {
        generator.shuffle(&order)
        var lossSum = 0.0
        for i in order {
            let pass = model.forward(trainX.gatheringRows([i]))
            let loss = Losses.softmaxCrossEntropy(logits: pass.output, targets: [trainY[i]])
            model.backward(loss.logitsGradient, pass.cache)
            sgd.step(&model, module: "", learningRate: 0.01)
            model.zeroGradients()
            lossSum += loss.loss
        }
        losses.append(lossSum / Double(order.count))
        accuracies.append(accuracy(model))
        print(name + String(format: "  epoch %2d  train loss %.4f  test accuracy %.2f%%",
                            epoch, losses.last!, accuracies.last! * 100))
    }
    return (model, losses, accuracies)
}

let regression = train("softmax regression", sizes: [64, 10], &generator)
let hidden = train("hidden layer", sizes: [64, 10, 10], &generator)

print("\nconfusion of the hidden-layer model on the test images (rows: true, columns: predicted)")
var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
let probabilities = Softmax.forward(hidden.model(testX)).0, predictions = probabilities.argmaxOfRows()
for (predicted, truth) in zip(predictions, testY) { confusion[truth][predicted] += 1 }
print("     " + (0..<10).map { String(format: "%4d", $0) }.joined())
for digit in 0..<10 {
    print(String(format: "%4d ", digit) + confusion[digit].map { String(format: "%4d", $0) }.joined())
}

print("\nworst-classified test images (lowest probability of the true digit)")
let worst = testY.indices.sorted { probabilities[$0, testY[$0]] < probabilities[$1, testY[$1]] }.prefix(3)
let shades = Array(" .:-=+*#%@")
for index in worst {
    let predicted = predictions[index]
    print(String(format: "true %d  predicted %d (%.3f)  P(true) %.3f", testY[index], predicted,
                 probabilities[index, predicted], probabilities[index, testY[index]]))
    let image = images.gatheringRows([testRows[index]]).storage
    for y in 0..<8 {
        print("  " + (0..<8).map { x in String(shades[Int(image[y * 8 + x]) * 9 / 16]) }.joined())
    }
}

if !plot.isEmpty {
    let svg = MetricPlot.svg(title: "8×8 digits, per-example SGD", panels: [
        MetricPanel(title: "training loss (cross entropy)", curves: [
            MetricCurve(name: "softmax regression", values: regression.losses),
            MetricCurve(name: "hidden layer (10 sigmoid)", values: hidden.losses),
        ]),
        MetricPanel(title: "test accuracy (%)", curves: [
            MetricCurve(name: "softmax regression", values: regression.accuracies.map { $0 * 100 }),
            MetricCurve(name: "hidden layer (10 sigmoid)", values: hidden.accuracies.map { $0 * 100 }),
        ], yRange: 0...100),
    ])
    orExit("writing \(plot)") { try svg.write(to: URL(fileURLWithPath: plot), atomically: true, encoding: .utf8) }
    print("wrote \(plot)")
}
print(String(format: "\nsoftmax regression: test accuracy %.2f%%", regression.accuracies.last! * 100))
print(String(format: "hidden layer: test accuracy %.2f%%", hidden.accuracies.last! * 100))
