import Foundation

/// Why an autotune search could not give a model.
public enum AutotuneError: Error, Equatable, LocalizedError {
    /// The `f1:LABEL` metric names a label the training data does not have.
    case unknownMetricLabel(String, labels: [String])
    /// Not even the smallest candidate fits the size limit.
    case modelSizeTooSmall(limit: Int, smallest: Int)
    /// The budget ended before any trial was scored (each diverged or was cut short).
    case noTrialFinished

    /// The message for the user, with a hint.
    public var errorDescription: String? {
        switch self {
        case .unknownMetricLabel(let label, let labels):
            return "the metric's label '\(label)' is not a label of the training data (\(labels.joined(separator: ", ")))"
        case .modelSizeTooSmall(let limit, let smallest):
            return "no candidate fits a model size of \(limit) bytes: the smallest would take about \(smallest); raise --model-size"
        case .noTrialFinished:
            return "no trial was scored within the budget (each diverged or was cut short); give a longer --duration or more --trials"
        }
    }
}
