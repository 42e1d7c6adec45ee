/// What a dataset of a model with word n-grams or subwords keeps besides the ids: the model's
/// ``HashedRows`` (the vocabulary tokens' subword table) and the subword rows of each unknown
/// token, which only its spelling gave.
struct HashedStorage: Sendable {
    let rows: HashedRows
    /// With subwords, per position of every example (flat, as the dataset's ids), how many
    /// rows of `unknownRows` it owns; empty without subwords.
    var unknownRowCounts: [Int32] = []
    var unknownRows: [Int32] = []
    /// Example i's unknown rows are `unknownRows[unknownRowOffsets[i] ..< unknownRowOffsets[i + 1]]`.
    var unknownRowOffsets: [Int] = [0]

    init(rows: HashedRows) { self.rows = rows }

    mutating func append(_ example: HashedRows.Example) {
        unknownRowCounts.append(contentsOf: example.unknownRowCounts)
        unknownRows.append(contentsOf: example.unknownRows)
        unknownRowOffsets.append(unknownRows.count)
    }

    /// Appends example `index` of `other`, whose positions are `tokens` there.
    mutating func append(copying index: Int, of other: HashedStorage, tokens: Range<Int>) {
        if rows.usesSubwords { unknownRowCounts.append(contentsOf: other.unknownRowCounts[tokens]) }
        unknownRows.append(contentsOf: other.unknownRows[other.unknownRowOffsets[index] ..< other.unknownRowOffsets[index + 1]])
        unknownRowOffsets.append(unknownRows.count)
    }
}

extension EncodedDataset {
    /// An empty dataset whose examples use `hashedRows` (nil: a plain dataset).
    public init(hashedRows: HashedRows?) {
        self.init()
        hashed = hashedRows.map(HashedStorage.init(rows:))
    }

    /// The hashed rows its examples use, or nil.
    public var hashedRows: HashedRows? { hashed?.rows }

    /// Adds an example built by a ``HashedRows/Builder`` (its ids not empty) with its labels.
    public mutating func append<Labels: Collection>(_ example: HashedRows.Example, labels: Labels)
    where Labels.Element == Int32 {
        precondition(hashed != nil, "a dataset without hashed rows takes plain token ids")
        append(tokens: example.ids, labels: labels)
        hashed!.append(example)
    }

    /// The bag of rows of each position of example `example`, in order (see ``HashedRows``):
    /// with subwords, a known token's id and its subword rows, an unknown token's own subword
    /// rows (or `<unk>`), an n-gram's row alone. Calls `body(position, rows)`.
    func forEachBag(of example: Int, _ body: (Int, ArraySlice<Int32>) -> Void) {
        let ids = tokens(of: example)
        guard let hashed, hashed.rows.usesSubwords else {
            for i in ids.indices { body(i - ids.startIndex, tokenIDs[i ..< i + 1]) }
            return
        }
        var next = hashed.unknownRowOffsets[example]
        for (t, id) in ids.enumerated() {
            let owned = Int(hashed.unknownRowCounts[ids.startIndex + t])
            if owned > 0 {
                body(t, hashed.unknownRows[next ..< next + owned])
                next += owned
            } else if id != Vocabulary.unknownID && Int(id) < hashed.rows.vocabularySize {
                body(t, [id] + hashed.rows.subwordRows(ofVocabularyID: Int(id)))
            } else {
                body(t, tokenIDs[ids.startIndex + t ..< ids.startIndex + t + 1])
            }
        }
    }
}

extension EncodedDataset {
    /// The bags of the examples at `indices`, padded to `maxLength` positions each (padding
    /// positions have empty bags).
    func bags<Indices: Collection>(of indices: Indices, maxLength T: Int) -> PositionBags where Indices.Element == Int {
        var offsets = [0], rows: [Int] = []
        offsets.reserveCapacity(indices.count * T + 1)
        for example in indices {
            forEachBag(of: example) { _, bag in
                for row in bag { rows.append(Int(row)) }
                offsets.append(rows.count)
            }
            offsets.append(contentsOf: repeatElement(rows.count, count: T - length(of: example)))
        }
        return PositionBags(offsets: offsets, rows: rows)
    }
}
