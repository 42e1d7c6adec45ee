/// Token-id sequences laid out for the network: B rows padded with the padding id 0 to a
/// common length T, batch-major (`ids[b·T + t]`).
package struct PaddedBatch: Sendable {
    package var ids: [Int]
    package var lengths: [Int]
    package var maxLength: Int
    /// Each position's bag of rows when the examples have subwords (see `PositionBags`); nil
    /// when every position is its id alone.
    package var bags: PositionBags?

    /// The sequences in order. T is the longest of them, and at least `minimumLength` (a cnn
    /// needs its largest kernel's width; the padding id's zero vector fills the rest).
    package init<Sequences: Collection>(_ sequences: Sequences, minimumLength: Int = 1)
    where Sequences.Element: Collection, Sequences.Element.Element == Int32 {
        let T = max(minimumLength, sequences.map(\.count).max() ?? 1)
        var ids = [Int](repeating: 0, count: sequences.count * T)
        var lengths: [Int] = []
        lengths.reserveCapacity(sequences.count)
        for (row, tokens) in sequences.enumerated() {
            precondition(!tokens.isEmpty, "sequence \(row) has no tokens; the network needs at least one per row")
            for (t, id) in tokens.enumerated() { ids[row * T + t] = Int(id) }
            lengths.append(tokens.count)
        }
        self.ids = ids
        self.lengths = lengths
        self.maxLength = T
    }

    /// The examples of `dataset` at `indices`, in that order; their labels are
    /// `dataset.labels(of:)`.
    package init<Indices: Collection>(_ dataset: EncodedDataset, indices: Indices, minimumLength: Int = 1)
    where Indices.Element == Int {
        self.init(indices.lazy.map(dataset.tokens(of:)), minimumLength: minimumLength)
        if dataset.hashedRows?.usesSubwords == true { bags = dataset.bags(of: indices, maxLength: maxLength) }
    }

    package var count: Int { lengths.count }
    package var tokenCount: Int { lengths.reduce(0, +) }

    /// Rows `rows` as a batch of their own, keeping T.
    package func rows(_ rows: Range<Int>) -> PaddedBatch {
        var part = self
        part.ids = Array(ids[rows.lowerBound * maxLength ..< rows.upperBound * maxLength])
        part.lengths = Array(lengths[rows])
        part.bags = bags?.positions(rows.lowerBound * maxLength ..< rows.upperBound * maxLength)
        return part
    }
}
