extension ClassifierConfiguration.Loss {
    /// The probabilities [B, labels], in label order, that network logits [B, outputs] stand for
    /// under this loss: a softmax for cross entropy; for a single BCE output (two labels) the
    /// pair (1 − σ, σ); independent sigmoids otherwise. Training, evaluation and prediction all
    /// read logits through this.
    public func probabilities(logits: Matrix) -> Matrix {
        if self == .ce { return softmaxRows(logits) }
        var sigmoids = logits
        sigmoids.storage.withUnsafeMutableBufferPointer { sigmoidInPlace($0.baseAddress!, count: $0.count) }
        guard logits.cols == 1 else { return sigmoids }
        var pairs = Matrix(rows: logits.rows, cols: 2)
        for row in 0..<logits.rows {
            pairs[row, 0] = 1 - sigmoids[row, 0]
            pairs[row, 1] = sigmoids[row, 0]
        }
        return pairs
    }
}
