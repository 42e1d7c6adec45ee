import Foundation

/// A loss value and its gradient with respect to the logits it was computed from.
public struct LossResult: Sendable {
    /// The reduced loss (PyTorch's `reduction='mean'`).
    public var loss: Double
    /// dL/dz, the same shape as the logits.
    public var logitsGradient: Matrix
}

/// The losses, each returning the reduced loss and its gradient: what `Objective` uses for a
/// classifier, and what a network assembled from the layers can use directly.
///
///     let result = Losses.softmaxCrossEntropy(logits: logits, targets: [2, 0])
///     let dLogits = result.logitsGradient
public enum Losses {
    /// Softmax cross entropy from logits z [B, C] and one target class per row, as
    /// `nn.CrossEntropyLoss(weight=w)`: ℓ_i = −w[y_i] · log softmax(z_i)[y_i], and the mean divides
    /// by Σ_i w[y_i] (by B when there are no weights). dL/dz_i = w[y_i]·(softmax(z_i) − onehot(y_i))/Σw.
    ///
    /// - Parameters:
    ///   - logits: z [B, C].
    ///   - targets: B class indices in 0..<C.
    ///   - classWeights: optional C weights.
    public static func softmaxCrossEntropy(logits: Matrix, targets: [Int], classWeights: [Float]? = nil) -> LossResult {
        let B = logits.rows, C = logits.cols
        precondition(targets.count == B, "cross entropy needs \(B) targets, got \(targets.count)")
        if let classWeights { precondition(classWeights.count == C, "need \(C) class weights, got \(classWeights.count)") }
        // One pass per row: p = softmax(z) becomes the gradient, and log p_y = (z_y − m) − log Σ
        // is taken from the same exponentials.
        var gradient = logits
        var total = 0.0, weightSum = 0.0
        var rowWeights = [Float](repeating: 1, count: B)
        gradient.storage.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<B {
                let y = targets[i]
                precondition(y >= 0 && y < C, "target \(y) is not a class in 0..<\(C)")
                let row = buffer.baseAddress! + i * C
                let target = row[y]
                let (m, sum) = softmaxRowInPlace(row, C)
                let shifted = target - m
                let w = classWeights?[y] ?? 1
                rowWeights[i] = w
                total -= Double(w) * Double(shifted - Foundation.log(sum))
                weightSum += Double(w)
            }
        }
        let scale = weightSum > 0 ? 1 / weightSum : 0
        for i in 0..<B {
            gradient[i, targets[i]] -= 1
            let factor = Float(Double(rowWeights[i]) * scale)
            for j in 0..<C { gradient[i, j] *= factor }
        }
        return LossResult(loss: total * scale, logitsGradient: gradient)
    }

    /// Sigmoid binary cross entropy from logits, as `nn.BCEWithLogitsLoss(weight=w)`:
    /// ℓ = w·(max(z, 0) − z·t + log(1 + e^−|z|)), averaged over all B·C elements (the weights
    /// do not enter the divisor). dL/dz = w·(σ(z) − t)/(B·C).
    ///
    /// Multi-label: z and t are [B, labels] with t ∈ {0, 1}. Two labels with one output: z and t
    /// are [B, 1], t = 1 for the positive label.
    ///
    /// - Parameters:
    ///   - logits: z [B, C].
    ///   - targets: t [B, C], usually 0 or 1.
    ///   - weights: optional per-element weights [B, C] (see `elementWeights(classWeights:targets:rowLabels:)`).
    public static func sigmoidBinaryCrossEntropy(logits: Matrix, targets: Matrix, weights: Matrix? = nil) -> LossResult {
        meanOfSigmoidElements(logits: logits, targets: targets, weights: weights) { z, s, t in
            (max(z, 0) - z * t + Foundation.log1p(Foundation.exp(-abs(z))), s - t)
        }
    }

    /// Mean squared error of σ(z) against targets (one-hot, or multi-hot), as the seed tutorials
    /// define it: L = mean over all B·C elements of w·(σ(z) − t)², so dL/dz = 2w(σ − t)σ(1 − σ)/(B·C).
    ///
    /// - Parameters:
    ///   - logits: z [B, C].
    ///   - targets: t [B, C].
    ///   - weights: optional per-element weights [B, C] (see `elementWeights(classWeights:targets:rowLabels:)`).
    public static func sigmoidMeanSquaredError(logits: Matrix, targets: Matrix, weights: Matrix? = nil) -> LossResult {
        meanOfSigmoidElements(logits: logits, targets: targets, weights: weights) { _, s, t in
            ((s - t) * (s - t), 2 * (s - t) * s * (1 - s))
        }
    }

    /// Mean squared error of outputs against targets, as `nn.MSELoss()` (`reduction='mean'`):
    /// L = (1/(B·C)) Σ (y − t)², so dL/dy = 2(y − t)/(B·C). For regression, where the outputs are
    /// the model's values themselves (no sigmoid; see `sigmoidMeanSquaredError` for that).
    ///
    /// - Parameters:
    ///   - predictions: y [B, C].
    ///   - targets: t [B, C].
    /// - Returns: the loss, and dL/dy in `logitsGradient`.
    public static func meanSquaredError(predictions: Matrix, targets: Matrix) -> LossResult {
        precondition(targets.rows == predictions.rows && targets.cols == predictions.cols,
                     "targets must have the predictions' shape")
        let n = predictions.count
        var gradient = predictions
        var total = 0.0
        let inverseCount = 1 / Double(n)
        for i in 0..<n {
            let difference = Double(predictions.storage[i]) - Double(targets.storage[i])
            total += difference * difference
            gradient.storage[i] = Float(2 * difference * inverseCount)
        }
        return LossResult(loss: total * inverseCount, logitsGradient: gradient)
    }
}

