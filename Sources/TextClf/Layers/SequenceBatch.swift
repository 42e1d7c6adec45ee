/// A padded batch of sequences of vectors, the currency between the embedding, the sequence
/// encoders and pooling.
///
/// B sequences, each padded to T = `maxLength` steps of D features, stored batch-major:
/// step t of sequence b is row `b * T + t` of `values` ([B·T, D]). Only the first
/// `lengths[b]` steps of sequence b are real; the rest are padding that every layer ignores
/// (as PyTorch's packed sequences do).
public struct SequenceBatch: Sendable {
    public var values: Matrix
    public var lengths: [Int]
    public var maxLength: Int

    public init(values: Matrix, lengths: [Int], maxLength: Int) {
        precondition(values.rows == lengths.count * maxLength, "values need B·T = \(lengths.count * maxLength) rows, have \(values.rows)")
        precondition(lengths.allSatisfy { $0 >= 1 && $0 <= maxLength }, "every length must be in 1...\(maxLength)")
        self.values = values
        self.lengths = lengths
        self.maxLength = maxLength
    }

    public var batchSize: Int { lengths.count }
    public var features: Int { values.cols }
}
