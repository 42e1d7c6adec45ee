/// Mean squared error of outputs against targets, as `nn.MSELoss()` (`reduction='mean'`):
/// L = (1/(B·C)) Σ (y − t)², so dL/dy = 2(y − t)/(B·C). For regression, where the outputs are
/// the model's values themselves (no sigmoid; see `sigmoidMeanSquaredError` for that).
///
/// - Parameters:
///   - predictions: y [B, C].
///   - targets: t [B, C].
/// - Returns: the loss, and dL/dy in `logitsGradient`.
public func meanSquaredError(predictions: Matrix, targets: Matrix) -> LossResult {
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
