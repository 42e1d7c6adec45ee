/// How a caller steers a `Trainer` run from outside: where it starts (a checkpoint), where it
/// saves its state, and when it stops early.
public struct TrainingControl {
    /// Continue from this state instead of the start; it must come from the same network,
    /// options and data (the caller checks, e.g. with `TrainingCheckpoint.fingerprint`).
    public var resume: TrainingCheckpoint?
    /// What the saved checkpoints record as their options and data (see `TrainingCheckpoint`).
    public var fingerprint: [String: String]
    /// Called with the full training state at every epoch end and when training stops on a
    /// request; it should store it atomically.
    public var save: ((TrainingCheckpoint) throws -> Void)?
    /// Set from another thread to stop at the next batch boundary. A cancelled Swift task
    /// stops the same way.
    public var stop: StopRequest?
    /// Stop as if asked after this many batches of this run: a deterministic interruption for
    /// tests (`textclf train --stop-after-batch N`).
    public var stopAfterBatches: Int?

    /// A control with the given parts; the default resumes nothing, saves nothing and never stops.
    public init(resume: TrainingCheckpoint? = nil, fingerprint: [String: String] = [:],
                save: ((TrainingCheckpoint) throws -> Void)? = nil, stop: StopRequest? = nil, stopAfterBatches: Int? = nil) {
        self.resume = resume
        self.fingerprint = fingerprint
        self.save = save
        self.stop = stop
        self.stopAfterBatches = stopAfterBatches
    }
}

/// Where a training run is: everything besides the weights and the optimizer state that an
/// interrupted run needs to continue exactly as if it had never stopped. The random draws need
/// nothing more: every generator is seeded from the seed, the epoch, the batch and the shard.
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// The epoch under way (1-based); past the last one when training is over.
    public var epoch = 1
    /// Batches of `epoch` already applied, in the epoch's batch plan.
    public var batchesDone = 0
    /// Optimizer steps taken so far (the linear schedule's position).
    public var step = 0
    /// The running sums of the epoch under way.
    public var lossSum = 0.0
    /// Examples predicted right so far in the epoch under way.
    public var correct = 0
    /// Examples trained on so far in the epoch under way.
    public var seen = 0
    /// Tokens trained on so far in the epoch under way.
    public var tokens = 0
    /// What every finished epoch measured.
    public var history: [EpochSummary] = []
    /// The lowest validation loss so far and its epoch (whose weights the checkpoint keeps).
    public var bestLoss: Double?
    /// The epoch of ``bestLoss``.
    public var bestEpoch: Int?
    /// Epochs since the validation loss last improved (early stopping's count).
    public var epochsWithoutImprovement = 0
    /// Early stopping ended the run.
    public var stoppedEarly = false

    /// The state before the first batch.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case epoch
        case batchesDone = "batches_done"
        case step
        case lossSum = "loss_sum"
        case correct, seen, tokens, history
        case bestLoss = "best_loss"
        case bestEpoch = "best_epoch"
        case epochsWithoutImprovement = "epochs_without_improvement"
        case stoppedEarly = "stopped_early"
    }
}
