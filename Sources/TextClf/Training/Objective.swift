/// The loss a configuration trains with, and the predictions it counts as correct, reading
/// logits as probabilities the way prediction does (`ClassifierConfiguration.Loss.probabilities`).
public struct Objective: Sendable {
    /// The loss function.
    public let loss: ClassifierConfiguration.Loss
    /// Whether an example may carry several labels.
    public let multilabel: Bool
    /// The number of labels.
    public let labelCount: Int
    /// Network outputs: 1 for two labels under single-label BCE, else `labelCount`.
    public let outputCount: Int
    /// Per-label weights for the loss, or nil for none.
    public let classWeights: [Float]?

    /// The objective of `configuration` for `labelCount` labels, with optional per-label
    /// weights.
    public init(configuration: ClassifierConfiguration, labelCount: Int, classWeights: [Float]? = nil) {
        loss = configuration.loss
        multilabel = configuration.multilabel
        self.labelCount = labelCount
        outputCount = configuration.outputCount(labelCount: labelCount)
        self.classWeights = classWeights
    }

    /// The batch's mean loss and dL/dlogits, for one label list per row.
    public func lossAndGradient(logits: Matrix, labels: [ArraySlice<Int32>]) -> LossResult {
        switch loss {
        case .ce:
            return Losses.softmaxCrossEntropy(logits: logits, targets: labels.map { Int($0.first!) }, classWeights: classWeights)
        case .bce:
            let targets = targetMatrix(labels)
            let weights = classWeights.map { elementWeights(classWeights: $0, targets: targets) }
            return Losses.sigmoidBinaryCrossEntropy(logits: logits, targets: targets, weights: weights)
        case .mse:
            let targets = targetMatrix(labels)
            let rowLabels = multilabel ? nil : labels.map { Int($0.first!) }
            let weights = classWeights.map { elementWeights(classWeights: $0, targets: targets, rowLabels: rowLabels) }
            return Losses.sigmoidMeanSquaredError(logits: logits, targets: targets, weights: weights)
        }
    }

    /// Targets [B, outputs]: multi-hot rows, or for one output the indicator of `labels[1]`.
    private func targetMatrix(_ labels: [ArraySlice<Int32>]) -> Matrix {
        var targets = Matrix(rows: labels.count, cols: outputCount)
        for (row, rowLabels) in labels.enumerated() {
            for label in rowLabels {
                if outputCount == 1 {
                    targets[row, 0] = label == 1 ? 1 : 0
                } else {
                    targets[row, Int(label)] = 1
                }
            }
        }
        return targets
    }

    /// The predicted label set of each row: the most probable label, or for multi-label every
    /// label with probability ≥ `threshold`.
    public func predictions(probabilities: Matrix, threshold: Float = 0.5) -> [[Int32]] {
        (0..<probabilities.rows).map { row in
            if multilabel {
                return (0..<probabilities.cols).filter { probabilities[row, $0] >= threshold }.map(Int32.init)
            }
            var best = 0
            for label in 1..<probabilities.cols where probabilities[row, label] > probabilities[row, best] { best = label }
            return [Int32(best)]
        }
    }

    /// How many rows' predictions equal their labels exactly.
    public func correctCount(logits: Matrix, labels: [ArraySlice<Int32>]) -> Int {
        let predicted = predictions(probabilities: loss.probabilities(logits: logits))
        return zip(predicted, labels).filter { $0.0 == Array($0.1).sorted() }.count
    }
}
