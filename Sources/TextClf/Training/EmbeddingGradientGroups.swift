/// The embedding gradient of one training step, summed over the batch's shards and split by row
/// into a fixed number of groups, so that summing, clipping and the sparse update all run in
/// parallel while every row is still handled by one owner in a fixed order.
///
/// Row r belongs to group r mod ``groupCount``. A group adds the shards' rows in shard order, so
/// each row's sum, and the row order inside each group, depend only on the batch and its
/// shards, never on the threads that run the groups. The buffers (each shard's and each
/// group's) live across steps, keeping their allocations; each finds its rows through a small
/// hash table, as a dense index per buffer would cost 9 MB each with 2M hashed rows.
final class EmbeddingGradientGroups {
    /// Groups the touched rows are split into: enough for two to four threads to share evenly.
    static let groupCount = 8

    private let vocabularySize: Int
    private let dimension: Int
    /// One gradient per batch shard, each written by its shard's backward pass.
    private var shardGradients: [SparseRowGradient] = []
    /// The reduced gradient, row r in group r mod `groupCount`.
    private(set) var groups: [SparseRowGradient]

    /// Empty buffers for an embedding of `vocabularySize` rows of `dimension` values.
    init(vocabularySize: Int, dimension: Int) {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        groups = (0..<Self.groupCount).map { _ in
            SparseRowGradient(rowCount: vocabularySize, dimension: dimension, indexing: .hashed)
        }
    }

    /// Makes sure there is an empty gradient for each of `shards` shards.
    private func prepare(shards: Int) {
        while shardGradients.count < shards {
            shardGradients.append(SparseRowGradient(rowCount: vocabularySize, dimension: dimension, indexing: .hashed))
        }
    }

    /// Runs `body` with the first `shards` shard buffers, which may still hold the previous
    /// step's rows. A shard empties its buffer and swaps it into its copy of the network before
    /// its backward pass, and back after it, so the copy writes into a buffer it owns alone (no
    /// copy on write); each shard touches only its own element.
    func withShardGradients<Result>(_ shards: Int, _ body: (UnsafeMutableBufferPointer<SparseRowGradient>) -> Result) -> Result {
        prepare(shards: shards)
        return shardGradients.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[0..<shards])) }
    }

    /// Replaces the groups' contents by the sum of the first `shards` shard gradients, added in
    /// shard order.
    /// - Returns: each group's sum of squares, for clipping (computed in the same pass).
    func reduce(shards: Int) -> [Double] {
        var sumsOfSquares = [Double](repeating: 0, count: Self.groupCount)
        shardGradients.withUnsafeBufferPointer { shardBuffers in
            let sources = UnsafeBufferPointer(rebasing: shardBuffers[0..<shards])
            sumsOfSquares.withUnsafeMutableBufferPointer { sums in
                let sums = sums.baseAddress!
                forEachGroup { group, target in
                    target.zero()
                    for source in sources { target.addRows(of: source, residue: group, modulus: Self.groupCount) }
                    var clipping = GlobalNormClipping()
                    clipping.include(target)
                    sums[group] = clipping.sumOfSquares
                }
            }
        }
        return sumsOfSquares
    }

    /// Multiplies every group's values by `factor`.
    func scale(by factor: Float) {
        forEachGroup { _, gradient in gradient.scale(by: factor) }
    }

    /// Runs `body` once per group, in parallel; each call owns its group.
    func forEachGroup(_ body: (Int, inout SparseRowGradient) -> Void) {
        groups.withUnsafeMutableBufferPointer { groups in
            let base = groups.baseAddress!
            Parallel.forEachShard(Self.groupCount) { group in body(group, &base[group]) }
        }
    }
}
