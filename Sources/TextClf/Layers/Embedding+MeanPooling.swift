import CKernels

/// Embedding followed by mean pooling in one pass, as PyTorch's `EmbeddingBag(mode='mean')`:
/// the `pool` model's hot path never materialises the [B·T, D] sequence, which halves the
/// memory traffic of a step. Results equal those of `forward` + `MeanPooling` and
/// `MeanPooling.backward` + `backward` exactly: the same sums in the same order (a padding id
/// adds a zero there and nothing here).
extension Embedding {
    /// What `backwardMeanPooled` needs.
    public struct MeanPooledCache: Sendable {
        let ids: [Int]
        let lengths: [Int]
        let maxLength: Int
    }

    /// y[b] = (1/len_b) Σ_{t < len_b} W[ids[b·T + t]]: [B, D].
    public func forwardMeanPooled(ids: [Int], lengths: [Int], maxLength T: Int) -> (Matrix, MeanPooledCache) {
        let B = lengths.count, D = dimension, V = vocabularySize
        precondition(ids.count == B * T, "need B·T = \(B * T) ids, got \(ids.count)")
        precondition(ids.allSatisfy { $0 >= 0 && $0 < V }, "a token id is outside the vocabulary of \(V)")
        precondition(lengths.allSatisfy { $0 >= 1 && $0 <= T }, "every length must be in 1...\(T)")
        var y = Matrix(rows: B, cols: D)
        y.storage.withUnsafeMutableBufferPointer { out in
            weight.storage.withUnsafeBufferPointer { w in
                ids.withUnsafeBufferPointer { ids in
                    for b in 0..<B {
                        let row = out.baseAddress! + b * D
                        ckernels_gather_add(w.baseAddress!, Int64(D), ids.baseAddress! + b * T, Int64(lengths[b]), row)
                        let inverse = 1 / Float(lengths[b])
                        for j in 0..<D { row[j] *= inverse }
                    }
                }
            }
        }
        return (y, MeanPooledCache(ids: ids, lengths: lengths, maxLength: T))
    }

    /// Adds dL/dW into `gradient` from dL/dy [B, D]: each real, non-padding position of
    /// sequence b receives dy[b]/len_b.
    public mutating func backwardMeanPooled(_ dy: Matrix, _ cache: MeanPooledCache) {
        let B = cache.lengths.count, T = cache.maxLength, D = dimension
        precondition(dy.rows == B && dy.cols == D, "backward expects dy [\(B), \(D)]")
        var scaled = [Float](repeating: 0, count: D)
        dy.storage.withUnsafeBufferPointer { g in
            cache.ids.withUnsafeBufferPointer { ids in
                for b in 0..<B {
                    let inverse = 1 / Float(cache.lengths[b])
                    for j in 0..<D { scaled[j] = g[b * D + j] * inverse }
                    scaled.withUnsafeBufferPointer { row in
                        gradient.add(rows: UnsafeBufferPointer(rebasing: ids[b * T ..< b * T + cache.lengths[b]]),
                                     from: row.baseAddress!, stride: 0)
                    }
                }
            }
        }
    }
}