/// The frame both sigmoid losses share: `element(z, σ(z), t)` gives one element's loss and its
/// derivative in z; both are weighted by w and averaged over all B·C elements (the weights do
/// not enter the divisor).
private func meanOfSigmoidElements(
    logits: Matrix, targets: Matrix, weights: Matrix?,
    _ element: (_ z: Double, _ sigmoid: Double, _ target: Double) -> (loss: Double, slope: Double)
) -> LossResult {
    precondition(targets.rows == logits.rows && targets.cols == logits.cols, "targets must have the logits' shape")
    if let weights { precondition(weights.rows == logits.rows && weights.cols == logits.cols, "weights must have the logits' shape") }
    let n = logits.count
    var gradient = logits
    gradient.storage.withUnsafeMutableBufferPointer { sigmoidInPlace($0.baseAddress!, count: n) }
    var total = 0.0
    let inverseCount = 1 / Double(n)
    for i in 0..<n {
        let w = Double(weights?.storage[i] ?? 1)
        let (loss, slope) = element(Double(logits.storage[i]), Double(gradient.storage[i]), Double(targets.storage[i]))
        total += w * loss
        gradient.storage[i] = Float(w * slope * inverseCount)
    }
    return LossResult(loss: total * inverseCount, logitsGradient: gradient)
}

/// Per-element weights [B, C] for the sigmoid losses from per-label weights.
///
/// Multi-label (`targets` has C > 1 columns): element (i, j) gets `classWeights[j]`, the
/// weight of label j. One output for two labels (C = 1, `classWeights` has 2 values): row i
/// gets the weight of its own label, `classWeights[Int(t_i)]`. With one-hot targets of a
/// single-label problem (MSE), the same rule as multi-label would weight columns, so pass
/// `rowLabels` to weight each row by its label instead.
package func elementWeights(classWeights: [Float], targets: Matrix, rowLabels: [Int]? = nil) -> Matrix {
    var w = Matrix(rows: targets.rows, cols: targets.cols)
    for i in 0..<targets.rows {
        for j in 0..<targets.cols {
            if let rowLabels {
                w[i, j] = classWeights[rowLabels[i]]
            } else if targets.cols == 1 {
                w[i, j] = classWeights[targets[i, 0] > 0.5 ? 1 : 0]
            } else {
                w[i, j] = classWeights[j]
            }
        }
    }
    return w
}

/// `--class-weights balanced`: label c weighs n/(labels·count_c), as scikit-learn's
/// "balanced"; a label with no examples gets weight 1 (it never enters a loss anyway).
package func balancedClassWeights(counts: [Int]) -> [Float] {
    let n = Double(counts.reduce(0, +)), labels = Double(counts.count)
    return counts.map { $0 > 0 ? Float(n / (labels * Double($0))) : 1 }
}
