/// What one training epoch measured: a point of the plot, a line of the metrics log, and part
/// of the training summary stored in the model file (which therefore holds no timings).
public struct EpochSummary: Codable, Equatable, Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's batches (with dropout).
    public var trainLoss: Double
    /// The share of training examples predicted right during the epoch.
    public var trainAccuracy: Double
    /// The validation loss after the epoch, if there is validation data.
    public var validLoss: Double?
    /// The validation accuracy after the epoch, if there is validation data.
    public var validAccuracy: Double?

    /// A summary of these measurements.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validLoss: Double? = nil,
                validAccuracy: Double? = nil) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validLoss = validLoss
        self.validAccuracy = validAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case validLoss = "valid_loss"
        case validAccuracy = "valid_accuracy"
    }
}
