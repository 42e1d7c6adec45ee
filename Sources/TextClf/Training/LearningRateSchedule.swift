/// The learning rate as training progresses.
package enum LearningRateSchedule: String, Sendable, CaseIterable {
    /// The base rate throughout.
    case constant
    /// Decays linearly from the base rate at step 0 to 0 after the last step, as fastText does:
    /// lr_t = lr·(1 − t/total).
    case linear

    /// The rate for step `step` (0-based) of `totalSteps`.
    package func rate(base: Float, step: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .linear:
            guard totalSteps > 0 else { return base }
            let progress = min(1, max(0, Double(step) / Double(totalSteps)))
            return Float(Double(base) * (1 - progress))
        }
    }
}
