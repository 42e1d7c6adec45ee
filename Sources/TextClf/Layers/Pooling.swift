/// Mean pooling over the real (unpadded) positions of a `SequenceBatch`: [B·T, D] → [B, D],
/// y[b] = (1/len_b) Σ_{t < len_b} x[b·T + t]. Padding never contributes.
public struct MeanPooling: Sendable {
    /// What backward needs: the batch layout.
    public struct Cache: Sendable {
        let lengths: [Int]
        let maxLength: Int
    }

    /// Mean pooling (it has no parameters).
    public init() {}

    /// The mean of each sequence's real steps, [B, D], with what backward needs.
    public func forward(_ x: SequenceBatch) -> (Matrix, Cache) {
        let B = x.batchSize, T = x.maxLength, D = x.features
        var y = Matrix(rows: B, cols: D)
        x.values.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { out in
                for b in 0..<B {
                    let row = out.baseAddress! + b * D
                    for t in 0..<x.lengths[b] {
                        let step = xs.baseAddress! + (b * T + t) * D
                        for j in 0..<D { row[j] += step[j] }
                    }
                    let inverse = 1 / Float(x.lengths[b])
                    for j in 0..<D { row[j] *= inverse }
                }
            }
        }
        return (y, Cache(lengths: x.lengths, maxLength: T))
    }

    /// dL/dx [B·T, D] from dL/dy [B, D]: dy[b]/len_b on real steps, zero on padding.
    public func backward(_ dy: Matrix, _ cache: Cache) -> Matrix {
        let B = cache.lengths.count, T = cache.maxLength, D = dy.cols
        precondition(dy.rows == B, "pooling backward expects dy with \(B) rows")
        var dx = Matrix(rows: B * T, cols: D)
        dy.storage.withUnsafeBufferPointer { g in
            dx.storage.withUnsafeMutableBufferPointer { out in
                for b in 0..<B {
                    let gradient = g.baseAddress! + b * D
                    let inverse = 1 / Float(cache.lengths[b])
                    for t in 0..<cache.lengths[b] {
                        let step = out.baseAddress! + (b * T + t) * D
                        for j in 0..<D { step[j] = gradient[j] * inverse }
                    }
                }
            }
        }
        return dx
    }
}

/// Max pooling over the real (unpadded) positions of a `SequenceBatch`: [B·T, D] → [B, D],
/// y[b, j] = max_{t < len_b} x[b·T + t, j]. The gradient flows to the winning step only (the
/// first one on ties), as PyTorch's `max(dim=1)` over the masked input does.
public struct MaxPooling: Sendable {
    /// What backward needs: the batch layout and the winning step per (b, j).
    public struct Cache: Sendable {
        let lengths: [Int]
        let maxLength: Int
        let argmax: [Int32]
    }

    /// Max pooling (it has no parameters).
    public init() {}

    /// The maximum of each feature over each sequence's real steps, [B, D], with what
    /// backward needs.
    public func forward(_ x: SequenceBatch) -> (Matrix, Cache) {
        let B = x.batchSize, T = x.maxLength, D = x.features
        var y = Matrix(rows: B, cols: D)
        var argmax = [Int32](repeating: 0, count: B * D)
        x.values.storage.withUnsafeBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { out in
                for b in 0..<B {
                    let row = out.baseAddress! + b * D
                    row.update(from: xs.baseAddress! + b * T * D, count: D)
                    for t in 1..<x.lengths[b] {
                        let step = xs.baseAddress! + (b * T + t) * D
                        for j in 0..<D where step[j] > row[j] {
                            row[j] = step[j]
                            argmax[b * D + j] = Int32(t)
                        }
                    }
                }
            }
        }
        return (y, Cache(lengths: x.lengths, maxLength: T, argmax: argmax))
    }

    /// dL/dx [B·T, D] from dL/dy [B, D]: dy[b, j] at the winning step, zero elsewhere.
    public func backward(_ dy: Matrix, _ cache: Cache) -> Matrix {
        let B = cache.lengths.count, T = cache.maxLength, D = dy.cols
        precondition(dy.rows == B, "pooling backward expects dy with \(B) rows")
        var dx = Matrix(rows: B * T, cols: D)
        for b in 0..<B {
            for j in 0..<D {
                let t = Int(cache.argmax[b * D + j])
                dx[b * T + t, j] += dy[b, j]
            }
        }
        return dx
    }
}
