import ArgumentParser

/// `train`'s checkpoint options: where to save the training state, whether to continue from it,
/// and a hidden, deterministic interruption for tests.
struct CheckpointArguments: ParsableArguments {
    @Option(help: "Save the training state in this directory at every epoch end and on Ctrl-C or SIGTERM (only the latest is kept).")
    var checkpoint: String?

    @Flag(help: "Continue from the state in --checkpoint DIR; give the original command (only --threads and --quiet may differ).")
    var resume = false

    /// Tests interrupt training here instead of racing a signal: after N batches of this run
    /// it stops as on Ctrl-C (checkpoint saved, exit 130).
    @Option(help: .hidden)
    var stopAfterBatch: Int?

    func validate() throws {
        if resume && checkpoint == nil { throw ValidationError("--resume needs --checkpoint DIR.") }
        if let stopAfterBatch, stopAfterBatch < 0 { throw ValidationError("--stop-after-batch must not be negative.") }
    }
}
