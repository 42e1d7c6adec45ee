/// The order in which one epoch visits the training examples, as batches of similar length so
/// that padding stays small, yet shuffled from the seed so every epoch differs.
///
/// The examples are shuffled, cut into pools of `poolBatches` batches, each pool is sorted by
/// length (stable, so ties keep the shuffled order) and cut into batches, and finally the
/// batches themselves are shuffled. The same lengths, batch size and generator state give the
/// same plan on every platform and for any thread count.
package enum BatchPlan {
    package static let poolBatches = 50

    package static func batches(lengths: [Int], batchSize: Int, using rng: inout SeededGenerator) -> [[Int]] {
        precondition(batchSize >= 1, "batch size must be positive")
        var order = Array(lengths.indices)
        rng.shuffle(&order)
        var batches: [[Int]] = []
        batches.reserveCapacity((lengths.count + batchSize - 1) / batchSize)
        let poolSize = batchSize * poolBatches
        for poolStart in stride(from: 0, to: order.count, by: poolSize) {
            let pool = order[poolStart..<min(poolStart + poolSize, order.count)]
                .enumerated()
                .sorted { (lengths[$0.element], $0.offset) < (lengths[$1.element], $1.offset) }
                .map(\.element)
            for batchStart in stride(from: 0, to: pool.count, by: batchSize) {
                batches.append(Array(pool[batchStart..<min(batchStart + batchSize, pool.count)]))
            }
        }
        rng.shuffle(&batches)
        return batches
    }

    /// Batches in input order, grouped by nothing: what evaluation and prediction use so that
    /// results come back in order.
    package static func sequential(count: Int, batchSize: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: batchSize).map { $0..<min($0 + batchSize, count) }
    }
}
