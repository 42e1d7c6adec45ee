/// The rows whose mean embeds each position of a padded batch, when positions are bags of rows
/// (subwords, SPEC §2) rather than single ids: `nn.EmbeddingBag(mode='mean')`'s input, one bag
/// per position, batch-major like the ids (position `b·T + t`).
///
/// Position p's rows are `rows[offsets[p] ..< offsets[p + 1]]`; a padding position's bag is empty.
public struct PositionBags: Sendable, Equatable {
    /// B·T + 1 offsets into ``rows``, from 0.
    public private(set) var offsets: [Int]
    /// Every bag's rows, in position order.
    public private(set) var rows: [Int]

    /// Bags from their offsets and rows (`offsets` starts at 0, ends at `rows.count` and never decreases).
    public init(offsets: [Int], rows: [Int]) {
        precondition(offsets.first == 0 && offsets.last == rows.count, "bag offsets must span the rows")
        self.offsets = offsets
        self.rows = rows
    }

    /// The number of positions.
    public var count: Int { offsets.count - 1 }

    /// The rows of position `position`.
    public func bag(_ position: Int) -> ArraySlice<Int> { rows[offsets[position] ..< offsets[position + 1]] }

    /// The bags of `positions`, as bags of their own.
    public func positions(_ positions: Range<Int>) -> PositionBags {
        let start = offsets[positions.lowerBound], end = offsets[positions.upperBound]
        return PositionBags(offsets: offsets[positions.lowerBound ... positions.upperBound].map { $0 - start },
                            rows: Array(rows[start ..< end]))
    }
}
