import CKernels

/// Embedding of positions that are bags of rows, as `nn.EmbeddingBag(mode='mean')` applied
/// at every position: what subwords make of a token (SPEC §2). A padding position (empty bag)
/// embeds to zero and receives no gradient.
extension Embedding {
    /// What `backward(bagsGradient:_:)` needs.
    public struct BagCache: Sendable {
        let bags: PositionBags
        let lengths: [Int]
        let maxLength: Int
    }

    /// y[b·T + t] = (1/|bag|) Σ_{r ∈ bag} W[r] for the bag of position b·T + t: [B·T, D].
    /// - Parameters:
    ///   - bags: B·T bags, batch-major; empty at padding positions.
    ///   - lengths: the number of real positions of each sequence (1 … T).
    ///   - T: the padded length (`maxLength`).
    public func forward(bags: PositionBags, lengths: [Int], maxLength T: Int) -> (SequenceBatch, BagCache) {
        let B = lengths.count, D = dimension, V = vocabularySize
        precondition(bags.count == B * T, "need B·T = \(B * T) bags, got \(bags.count)")
        precondition(bags.rows.allSatisfy { $0 >= 0 && $0 < V }, "a row id is outside the table of \(V)")
        var values = Matrix(rows: B * T, cols: D)
        values.storage.withUnsafeMutableBufferPointer { out in
            weight.storage.withUnsafeBufferPointer { w in
                bags.rows.withUnsafeBufferPointer { rows in
                    for p in 0 ..< B * T {
                        let start = bags.offsets[p], count = bags.offsets[p + 1] - start
                        guard count > 0 else { continue }
                        let target = out.baseAddress! + p * D
                        ckernels_gather_add(w.baseAddress!, Int64(D), rows.baseAddress! + start, Int64(count), target)
                        let inverse = 1 / Float(count)
                        for j in 0 ..< D { target[j] *= inverse }
                    }
                }
            }
        }
        let batch = SequenceBatch(values: values, lengths: lengths, maxLength: T)
        return (batch, BagCache(bags: bags, lengths: lengths, maxLength: T))
    }

    /// Adds dL/dW into `gradient` from dL/dy [B·T, D]: every row of the bag of a real
    /// position p receives dy[p]/|bag|.
    public mutating func backward(bagsGradient dy: Matrix, _ cache: BagCache) {
        let T = cache.maxLength, D = dimension
        precondition(dy.rows == cache.bags.count && dy.cols == D, "backward expects dy [\(cache.bags.count), \(D)]")
        var scaled = [Float](repeating: 0, count: D)
        dy.storage.withUnsafeBufferPointer { g in
            cache.bags.rows.withUnsafeBufferPointer { rows in
                for (b, length) in cache.lengths.enumerated() {
                    for p in b * T ..< b * T + length {
                        let start = cache.bags.offsets[p], count = cache.bags.offsets[p + 1] - start
                        guard count > 0 else { continue }
                        let inverse = 1 / Float(count)
                        for j in 0 ..< D { scaled[j] = g[p * D + j] * inverse }
                        scaled.withUnsafeBufferPointer { row in
                            gradient.add(rows: UnsafeBufferPointer(rebasing: rows[start ..< start + count]),
                                         from: row.baseAddress!, stride: 0)
                        }
                    }
                }
            }
        }
    }
}
