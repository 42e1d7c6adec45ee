extension Matrix {
    /// The matrix of the given rows, in the given order: a mini-batch of examples.
    ///
    ///     let batch = features.gatheringRows(order[start ..< start + 20])
    public func gatheringRows<Indices: Collection<Int>>(_ indices: Indices) -> Matrix {
        var result = Matrix(rows: indices.count, cols: cols)
        for (target, source) in indices.enumerated() {
            precondition(source >= 0 && source < rows, "row \(source) is outside 0..<\(rows)")
            result.storage.replaceSubrange(target * cols ..< (target + 1) * cols,
                                           with: storage[source * cols ..< (source + 1) * cols])
        }
        return result
    }

    /// The column of the largest value of each row (the first one on ties): the predicted
    /// class of each row of logits or probabilities.
    public func argmaxOfRows() -> [Int] {
        (0..<rows).map { r in
            var best = 0
            for c in 1..<cols where self[r, c] > self[r, best] { best = c }
            return best
        }
    }
}
