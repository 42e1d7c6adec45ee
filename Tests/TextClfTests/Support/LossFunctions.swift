@testable import TextClf

// The parity and gradient tests were written against free loss functions; these forward to
// `Losses` so that those tests stay byte for byte as they were when their fixtures were made.

func softmaxCrossEntropy(logits: Matrix, targets: [Int], classWeights: [Float]? = nil) -> LossResult {
    Losses.softmaxCrossEntropy(logits: logits, targets: targets, classWeights: classWeights)
}

func sigmoidBinaryCrossEntropy(logits: Matrix, targets: Matrix, weights: Matrix? = nil) -> LossResult {
    Losses.sigmoidBinaryCrossEntropy(logits: logits, targets: targets, weights: weights)
}

func sigmoidMeanSquaredError(logits: Matrix, targets: Matrix, weights: Matrix? = nil) -> LossResult {
    Losses.sigmoidMeanSquaredError(logits: logits, targets: targets, weights: weights)
}
