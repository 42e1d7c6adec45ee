/// Examples of an `EncodedDataset` laid out for the network: B rows of token ids padded with
/// the padding id 0 to a common length T, batch-major (`ids[b·T + t]`).
package struct PaddedBatch: Sendable {
    package var ids: [Int]
    package var lengths: [Int]
    package var maxLength: Int
    package var labels: [ArraySlice<Int32>]

    /// The examples at `indices`. T is the longest of them, and at least `minimumLength`
    /// (a cnn needs its largest kernel's width; the padding id's zero vector fills the rest).
    package init<Indices: Collection>(_ dataset: EncodedDataset, indices: Indices, minimumLength: Int = 1)
    where Indices.Element == Int {
        let T = max(minimumLength, indices.map { dataset.length(of: $0) }.max() ?? 1)
        var ids = [Int](repeating: 0, count: indices.count * T)
        var lengths: [Int] = [], labels: [ArraySlice<Int32>] = []
        lengths.reserveCapacity(indices.count)
        labels.reserveCapacity(indices.count)
        for (row, example) in indices.enumerated() {
            let tokens = dataset.tokens(of: example)
            precondition(!tokens.isEmpty, "example \(example) has no tokens; datasets hold only non-empty examples")
            for (t, id) in tokens.enumerated() { ids[row * T + t] = Int(id) }
            lengths.append(tokens.count)
            labels.append(dataset.labels(of: example))
        }
        self.ids = ids
        self.lengths = lengths
        self.maxLength = T
        self.labels = labels
    }

    package var count: Int { lengths.count }
    package var tokenCount: Int { lengths.reduce(0, +) }

    /// Rows `rows` as a batch of their own, keeping T.
    package func rows(_ rows: Range<Int>) -> PaddedBatch {
        var part = self
        part.ids = Array(ids[rows.lowerBound * maxLength ..< rows.upperBound * maxLength])
        part.lengths = Array(lengths[rows])
        part.labels = Array(labels[rows])
        return part
    }
}
