// Recovers y = 2x² + 3x + 4 from 200 noisy samples by mini-batch gradient descent: a Linear
// layer on the features (x², x) learns the two coefficients as its weight and the constant as
// its bias, under plain mean squared error.
//
//     swift run -c release --package-path Examples polynomial-fit [--epochs 5000] [--seed 1]
import Foundation
import ExampleSupport
import TextClf

let maxEpochs = option("--epochs", 5000)
var generator = SeededGenerator(seed: option("--seed", 1))

// 200 points evenly spaced in [−1, 1], noise σ = 1e-3.
let count = 200
var features = Matrix(rows: count, cols: 2), targets = Matrix(rows: count, cols: 1)
for i in 0..<count {
    let x = -1 + 2 * Float(i) / Float(count - 1)
    features[i, 0] = x * x
    features[i, 1] = x
    targets[i, 0] = 2 * x * x + 3 * x + 4 + generator.nextNormal(standardDeviation: 1e-3)
}

var model = Linear(inputSize: 2, outputSize: 1, generator: &generator)
var optimizer = ParameterOptimizer(SGD())
let batchSize = 20, learningRate: Float = 0.1, goal = 1e-5
var order = Array(0..<count)

for epoch in 1...maxEpochs {
    generator.shuffle(&order)
    var lossSum = 0.0
    for start in stride(from: 0, to: count, by: batchSize) {
        let batch = order[start ..< start + batchSize]
        let (predictions, cache) = model.forward(features.gatheringRows(batch))
        let loss = Losses.meanSquaredError(predictions: predictions, targets: targets.gatheringRows(batch))
        _ = model.backward(loss.logitsGradient, cache)
        optimizer.step(&model, module: "", learningRate: learningRate)
        model.zeroGradients()
        lossSum += loss.loss
    }
    let epochLoss = lossSum / Double(count / batchSize)
    print("epoch \(epoch)  loss \(String(format: "%.3e", epochLoss))")
    if epochLoss < goal { break }
}

let (a, b, c) = (model.weight[0, 0], model.weight[0, 1], model.bias[0])
print(String(format: "recovered y = %.4fx² + %.4fx + %.4f (true 2, 3, 4)", a, b, c))
