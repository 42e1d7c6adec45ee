/// `last` pooling of a recurrent output: what PyTorch's final hidden state `h_n` of the top layer
/// holds for a packed batch.
///
/// Input [B·T, H·dirs] with lengths, output [B, H·dirs]. The forward direction's first H columns
/// are taken at each sequence's last real step; for a bidirectional output the reverse
/// direction's H columns are taken at step 0, where the reverse pass ends.
public struct LastPooling: Sendable {
    /// 1, or 2 for the output of a bidirectional layer.
    public let directions: Int

    /// What backward needs: the batch's layout.
    public struct Cache: Sendable {
        let lengths: [Int]
        let maxLength: Int
    }

    /// `last` pooling of a recurrent output with 1 or 2 directions.
    public init(directions: Int) {
        precondition(directions == 1 || directions == 2, "directions must be 1 or 2")
        self.directions = directions
    }

    /// Picks each sequence's final states.
    /// - Returns: [B, H·dirs] and the cache for `backward`.
    public func forward(_ input: SequenceBatch) -> (Matrix, Cache) {
        let W = input.features, T = input.maxLength, H = W / directions
        precondition(W % directions == 0, "last pooling of \(W) features over \(directions) directions")
        var pooled = Matrix(rows: input.batchSize, cols: W)
        for (b, length) in input.lengths.enumerated() {
            for j in 0..<H {
                pooled[b, j] = input.values[b * T + length - 1, j]
            }
            for j in H..<W {
                pooled[b, j] = input.values[b * T, j]
            }
        }
        return (pooled, Cache(lengths: input.lengths, maxLength: T))
    }

    /// Routes dL/dpooled ([B, H·dirs]) back to the steps it was taken from.
    /// - Returns: dL/dinput, [B·T, H·dirs], zero elsewhere.
    public func backward(_ pooledGradient: Matrix, _ cache: Cache) -> Matrix {
        let W = pooledGradient.cols, T = cache.maxLength, H = W / directions
        var gradient = Matrix(rows: cache.lengths.count * T, cols: W)
        for (b, length) in cache.lengths.enumerated() {
            for j in 0..<H {
                gradient[b * T + length - 1, j] += pooledGradient[b, j]
            }
            for j in H..<W {
                gradient[b * T, j] += pooledGradient[b, j]
            }
        }
        return gradient
    }
}
