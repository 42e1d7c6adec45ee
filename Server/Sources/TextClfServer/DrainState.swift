import Synchronization

/// Whether the server is draining, and how many classifications are in flight.
///
/// A classification counts itself before it looks at the flag, and the drain sets the flag
/// before it looks at the count (both sequentially consistent), so none slips past a drain.
final class DrainState: Sendable {
    private let draining = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)

    var isDraining: Bool { draining.load(ordering: .sequentiallyConsistent) }
    var requestsInFlight: Int { inFlight.load(ordering: .sequentiallyConsistent) }

    /// From now on readiness fails and new classifications get 503.
    func startDraining() { draining.store(true, ordering: .sequentiallyConsistent) }

    /// Counts a classification as in flight; false (and not counted) when draining.
    func admit() -> Bool {
        inFlight.add(1, ordering: .sequentiallyConsistent)
        if isDraining {
            finish()
            return false
        }
        return true
    }

    /// Ends a classification that `admit` counted.
    func finish() { inFlight.subtract(1, ordering: .sequentiallyConsistent) }
}
