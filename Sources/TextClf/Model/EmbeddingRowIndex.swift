/// Where each token or hashed id finds its row in an embedding cut to fewer rows
/// (`textclf quantize --cutoff`), as fastText's `pruneidx` does.
///
/// The model file stores the kept ids, ascending, as the I32 tensor `embedding.rows` [N]; the
/// embedding then has N rows, row k holding id `ids[k]`. The ids are those the file's own
/// vocabulary and hashing give: a cut drops the vocabulary tokens whose rows go (they then read
/// as `<unk>`, as in fastText), so every vocabulary id 0..<V is kept and is its own row; the
/// hashed ids V..<V+buckets that follow are kept only where listed. A hashed id whose row was
/// cut has no row: it is left out of its average, as fastText leaves a pruned n-gram out.
public struct EmbeddingRowIndex: Equatable, Sendable {
    /// The fewest rows a cut keeps: `<pad>` and `<unk>`.
    public static let minimumRows = 2
    /// The tensor that stores ``ids`` in a model file.
    public static let tensorName = "embedding.rows"

    /// The kept ids in ascending order: 0..<vocabularySize, then the kept hashed ids.
    public let ids: [Int32]
    /// V, the number of vocabulary ids (`<pad>` and `<unk>` included).
    public let vocabularySize: Int
    /// The hashed ids the uncut embedding had after the vocabulary's (0: none).
    public let hashedRowCount: Int

    /// An index over `ids` for a vocabulary of `vocabularySize` ids and `hashedRowCount` hashed
    /// ids, or the reason it cannot be one.
    /// - Returns: nil when `ids` is a valid index; otherwise the problem, for an error message.
    static func problem(ids: [Int32], vocabularySize: Int, hashedRowCount: Int) -> String? {
        guard ids.count >= vocabularySize, ids.count >= minimumRows else {
            return "\(tensorName) has \(ids.count) ids; it needs every vocabulary id 0..<\(vocabularySize)"
        }
        for k in 0..<vocabularySize where ids[k] != Int32(k) {
            return "\(tensorName)[\(k)] is \(ids[k]); the vocabulary's ids come first, each its own row"
        }
        var previous = vocabularySize - 1
        for k in vocabularySize..<ids.count {
            let id = Int(ids[k])
            guard id > previous else { return "\(tensorName) is not strictly ascending at \(k)" }
            guard id < vocabularySize + hashedRowCount else {
                return "\(tensorName)[\(k)] is \(id), beyond the \(vocabularySize + hashedRowCount) ids of this model"
            }
            previous = id
        }
        return nil
    }

    /// An index of valid `ids` (see ``problem(ids:vocabularySize:hashedRowCount:)``).
    init(validIds ids: [Int32], vocabularySize: Int, hashedRowCount: Int) {
        self.ids = ids
        self.vocabularySize = vocabularySize
        self.hashedRowCount = hashedRowCount
    }

    /// The row of `id`: itself for a vocabulary id, its place among the kept hashed ids, or nil
    /// when its row was cut.
    public func row(of id: Int) -> Int? {
        if id < vocabularySize { return id }
        var (low, high) = (vocabularySize, ids.count)
        while low < high {
            let middle = (low + high) / 2
            if Int(ids[middle]) < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && Int(ids[low]) == id ? low : nil
    }

    /// Whether some ids can lack a row, so that ``rows(ids:lengths:maxLength:)`` changes a batch.
    public var dropsIds: Bool { hashedRowCount > 0 }

    /// A padded batch of ids (B·T, batch-major, lengths ≤ T) as rows: every id replaced by its
    /// row and the ids without a row left out, each sequence closing up. A sequence left empty
    /// becomes the one row `<unk>`, which is what an unknown text would give.
    public func rows(ids: [Int], lengths: [Int], maxLength T: Int) -> (ids: [Int], lengths: [Int]) {
        guard dropsIds else { return (ids, lengths) }
        var rows = [Int](repeating: 0, count: ids.count)
        var kept = lengths
        for b in lengths.indices {
            var t = 0
            for position in 0..<lengths[b] {
                guard let row = row(of: ids[b * T + position]) else { continue }
                rows[b * T + t] = row
                t += 1
            }
            if t == 0 && lengths[b] > 0 { (rows[b * T], t) = (Int(Vocabulary.unknownID), 1) }
            kept[b] = t
        }
        return (rows, kept)
    }

    /// Bags (subwords) as rows: every row id replaced by its kept row and the cut ones left out
    /// of their bag. Positions stay where they are, so a bag left empty becomes `<unk>`'s row,
    /// as an unknown token without subwords reads.
    public func rows(bags: PositionBags) -> PositionBags {
        guard dropsIds else { return bags }
        var offsets = [0], rows: [Int] = []
        offsets.reserveCapacity(bags.offsets.count)
        rows.reserveCapacity(bags.rows.count)
        for position in 0..<bags.count {
            let start = rows.count
            for id in bags.bag(position) {
                if let row = row(of: id) { rows.append(row) }
            }
            if rows.count == start && !bags.bag(position).isEmpty { rows.append(Int(Vocabulary.unknownID)) }
            offsets.append(rows.count)
        }
        return PositionBags(offsets: offsets, rows: rows)
    }
}
