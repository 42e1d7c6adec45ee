/// What one training epoch measured: the metrics log's line, a point of the plot, and part of
/// the training summary stored in the model file.
public struct EpochSummary: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validLoss: Double?
    public var validAccuracy: Double?
    /// Wall-clock seconds and throughput: shown and logged, never stored in a model file,
    /// because files must be byte-identical across runs.
    public var seconds: Double
    public var tokensPerSecond: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validLoss: Double? = nil,
                validAccuracy: Double? = nil, seconds: Double = 0, tokensPerSecond: Double = 0) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validLoss = validLoss
        self.validAccuracy = validAccuracy
        self.seconds = seconds
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss", trainAccuracy = "train_accuracy"
        case validLoss = "valid_loss", validAccuracy = "valid_accuracy"
        case seconds
        case tokensPerSecond = "tokens_per_second"
    }
}
