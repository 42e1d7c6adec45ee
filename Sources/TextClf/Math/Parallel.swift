import CKernels
import Dispatch
import Synchronization

/// The thread count that big kernels use, and the one parallel loop they use it through.
///
/// Work is cut into shards whose number and boundaries never depend on the thread count;
/// threads only decide who runs which shard. Any reduction over shards happens afterwards in
/// shard order, so every result is bit-identical for any `threads` value.
public enum Parallel {
    private static let configuredThreads = Atomic<Int>(1)

    /// How many threads big kernels may use (at least 1). The CLI sets it from `--threads`.
    public static var threads: Int {
        get { configuredThreads.load(ordering: .relaxed) }
        set { configuredThreads.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Runs `body(shard)` once for every shard in `0..<shards`, on up to `threads` threads.
    /// Shards must write disjoint memory; `body` must not depend on which thread runs it.
    /// Inside a shard that already runs in parallel (a trainer's batch shard calling a big
    /// product) the loop runs serially: the threads are busy, and splitting again only adds
    /// synchronisation. Shard boundaries, and so results, stay the same either way.
    public static func forEachShard(_ shards: Int, _ body: (Int) -> Void) {
        let workers = min(threads, shards)
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

    /// `body(shard)` for every shard in `0..<shards`, run as `forEachShard` does, returned in
    /// shard order, so that the caller reduces them in a fixed order (e.g. gradient partial
    /// sums over a fixed number of batch slices) and gets the same result for any thread count.
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

/// Makes the process keep freed memory for reuse (glibc's allocator otherwise returns the big
/// buffers of every training batch to the kernel and maps them again). It changes the whole
/// process's allocator, so programs call it at start; the library never does by itself.
public func keepFreedMemoryForReuse() {
    ckernels_keep_freed_memory()
}
