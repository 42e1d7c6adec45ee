/// What one training epoch measured: a point of the plot, a line of the metrics log, and part
/// of the training summary stored in the model file (which therefore holds no timings).
public struct EpochSummary: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validLoss: Double?
    public var validAccuracy: Double?

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
