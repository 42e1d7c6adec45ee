extension TrainingOptions {
    /// The learning rate of optimizer step `step` (0-based) of `totalSteps`: the base rate
    /// throughout, or for `.linear` decayed from it at step 0 towards 0 after the last step, as
    /// fastText does: lr·(1 − step/totalSteps). Computed in Double, rounded once to Float.
    func learningRate(step: Int, totalSteps: Int) -> Float {
        switch schedule {
        case .constant: return Float(learningRate)
        case .linear: return Float(learningRate * (1 - Double(step) / Double(totalSteps)))
        }
    }
}
