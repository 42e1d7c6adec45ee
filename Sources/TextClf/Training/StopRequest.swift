import Synchronization

/// A request to stop training at the next batch boundary, which any thread (or a signal
/// handler's queue) may make. The trainer then saves a checkpoint, when it has a directory for
/// one, and throws `CancellationError`, as it does when its Swift task is cancelled.
///
///     let stop = StopRequest()
///     job.stopRequest = stop
///     // elsewhere, e.g. on SIGINT:
///     stop.request()
public final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    /// A request not yet made.
    public init() {}

    /// Asks training to stop at the next batch boundary.
    public func request() {
        requested.store(true, ordering: .relaxed)
    }

    /// Whether a stop was asked for.
    public var isRequested: Bool {
        requested.load(ordering: .relaxed)
    }
}
