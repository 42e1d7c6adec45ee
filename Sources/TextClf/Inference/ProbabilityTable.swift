/// The probabilities of a ``TextBatch``, one row of label probabilities per text, in memory
/// reused from batch to batch (classify fills one per batch without allocating).
package final class ProbabilityTable {
    /// The number of labels: the width of every row.
    package private(set) var width = 0
    /// The number of rows.
    package private(set) var count = 0
    /// Row i at `values[i·width ..< (i + 1)·width]`; meaningless where `hasTokens[i]` is false.
    let values = Scratch<Float>()
    /// Whether text i had a token (a text without any has no probabilities).
    let hasTokens = Scratch<Bool>()
    /// How many texts of each chunk had tokens beyond the model's maximum length.
    let truncatedPerChunk = Scratch<Int>(capacity: 16)
    private var chunkCount = 0

    /// An empty table.
    package init() {}

    /// How many texts had tokens beyond the model's maximum length, which were dropped.
    package var truncated: Int {
        (0..<chunkCount).reduce(0) { $0 + truncatedPerChunk.pointer[$1] }
    }

    /// The probabilities of text `index` in label order, nil when it held no token; valid until
    /// the table is filled again.
    package func row(_ index: Int) -> UnsafeBufferPointer<Float>? {
        precondition(index >= 0 && index < count, "row \(index) of \(count)")
        guard hasTokens.pointer[index] else { return nil }
        return UnsafeBufferPointer(start: values.pointer + index * width, count: width)
    }

    /// Makes room for `rows` rows of `width` values and `chunks` chunk counts; no text has
    /// tokens and no chunk was cut until the chunks say so.
    func reset(rows: Int, width: Int, chunks: Int) {
        self.width = width
        count = rows
        chunkCount = chunks
        values.reserve(rows * width)
        hasTokens.reserve(rows)
        truncatedPerChunk.reserve(chunks)
        hasTokens.pointer.update(repeating: false, count: rows)
        truncatedPerChunk.pointer.update(repeating: 0, count: chunks)
    }
}
