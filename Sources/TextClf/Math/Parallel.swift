import CKernels
import Dispatch
import Foundation

/// The one parallel loop of the library, and the thread budget it runs under.
///
/// There is no process-wide thread count. Whoever starts a piece of work (a ``Classifier``
/// call, a ``Trainer`` run) states its budget with ``withThreads(_:_:)``; the budget is a task
/// local, so it holds for the calls made inside that closure on that thread (or task) and for
/// nothing else: two classifiers with different budgets in one process never see each other's.
/// Code that runs outside any budget gets one thread.
///
/// Work is cut into shards whose number and boundaries never depend on the thread count;
/// threads only decide who runs which shard. Any reduction over shards happens afterwards in
/// shard order, so every result is bit-identical for any budget.
@_spi(Internals) public enum Parallel {
    @TaskLocal private static var budget = 1

    /// How many threads the budget of the work under way allows (at least 1); read by the
    /// kernels inside that work, never set from outside it.
    static var currentBudget: Int { budget }

    /// Runs `body` with a budget of `threads` threads (values below 1 count as 1) for the
    /// parallel loops it reaches; the previous budget is back when it returns.
    public static func withThreads<Result>(_ threads: Int, _ body: () throws -> Result) rethrows -> Result {
        try $budget.withValue(max(1, threads), operation: body)
    }

    /// Runs `body(shard)` once for every shard in `0..<shards`, on up to ``currentBudget`` threads.
    /// Shards must write disjoint memory; `body` must not depend on which thread runs it.
    /// Inside a shard that already runs in parallel (a trainer's batch shard calling a big
    /// product) the loop runs serially: the threads are busy, and splitting again only adds
    /// synchronisation. Shard boundaries, and so results, stay the same either way.
    public static func forEachShard(_ shards: Int, _ body: (Int) -> Void) {
        let workers = min(currentBudget, shards)
        if workers <= 1 || ckernels_in_parallel_region() != 0 {
            for shard in 0..<shards { body(shard) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                ckernels_set_in_parallel_region(1)
                var shard = worker
                while shard < shards {
                    box.value(shard)
                    shard += workers
                }
                ckernels_set_in_parallel_region(0)
            }
        }
    }

    /// `body(shard)` for every shard in `0..<shards`, run as ``forEachShard(_:_:)`` does,
    /// returned in shard order, so that the caller reduces them in a fixed order (e.g. gradient
    /// partial sums over a fixed number of batch slices) and gets the same result for any
    /// thread count.
    public static func mapShards<Result>(_ shards: Int, _ body: (Int) -> Result) -> [Result] {
        var results = [Result?](repeating: nil, count: shards)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            forEachShard(shards) { shard in base[shard] = body(shard) }
        }
        return results.map { $0! }
    }
}

/// Carries a value into a concurrent closure whose callers guarantee disjoint access.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
