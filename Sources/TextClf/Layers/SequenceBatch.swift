/// A padded batch of sequences of vectors, the currency between the embedding, the sequence
/// encoders and pooling.
///
/// B sequences, each padded to T = `maxLength` steps of D features, stored batch-major:
/// step t of sequence b is row `b * T + t` of `values` ([B·T, D]). Only the first
/// `lengths[b]` steps of sequence b are real; the rest are padding that every layer ignores
/// (as PyTorch's packed sequences do).
public struct SequenceBatch: Sendable {
    /// The steps, [B·T, D], batch-major.
    public var values: Matrix
    /// The number of real steps of each sequence (1 … T).
    public var lengths: [Int]
    /// T, the padded length.
    public var maxLength: Int

    /// A batch over `values` with these lengths; every length must be in 1…T.
    public init(values: Matrix, lengths: [Int], maxLength: Int) {
        precondition(values.rows == lengths.count * maxLength, "values need B·T = \(lengths.count * maxLength) rows, have \(values.rows)")
        precondition(lengths.allSatisfy { $0 >= 1 && $0 <= maxLength }, "every length must be in 1...\(maxLength)")
        self.values = values
        self.lengths = lengths
        self.maxLength = maxLength
    }

    /// B, the number of sequences.
    public var batchSize: Int { lengths.count }
    /// D, the width of a step.
    public var features: Int { values.cols }
}
